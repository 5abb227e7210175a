import { ilike, or, type SQL, type AnyColumn, type Placeholder } from 'drizzle-orm';

/** The ILIKE pattern for "contains `text`", LIKE wildcards in it escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Case-insensitive "contains" over several columns, with LIKE wildcards in the input escaped; or,
 * for a prepared query, a placeholder that will hold containsPattern(text).
 */
export function containsText(columns: AnyColumn[], text: string | Placeholder): SQL | undefined {
  const pattern = typeof text === 'string' ? containsPattern(text) : text;
  return or(...columns.map((c) => ilike(c, pattern)));
}
