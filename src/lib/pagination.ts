import { createHash } from 'node:crypto';
import { asc, desc, sql, type SQL, type AnyColumn, type Placeholder } from 'drizzle-orm';
import { z } from 'zod';
import { badRequest } from './errors.js';
import { decimalInteger } from './schemas.js';

export const pageQueryShape = {
  limit: decimalInteger(1, 200).prefault(50).meta({ description: 'Page size, at most 200 / 每页条数（最多200）' }),
  cursor: z
    .string()
    .max(1000)
    .optional()
    .meta({ description: 'Opaque cursor from the previous page\'s nextCursor / 上一页返回的 nextCursor' }),
};

/** A page of `item`; its example is a last page holding the item's own example. */
export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  const itemExample = z.globalRegistry.get(item)?.example;
  return z
    .object({
      items: z.array(item).max(200).describe('This page, in stable order, at most `limit` (≤200) / 本页记录（顺序稳定，不超过 limit）'),
      // A cursor is only worth handing out if it can be sent back: the query takes at most 1000 characters.
      nextCursor: z.string().max(1000).nullable().describe('Cursor of the next page; null on the last page / 下一页游标，最后一页为 null'),
    })
    .meta({ id, ...(itemExample === undefined ? {} : { example: { items: [itemExample], nextCursor: null } }) });
}

type CursorValue = string | number | boolean | null;
type Direction = 'asc' | 'desc';
/** A sort-key column: a table column, or an expression of a hand-written query (`sql\`e.code\``). */
type KeyColumn = AnyColumn | SQL;

function filterHash(filters: Record<string, unknown>): string {
  const entries = Object.entries(filters)
    .filter(([key, value]) => key !== 'cursor' && key !== 'limit' && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 16);
}

/**
 * A cursor carries the sort key of the last row and a hash of the filters it was made under;
 * used with other filters it is refused, so editing the query cannot reuse a position elsewhere.
 */
function encodeCursor(values: CursorValue[], filters: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ v: values, f: filterHash(filters) })).toString('base64url');
}

function decodeCursor(cursor: string | undefined, filters: Record<string, unknown>, arity: number): CursorValue[] | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this service issued');
  }
  const shape = z.object({ v: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).length(arity), f: z.string() });
  const result = shape.safeParse(parsed);
  if (!result.success) throw badRequest('invalid_cursor', 'The cursor is not one this service issued');
  if (result.data.f !== filterHash(filters)) {
    throw badRequest('cursor_filter_mismatch', 'The cursor was issued for other filters; start again without a cursor');
  }
  return result.data.v;
}

/** Keyset condition "after this row" for an ascending or descending sort on (columns…); values may be placeholders of a prepared query. */
function afterKey(columns: KeyColumn[], values: (CursorValue | Placeholder)[], direction: Direction): SQL {
  const left = sql.join(columns.map((c) => sql`${c}`), sql`, `);
  const right = sql.join(values.map((v) => sql`${v}`), sql`, `);
  return direction === 'asc' ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
}

/** Cuts the extra row fetched to know whether another page exists, and makes its cursor. */
function toPage<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => CursorValue[],
  filters: Record<string, unknown>,
): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!), filters) };
}

/** What a list's query string holds for paging. */
export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

/** A drizzle select that can still be ordered and limited (what `keyset(…).list` completes). */
interface Unordered<T> {
  orderBy(...columns: SQL[]): { limit(limit: number): PromiseLike<T[]> };
}

/**
 * Keyset pagination over a sort key stated once: `{ rowField: column, …, id: table.id }` (the last
 * column must make the order total, normally the id). The rows' fields of those names are the
 * cursor's values, unless the caller's rows are shaped otherwise (`keyOf`). A list is one call:
 *
 *   const byPeriod = keyset({ periodEnd: reports.periodEnd, id: reports.id }, 'desc');
 *   return byPeriod.list(query, (after) => db.select().from(reports).where(and(…filters, after)));
 *
 * `page(query)` gives the parts (condition, order, limit, placeholders of a prepared statement) for
 * the few lists written in raw SQL or prepared once. A cursor bound to other filters is a 400.
 */
export function keyset<const C extends Record<string, KeyColumn>>(columns: C, direction: Direction = 'asc') {
  const names = Object.keys(columns);
  const keyColumns = Object.values(columns);
  const orderBy = keyColumns.map((c) => (direction === 'asc' ? asc(c) : desc(c)));
  const placeholderName = (name: string) => `after_${name}`;
  function page(query: PageQuery, filters: Record<string, unknown> = { ...query }) {
    const after = decodeCursor(query.cursor, filters, names.length);
    return {
      /** The cursor's key values, or undefined on the first page. */
      after,
      where: after ? afterKey(keyColumns, after, direction) : undefined,
      orderBy,
      /** One more than the page, to know whether another follows. */
      limit: query.limit + 1,
      /** The values of the placeholders in `afterPlaceholders`. */
      placeholders: Object.fromEntries(names.map((n, i) => [placeholderName(n), after?.[i]])),
      toPage<T>(rows: T[], keyOf: (row: T) => CursorValue[] = (row) => names.map((n) => (row as Record<string, CursorValue>)[n]!)) {
        return toPage(rows, query.limit, keyOf, filters);
      },
    };
  }
  return {
    orderBy,
    page,
    /**
     * One page of a list, the whole protocol in one call: `select(after)` is the list's query with
     * its own filters and `after` (the cursor's condition) in its WHERE; the order, the limit and the
     * next cursor are added here.
     *
     *   return byId.list(query, (after) => db.select().from(t).where(and(…filters, after)));
     */
    async list<T>(
      query: PageQuery,
      select: (after: SQL | undefined) => Unordered<T>,
      { filters, keyOf }: { filters?: Record<string, unknown>; keyOf?: (row: T) => CursorValue[] } = {},
    ) {
      const p = page(query, filters);
      return p.toPage(await select(p.where).orderBy(...orderBy).limit(p.limit), keyOf);
    },
    /** "After the cursor's row" with placeholders, for a query prepared once (see `placeholders`). */
    afterPlaceholders: afterKey(keyColumns, names.map((n) => sql.placeholder(placeholderName(n))), direction),
  };
}
