import { AppError, conflict, unprocessable } from '../lib/errors.js';

interface PgErrorLike {
  code: string;
  constraint?: string;
  detail?: string;
  column?: string;
}

function pgErrorOf(error: unknown): PgErrorLike | undefined {
  // drizzle wraps driver errors in DrizzleQueryError with the driver error as `cause`.
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const candidate = e as Partial<PgErrorLike>;
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate as PgErrorLike;
  }
  return undefined;
}

/**
 * Integrity lives in the database; this turns its refusals into problem+json that say what
 * conflicted. Anything else is returned unchanged (and ends as a 500 that hides internals).
 */
export function translateDatabaseError(error: unknown): unknown {
  if (isConnectionFailure(error)) return databaseUnavailable();
  const pgError = pgErrorOf(error);
  if (!pgError) return error;
  const constraint = pgError.constraint ?? 'unknown';
  switch (pgError.code) {
    case '23505':
      return conflict('unique_violation', `A record with the same values already exists (${constraint})`, { constraint });
    case '23503':
      return unprocessable('foreign_key_violation', foreignKeyDetail(constraint, pgError.detail), { constraint });
    case '23514':
      return unprocessable('check_violation', `A value breaks the rule ${constraint}`, { constraint });
    case '23502':
      return unprocessable('not_null_violation', `A required value is missing (${pgError.column ?? 'unknown column'})`);
    case '22003':
      return unprocessable('numeric_out_of_range', 'A number is out of the range the database can hold');
    case '22P02':
    case '22007':
    case '22008':
      return unprocessable('invalid_value', 'A value has an invalid format');
    case '22021':
      // A text value holding U+0000 (NUL), which PostgreSQL text cannot store.
      return unprocessable('invalid_character', 'A text value holds a character the database cannot store (U+0000)');
    case '40001':
    case '40P01':
      return new AppError({ code: 'serialization_failure', status: 409, title: 'Conflict / 冲突', detail: 'A concurrent change conflicted with this one; retry' });
    case '57014':
      return new AppError({ code: 'statement_timeout', status: 503, title: 'Database timeout / 数据库超时', detail: 'The database took too long to answer' });
    default:
      return error;
  }
}

/** The database cannot be reached right now: the caller should retry after a pause (503, Retry-After). */
export function databaseUnavailable(): AppError {
  return new AppError({
    code: 'database_unavailable',
    status: 503,
    title: 'Service unavailable / 服务不可用',
    detail: 'The database cannot be reached; retry later',
  });
}

// Socket errors seen while PostgreSQL is down, restarting or unreachable.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// 08xxx connection exception; 57P01-57P03 shutdown / crash / not accepting connections yet; 53300 too many connections.
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
// node-postgres and pg-pool say these in the message only.
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connection error and is not queryable/;

function isConnectionFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 10) {
    const e = pending.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    // drizzle wraps the driver error in `cause`; a failed multi-address connect is an AggregateError.
    pending.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return false;
}

function foreignKeyDetail(constraint: string, detail: string | undefined): string {
  // PostgreSQL's detail reads: Key (department_id)=(…) is not present in table "departments".
  // or: Key (id)=(…) is still referenced from table "projects".
  if (detail?.includes('still referenced')) {
    const table = /from table "([^"]+)"/.exec(detail)?.[1];
    return `The record is still referenced${table ? ` by ${table}` : ''}; remove or archive those first (${constraint})`;
  }
  const column = /Key \(([^)]+)\)/.exec(detail ?? '')?.[1];
  return `${column ?? 'A referenced id'} does not name an existing record (${constraint})`;
}
