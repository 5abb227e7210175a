import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';

type Json = Record<string, unknown>;
type Serialize = (data: unknown) => string;

/**
 * The serializer of every JSON answer: the route's zod response schema compiled once to a
 * fast-json-stringify function (what Fastify does by default with a JSON Schema), instead of
 * fastify-type-provider-zod's zod encode of the whole answer followed by JSON.stringify. On GET
 * /v1/projects/{id} the encode was a tenth of the process's time (bench/results.md, issue 19).
 *
 * The output is the same: the JSON Schema is zod's own (`z.toJSONSchema`, io: output), so an object
 * writes its declared properties in their declared order and drops any other key, as zod strips it;
 * `crossCheck` (RESPONSE_CROSS_CHECK, on in every test) encodes each answer with zod as well and
 * answers 500 when the two differ in more than key order (a problem's extension members, which zod
 * writes after the declared ones, may come first), so the suite proves it on every response it
 * receives. What the compiled function does not do is validate: an answer our own code built wrongly
 * is written as well as it can be (a null where a string is declared, say) instead of refused; the
 * tests' response contract and the cross-check are where such a mistake is caught.
 *
 * A schema zod cannot express as JSON Schema (a transform, a date object, a cycle) keeps the zod
 * serializer. Compiling is deferred to a route's first answer with that status, so start-up does not
 * pay for the problem schemas of every route, most of which are never sent.
 */
export function responseSerializerCompiler({ crossCheck = false }: { crossCheck?: boolean } = {}): FastifySerializerCompiler<z.ZodType> {
  const compiled = new WeakMap<object, Serialize | undefined>();
  return (route) => {
    const zodSerialize = zodSerializerCompiler(route) as Serialize;
    let serialize: Serialize | undefined;
    return (data) => {
      serialize ??= compiledFor(route.schema as z.ZodType, compiled) ?? zodSerialize;
      if (!crossCheck || serialize === zodSerialize) return serialize(data);
      const fast = serialize(data);
      const expected = zodSerialize(data);
      if (fast !== expected && canonical(JSON.parse(fast)) !== canonical(JSON.parse(expected))) throw new Error(`response serializer: ${route.method} ${route.url} ${route.httpStatus} wrote ${fast.slice(0, 2000)} where zod writes ${expected.slice(0, 2000)}`);
      return fast;
    };
  };
}

/** JSON text with every object's keys sorted: two answers that differ only in key order are the same answer. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

function compiledFor(schema: z.ZodType, cache: WeakMap<object, Serialize | undefined>): Serialize | undefined {
  if (!cache.has(schema)) cache.set(schema, compileSerializer(schema));
  return cache.get(schema);
}

/** The compiled serializer of a zod schema, or undefined where zod's JSON Schema cannot express it. */
export function compileSerializer(schema: z.ZodType): Serialize | undefined {
  try {
    return fastJson(fastJsonSchema(z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw', cycles: 'throw' }) as Json)) as Serialize;
  } catch {
    return undefined;
  }
}

/** Keywords that describe a value without constraining it: fast-json-stringify needs none of them. */
const ANNOTATIONS = new Set(['$schema', '$id', 'id', 'title', 'description', 'example', 'examples', 'default', 'readOnly', 'writeOnly', 'deprecated', 'definitions', '$defs']);

/**
 * zod's JSON Schema made plain for fast-json-stringify: references inlined (zod names shared schemas
 * in `definitions`), `anyOf: [X, null]` written as X with `nullable: true` (fast-json-stringify would
 * otherwise test every value against both branches with Ajv), a one-element `allOf` (zod's way of
 * annotating a reference) replaced by its element, annotations dropped. `additionalProperties: false`
 * goes (an object writes only its declared keys anyway, and a union branch must still match a value
 * with keys zod would strip), and `oneOf` becomes `anyOf`: the first branch that fits, as in zod.
 */
export function fastJsonSchema(root: Json): Json {
  const definitions = (root.definitions ?? root.$defs ?? {}) as Record<string, Json>;
  const resolve = (node: unknown, depth: number): unknown => {
    if (depth > 64) throw new Error('response serializer: schema nested too deep');
    if (Array.isArray(node)) return node.map((item) => resolve(item, depth + 1));
    if (node === null || typeof node !== 'object') return node;
    let schema = node as Json;
    if (typeof schema.$ref === 'string') {
      const name = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(schema.$ref)?.[1];
      const target = name === undefined ? undefined : definitions[decodeURIComponent(name)];
      if (!target) throw new Error(`response serializer: unresolved ${schema.$ref}`);
      const { $ref: _ref, ...siblings } = schema;
      schema = { ...target, ...siblings };
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(schema)) {
      if (ANNOTATIONS.has(key)) continue;
      // A property's schema map and the like: its keys are names, not keywords.
      if (key === 'properties' || key === 'patternProperties') out[key] = Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, resolve(sub, depth + 1)]));
      else if (key === 'enum' || key === 'const' || key === 'required') out[key] = value;
      else out[key] = resolve(value, depth + 1);
    }
    // zod refuses no key in an answer, it strips them; and of union branches it takes the first that fits.
    if (out.additionalProperties === false) delete out.additionalProperties;
    if (Array.isArray(out.oneOf)) {
      out.anyOf = out.oneOf;
      delete out.oneOf;
    }
    if (Array.isArray(out.allOf) && out.allOf.length === 1) {
      const { allOf, ...rest } = out;
      return { ...(allOf[0] as Json), ...rest };
    }
    if (Array.isArray(out.anyOf) && out.anyOf.length === 2) {
      const branches = out.anyOf as Json[];
      const nullIndex = branches.findIndex((b) => b.type === 'null' && Object.keys(b).length === 1);
      const other = branches[1 - nullIndex];
      if (nullIndex >= 0 && other && typeof other.type === 'string' && other.type !== 'null' && !('anyOf' in other) && !('oneOf' in other)) {
        const { anyOf: _anyOf, ...rest } = out;
        return { ...other, ...rest, nullable: true };
      }
    }
    return out;
  };
  return resolve(root, 0) as Json;
}
