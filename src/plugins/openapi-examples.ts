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
  404: { code: 'not_found', title: 'Resource not found / 资源不存在', detail: 'project 01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f does not exist' },
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
    currentEtag: '"v3"',
  },
  408: { code: 'request_timeout', title: 'Request timeout / 请求超时', detail: 'The request did not arrive whole within the time the service allows (REQUEST_TIMEOUT_MS)' },
  413: { code: 'payload_too_large', title: titleFor(413), detail: 'Request body is too large' },
  415: { code: 'unsupported_media_type', title: titleFor(415), detail: 'Send the body as application/json' },
  431: { code: 'headers_too_large', title: 'Request headers too large / 请求头过大', detail: 'The request line and headers together exceed 16 KB; a URL that long is refused too' },
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

type Json = Record<string, unknown>;

/** The resource a path's first `{param}` names, as the repositories name it in a 404 (src/lib/errors.ts notFound). */
const resources: Record<string, string> = {
  departments: 'department',
  leaders: 'leader',
  projects: 'project',
  plans: 'annual_plan',
  milestones: 'project_milestone',
  'leader-assignments': 'leader_assignment',
  'progress-reports': 'progress_report',
  inspections: 'inspection',
  issues: 'issue',
  comments: 'project_comment',
  'special-bonds': 'special_bond',
  'groundbreaking-batches': 'groundbreaking_batch',
  'api-keys': 'api_key',
  'audit-events': 'audit_event',
  'declared-figures': 'declared_figure',
  'warning-rules': 'warning_rule',
  'webhook-subscriptions': 'webhook_subscription',
  'webhook-deliveries': 'webhook_delivery',
};

const exampleId = '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f';

const resolve = (schema: Json | undefined, schemas: Record<string, unknown>): Json | undefined => {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? (schemas[ref.replace('#/components/schemas/', '')] as Json | undefined) : schema;
};

function notFoundSample(path: string, operation: Json, schemas: Record<string, unknown>): Sample | undefined {
  if (path === '/v1/oc4ids/package') {
    return {
      code: 'oc4ids_package_empty',
      title: 'No projects to publish / 无可发布的项目',
      detail: 'No project is on city_key for 2030; an OC4IDS package needs at least one project',
    };
  }
  const segments = path.split('/');
  const at = segments.findIndex((s) => s.startsWith('{'));
  if (at <= 0) return undefined;
  const resource = resources[segments[at - 1]!];
  if (!resource) return undefined;
  const name = segments[at]!.slice(1, -1);
  const parameter = ((operation.parameters ?? []) as Json[]).find((p) => p.in === 'path' && p.name === name);
  const schema = resolve(parameter?.schema as Json | undefined, schemas);
  const example = schema?.example ?? (Array.isArray(schema?.enum) ? schema.enum[0] : undefined) ?? exampleId;
  return { code: 'not_found', title: 'Resource not found / 资源不存在', detail: `${resource} ${String(example)} does not exist` };
}

/** A message of the kind zod gives for a value that breaks `schema` (too big, not one of the options, missing). */
function messageFor(schema: Json | undefined, schemas: Record<string, unknown>, missing: boolean): string {
  const s = resolve(schema, schemas) ?? {};
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (missing) return `Invalid input: expected ${types.includes('integer') || types.includes('number') ? 'number' : types.includes('array') ? 'array' : types.includes('object') ? 'object' : 'string'}, received undefined`;
  if (Array.isArray(s.enum)) return `Invalid option: expected one of ${(s.enum as unknown[]).slice(0, 4).map((v) => JSON.stringify(v)).join('|')}${s.enum.length > 4 ? '|…' : ''}`;
  if ((types.includes('integer') || types.includes('number')) && typeof s.maximum === 'number') return `Too big: expected number to be <=${s.maximum}`;
  if (types.includes('integer')) return 'Invalid input: expected int, received string';
  if (s.format === 'uuid') return 'Invalid UUID';
  if (s.format === 'date' || s.pattern === undefined && typeof s.description === 'string' && s.description.includes('YYYY-MM-DD')) return 'Invalid ISO date';
  if (typeof s.pattern === 'string') return 'Invalid string: must match pattern';
  if (typeof s.maxLength === 'number') return `Too big: expected string to have <=${s.maxLength} characters`;
  return 'Invalid input';
}

/**
 * A 400 for this operation: a field of its own request (a query parameter of a GET, the body's first
 * required field of a write, else a path parameter), with a message of the kind the validator gives.
 */
function badRequestSample(method: string, operation: Json, schemas: Record<string, unknown>): Sample | undefined {
  const parameters = ((operation.parameters ?? []) as Json[]).filter((p) => typeof p.in === 'string');
  const body = resolve(((operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.['application/json']?.schema as Json | undefined, schemas);
  const field = (location: string, path: string, message: string): Sample => ({
    code: 'validation_failed',
    title: 'Validation failed / 参数校验失败',
    detail: 'The request has 1 invalid field',
    errors: [{ location, path, message }],
  });
  const query = parameters.filter((p) => p.in === 'query');
  const pick = query.find((p) => p.name === 'limit') ?? query.find((p) => p.required === true) ?? query.find((p) => resolve(p.schema as Json, schemas)?.enum) ?? query[0];
  if (method === 'get' && pick) return field('querystring', `/${String(pick.name)}`, messageFor(pick.schema as Json, schemas, false));
  if (body && typeof body.properties === 'object') {
    const required = (body.required ?? []) as string[];
    const name = required[0] ?? Object.keys(body.properties as Json)[0];
    if (name) return field('body', `/${name}`, messageFor((body.properties as Record<string, Json>)[name], schemas, required.length > 0));
  }
  const param = parameters.find((p) => p.in === 'path');
  if (param) return field('params', `/${String(param.name)}`, messageFor(param.schema as Json, schemas, false));
  if (pick) return field('querystring', `/${String(pick.name)}`, messageFor(pick.schema as Json, schemas, false));
  return undefined;
}

/**
 * The example of a problem+json response of `path` with `status`, shaped like the Problem component;
 * with the operation, a 400 names one of its own fields and a 404 its own resource.
 */
export function problemExample(status: number, path: string, of?: { method: string; operation: Json; schemas: Record<string, unknown> }): Problem {
  const own = of && status === 400 ? badRequestSample(of.method, of.operation, of.schemas) : of && status === 404 ? notFoundSample(path, of.operation, of.schemas) : undefined;
  const sample = own ?? samples[status] ?? { code: `http_${status}`, title: titleFor(status), detail: titleFor(status) };
  return {
    type: `urn:kpo:problem:${sample.code}`,
    status,
    instance: path,
    requestId: '0f8c7d1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
    ...sample,
  };
}
