import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateOpenapi } from '../../src/cli/openapi.js';
import { JSON_LIMITS } from '../../src/lib/json-text.js';
import { useTestApp } from '../support/app.js';
import type { IdPool, OpenApiDocument } from './arbitraries.js';
import { createFixtures } from './fixtures.js';
import { createResponseChecker, operationsOf } from './contract.js';
import { resourceOfPath } from './requests.js';

/**
 * Every operation that takes a JSON body, sent each hostile body below, once with no optional header
 * and once with every optional header the operation documents (and X-Actor, X-Request-Id, If-Match):
 * the random fuzzing (tests/fuzz/contract.test.ts) meets these bodies now and then; this sweep meets
 * every one on every operation. Each is a 400 with its own code, declared by the operation.
 */
const document = JSON.parse(await generateOpenapi()) as OpenApiDocument;
const targets = operationsOf(document).filter((t) => t.operation.requestBody?.content['application/json']);
const ctx = useTestApp();
const check = createResponseChecker(document);
let ids: IdPool;

beforeEach(async () => {
  ids = await createFixtures(ctx.app);
});

const nest = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const bodies: { name: string; payload: string; code: string }[] = [
  { name: '4 000 arrays deep', payload: `{"a":${nest(4000)}}`, code: 'json_too_deep' },
  { name: '50 000 arrays deep at the top', payload: nest(50_000), code: 'json_too_deep' },
  { name: '4 000 objects deep', payload: `${'{"a":'.repeat(4000)}0${'}'.repeat(4000)}`, code: 'json_too_deep' },
  { name: `one level past the limit (${JSON_LIMITS.depth + 1})`, payload: `{"a":${nest(JSON_LIMITS.depth)}}`, code: 'json_too_deep' },
  { name: `${JSON_LIMITS.keys + 1} members`, payload: `{${Array.from({ length: JSON_LIMITS.keys + 1 }, (_, i) => `"k${i}":0`).join(',')}}`, code: 'json_too_wide' },
  { name: `${JSON_LIMITS.elements + 1} elements`, payload: `{"a":[${'0,'.repeat(JSON_LIMITS.elements)}0]}`, code: 'json_too_wide' },
  { name: 'a duplicate member', payload: '{"name":"a","name":"b"}', code: 'duplicate_key' },
  { name: 'a lone surrogate', payload: '{"name":"x\\ud800y"}', code: 'lone_surrogate' },
];

function optionalHeaders(target: (typeof targets)[number], etag: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'x-actor': '张三', 'x-request-id': `hostile-${randomUUID()}` };
  for (const p of target.operation.parameters ?? []) {
    if (p.in !== 'header') continue;
    const name = p.name.toLowerCase();
    if (name === 'idempotency-key') headers[name] = randomUUID();
    if (name === 'if-match') headers[name] = etag ?? '"v1"';
  }
  return headers;
}

function urlOf(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const resource = resourceOfPath(path, name);
    return (resource && ids[resource]?.[0]) || randomUUID();
  });
}

describe('Deep, wide and duplicate-member bodies, with and without the optional headers', () => {
  it('covers every operation with a JSON body', () => {
    expect(targets.length).toBeGreaterThan(30);
  });

  it('answers each with a declared 400 naming what was wrong, never a 5xx', { timeout: 300_000 }, async () => {
    const failures: string[] = [];
    for (const target of targets) {
      const url = urlOf(target.path);
      const read = document.paths[target.path]?.get ? await ctx.app.inject({ method: 'GET', url }) : undefined;
      const etag = typeof read?.headers.etag === 'string' ? read.headers.etag : undefined;
      for (const body of bodies) {
        for (const headers of [{}, optionalHeaders(target, etag)]) {
          const response = await ctx.app.inject({
            method: target.method.toUpperCase() as 'POST',
            url,
            headers: { ...headers, 'content-type': 'application/json' },
            payload: body.payload,
          });
          const where = `${target.operation.operationId} ${body.name} (${Object.keys(headers).join(', ') || 'no optional headers'})`;
          const problem = check(target, response);
          if (problem) failures.push(`${where}: ${problem}`);
          else if (response.statusCode !== 400 || JSON.parse(response.body).code !== body.code) {
            failures.push(`${where}: answered ${response.statusCode} ${response.body.slice(0, 200)}, not 400 ${body.code}`);
          }
        }
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
