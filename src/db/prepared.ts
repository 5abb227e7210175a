import type { Executor } from './types.js';

/** What drizzle's prepared queries (node-postgres and PGlite alike) offer: run with placeholder values. */
interface Runnable<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

/** The part of a drizzle session a prepared query runs through: its connection and its query logger. */
interface SessionParts {
  client: unknown;
  logger: unknown;
}

function sessionOf(executor: Executor): SessionParts {
  return (executor as unknown as { session: SessionParts }).session;
}

/**
 * A statement of a hot write path, built by drizzle once and then only run. Building a statement
 * with drizzle's query builder costs tens of microseconds each time (a report insert ≈ 80 µs, the
 * report view ≈ 130 µs on this 2-core machine), and a named statement also spares PostgreSQL its
 * parse and plan on every connection after the first.
 *
 * drizzle binds a prepared query to the session it was made on; run inside a transaction it has to
 * go through that transaction's connection instead. Both of drizzle's drivers keep the connection
 * as `client` (and the query logger as `logger`) on the session and on the prepared query, so the
 * query is run through a view of it that carries the executor's own: the statement goes where the
 * caller's other statements go, and a logging session still sees it. tests/foundation/prepared.test.ts pins
 * this on both drivers, so a drizzle upgrade that moves either field fails there, not in production.
 *
 * Every value that varies must be a `sql.placeholder`: anything else is fixed when the statement is
 * built, including a column's `$defaultFn` (give such columns, ids above all, as placeholders).
 */
export function preparedStatement<R>(build: (executor: Executor) => Runnable<R>) {
  // One build per driver: a prepared query keeps its driver's result parsing.
  const built = new Map<unknown, Runnable<R>>();
  return (executor: Executor, values: Record<string, unknown>): Promise<R> => {
    const session = sessionOf(executor);
    let query = built.get(session.constructor);
    if (!query) {
      query = build(executor);
      built.set(session.constructor, query);
    }
    const onExecutor = Object.create(query, { client: { value: session.client }, logger: { value: session.logger } }) as Runnable<R>;
    return onExecutor.execute(values);
  };
}
