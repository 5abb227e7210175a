import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

// schema.ts is generated from openapi/openapi.json by `npm run openapi` (openapi-typescript); never edit it.
export type { components, operations, paths };

/** Every named schema of the API, e.g. `Schemas['Project']`, `Schemas['Problem']`. */
export type Schemas = components['schemas'];

/** The RFC 9457 body of every 4xx/5xx: branch on `code`; `errors[]` lists failing fields on a 400. */
export type Problem = Schemas['Problem'];

export type KpoClient = Client<paths>;

export interface KpoClientOptions {
  /** Where the service runs, e.g. `https://kpo.example.gov.cn`; paths start at `/v1/…`. */
  baseUrl: string;
  /** Sent with every request (authentication will go here once the API has it). */
  headers?: Record<string, string>;
  /** A fetch of your own (tests, retries, logging); the global fetch by default. */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * A client typed by the OpenAPI document: paths, parameters, bodies and responses (success in
 * `data`, problem+json in `error`) are checked by the compiler.
 */
export function createKpoClient({ baseUrl, headers, fetch }: KpoClientOptions): KpoClient {
  return createClient<paths>({ baseUrl, ...(headers ? { headers } : {}), ...(fetch ? { fetch } : {}) });
}

/**
 * The response headers the document declares for an operation and status, e.g.
 * `ResponseHeaders<'getProject', 200>['ETag']` or `ResponseHeaders<'createProject', 201>['Location']`.
 */
export type ResponseHeaders<Op extends keyof operations, Status extends keyof operations[Op]['responses']> =
  operations[Op]['responses'][Status] extends { headers: infer H } ? H : never;

/** An operation whose success answer declares a header named `Name` (ETag, Location …). */
type Declaring<Name extends string> = {
  [Op in keyof operations]: { [S in keyof operations[Op]['responses']]: S extends 200 | 201 ? (ResponseHeaders<Op, S> extends { [K in Name]: string } ? Op : never) : never }[keyof operations[Op]['responses']];
}[keyof operations];

/** Operations whose success answer carries a record's ETag (every read, create and change of a record). */
export type EtagOperation = Declaring<'ETag'>;

/**
 * A declared response header of an answer, read from `response.headers`: typed by the document and
 * checked at run time, so no `!` is needed. `header(read, 'etag')` for the If-Match of the next change.
 */
export function header(result: { response: Response }, name: 'etag' | 'location' | 'x-request-id' | 'retry-after' | 'content-disposition'): string {
  const value = result.response.headers.get(name);
  if (value === null) throw new Error(`kpo: the answer (HTTP ${result.response.status}) has no ${name} header`);
  return value;
}
