import { AppError, conflict, unprocessable } from '../lib/errors.js';
import { camelCase, checkMeaning, TABLE_LABELS, uniqueMeaning, type ConstraintMeaning } from './constraints.js';

interface PgErrorLike {
  code: string;
  constraint?: string;
  detail?: string;
  column?: string;
  table?: string;
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
  const refused = (status: 409 | 422, meaning: ConstraintMeaning) =>
    (status === 409 ? conflict : unprocessable)(meaning.code, `${meaning.en} / ${meaning.zh}`, { constraint, field: meaning.field });
  switch (pgError.code) {
    case '23505':
      return refused(409, uniqueMeaning(constraint));
    case '23503':
      return refused(422, foreignKeyMeaning(pgError.table, constraint, pgError.detail));
    case '23514':
      return refused(422, checkMeaning(pgError.table, constraint));
    case '23502': {
      const field = camelCase(pgError.column ?? 'unknown');
      return unprocessable('not_null_violation', `${field} is required / ${field} 为必填项`, { field });
    }
    case '22003':
      return unprocessable('numeric_out_of_range', 'A number is out of the range the database can hold');
    case '22P02':
    case '22007':
    case '22008':
      return unprocessable('invalid_value', 'A value has an invalid format');
    case '22021':
    // 22P05: the same NUL inside a json/jsonb parameter (\u0000), as the import's set-based inserts send rows.
    case '22P05':
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

/** The table a foreign key points at and its column, from drizzle's name `<table>_<column>_<target>_id_fk`. */
export function foreignKeyParts(table: string | undefined, constraint: string): { column?: string; target?: string } {
  const rest = table && constraint.startsWith(`${table}_`) ? constraint.slice(table.length + 1).replace(/_fk$/, '') : '';
  const target = Object.keys(TABLE_LABELS).find((t) => rest.endsWith(`_${t}_id`));
  return target ? { column: rest.slice(0, -`_${target}_id`.length), target } : {};
}

function foreignKeyMeaning(table: string | undefined, constraint: string, detail: string | undefined): ConstraintMeaning {
  const { column, target } = foreignKeyParts(table, constraint);
  const targetLabel = target ? TABLE_LABELS[target]! : { en: 'record', zh: '记录' };
  // PostgreSQL's detail reads: Key (id)=(…) is still referenced from table "projects".
  if (detail?.includes('still referenced')) {
    const from = (table && TABLE_LABELS[table]) || { en: 'another record', zh: '其他记录' };
    return {
      code: 'foreign_key_violation',
      field: null,
      en: `The ${targetLabel.en} is still referenced by a ${from.en}; remove or archive those first`,
      zh: `该${targetLabel.zh}仍被${from.zh}引用，请先删除或归档`,
    };
  }
  // Or: Key (department_id)=(…) is not present in table "departments".
  const field = camelCase(column ?? /Key \(([^)]+)\)/.exec(detail ?? '')?.[1] ?? 'id');
  return { code: 'foreign_key_violation', field, en: `${field} does not name an existing ${targetLabel.en}`, zh: `${field} 所指的${targetLabel.zh}不存在` };
}
