import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { BASELINE_HEADERS, SECURITY_HEADERS } from '../../src/plugins/security-headers.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, unknown>;

/**
 * The response contract: every response a test receives from the app is checked against the OpenAPI
 * document that app serves (`app.swagger()`, what GET /openapi.json sends), by `checkResponses(app)`,
 * which tests/support/app.ts installs on every app the tests build (useTestApp and buildApp there).
 * A violation is recorded and fails the test it happened in (tests/support/response-contract.setup.ts,
 * an afterEach of every test file); it is never only logged.
 *
 * The rules, for a response to METHOD URL:
 *  1. The operation is the document's path template matching URL (a literal segment wins over a
 *     parameter, left to right, as Fastify's router does; the URL as the router saw it, dot segments
 *     resolved) with METHOD; HEAD is checked as the GET it answers for, without a body. A request
 *     no operation matches (an unknown route, or a method the path lacks) must be answered with one
 *     of UNMATCHED_STATUSES as problem+json with a Problem body and X-Request-Id (and may carry the
 *     CORS origin and the RateLimit fields: it was counted; WWW-Authenticate on a 401, Retry-After
 *     on a 429); the routes the document leaves out on purpose are UNDOCUMENTED_ROUTES.
 *  2. The status is declared by the operation (exactly, as an `NXX` range, or `default`).
 *  3. A response declared without content has an empty body. One declared with content has a
 *     Content-Type whose media type is one of those declared, and a JSON one (application/json,
 *     *+json) a body that is JSON and validates against the declared schema (JSON Schema 2020-12,
 *     the dialect of OpenAPI 3.1, formats checked). A binary one (CSV, XLSX, PDF) is not empty.
 *  4. Every header the response declares `required: true` is present, and every declared header
 *     that is present has a value its schema accepts (integer and number schemas read the value as
 *     a number).
 *  5. Every header present that the response does not declare is one of:
 *     - the message's own framing, which describes the bytes and not the API: Content-Type (rule 3),
 *       Content-Length, Content-Encoding, Transfer-Encoding, Date, Connection, Keep-Alive, Vary;
 *     - a security header helmet sets identically on every response (SECURITY_HEADERS of
 *       src/plugins/security-headers.ts), with exactly the value it has there (or in BASELINE_HEADERS,
 *       which a problem answered before routing carries);
 *     - Cache-Control: no-store, the default of every /v1 answer (it only forbids storing);
 *       any other Cache-Control value is a promise to clients and must be declared;
 *     - the CORS protocol's own fields (Access-Control-Allow-Credentials, -Expose-Headers), sent
 *       only to an allowed Origin; Access-Control-Allow-Origin itself is declared on every response.
 *     Anything else (X-Request-Id, ETag, Location, RateLimit-*, Retry-After, Idempotency-Replayed,
 *     Content-Disposition, the figures' Kpo-* fields, Age, WWW-Authenticate…) must be declared.
 */
/**
 * What a request no operation matches can be answered: 404 (no route), or what the hooks that run
 * before routing refuse with: 400 (a malformed X-Actor or URL), 401 and 403 (the key), 429 (the rate
 * limit), each a Problem.
 */
export const UNMATCHED_STATUSES = ['400', '401', '403', '404', '429'];
export const FRAMING_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding', 'date', 'connection', 'keep-alive', 'vary'];
export const CORS_PROTOCOL_HEADERS = ['access-control-allow-credentials', 'access-control-expose-headers'];

/**
 * Routes the service serves outside its API document, each for a reason: the document itself, Swagger
 * UI's page and assets (and its copy of the document), and the Prometheus exposition (text format,
 * scraped by Prometheus, not called by clients). CORS preflights (OPTIONS) are the CORS protocol's,
 * answered by @fastify/cors before any route. Their responses are not checked against the document.
 */
export const UNDOCUMENTED_ROUTES: { pattern: RegExp; reason: string }[] = [
  { pattern: /^(GET|HEAD) \/openapi\.json$/, reason: 'the API document itself' },
  { pattern: /^(GET|HEAD) \/docs(\/.*)?$/, reason: 'Swagger UI: its page, static assets and copy of the document' },
  { pattern: /^(GET|HEAD) \/metrics$/, reason: 'the Prometheus exposition, for the scraper' },
  { pattern: /^OPTIONS /, reason: 'a CORS preflight, answered by @fastify/cors before routing' },
];

export interface ContractResponse {
  method: string;
  /** The URL as requested: path and query. */
  url: string;
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body as sent (compressed when Content-Encoding says so). */
  payload: Buffer;
}

export interface ResponseContract {
  /** The violations of one response, empty when it is what the document declares. */
  check(response: ContractResponse): string[];
  /** The operation a request reaches, as 'GET /v1/projects/{id}', or undefined. */
  operationOf(method: string, url: string): { path: string; method: string; operation: Json } | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMPONENTS = 'urn:kpo:components';

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

function decode(payload: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'br':
      return brotliDecompressSync(payload);
    case 'gzip':
      return gunzipSync(payload);
    case 'deflate':
      return inflateSync(payload);
    default:
      return payload;
  }
}

/** Path templates, most specific first where they compete: literal segments before parameters, left to right. */
function templatesOf(paths: Json): { path: string; segments: string[] }[] {
  return Object.keys(paths).map((path) => ({ path, segments: path.split('/') }));
}

function matchTemplate(templates: { path: string; segments: string[] }[], pathname: string): string | undefined {
  const segments = pathname.split('/');
  let best: { path: string; segments: string[] } | undefined;
  for (const template of templates) {
    if (template.segments.length !== segments.length) continue;
    // Segments as sent: a parameter takes any non-empty one (an encoded slash too, as the router does).
    const fits = template.segments.every((t, i) => (t.startsWith('{') && t.endsWith('}') ? segments[i] !== '' : t === segments[i] || t === decoded(segments[i]!)));
    if (!fits) continue;
    if (!best) {
      best = template;
      continue;
    }
    for (let i = 0; i < segments.length; i++) {
      const mine = template.segments[i]!.startsWith('{');
      const theirs = best.segments[i]!.startsWith('{');
      if (mine === theirs) continue;
      if (!mine) best = template;
      break;
    }
  }
  return best?.path;
}

function pathnameOf(url: string): string {
  return url.split('?')[0]!.split('#')[0]!;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function headerValue(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export function createResponseContract(document: Json): ResponseContract {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const components = (document.components ?? {}) as Json;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', `${COMPONENTS}#/$defs/`) : rewrite(v)]),
    );
  };
  ajv.addSchema({ $id: COMPONENTS, $defs: rewrite(components.schemas ?? {}) });
  const validators = new Map<string, ValidateFunction>();
  const validatorFor = (key: string, schema: unknown) => {
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(rewrite(schema) as Json);
      validators.set(key, validate);
    }
    return validate;
  };
  const paths = (document.paths ?? {}) as Record<string, Json>;
  const templates = templatesOf(paths);
  const problemSchema = { $ref: '#/components/schemas/Problem' };
  const headerComponents = (components.headers ?? {}) as Record<string, Json>;
  const resolveHeader = (header: Json): Json => {
    const ref = header.$ref;
    if (typeof ref === 'string') {
      const target = headerComponents[ref.replace('#/components/headers/', '')];
      if (!target) throw new Error(`the document refers to a header it does not define: ${ref}`);
      return target;
    }
    return header;
  };

  function operationOf(method: string, url: string) {
    const path = matchTemplate(templates, pathnameOf(url));
    if (!path) return undefined;
    const lower = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    const operation = paths[path]?.[lower] as Json | undefined;
    return operation && METHODS.includes(lower) ? { path, method: lower, operation } : undefined;
  }

  function checkBody(key: string, content: Record<string, Json> | undefined, response: ContractResponse, head: boolean): string[] {
    const body = decode(response.payload, headerValue(response.headers['content-encoding']));
    if (!content || Object.keys(content).length === 0) {
      return body.length === 0 ? [] : [`has a ${body.length}-byte body where the document declares none`];
    }
    if (head) return [];
    const mediaType = (headerValue(response.headers['content-type']) ?? '').split(';')[0]!.trim().toLowerCase();
    const media = content[mediaType];
    if (!media) return [`is '${mediaType || 'without Content-Type'}', not one of the declared ${Object.keys(content).join(', ')}`];
    if (!isJson(mediaType)) return body.length > 0 ? [] : [`is ${mediaType} with an empty body`];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return [`is ${mediaType} whose body is not JSON: ${body.toString('utf8').slice(0, 200)}`];
    }
    if (!media.schema) return [];
    const validate = validatorFor(`${key} ${mediaType}`, media.schema);
    if (validate(parsed)) return [];
    return [`has a body the declared schema refuses: ${ajv.errorsText(validate.errors, { separator: '; ' })}; body: ${JSON.stringify(parsed).slice(0, 300)}`];
  }

  function checkHeaders(key: string, declared: Json | undefined, response: ContractResponse, path: string | undefined): string[] {
    const problems: string[] = [];
    const declaredByName = new Map<string, { name: string; header: Json }>();
    for (const [name, header] of Object.entries(declared ?? {})) declaredByName.set(name.toLowerCase(), { name, header: resolveHeader(header as Json) });
    for (const [lower, { name, header }] of declaredByName) {
      const value = headerValue(response.headers[lower]);
      if (value === undefined) {
        if (header.required === true) problems.push(`lacks the required header ${name}`);
        continue;
      }
      const schema = header.schema as Json | undefined;
      if (!schema) continue;
      const validate = validatorFor(`${key} header ${lower}`, schema);
      const type = schema.type;
      const asValue = type === 'integer' || type === 'number' ? (/^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value) : value;
      if (!validate(asValue)) problems.push(`has ${name}: ${value.slice(0, 100)}, which its declared schema refuses (${ajv.errorsText(validate.errors)})`);
    }
    for (const [lower, raw] of Object.entries(response.headers)) {
      const name = lower.toLowerCase();
      if (declaredByName.has(name) || raw === undefined) continue;
      if (FRAMING_HEADERS.includes(name) || CORS_PROTOCOL_HEADERS.includes(name)) continue;
      const value = headerValue(raw)!;
      if (SECURITY_HEADERS[name] !== undefined) {
        // A problem answered before routing has the same policy, spelled as BASELINE_HEADERS spells it.
        if (value === SECURITY_HEADERS[name] || value === BASELINE_HEADERS[name]) continue;
        problems.push(`has the security header ${name}: ${value.slice(0, 100)}, not the value every response has (${SECURITY_HEADERS[name]})`);
        continue;
      }
      if (name === 'cache-control' && value === 'no-store') continue;
      problems.push(`has the header ${name}: ${value.slice(0, 100)}, which ${path ? 'the response does not declare' : 'no declared response explains'}`);
    }
    return problems;
  }

  function check(response: ContractResponse): string[] {
    const method = response.method.toUpperCase();
    const head = method === 'HEAD';
    const pathname = pathnameOf(response.url);
    const target = operationOf(method, response.url);
    const status = String(response.statusCode);
    if (!target) {
      if (UNDOCUMENTED_ROUTES.some((r) => r.pattern.test(`${method} ${pathname}`))) return [];
      // A request that reaches no operation: the service's own not-found problem, or one of the
      // refusals every request can meet before routing (auth, X-Actor, the rate limit).
      if (!UNMATCHED_STATUSES.includes(status)) return [`answered ${status} to a request no operation of the document matches (only ${UNMATCHED_STATUSES.join(', ')} are)`];
      const names = ['X-Request-Id', 'Access-Control-Allow-Origin', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];
      if (status === '401') names.push('WWW-Authenticate');
      if (status === '429') names.push('Retry-After');
      const declared = Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
      return [
        ...checkBody(`unmatched ${status}`, { 'application/problem+json': { schema: problemSchema } }, response, head),
        ...checkHeaders(`unmatched ${status}`, declared, response, undefined),
      ];
    }
    const responses = (target.operation.responses ?? {}) as Record<string, Json>;
    const declaredStatus = responses[status] !== undefined ? status : responses[`${status[0]}XX`] !== undefined ? `${status[0]}XX` : responses.default !== undefined ? 'default' : undefined;
    const id = String(target.operation.operationId ?? `${target.method} ${target.path}`);
    if (!declaredStatus) return [`answered ${status}, which ${id} does not declare (it declares ${Object.keys(responses).join(', ')})`];
    let declared = responses[declaredStatus]!;
    if (typeof declared.$ref === 'string') {
      const shared = ((components.responses ?? {}) as Record<string, Json>)[declared.$ref.replace('#/components/responses/', '')];
      if (!shared) return [`declares ${status} as ${declared.$ref}, which the document does not define`];
      declared = shared;
    }
    const key = `${target.method} ${target.path} ${declaredStatus}`;
    return [
      ...checkBody(key, declared.content as Record<string, Json> | undefined, response, head),
      ...checkHeaders(key, declared.headers as Json | undefined, response, target.path),
    ];
  }

  return { check, operationOf };
}

// ---- The hook: every app the tests build checks every response it gives. ----

const contracts = new Map<string, ResponseContract>();
const recorded: string[] = [];
const allowed: { route: string; reason: string }[] = [];

function contractFor(document: Json): ResponseContract {
  const text = JSON.stringify(document);
  let contract = contracts.get(text);
  if (!contract) {
    contract = createResponseContract(document);
    contracts.set(text, contract);
  }
  return contract;
}

/**
 * Opts one route out of the check, for the rest of this test file: 'GET /boom' for a route a test
 * adds to the app to make it fail on purpose. The reason is required and is shown when it is used.
 */
export function allowUndeclared(route: string, reason: string): void {
  if (!/^[A-Z]+ \//.test(route)) throw new Error(`allowUndeclared wants 'METHOD /path', not ${route}`);
  if (reason.trim().length < 10) throw new Error('allowUndeclared needs a reason');
  allowed.push({ route, reason });
}

/** The violations recorded since the last call, emptied. */
export function takeViolations(): string[] {
  return recorded.splice(0, recorded.length);
}

export function contractResponseOf(response: LightMyRequestResponse): ContractResponse {
  const request = response.raw.req as unknown as { method: string; url: string };
  return { method: request.method, url: request.url, statusCode: response.statusCode, headers: response.headers, payload: response.rawPayload };
}

/** Checks one response of `app` now and records its violations (they fail the current test). */
export function recordViolations(app: FastifyInstance, response: ContractResponse): string[] {
  const route = `${response.method.toUpperCase()} ${pathnameOf(response.url)}`;
  if (allowed.some((a) => a.route === route)) return [];
  const problems = contractFor(app.swagger() as unknown as Json).check(response);
  const violations = problems.map((problem) => `${response.method.toUpperCase()} ${response.url.slice(0, 200)} → ${response.statusCode} ${problem}`);
  recorded.push(...violations);
  return violations;
}

const CHECKED = Symbol('response contract checked');

/** Whether `app.inject` is the checking one. */
export function isChecked(app: FastifyInstance): boolean {
  return (app as unknown as Record<symbol, boolean>)[CHECKED] === true;
}

/**
 * Wraps `app.inject` so that every response it returns is checked against the document the app
 * serves. Only the promise form (`inject(options)`) is offered: the chained and callback forms would
 * return unchecked responses, so they throw.
 */
export function checkResponses<T extends FastifyInstance>(app: T): T {
  const marked = app as unknown as Record<symbol, boolean>;
  if (marked[CHECKED]) return app;
  marked[CHECKED] = true;
  const inject = app.inject.bind(app) as (options: InjectOptions | string) => Promise<LightMyRequestResponse>;
  app.inject = ((options: InjectOptions | string, callback?: unknown) => {
    if (options === undefined || callback !== undefined) throw new Error('tests use app.inject(options) (a promise): its response is checked against the document');
    return inject(options).then((response) => {
      recordViolations(app, contractResponseOf(response));
      return response;
    });
  }) as T['inject'];
  return app;
}
