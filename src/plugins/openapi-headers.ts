import { problemExample } from './openapi-examples.js';

type Json = Record<string, unknown>;

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });
// Parameters inline, not as $ref: the fuzzer, the text tests and many generators read them in place.
const parameterRef = (name: string) => structuredClone(contractParameters[name]!);

/**
 * The response headers the service sends beside the rate-limit fields (src/plugins/openapi-tidy.ts),
 * each as the code sends it: X-Request-Id on every answer (src/app.ts, src/plugins/errors.ts), ETag
 * with a record (src/lib/route-helpers.ts withEtag), Location with a created record, Retry-After on a
 * 503 (src/plugins/errors.ts) and on the busy import (src/modules/imports), Idempotency-Replayed on a
 * replayed answer (src/plugins/idempotency.ts), Content-Disposition on a download (src/modules/exports),
 * Cache-Control where an answer may be cached (the code lists; every other /v1 answer is no-store).
 */
export const contractHeaders: Record<string, Json> = {
  'X-Request-Id': {
    description:
      'The id of this request (a UUIDv7, or the caller\'s own X-Request-Id when it sent a valid one): in the log line, in the audit trail and in every problem; quote it when reporting a fault / 本次请求编号：见日志、审计记录与错误响应，报告问题时请提供',
    required: true,
    schema: { type: 'string', maxLength: 128 },
    example: '0f8c7d1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f',
  },
  ETag: {
    description:
      'The version of the returned record, a strong entity tag (`"v<version>"`, src/lib/etag.ts): send it back in If-Match to change or delete the record, or in If-None-Match to read it again only when it changed / 记录版本：修改或删除时放入 If-Match，重复读取时放入 If-None-Match',
    required: true,
    schema: { type: 'string', maxLength: 12, pattern: '^"v[0-9]{1,9}"$' },
    example: '"v3"',
  },
  Location: {
    description: 'The path of the created record, to read it (GET) / 新建记录的路径',
    required: true,
    schema: { type: 'string', maxLength: 300, format: 'uri-reference' },
    example: '/v1/projects/01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
  },
  'Idempotency-Replayed': {
    description:
      'Sent (always `true`) when this answer is the stored answer of an earlier request with the same Idempotency-Key: nothing was done again / 本响应是同一幂等键的首次结果的重放，未再次执行',
    schema: { type: 'string', enum: ['true'] },
    example: 'true',
  },
  'Content-Disposition': {
    description: 'The download\'s file name (an attachment) / 下载文件名',
    required: true,
    schema: { type: 'string', maxLength: 300 },
    example: 'attachment; filename="summary-2022-city_key-2022-03-31.csv"',
  },
  'Cache-Control': {
    description:
      'How long the answer may be reused: the code lists change only with a release, so they may be cached for an hour (every other /v1 answer is `no-store`) / 可缓存时长：代码表仅随版本变化，可缓存一小时',
    required: true,
    schema: { type: 'string', enum: ['public, max-age=3600'] },
    example: 'public, max-age=3600',
  },
  'Retry-After-InProgress': {
    description: 'Sent with the 409 of a request whose Idempotency-Key is still being acted on: seconds to wait before retrying / 同一幂等键的请求仍在处理：重试前需等待的秒数',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600 },
    example: 1,
  },
  'Retry-After-Unavailable': {
    description: 'Seconds to wait before trying again: the database or the queue is busy or unreachable for now / 重试前需等待的秒数（数据库或队列暂不可用）',
    required: true,
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600 },
    example: 5,
  },
};

/**
 * Request headers the service reads beside those the routes' zod schemas declare. X-Actor (RFC 8187)
 * is read by src/modules/access/access.actor.ts on every authenticated request and recorded with
 * each write; If-None-Match by src/plugins/conditional-get.ts on a GET of a record.
 */
export const contractParameters: Record<string, Json> = {
  XActor: {
    name: 'x-actor',
    in: 'header',
    required: false,
    description:
      'The person acting in the calling system (经办人), recorded with the write in the audit trail and the record\'s history; never used for access. 1–100 letters, digits, spaces or . _ @ : -, in UTF-8, e.g. `zhang.wei` or `王科长` (a non-ASCII name may also be sent in X-Actor*). / 调用方的经办人，随写操作记入审计日志与记录历史，不用于鉴权；1–100 个字符，UTF-8 编码',
    schema: { type: 'string', minLength: 1, maxLength: 400 },
  },
  XActorExtended: {
    name: 'x-actor*',
    in: 'header',
    required: false,
    description:
      'X-Actor as an RFC 8187 ext-value, for clients that keep header values ASCII: `UTF-8\'\'` and the percent-encoded name, e.g. `UTF-8\'\'%E7%8E%8B%E7%A7%91%E9%95%BF` (王科长). Wins over X-Actor when both are sent. / 以 RFC 8187 扩展值（UTF-8\'\' 加百分号编码）传递的经办人，与 X-Actor 同时出现时以此为准',
    schema: { type: 'string', minLength: 8, maxLength: 1000, pattern: "^[Uu][Tt][Ff]-8'[^']*'[A-Za-z0-9%!#$&+.^_`|~-]+$" },
  },
  IfNoneMatch: {
    name: 'if-none-match',
    in: 'header',
    required: false,
    description:
      'The ETag you hold (e.g. `"v3"`): when the record still has it, the answer is 304 Not Modified with no body / 已持有的 ETag：记录未变时返回 304（无响应体）',
    schema: { type: 'string', maxLength: 200 },
  },
};

const writeMethods = new Set(['post', 'put', 'patch', 'delete']);
/** The operations whose 200 may be cached (src/modules/meta/meta.routes.ts): Cache-Control other than no-store. */
const cachedOperations = new Set(['listEnums']);

/** Whether a 2xx answer's body is a record with an integer `version`: what withEtag sends an ETag for. */
function carriesRecord(response: Json, schemas: Record<string, unknown>): boolean {
  const content = (response.content as Record<string, Json> | undefined)?.['application/json'];
  let schema = content?.schema as Json | undefined;
  const ref = schema?.$ref;
  if (typeof ref === 'string') schema = schemas[ref.replace('#/components/schemas/', '')] as Json | undefined;
  const version = (schema?.properties as Record<string, Json> | undefined)?.version;
  return Array.isArray(schema?.required) && schema.required.includes('version') && version?.type === 'integer';
}

/** Files sent as attachments: CSV and spreadsheets (the exports), Markdown, Word and PDF (the briefing). */
const isDownload = (response: Json) =>
  Object.keys((response.content ?? {}) as Json).some(
    (type) => type === 'text/csv' || type === 'text/markdown' || type === 'application/pdf' || type.includes('spreadsheetml') || type.includes('wordprocessingml'),
  );

const hasParameter = (operation: Json, name: string) =>
  ((operation.parameters ?? []) as Json[]).some((p) => typeof p.name === 'string' && p.name.toLowerCase() === name);

/**
 * Declares on one operation every header it sends and reads that its route schema does not: see
 * contractHeaders and contractParameters. Also makes If-Match required where its absence is a 428,
 * adds the 304 of a conditional GET and the 503 every database-backed operation can answer, and gives
 * each 400 and 404 an example of the operation's own (its parameters, its resource).
 */
export function declareContractHeaders(path: string, method: string, operation: Json, schemas: Record<string, unknown>): void {
  const responses = (operation.responses ??= {}) as Record<string, Json>;
  const parameters = (operation.parameters ??= []) as Json[];
  const idempotent = hasParameter(operation, 'idempotency-key');
  let sendsEtag = false;

  // A 503 with Retry-After: every operation that reads the database can meet it unavailable.
  if (path !== '/health/live' && responses['503'] === undefined) {
    responses['503'] = {
      description: 'Service unavailable / 服务不可用',
      headers: { 'Access-Control-Allow-Origin': headerRef('Access-Control-Allow-Origin') },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' }, example: problemExample(503, path) } },
    };
  }

  for (const [status, response] of Object.entries(responses)) {
    if (response.$ref !== undefined) continue;
    const headers = (response.headers ??= {}) as Json;
    headers['X-Request-Id'] ??= headerRef('X-Request-Id');
    if (/^2/.test(status)) {
      if (carriesRecord(response, schemas)) {
        headers.ETag ??= headerRef('ETag');
        sendsEtag = true;
      }
      // An import creates many records at once and answers with its report, not one record's path.
      if (status === '201' && !path.startsWith('/v1/imports/')) headers.Location ??= headerRef('Location');
      if (isDownload(response)) headers['Content-Disposition'] ??= headerRef('Content-Disposition');
    }
    // An answer stored under an Idempotency-Key is replayed, 2xx or 4xx, except the refusals that come before the key is read.
    if (idempotent && /^[24]/.test(status) && !['401', '403', '429'].includes(status)) headers['Idempotency-Replayed'] ??= headerRef('Idempotency-Replayed');
    if (status === '503') headers['Retry-After'] = headerRef('Retry-After-Unavailable');
    // The idempotency plugin's 409 while the first request with the key is still running.
    if (idempotent && status === '409') headers['Retry-After'] ??= headerRef('Retry-After-InProgress');
    if (status === '200' && cachedOperations.has(operation.operationId as string)) headers['Cache-Control'] ??= headerRef('Cache-Control');
  }

  if (method === 'get' && sendsEtag) {
    if (!hasParameter(operation, 'if-none-match')) parameters.push(parameterRef('IfNoneMatch'));
    const limited = responses['200']?.headers as Json | undefined;
    responses['304'] ??= {
      description: 'Not modified: the record still has the ETag sent in If-None-Match; no body / 未修改：记录仍为 If-None-Match 中的版本，无响应体',
      headers: {
        ETag: headerRef('ETag'),
        'X-Request-Id': headerRef('X-Request-Id'),
        ...Object.fromEntries(Object.entries(limited ?? {}).filter(([name]) => name.startsWith('RateLimit-') || name === 'Access-Control-Allow-Origin')),
      },
    };
  }

  // If-Match is enforced in code (428 without it): the contract says it is required.
  if (responses['428'] !== undefined) {
    for (const parameter of parameters) if (parameter.in === 'header' && parameter.name === 'if-match') parameter.required = true;
  }

  if (writeMethods.has(method) && path.startsWith('/v1/')) {
    if (!hasParameter(operation, 'x-actor')) parameters.push(parameterRef('XActor'));
    if (!hasParameter(operation, 'x-actor*')) parameters.push(parameterRef('XActorExtended'));
  }
  if (parameters.length === 0) delete operation.parameters;

  for (const status of ['400', '404']) {
    const problem = (responses[status]?.content as Record<string, Json> | undefined)?.['application/problem+json'];
    if ((problem?.schema as Json | undefined)?.$ref !== '#/components/schemas/Problem') continue;
    problem!.example = problemExample(Number(status), path, { method, operation, schemas });
  }
  operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Swagger UI's Try it out fills each parameter with its example (the parameter's, else its schema's)
 * before its default, so an optional filter with an example narrows the answer and an example beside
 * a default replaces it (a summary asked with largeThreshold 48000 instead of 100000). Here an optional
 * parameter's example is its default, or there is none: Try it out with the pre-filled values asks
 * what the request without them asks. A parameter whose schema is a component with an example gets
 * a copy of that component without it.
 */
export function alignParameterExamples(operation: Json, schemas: Record<string, unknown>): void {
  for (const parameter of (operation.parameters ?? []) as Json[]) {
    if (parameter.required === true || parameter.in === 'path') continue;
    let schema = parameter.schema as Json | undefined;
    if (!schema) continue;
    const ref = typeof schema.$ref === 'string' ? schema.$ref.replace('#/components/schemas/', '') : undefined;
    const target = ref ? (schemas[ref] as Json | undefined) : undefined;
    const defaultValue = schema.default ?? target?.default ?? parameter.default;
    if (target && 'example' in target) {
      const { example: _example, ...rest } = target;
      const { $ref: _ref, ...siblings } = schema;
      schema = parameter.schema = { ...rest, ...siblings };
    }
    delete schema.example;
    delete parameter.examples;
    if (defaultValue === undefined) delete parameter.example;
    else parameter.example = defaultValue;
  }
}
