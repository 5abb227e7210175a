import type { SQL } from 'drizzle-orm';
import type { Executor } from './types.js';

/** Runs raw SQL and returns its rows (both drivers answer `{ rows }`). */
export async function rowsOf<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
