import { ilike, or, type SQL, type AnyColumn } from 'drizzle-orm';

/** Case-insensitive "contains" over several columns, with LIKE wildcards in the input escaped. */
export function containsText(columns: AnyColumn[], text: string): SQL | undefined {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(...columns.map((c) => ilike(c, pattern)));
}
