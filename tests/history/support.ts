import type { FastifyInstance } from 'fastify';
import { json } from '../support/app.js';

/**
 * An instant after every write so far and before every later one, for knownAt. Date.now() is the
 * current millisecond with its fraction cut off, so the instant is the start of the next millisecond
 * (after everything done so far), and the function returns only once the clock has moved past it, so
 * the next write's transaction begins strictly later (PGlite's clock ticks in milliseconds).
 */
export async function instantAfterWrites(): Promise<string> {
  const at = Date.now() + 1;
  while (Date.now() <= at) await new Promise((resolve) => setTimeout(resolve, 1));
  return new Date(at).toISOString();
}

/** An answer with what states the question taken out (its knownAt echo, and knownAt in a URI it carries). */
export function asked(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value) => {
    if (key === 'knownAt') return undefined;
    if (typeof value === 'string' && value.includes('knownAt=')) return value.replace(/[&?]knownAt=[^&]*/, '');
    return value;
  });
}

export async function getJson(app: FastifyInstance, url: string) {
  const response = await app.inject({ method: 'GET', url });
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return json(response);
}

/** A request asked again with knownAt (added to its query string). */
export function withKnownAt(url: string, knownAt: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}knownAt=${encodeURIComponent(knownAt)}`;
}

export async function write(app: FastifyInstance, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, ifMatch?: string) {
  const response = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }), headers: ifMatch ? { 'if-match': ifMatch } : {} });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.body ? json(response) : null;
}
