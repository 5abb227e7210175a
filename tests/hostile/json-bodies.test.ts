import { describe, expect, it } from 'vitest';
import { JSON_LIMITS } from '../../src/lib/json-text.js';
import { IMPORT_ROWS_MAX } from '../../src/modules/imports/imports.errors.js';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

function post(url: string, payload: string | Buffer, headers: Record<string, string> = {}) {
  return ctx.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const departments = async () => json(await ctx.app.inject({ method: 'GET', url: '/v1/departments' })).items as unknown[];

describe('JSON bodies are bounded before anything walks them', () => {
  const headerSets: Record<string, string>[] = [{}, { 'idempotency-key': 'deep-1' }, { 'idempotency-key': 'deep-2', 'x-actor': 'fuzz', 'x-request-id': 'deep-req' }];
  for (const headers of headerSets) {
    it(`a 4 000-deep body is a 400 naming the depth limit, not a 500 (headers: ${Object.keys(headers).join(', ') || 'none'})`, async () => {
      const response = await post('/v1/departments', `{"code":"D","name":${deep(4000)}}`, headers);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(response)).toMatchObject({ code: 'json_too_deep', limit: JSON_LIMITS.depth });
      expect(json(response).errors[0]).toMatchObject({ location: 'body' });
    });
  }

  it('a body exactly at the depth limit reaches validation; one level more does not', async () => {
    const atLimit = await post('/v1/departments', `{"code":"D","name":${deep(JSON_LIMITS.depth - 1)}}`);
    expect(json(atLimit).code).toBe('validation_failed');
    const over = await post('/v1/departments', `{"code":"D","name":${deep(JSON_LIMITS.depth)}}`);
    expect(json(over).code).toBe('json_too_deep');
  });

  it('an object with more members than the limit, or an array with more elements, is a 400 naming the limit and the place', async () => {
    const members = Object.fromEntries(Array.from({ length: JSON_LIMITS.keys + 1 }, (_, i) => [`k${i}`, 1]));
    const wideObject = await post('/v1/departments', JSON.stringify({ code: 'D', name: 'n', extra: members }), { 'idempotency-key': 'wide-1' });
    expect(wideObject.statusCode).toBe(400);
    expect(json(wideObject)).toMatchObject({ code: 'json_too_wide', limit: JSON_LIMITS.keys });
    expect(json(wideObject).errors[0].path).toBe(`/extra/k${JSON_LIMITS.keys}`);

    const wideArray = await post('/v1/departments', `{"code":"D","name":[${Array(JSON_LIMITS.elements + 1).fill(0).join(',')}]}`);
    expect(wideArray.statusCode).toBe(400);
    expect(json(wideArray)).toMatchObject({ code: 'json_too_wide', limit: JSON_LIMITS.elements });
    expect(json(wideArray).errors[0].path).toBe(`/name/${JSON_LIMITS.elements}`);
  });

  it('the element limit leaves room for the largest import', () => {
    expect(JSON_LIMITS.elements).toBeGreaterThanOrEqual(IMPORT_ROWS_MAX);
  });
});

describe('JSON bodies are read strictly', () => {
  it('a duplicate member is a 400 at its path, never last-wins: {"role":"viewer","role":"office"} makes no key', async () => {
    const response = await post('/v1/api-keys', '{"name":"dup","role":"viewer","role":"office"}');
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ code: 'duplicate_key', errors: [{ location: 'body', path: '/role' }] });
    const escaped = await post('/v1/departments', '{"code":"D","name":"a","n\\u0061me":"b"}');
    expect(json(escaped)).toMatchObject({ code: 'duplicate_key', errors: [{ path: '/name' }] });
    const nested = await post('/v1/departments', '{"code":"D","name":"a","x":[{"a":1},{"a":1,"a":2}]}');
    expect(json(nested).errors[0].path).toBe('/x/1/a');
    const keys = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys' })).items as { name: string }[];
    expect(keys.map((k) => k.name)).not.toContain('dup');
  });

  it('the same member name in two objects is no duplicate', async () => {
    const response = await post('/v1/departments', '{"code":"FGJ","name":"发改局"}');
    expect(response.statusCode).toBe(201);
  });

  it('a \\u escape of a lone surrogate is a 400 and nothing is stored; a whole pair is a character like any other', async () => {
    for (const name of ['x\\ud800y', 'x\\udc00y', 'x\\ud800\\u0041', 'x\\ud800']) {
      const response = await post('/v1/departments', `{"code":"LS","name":"${name}"}`);
      expect(response.statusCode, name).toBe(400);
      expect(json(response)).toMatchObject({ code: 'lone_surrogate', errors: [{ path: '/name' }] });
    }
    expect(await departments()).toEqual([]);
    const pair = await post('/v1/departments', '{"code":"LS","name":"x\\ud83d\\ude00y \\\\ud800"}');
    expect(pair.statusCode).toBe(201);
    expect(json(pair).name).toBe('x😀y \\ud800');
  });

  it('bytes that are not UTF-8, the CESU-8 form of a surrogate included, are a 400', async () => {
    for (const bytes of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
      const payload = Buffer.concat([Buffer.from('{"code":"U8","name":"'), Buffer.from(bytes), Buffer.from('"}')]);
      const response = await post('/v1/departments', payload);
      expect(response.statusCode).toBe(400);
      expect(json(response).code).toBe('invalid_utf8');
    }
    expect(await departments()).toEqual([]);
  });

  it('another charset is a 415; utf-8 in any spelling and a leading byte-order mark are accepted', async () => {
    for (const charset of ['utf-16', 'latin1', 'ISO-8859-1', 'gbk', '"utf-16le"', '']) {
      const response = await post('/v1/departments', '{"code":"CS","name":"x"}', { 'content-type': `application/json; charset=${charset}` });
      expect(response.statusCode, charset).toBe(415);
      expect(json(response).code).toBe('unsupported_charset');
    }
    expect(await departments()).toEqual([]);
    const upper = await post('/v1/departments', '{"code":"CS","name":"住建局"}', { 'content-type': 'application/json; charset=UTF-8' });
    expect(upper.statusCode).toBe(201);
    const bom = await post('/v1/departments', Buffer.from('\uFEFF{"code":"BOM","name":"x"}'), { 'content-type': 'application/json;charset="utf-8"' });
    expect(bom.statusCode).toBe(201);
  });

  it('a __proto__ member is a 400 at its path and pollutes nothing', async () => {
    const response = await post('/v1/departments', '{"code":"P","name":"x","a":{"__proto__":{"polluted":true}}}');
    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ code: 'forbidden_key', errors: [{ path: '/a/__proto__' }] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an empty body and malformed JSON keep their 400s', async () => {
    expect(json(await post('/v1/departments', '')).code).toBe('empty_body');
    expect(json(await post('/v1/departments', '{"code":')).code).toBe('invalid_json');
  });
});
