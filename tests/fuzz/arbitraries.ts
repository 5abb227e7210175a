import fc from 'fast-check';

/**
 * fast-check arbitraries derived from the OpenAPI document: for each operation, requests whose
 * path, query, headers and body are mostly valid against the declared JSON Schemas, with
 * boundary values, and mixed with invalid ones (wrong types, missing or unknown fields, huge
 * strings, odd Unicode, injection strings). Nothing here knows a module: only the document.
 */

export type JsonSchema = { [key: string]: unknown };

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface MediaType {
  schema?: JsonSchema;
}

export interface Operation {
  operationId: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Ids of records that exist when the requests run, by the path segment of their resource ('projects'). */
export type IdPool = Record<string, string[]>;

export interface GeneratedRequest {
  method: string;
  url: string;
  /** 'current' asks the runner to read the record's ETag first; undefined sends no If-Match. */
  ifMatch?: string | { current: true };
  headers: Record<string, string>;
  body?: { contentType: string; payload: string };
}

const COMPONENT_PREFIX = '#/components/schemas/';

export function componentName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  return typeof ref === 'string' && ref.startsWith(COMPONENT_PREFIX) ? ref.slice(COMPONENT_PREFIX.length) : undefined;
}

export function resolve(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const name = componentName(current);
    if (name) {
      const target = document.components.schemas[name];
      if (!target) throw new Error(`unknown component ${name}`);
      current = target;
      continue;
    }
    // @fastify/swagger keeps a described $ref as allOf: [ { $ref } ].
    const allOf = current.allOf as JsonSchema[] | undefined;
    if (allOf?.length === 1 && Object.keys(current).every((k) => ['allOf', 'description', 'example', 'default'].includes(k))) {
      current = allOf[0]!;
      continue;
    }
    return current;
  }
  throw new Error('$ref chain too deep');
}

// ---------------------------------------------------------------------------------------------
// Hostile values, used in every position.

const HUGE = 100_000;

export const INJECTIONS = [
  "'; drop table projects; --",
  "' OR '1'='1",
  '1); select pg_sleep(5); --',
  '\\x27; delete from departments; --',
  '{"$ne":1}',
  '{"$gt":""}',
  '__proto__',
  'constructor',
  'prototype',
  '{"__proto__":{"polluted":true}}',
  '../../etc/passwd',
  '${jndi:ldap://x/a}',
  '=HYPERLINK("http://x")',
  '<script>alert(1)</script>',
  '%00',
  '%',
  '%zz',
];

export const ODD_UNICODE = [
  '\u202Eabc\u202C',
  '\u200F\u05E9\u05DC\u05D5\u05DD',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  '😀👨‍👩‍👧‍👦🇨🇳',
  '\u200B',
  '\uFEFF坦洲',
  'Ａ１２',
  '２０２２',
  'e\u0301',
  '\u0085\u2028\u2029',
  ' ',
  '',
];

const STRANGE_NUMBERS = ['NaN', 'Infinity', '-0', '1e309', '0x10', '1_000', '９', '-1', '00', '1.0', '9'.repeat(40)];

export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS, ...ODD_UNICODE, ...STRANGE_NUMBERS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(HUGE), '中'.repeat(HUGE / 3), '\u0000'.repeat(1000), '😀'.repeat(HUGE / 4)) },
  );
}

/** A JSON value of the wrong kind for almost any field. */
export function wrongType(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [null], { '': '' }),
    hostileString(),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant(nested(200)),
  );
}

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

// ---------------------------------------------------------------------------------------------
// Named formats the service uses, with their boundaries.

const VALID_DATES = ['2022-01-01', '2022-12-31', '2022-02-28', '2024-02-29', '2000-02-29', '2000-01-01', '2100-12-31', '0001-01-01', '9999-12-31', '1970-01-01'];
const INVALID_DATES = ['2022-02-29', '2100-02-29', '2022-13-01', '2022-00-10', '2022-04-31', '2022-1-1', '22-01-01', '2022/01/01', '2022-01-01T00:00:00Z', '20220101', '2022-01-01 ', '+2022-01-01'];

export function validDate(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...VALID_DATES),
    fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  );
}

function validDateTime(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('2022-02-29T00:00:00Z'.replace('29', '28'), '2022-03-31T23:59:59.999Z', '2022-04-01T08:00:00+08:00', '2024-02-29T12:00:00-12:00'),
    fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  );
}

const INVALID_DATE_TIMES = ['2022-02-29T00:00:00Z', '2022-01-01 00:00:00', '2022-01-01T24:00:00Z', '2022-01-01T00:00:00', 'yesterday'];

export function validPeriod(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('2022-01-H1', '2022-12-H2', '2000-01-H1', '2100-12-H2', '0000-01-H1', '9999-12-H2'),
    fc.tuple(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(1, 2)).map(
      ([y, m, h]) => `${y}-${String(m).padStart(2, '0')}-H${h}`,
    ),
  );
}

const INVALID_PERIODS = ['2022-13-H1', '2022-00-H1', '2022-01-H3', '2022-01-H0', '2022-1-H1', '2022-01', '2022-01-h1', '2022-01-H1 '];

function validMoney(maxIntegerDigits = 14): fc.Arbitrary<string> {
  const max = '9'.repeat(maxIntegerDigits);
  return fc.oneof(
    fc.constantFrom('0', '0.0000', `${max}.9999`, max, '0.0001', '1', '48000.0000', '0'.repeat(maxIntegerDigits), '747100.0000'),
    fc
      .tuple(fc.bigInt({ min: 0n, max: BigInt(max) }), fc.option(fc.integer({ min: 0, max: 9999 }), { nil: undefined }), fc.integer({ min: 1, max: 4 }))
      .map(([whole, fraction, digits]) => (fraction === undefined ? `${whole}` : `${whole}.${String(fraction).padStart(4, '0').slice(0, digits)}`)),
  );
}

function invalidMoney(maxIntegerDigits = 14): string[] {
  return ['-1', '1e5', '1.23456', `1${'0'.repeat(maxIntegerDigits)}`, ' 1', '1,000', '', '.5', '5.', '+1', '1.2.3', '１'];
}

const MONEY_PATTERN = /^\^\\d\{1,(\d+)\}\(\\\.\\d\{1,4\}\)\?\$$/;

// ---------------------------------------------------------------------------------------------
// Schema-driven generation.

export interface GeneratorContext {
  document: OpenApiDocument;
  ids: IdPool;
}

/** Which pool of existing ids a field or parameter named like this should draw from. */
export function resourceOfField(name: string): string | undefined {
  const base = name.replace(/Ids?$/, '').replace(/^(assigned|supporting)/, '').toLowerCase();
  const map: Record<string, string> = {
    department: 'departments',
    departments: 'departments',
    project: 'projects',
    projects: 'projects',
    leader: 'leaders',
    leaders: 'leaders',
    inspection: 'inspections',
    batch: 'groundbreaking-batches',
    issue: 'issues',
    report: 'progress-reports',
    resource: 'any',
  };
  return map[base];
}

function existingId(ctx: GeneratorContext, resource: string | undefined): fc.Arbitrary<string> | undefined {
  const pool = resource === 'any' || !resource ? Object.values(ctx.ids).flat() : ctx.ids[resource] ?? [];
  return pool.length > 0 ? fc.constantFrom(...pool) : undefined;
}

function validUuid(ctx: GeneratorContext, hint: string | undefined): fc.Arbitrary<string> {
  const existing = existingId(ctx, hint ? resourceOfField(hint) ?? hint : undefined);
  const random = fc.oneof(fc.uuid({ version: 7 }), fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'));
  return existing ? fc.oneof({ weight: 4, arbitrary: existing }, { weight: 1, arbitrary: random }) : random;
}

function boundedString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = Math.min((schema.maxLength as number | undefined) ?? 200, HUGE);
  const fit = (s: string) => (s.length > max ? s.slice(0, max) : s.padEnd(min, '项'));
  return fc.oneof(
    { weight: 5, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 40) }).map(fit) },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(Math.max(min, 1)), '坦'.repeat(max), 'x'.repeat(max), ' '.repeat(Math.max(min, 1))).map(fit) },
    { weight: 2, arbitrary: fc.constantFrom(...INJECTIONS, ...ODD_UNICODE).map(fit) },
  );
}

/** Values valid against the schema, boundaries included. `hint` is the field or parameter name. */
export function validValue(ctx: GeneratorContext, schema: JsonSchema, hint?: string, depth = 0): fc.Arbitrary<unknown> {
  const name = componentName(schema);
  if (name === 'Money') return validMoney();
  if (name === 'Date') return validDate();
  if (name === 'PeriodCode') return validPeriod();
  if (name === 'Id') return validUuid(ctx, hint);
  const s = resolve(ctx.document, schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => validValue(ctx, a, hint, depth)));
  const type = s.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => validValue(ctx, { ...s, type: t }, hint, depth)));
  switch (type) {
    case 'string':
      return validString(ctx, s, hint);
    case 'integer':
    case 'number': {
      const min = Math.max((s.minimum as number | undefined) ?? -1_000_000, Number.MIN_SAFE_INTEGER);
      const max = Math.min((s.maximum as number | undefined) ?? 1_000_000, Number.MAX_SAFE_INTEGER);
      return fc.oneof(fc.constantFrom(min, max), fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) }));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (s.items as JsonSchema | undefined) ?? {};
      const minLength = (s.minItems as number | undefined) ?? 0;
      const maxLength = Math.max(minLength, Math.min((s.maxItems as number | undefined) ?? 3, 3));
      return fc.array(validValue(ctx, items, hint, depth + 1), { minLength, maxLength });
    }
    case 'object':
      return validObject(ctx, s, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validString(ctx: GeneratorContext, s: JsonSchema, hint: string | undefined): fc.Arbitrary<string> {
  if (s.format === 'uuid') return validUuid(ctx, hint);
  if (s.format === 'date') return validDate();
  if (s.format === 'date-time') return validDateTime();
  if (typeof s.pattern === 'string') {
    const money = MONEY_PATTERN.exec(s.pattern);
    if (money) return validMoney(Number(money[1]));
    const max = (s.maxLength as number | undefined) ?? 200;
    const min = (s.minLength as number | undefined) ?? 0;
    return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= max);
  }
  return boundedString(s);
}

function validObject(ctx: GeneratorContext, s: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (s.properties as Record<string, JsonSchema> | undefined) ?? {};
  const required = (s.required as string[] | undefined) ?? [];
  if (depth > 4 || Object.keys(properties).length === 0) return fc.constant({});
  const model = Object.fromEntries(Object.entries(properties).map(([key, p]) => [key, validValue(ctx, p, key, depth + 1)]));
  return fc.record(model, { requiredKeys: required.filter((key) => key in properties) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Values that break the schema: just past its bounds, of the wrong type, or hostile. */
export function invalidValue(ctx: GeneratorContext, schema: JsonSchema, hint?: string): fc.Arbitrary<unknown> {
  const name = componentName(schema);
  const specific: unknown[] = [];
  if (name === 'Money') specific.push(...invalidMoney(), 12.5, 0);
  if (name === 'Date') specific.push(...INVALID_DATES);
  if (name === 'PeriodCode') specific.push(...INVALID_PERIODS);
  if (name === 'Id') specific.push('not-a-uuid', '{01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f}', '01860c6e6a2b7c3d8e9f0a1b2c3d4e5f', '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5', '1');
  const s = resolve(ctx.document, schema);
  if (Array.isArray(s.enum)) specific.push(...(s.enum as unknown[]).flatMap((v) => (typeof v === 'string' ? [v.toUpperCase(), `${v} `, `${v}\u0000`] : [])), 'unknown_code');
  if (typeof s.minLength === 'number' && s.minLength > 0) specific.push('x'.repeat(s.minLength - 1));
  if (typeof s.maxLength === 'number' && s.maxLength < HUGE) specific.push('x'.repeat(s.maxLength + 1), '坦'.repeat(s.maxLength + 1));
  if (typeof s.minimum === 'number' && s.minimum > Number.MIN_SAFE_INTEGER) specific.push(s.minimum - 1, String(s.minimum));
  if (typeof s.maximum === 'number' && s.maximum < Number.MAX_SAFE_INTEGER) specific.push(s.maximum + 1, s.maximum + 0.5);
  if (s.type === 'integer') specific.push(1.5, 2 ** 31, 2 ** 63, -(2 ** 63), '1');
  if (s.format === 'date') specific.push(...INVALID_DATES);
  if (s.format === 'date-time') specific.push(...INVALID_DATE_TIMES);
  if (s.format === 'uuid') specific.push('not-a-uuid', '1');
  if (typeof s.pattern === 'string') {
    const money = MONEY_PATTERN.exec(s.pattern);
    specific.push(...(money ? invalidMoney(Number(money[1])) : []), ...INVALID_PERIODS.slice(0, 2));
  }
  if (s.type === 'array') {
    const items = (s.items as JsonSchema | undefined) ?? {};
    if (typeof s.maxItems === 'number' && s.maxItems <= 1000) specific.push(Array.from({ length: s.maxItems + 1 }, () => '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f'));
    return fc.oneof(
      fc.constantFrom(...specific, [], 'not-an-array'),
      fc.array(invalidValue(ctx, items, hint), { minLength: 1, maxLength: 2 }),
      wrongType(),
    );
  }
  if (s.type === 'object') {
    return fc.oneof(mutatedObject(ctx, s), wrongType());
  }
  return specific.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...specific) }, { weight: 2, arbitrary: wrongType() }) : wrongType();
}

/** A valid object with one thing wrong: a field invalid, a required one missing, or an unknown one. */
function mutatedObject(ctx: GeneratorContext, s: JsonSchema): fc.Arbitrary<unknown> {
  const properties = (s.properties as Record<string, JsonSchema> | undefined) ?? {};
  const keys = Object.keys(properties);
  const required = ((s.required as string[] | undefined) ?? []).filter((k) => k in properties);
  const base = validObject(ctx, s, 0);
  const variants: fc.Arbitrary<unknown>[] = [
    fc.tuple(base, fc.constantFrom('__proto__', 'constructor', 'unknownField', 'id', 'version', 'createdAt', '$where', ''), fc.jsonValue({ maxDepth: 1 })).map(
      ([value, key, extra]) => withOwnKey(value, key, key === '__proto__' ? { polluted: true } : extra),
    ),
  ];
  if (keys.length > 0) {
    variants.push(
      fc.constantFrom(...keys).chain((key) =>
        fc.tuple(base, invalidValue(ctx, properties[key]!, key)).map(([value, bad]) => withOwnKey(value, key, bad)),
      ),
    );
  }
  if (required.length > 0) {
    variants.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([value, key]) => {
        const copy = { ...value };
        delete copy[key];
        return copy;
      }),
    );
  }
  return fc.oneof(...variants);
}

/** Sets a key as an own property, so '__proto__' travels in the JSON instead of changing the prototype. */
function withOwnKey(value: Record<string, unknown>, key: string, extra: unknown): Record<string, unknown> {
  const copy = { ...value };
  Object.defineProperty(copy, key, { value: extra, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Mostly valid, sometimes invalid: what a parameter or field of this schema receives. */
export function anyValue(ctx: GeneratorContext, schema: JsonSchema, hint?: string): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: validValue(ctx, schema, hint) }, { weight: 1, arbitrary: invalidValue(ctx, schema, hint) });
}
