import { isDeepStrictEqual } from 'node:util';
import type { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { titleFor } from '../lib/problem.js';
import { problemExample } from './openapi-examples.js';
import { alignParameterExamples, contractHeaders, declareContractHeaders } from './openapi-headers.js';

type Json = Record<string, unknown>;

const successText: Record<string, string> = {
  '200': 'Success / 成功',
  '201': 'Created / 已创建',
  '202': 'Accepted / 已受理',
  '204': 'No content / 无内容',
};

function mapRefs(node: unknown, rename: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => mapRefs(n, rename));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node as Json).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? rename(v) : mapRefs(v, rename)]),
    );
  }
  return node;
}

function collectRefs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, into));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === '$ref' && typeof v === 'string') into.add(v.replace('#/components/schemas/', ''));
      else collectRefs(v, into);
    }
  }
}

const problemRef = { $ref: '#/components/schemas/Problem' };
const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The draft IETF RateLimit fields and Retry-After, as src/plugins/rate-limit.ts sends them. */
const rateLimitHeaders: Record<string, Json> = {
  'RateLimit-Limit': {
    description:
      'Requests allowed in the current window for this API key (for the address when there is no key). Absent on a 401 or 403, which are refused before counting / 当前时间窗口允许的请求数',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 1_000_000 },
    example: 1200,
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the current window. Absent on a 401 or 403 / 当前时间窗口剩余请求数',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000 },
    example: 1187,
  },
  'RateLimit-Reset': {
    description: 'Seconds until the current window ends. Absent on a 401 or 403 / 距当前时间窗口结束的秒数',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600 },
    example: 42,
  },
  'Access-Control-Allow-Origin': {
    description: 'Sent when the request\'s Origin is one of the configured CORS_ORIGINS; none are allowed by default / 请求来源在 CORS_ORIGINS 中时返回',
    schema: { type: 'string', maxLength: 2048, format: 'uri' },
    example: 'https://kpo.example.gov.cn',
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again / 重试前需等待的秒数',
    required: true,
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600 },
    example: 42,
  },
  'WWW-Authenticate': {
    description: 'The Bearer challenge (RFC 6750); error="invalid_token" when a key was sent but refused / Bearer 认证质询',
    required: true,
    schema: { type: 'string', maxLength: 100, pattern: '^Bearer realm="kpo"(, error="invalid_token")?$' },
    example: 'Bearer realm="kpo"',
  },
};

/** What a figures answer says of the snapshot it was computed for (src/modules/metrics/figures/figures.routes.ts). */
const figuresAnswerHeaders: Record<string, Json> = {
  'Kpo-Known-At': {
    description:
      'The instant of the snapshot the answer was computed for: asked again with knownAt = this, the same figures. The knownAt asked, when one was / 本次结果所依据的数据时点：以此为 knownAt 再次查询得到相同结果',
    required: true,
    schema: { type: 'string', format: 'date-time', maxLength: 64 },
    example: '2026-12-02T08:15:30.123456Z',
  },
  'Kpo-Figures-Version': {
    description: 'The version of the figures’ inputs the answer was computed at (it grows with every committed write they read) / 计算时指标输入数据的版本号',
    required: true,
    schema: { type: 'string', pattern: '^[0-9]{1,20}$', maxLength: 20 },
    example: '48213',
  },
  Age: {
    description:
      'Seconds since the answer was computed (RFC 9111). An answer at the current figures’ version (Kpo-Figures-Version) is current whatever its age; one served under maxAge, at an older version, is at most maxAge old / 结果计算至今的秒数；版本为当前版本的结果不论时长均为最新，按 maxAge 返回的旧版本结果不超过 maxAge 秒',
    required: true,
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 },
    example: 0,
  },
};
const figuresOperations = new Set(['getMetricsSummary', 'getMetricsBreakdown']);

// Health probes are not rate limited (src/plugins/rate-limit.ts): an orchestrator's probe is never throttled.
const isRateLimited = (path: string) => !path.startsWith('/health/');

/**
 * Whether an operation needs an API key. Once the auth plugin marks operations, `security: []` means
 * public and anything else secured; before that, everything under /v1 and /metrics is.
 */
function securedBy(paths: Json): (path: string, operation: Json) => boolean {
  const marked = Object.values(paths).some((ops) => Object.values(ops as Json).some((o) => (o as Json).security !== undefined));
  return (path, operation) => {
    if (!marked) return path.startsWith('/v1/') || path.startsWith('/metrics');
    const security = operation.security;
    return !(Array.isArray(security) && security.length === 0);
  };
}

function problemResponse(status: number, path: string, headers: Json = {}): Json {
  return {
    description: titleFor(status),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: { 'application/problem+json': { schema: problemRef, example: problemExample(status, path) } },
  };
}

/**
 * The refusals Node's HTTP parser makes before Fastify routes a request (src/plugins/client-errors.ts),
 * as shared components: a request that did not arrive whole in time (408) and a request line and
 * headers over 16 KB (431; a long URL too). Each carries X-Request-Id and the baseline security headers.
 */
const parserRefusalRefs: Record<string, string> = { '408': 'RequestTimeout', '431': 'RequestHeadersTooLarge' };
const parserRefusals: Record<string, Json> = Object.fromEntries(
  Object.entries(parserRefusalRefs).map(([status, name]) => [
    name,
    {
      description: status === '408' ? 'Request timeout / 请求超时' : 'Request headers too large / 请求头过大',
      headers: { 'X-Request-Id': headerRef('X-Request-Id') },
      content: { 'application/problem+json': { schema: problemRef, example: problemExample(Number(status), '/v1/projects') } },
    },
  ]),
);

/**
 * The responses every operation shares by its nature rather than by its handler: 401 and 403 where a key
 * is needed, 429 where requests are counted, 413 where a body is taken, 500 everywhere; the RateLimit
 * fields on each 2xx, 4xx and 5xx answer of a counted operation; and the CORS origin field, which @fastify/cors may add to any answer.
 */
function addSharedResponses(path: string, operation: Json, secured: boolean): void {
  const responses = (operation.responses ??= {}) as Record<string, Json>;
  const limited = isRateLimited(path);
  if (secured) {
    responses['401'] ??= problemResponse(401, path, { 'WWW-Authenticate': headerRef('WWW-Authenticate') });
    responses['403'] ??= problemResponse(403, path);
  }
  if (limited) responses['429'] ??= problemResponse(429, path, { 'Retry-After': headerRef('Retry-After') });
  // The body limit (BODY_LIMIT_BYTES) applies to every operation that takes a body, before its handler.
  if (operation.requestBody !== undefined) responses['413'] ??= problemResponse(413, path);
  // What Node's parser refuses before any route (src/plugins/client-errors.ts), whatever the operation.
  for (const [status, name] of Object.entries(parserRefusalRefs)) responses[status] ??= { $ref: `#/components/responses/${name}` };
  responses['500'] ??= problemResponse(500, path);
  for (const [status, response] of Object.entries(responses)) {
    if (response.$ref !== undefined) continue;
    const headers = (response.headers ??= {}) as Json;
    headers['Access-Control-Allow-Origin'] ??= headerRef('Access-Control-Allow-Origin');
    // Counted in onRequest, before anything can fail: a 5xx carries them as a 2xx does.
    if (!limited || !/^[245]/.test(status)) continue;
    for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) headers[name] ??= headerRef(name);
  }
  operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

const INT32 = 2 ** 31;

/**
 * zod writes an integer's range (minimum/maximum) but no `format`; the range says which one it is:
 * int32 when it fits in 32 bits, int64 otherwise (zod's unbounded `.int()` is a safe integer, ±2^53).
 */
function addIntegerFormats(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(addIntegerFormats);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer') && schema.format === undefined) {
    const low = (schema.minimum ?? schema.exclusiveMinimum) as number | undefined;
    const high = (schema.maximum ?? schema.exclusiveMaximum) as number | undefined;
    schema.format = low !== undefined && high !== undefined && low >= -INT32 && high < INT32 ? 'int32' : 'int64';
  }
  for (const [key, value] of Object.entries(schema)) if (key !== 'example' && key !== 'examples') addIntegerFormats(value);
}

const parameterParts = ['params', 'querystring', 'headers'];

/**
 * @fastify/swagger drops every keyword beside a `$ref` (an OpenAPI 3.0 rule), so the description of a
 * parameter whose schema is a component (an id, a date, a code list) would be lost. Wrapping the
 * `$ref` in `allOf` carries the description through; `tidyOpenapi` unwraps it again.
 */
export function keepParameterTexts(transform: typeof jsonSchemaTransform): typeof jsonSchemaTransform {
  return (input) => {
    const result = transform(input);
    const schema = result.schema as Json | undefined;
    for (const part of parameterParts) {
      const properties = (schema?.[part] as Json | undefined)?.properties as Record<string, Json> | undefined;
      for (const [name, property] of Object.entries(properties ?? {})) {
        if (typeof property.$ref !== 'string' || Object.keys(property).length === 1) continue;
        const { $ref, ...siblings } = property;
        properties![name] = { ...siblings, allOf: [{ $ref }] };
      }
    }
    return result;
  };
}

function unwrapParameterRefs(operation: Json): void {
  for (const parameter of (operation.parameters ?? []) as Json[]) {
    const schema = parameter.schema as Json | undefined;
    const members = schema?.allOf as Json[] | undefined;
    if (members?.length !== 1 || typeof members[0]!.$ref !== 'string' || Object.keys(members[0]!).length !== 1) continue;
    const { allOf: _wrapper, ...siblings } = schema!;
    parameter.schema = { $ref: members[0]!.$ref, ...siblings };
  }
}

/**
 * The zod provider emits an input and an output variant of every registered schema. Where both
 * are the same, one name serves; components no operation reaches are dropped; default response
 * descriptions become bilingual; parameter schemas wrapped by `keepParameterTexts` are unwrapped;
 * problem+json responses get an example for their status.
 */
export function tidyOpenapi(document: Json): Json {
  const components = (document.components ?? {}) as Json;
  const schemas = { ...((components.schemas ?? {}) as Record<string, unknown>) };
  const merged = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const base = name.endsWith('Input') ? name.slice(0, -'Input'.length) : undefined;
    if (base && base in schemas && isDeepStrictEqual(schemas[name], schemas[base])) merged.set(name, base);
  }
  const rename = (ref: string) => {
    const name = ref.replace('#/components/schemas/', '');
    const target = merged.get(name);
    return target ? `#/components/schemas/${target}` : ref;
  };
  let paths = mapRefs(document.paths ?? {}, rename) as Json;
  for (const name of merged.keys()) delete schemas[name];
  const renamedSchemas = mapRefs(schemas, rename) as Record<string, unknown>;

  const reachable = new Set<string>();
  collectRefs(paths, reachable);
  const queue = [...reachable];
  while (queue.length > 0) {
    const found = new Set<string>();
    collectRefs(renamedSchemas[queue.pop()!], found);
    for (const f of found) if (!reachable.has(f)) (reachable.add(f), queue.push(f));
  }
  const kept = Object.fromEntries(Object.entries(renamedSchemas).filter(([n]) => reachable.has(n)).sort(([a], [b]) => a.localeCompare(b)));

  paths = mapRefs(paths, (r) => r) as Json;
  const isSecured = securedBy(paths);
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations as Json)) {
      unwrapParameterRefs(operation as Json);
      addSharedResponses(path, operation as Json, isSecured(path, operation as Json));
      if (figuresOperations.has((operation as Json).operationId as string)) {
        const ok = ((operation as Json).responses as Record<string, Json>)['200']!;
        ok.headers = { ...(ok.headers as Json), ...Object.fromEntries(Object.keys(figuresAnswerHeaders).map((name) => [name, headerRef(name)])) };
      }
      declareContractHeaders(path, method, operation as Json, kept);
      alignParameterExamples(operation as Json, kept);
      const responses = (operation as Json).responses as Record<string, Json> | undefined;
      for (const [status, response] of Object.entries(responses ?? {})) {
        if (response.description === 'Default Response') response.description = successText[status] ?? `HTTP ${status}`;
        // Every plain Problem response shows the problem its status really carries, not the component's 400;
        // a more specific schema (an import's rows) keeps its own example.
        const problem = (response.content as Record<string, Json> | undefined)?.['application/problem+json'];
        const isPlainProblem = (problem?.schema as Json | undefined)?.$ref === '#/components/schemas/Problem';
        if (problem && isPlainProblem && problem.example === undefined && problem.examples === undefined) {
          problem.example = problemExample(Number(status), path);
        }
      }
    }
  }
  addIntegerFormats(paths);
  addIntegerFormats(kept);
  return {
    ...document,
    paths,
    components: {
      ...components,
      schemas: kept,
      responses: { ...((components.responses ?? {}) as Json), ...parserRefusals },
      headers: { ...((components.headers ?? {}) as Json), ...rateLimitHeaders, ...contractHeaders, ...figuresAnswerHeaders },
    },
  };
}
