import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { requestArbitrary } from './requests.js';
import type { GeneratedRequest, IdPool, OpenApiDocument, Operation } from './arbitraries.js';
import { contractResponseOf, createResponseContract } from '../support/response-contract.js';

export interface DocumentOperation {
  path: string;
  method: string;
  operation: Operation;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(document: OpenApiDocument): DocumentOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, operation: item[method]! })),
  );
}

/**
 * Operations grouped by their first tag, deletes last: a group shares one set of fixtures, and a
 * delete or archive run first would leave the others mostly 404s.
 */
export function operationGroups(operations: DocumentOperation[]): Map<string, DocumentOperation[]> {
  const groups = new Map<string, DocumentOperation[]>();
  for (const target of operations) {
    const tag = target.operation.tags?.[0] ?? 'untagged';
    groups.set(tag, [...(groups.get(tag) ?? []), target]);
  }
  for (const [tag, targets] of groups) groups.set(tag, [...targets.filter((t) => t.method !== 'delete'), ...targets.filter((t) => t.method === 'delete')]);
  return groups;
}

/**
 * Responses whose body is not JSON: their schema is `format: binary`, so the check is that the
 * content type is one the operation declares and the body is not empty. Every other response body
 * is validated against its JSON Schema.
 */
export const NON_JSON_RESPONSES = 'text/csv and XLSX exports (GET /v1/exports/*): content type and a non-empty body are checked, not a schema';

/**
 * Validates responses against the document: no 5xx, and the rules of tests/support/response-contract.ts
 * (status, content type, body and headers declared), which every test app also applies to every response.
 */
export function createResponseChecker(document: OpenApiDocument) {
  const contract = createResponseContract(document as unknown as Record<string, unknown>);
  return function check(_target: DocumentOperation, response: LightMyRequestResponse): string | undefined {
    const status = response.statusCode;
    if (status >= 500) return `answered ${status}`;
    const problems = contract.check(contractResponseOf(response));
    return problems.length === 0 ? undefined : `answered ${status}, which ${problems.join('; ')}`;
  };
}

/** The GET of the record a write acts on, to read its current ETag ('/v1/projects/{id}/transitions' → '/v1/projects/{id}'). */
function recordUrl(document: OpenApiDocument, target: DocumentOperation, url: string): string | undefined {
  const templateSegments = target.path.split('/');
  const urlSegments = url.split('?')[0]!.split('/');
  for (let n = templateSegments.length; n > 1; n--) {
    const template = templateSegments.slice(0, n).join('/');
    if (template.endsWith('}') && document.paths[template]?.get) return urlSegments.slice(0, n).join('/');
  }
  return undefined;
}

export async function send(app: FastifyInstance, document: OpenApiDocument, target: DocumentOperation, request: GeneratedRequest) {
  const headers: Record<string, string> = { ...request.headers };
  // The fuzzer varies what the document declares, never the credentials: every request goes with the
  // test's admin key (ctx.app.inject adds it), so each answer is about the input, not about authentication.
  delete headers.authorization;
  if (typeof request.ifMatch === 'string') headers['if-match'] = request.ifMatch;
  else if (request.ifMatch) {
    const url = recordUrl(document, target, request.url);
    const current = url ? await app.inject({ method: 'GET', url }) : undefined;
    const etag = current?.headers.etag;
    if (typeof etag === 'string') headers['if-match'] = etag;
  }
  if (request.body) headers['content-type'] = request.body.contentType;
  return app.inject({ method: request.method as 'GET', url: request.url, headers, ...(request.body ? { payload: request.body.payload } : {}) });
}

function describeRequest(request: GeneratedRequest): string {
  const payload = request.body?.payload ?? '';
  const shown = payload.length > 400 ? `${payload.slice(0, 400)}… (${payload.length} chars)` : payload;
  return `${request.method} ${request.url.slice(0, 300)} if-match=${JSON.stringify(request.ifMatch)} ${request.body?.contentType ?? ''} ${shown}`;
}

export interface FuzzOptions {
  app: FastifyInstance;
  document: OpenApiDocument;
  ids: IdPool;
  target: DocumentOperation;
  runs: number;
  seed: number;
  check: ReturnType<typeof createResponseChecker>;
}

/** Runs the property for one operation; on failure throws what was wrong, the request, and fast-check's seed and path. */
export async function fuzzOperation({ app, document, ids, target, runs, seed, check }: FuzzOptions): Promise<void> {
  const arbitrary = requestArbitrary({ document, ids }, target.path, target.method, target.operation);
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (request) => {
      const response = await send(app, document, target, request);
      // Every secured operation declares 401, so a fuzzer that lost its key would pass on 401s alone.
      if (response.statusCode === 401) {
        throw new Error(`${target.operation.operationId} answered 401 to a request sent with a valid admin key\n  request: ${describeRequest(request)}\n  response: ${response.body.slice(0, 600)}`);
      }
      const problem = check(target, response);
      if (problem) throw new Error(`${target.operation.operationId} ${problem}\n  request: ${describeRequest(request)}\n  response: ${response.body.slice(0, 600)}`);
      if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`${target.operation.operationId}: Object.prototype was polluted`);
    }),
    { numRuns: runs, seed, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
  );
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${cause}\n  after ${details.numRuns} requests; fast-check seed ${details.seed}, path ${details.counterexamplePath}`);
  }
}

/** A per-operation seed from the run's seed, so each operation explores its own values and reproduces alone. */
export function seedFor(base: number, operationId: string): number {
  let hash = base | 0;
  for (const ch of operationId) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}
