import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileSerializer, responseSerializerCompiler } from '../../src/plugins/response-serializer.js';

const root = join(import.meta.dirname, '../..');

/** What zod's serializer writes (fastify-type-provider-zod: encode, then JSON.stringify). */
function zodText(schema: z.ZodType, value: unknown): string {
  return JSON.stringify(z.encode(schema, value as never));
}

/** The same JSON value, whatever the order of the keys. */
function sameJson(a: string, b: string) {
  const canonical = (text: string) => JSON.stringify(JSON.parse(text), (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
  expect(canonical(a)).toBe(canonical(b));
}

/** Whether zod can encode the value (a request schema's transform cannot be encoded at all). */
function encodes(schema: z.ZodType, value: unknown): boolean {
  try {
    return z.safeEncode(schema, value as never).success;
  } catch {
    return false;
  }
}

function compiled(schema: z.ZodType) {
  const serialize = compileSerializer(schema);
  if (!serialize) throw new Error('expected the schema to compile');
  return serialize;
}

/** A route's serializer as Fastify asks for it. */
function routeSerializer(schema: z.ZodType, crossCheck: boolean) {
  return responseSerializerCompiler({ crossCheck })({ schema, method: 'GET', url: '/test', httpStatus: '200' } as never) as (data: unknown) => string;
}

describe('the compiled response serializer', () => {
  it('writes what zod writes for the example of every schema the modules export', async () => {
    const files = [
      join(root, 'src/lib/schemas.ts'),
      ...readdirSync(join(root, 'src/modules'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.schemas.ts'))
        .map((file) => join(root, 'src/modules', file)),
    ];
    let compared = 0;
    const uncompiled: string[] = [];
    for (const file of files) {
      for (const [name, value] of Object.entries(await import(file))) {
        if (!(value instanceof z.ZodType)) continue;
        const example = z.globalRegistry.get(value)?.example;
        const serialize = compileSerializer(value);
        if (!serialize) {
          uncompiled.push(name);
          continue;
        }
        if (example === undefined || !encodes(value, example)) continue;
        // A key the schema does not declare is dropped, as zod strips it (kept where zod keeps it, in
        // a problem; a strict request schema refuses it, and gets the example as it is).
        const extended = example && typeof example === 'object' && !Array.isArray(example) ? { ...example, internalOnly: 'x' } : example;
        const sent = encodes(value, extended) ? extended : example;
        sameJson(serialize(sent), zodText(value, sent));
        compared += 1;
      }
    }
    // Far from vacuous: the modules' schemas carry well over a hundred examples.
    expect(compared).toBeGreaterThan(100);
    // Only request schemas with transforms (query parsing) stay with zod; no answer needs to.
    for (const name of uncompiled) expect(name).toMatch(/Query|Body|Create|Headers|Params|Input|Filter/);
  });

  it('keeps declared keys in declared order, drops others at every depth, and omits an absent optional', () => {
    const schema = z.object({
      b: z.string(),
      a: z.number(),
      nested: z.object({ keep: z.boolean() }),
      list: z.array(z.object({ id: z.string() })),
      maybe: z.string().optional(),
    });
    const value = { a: 1.5, extra: 1, b: '项目 "quoted" \\ \n', nested: { keep: true, secret: 's' }, list: [{ id: 'x', hidden: 1 }] };
    const text = compiled(schema)(value);
    expect(text).toBe(zodText(schema, value));
    expect(text).toBe('{"b":"项目 \\"quoted\\" \\\\ \\n","a":1.5,"nested":{"keep":true},"list":[{"id":"x"}]}');
  });

  it('writes nulls, unions, records and enums as zod does', () => {
    const money = z.string().regex(/^-?[0-9]+\.[0-9]{4}$/);
    const schema = z.object({
      note: z.string().nullable(),
      amount: money.nullable(),
      when: z.object({ at: z.string() }).nullable(),
      tags: z.array(z.string()).nullable(),
      status: z.enum(['planned', 'under_construction']),
      figure: z.discriminatedUnion('kind', [z.object({ kind: z.literal('count'), value: z.int() }), z.object({ kind: z.literal('money'), value: money })]),
      byDepartment: z.record(z.string(), z.object({ count: z.int() })),
    });
    for (const value of [
      { note: null, amount: null, when: null, tags: null, status: 'planned', figure: { kind: 'count', value: 3 }, byDepartment: {} },
      { note: '', amount: '12.5000', when: { at: 't', x: 1 }, tags: ['a'], status: 'under_construction', figure: { kind: 'money', value: '1.0000', x: 1 }, byDepartment: { d1: { count: 2, x: 1 } } },
    ]) {
      sameJson(compiled(schema)(value), zodText(schema, value));
    }
  });

  it('leaves a schema JSON Schema cannot express to zod', () => {
    const schema = z.object({ at: z.date() });
    expect(compileSerializer(schema)).toBeUndefined();
    const serialize = routeSerializer(schema, false);
    expect(serialize({ at: new Date('2022-01-02T03:04:05Z') })).toBe('{"at":"2022-01-02T03:04:05.000Z"}');
  });

  it('with the cross-check, refuses an answer the two serializers write differently', () => {
    // zod's encode trims; the JSON Schema has no such step, so the compiled function writes the spaces.
    const schema = z.object({ name: z.string().trim() });
    expect(routeSerializer(schema, false)({ name: ' a ' })).toBe('{"name":" a "}');
    expect(() => routeSerializer(schema, true)({ name: ' a ' })).toThrow(/response serializer: GET \/test 200 wrote \{"name":" a "\} where zod writes \{"name":"a"\}/);
    expect(routeSerializer(schema, true)({ name: 'a' })).toBe('{"name":"a"}');
  });
});
