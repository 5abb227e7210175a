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
