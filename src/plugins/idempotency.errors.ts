import { AppError, badRequest, conflict, unprocessable } from '../lib/errors.js';
import { JSON_LIMITS } from '../lib/json-text.js';

export function invalidIdempotencyKey(): AppError {
  return badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)');
}

export function idempotencyKeyReused(): AppError {
  return unprocessable(
    'idempotency_key_reused',
    'This Idempotency-Key was already used for a different request (method, path or body); use a new key for a new request',
  );
}

export function idempotencyInProgress(): AppError {
  return conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed; retry after a moment');
}

/** The claim outlived any request: its instance stopped between doing the work and storing the answer. */
export function idempotencyOutcomeUnknown(): AppError {
  return conflict(
    'idempotency_outcome_unknown',
    'The request with this Idempotency-Key was interrupted before its answer was stored; it may have taken effect. Read the resource to find out, or use a new key',
  );
}

/** A body nested past the JSON limit that reached the request hash by another parser than JSON's. */
export function jsonTooDeep(): AppError {
  return badRequest('json_too_deep', `The body is nested deeper than ${JSON_LIMITS.depth} levels / 嵌套层数超过 ${JSON_LIMITS.depth} 层`, { limit: JSON_LIMITS.depth });
}
