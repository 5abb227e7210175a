import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import type { FastifyInstance } from 'fastify';
import { allowUndeclared, checkResponses, createResponseContract, isChecked, takeViolations, type ContractResponse } from '../support/response-contract.js';
import { SECURITY_HEADERS } from '../../src/plugins/security-headers.js';

// The checker every test app applies (tests/support/response-contract.ts), shown to fail on each kind
// of response outside the document, and shown to be installed: this file's own app records them.
const ctx = useTestApp();
const root = join(import.meta.dirname, '..', '..');

async function served() {
  const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
  return json(response) as Record<string, unknown>;
}

/** A real 200 of GET /v1/departments/{id}, to alter one thing at a time. */
async function goodResponse(): Promise<ContractResponse> {
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'RC', name: '契约检查局' } });
  const id = json(created).id as string;
  const response = await ctx.app.inject({ method: 'GET', url: `/v1/departments/${id}` });
  expect(takeViolations()).toEqual([]);
  return { method: 'GET', url: `/v1/departments/${id}`, statusCode: response.statusCode, headers: { ...response.headers }, payload: response.rawPayload };
}

describe('the response contract (tests/support/response-contract.ts)', () => {
  it('passes what the service answers, and fails an undeclared status, content type, body or header', async () => {
    const contract = createResponseContract(await served());
    const good = await goodResponse();
    expect(contract.check(good)).toEqual([]);

    expect(contract.check({ ...good, statusCode: 418 }).join()).toMatch(/answered 418, which getDepartment does not declare/);
    expect(contract.check({ ...good, headers: { ...good.headers, 'content-type': 'text/plain' } }).join()).toMatch(/'text\/plain', not one of the declared application\/json/);
    const body = JSON.parse(good.payload.toString('utf8'));
    expect(contract.check({ ...good, payload: Buffer.from(JSON.stringify({ ...body, version: 'one' })) }).join()).toMatch(/body the declared schema refuses.*version/);
    expect(contract.check({ ...good, payload: Buffer.from('{not json') }).join()).toMatch(/not JSON/);
    const { etag: _etag, ...withoutEtag } = good.headers;
    expect(contract.check({ ...good, headers: withoutEtag }).join()).toMatch(/lacks the required header ETag/);
    expect(contract.check({ ...good, headers: { ...good.headers, etag: 'W/"3"' } }).join()).toMatch(/has ETag: W\/"3", which its declared schema refuses/);
    expect(contract.check({ ...good, headers: { ...good.headers, 'ratelimit-remaining': 'many' } }).join()).toMatch(/RateLimit-Remaining: many/);
    expect(contract.check({ ...good, headers: { ...good.headers, 'x-powered-by': 'kpo' } }).join()).toMatch(/header x-powered-by: kpo, which the response does not declare/);
    expect(contract.check({ ...good, headers: { ...good.headers, 'cache-control': 'public, max-age=60' } }).join()).toMatch(/cache-control/);
    expect(contract.check({ ...good, headers: { ...good.headers, 'x-frame-options': 'SAMEORIGIN' } }).join()).toMatch(/security header x-frame-options/);
    // A 304 has no body; a 404 of an unknown route is a Problem.
    expect(contract.check({ ...good, statusCode: 304, payload: Buffer.from('{}') }).join()).toMatch(/2-byte body where the document declares none/);
    expect(contract.check({ method: 'GET', url: '/v1/nothing-here', statusCode: 200, headers: good.headers, payload: good.payload }).join()).toMatch(/no operation of the document matches/);
    expect(contract.check({ method: 'GET', url: '/v1/nothing-here', statusCode: 404, headers: { ...good.headers, 'content-type': 'application/problem+json' }, payload: Buffer.from('{"status":404}') }).join()).toMatch(/declared schema refuses/);
  });

  it('accepts the headers that are not the API’s: framing, helmet’s static ones, no-store, the CORS protocol’s', async () => {
    const contract = createResponseContract(await served());
    const good = await goodResponse();
    expect(Object.keys(SECURITY_HEADERS).length).toBeGreaterThan(5);
    expect(contract.check({ ...good, headers: { ...good.headers, ...SECURITY_HEADERS, 'cache-control': 'no-store', vary: 'Origin', 'access-control-expose-headers': 'ETag' } })).toEqual([]);
  });

  it('is installed on the test app: a response outside the document is recorded, for the afterEach to fail the test', async () => {
    expect(isChecked(ctx.app)).toBe(true);
    // A compressed answer is decoded, then checked (it passes); so does the app's own 404 of an unknown route.
    const compressed = await ctx.app.inject({ method: 'GET', url: '/v1/enums', headers: { 'accept-encoding': 'br' } });
    expect(compressed.headers['content-encoding']).toBe('br');
    await ctx.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(takeViolations()).toEqual([]);
    // The same wrapper on an app whose inject answers what the document does not declare.
    const document = await served();
    const good = await goodResponse();
    const fake = {
      swagger: () => document,
      inject: async () => ({ statusCode: 418, headers: good.headers, rawPayload: good.payload, raw: { req: { method: 'GET', url: good.url } } }),
    } as unknown as FastifyInstance;
    checkResponses(fake);
    await fake.inject({ method: 'GET', url: good.url });
    const recorded = takeViolations();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatch(/^GET \/v1\/departments\/.* → 418 answered 418, which getDepartment does not declare/);
    // allowUndeclared opts one route out, by name and with a reason.
    allowUndeclared(`GET ${good.url}`, 'this test answers 418 on purpose');
    await fake.inject({ method: 'GET', url: good.url });
    expect(takeViolations()).toEqual([]);
    expect(() => allowUndeclared('GET /x', '')).toThrow(/reason/);
  });

  it('sees every app the tests build: no test file imports src/app.js, all go through tests/support/app.ts', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts')) files.push(path);
      }
    };
    walk(join(root, 'tests'));
    const direct = files.filter((file) => /from '(\.\.\/)+src\/app\.js'/.test(readFileSync(file, 'utf8'))).map((file) => relative(root, file));
    expect(direct).toEqual(['tests/support/app.ts']);
    expect(readFileSync(join(root, 'vitest.config.ts'), 'utf8')).toContain("setupFiles: ['tests/support/response-contract.setup.ts']");
  });
});
