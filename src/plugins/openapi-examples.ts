import { titleFor, type Problem } from '../lib/problem.js';

type Sample = Pick<Problem, 'code' | 'title' | 'detail'> & Record<string, unknown>;

/**
 * One typical problem per status, with the codes and titles the error handler really sends
 * (src/plugins/errors.ts, src/lib/errors.ts, src/db/pg-errors.ts), so a frontend sees what to branch on.
 */
const samples: Record<number, Sample> = {
  400: {
    code: 'validation_failed',
    title: 'Validation failed / 参数校验失败',
    detail: 'The request has 1 invalid field',
    errors: [{ location: 'querystring', path: '/limit', message: 'Too big: expected number to be <=200' }],
  },
  401: {
    code: 'authentication_required',
    title: 'Authentication required / 需要认证',
    detail: 'Send an API key as "Authorization: Bearer kpo_live_…"',
  },
  403: {
    code: 'forbidden_role',
    title: 'Forbidden / 无权限',
    detail: "This operation needs one of the roles admin, office; this key's role is viewer",
  },
  404: { code: 'not_found', title: 'Resource not found / 资源不存在', detail: 'Project 01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f does not exist' },
  409: {
    code: 'unique_violation',
    title: 'Conflict / 冲突',
    detail: 'A record with the same values already exists (projects_code_unique)',
    constraint: 'projects_code_unique',
  },
  412: {
    code: 'precondition_failed',
    title: 'The resource has changed / 资源已被修改',
    detail: 'The If-Match ETag is stale: read the resource again and reapply your change',
    currentEtag: '"3"',
  },
  413: { code: 'payload_too_large', title: titleFor(413), detail: 'Request body is too large' },
  415: { code: 'unsupported_media_type', title: titleFor(415), detail: 'Send the body as application/json' },
  422: {
    code: 'foreign_key_violation',
    title: 'Unprocessable request / 无法处理的请求',
    detail: 'The referenced department does not exist',
    constraint: 'projects_department_id_fkey',
  },
  428: {
    code: 'precondition_required',
    title: 'If-Match header required / 需要 If-Match 请求头',
    detail: 'Send the ETag you read in an If-Match header so that concurrent edits cannot overwrite each other',
  },
  429: {
    code: 'rate_limited',
    title: titleFor(429),
    detail: 'Too many requests for this API key; try again in 12 s',
  },
  500: {
    code: 'internal_error',
    title: titleFor(500),
    detail: 'An unexpected error occurred; quote request id 0f8c7d1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f when reporting it',
  },
  503: { code: 'database_unavailable', title: 'Service unavailable / 服务不可用', detail: 'The database cannot be reached; retry later' },
};

/** The example of a problem+json response of `path` with `status`, shaped like the Problem component. */
export function problemExample(status: number, path: string): Problem {
  const sample = samples[status] ?? { code: `http_${status}`, title: titleFor(status), detail: titleFor(status) };
  return {
    type: `urn:kpo:problem:${sample.code}`,
    status,
    instance: path,
    requestId: '0f8c7d1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
    ...sample,
  };
}
