import fc from 'fast-check';
import {
  anyValue,
  hostileString,
  invalidValue,
  resolve,
  validValue,
  type GeneratedRequest,
  type GeneratorContext,
  type JsonSchema,
  type Operation,
  type Parameter,
} from './arbitraries.js';

/** The resource a path's `{id}` names: the segment before it ('/v1/projects/{id}/plans' → 'projects'). */
export function resourceOfPath(path: string, parameter: string): string | undefined {
  const segments = path.split('/');
  const index = segments.indexOf(`{${parameter}}`);
  return index > 0 ? segments[index - 1] : undefined;
}

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes the bytes of its CESU-8 form. */
export function encodeComponent(value: string): string {
  let out = '';
  for (const ch of value) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const code = ch.charCodeAt(0);
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Sent unencoded, so the router and the URL parser meet malformed escapes too. */
const RAW_SEGMENTS = ['%', '%zz', '%E0%A4%A', '%00', '..', '%2F', '%2e%2e', ';', 'a%20b'];

function pathValue(ctx: GeneratorContext, path: string, parameter: Parameter): fc.Arbitrary<string> {
  const resource = resourceOfPath(path, parameter.name);
  const pool = resource ? ctx.ids[resource] ?? [] : [];
  const valid = validValue(ctx, parameter.schema, resource).map((v) => encodeComponent(asText(v)));
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 2, arbitrary: valid },
    { weight: 1, arbitrary: invalidValue(ctx, parameter.schema, parameter.name).map((v) => encodeComponent(asText(v))) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
  ];
  if (pool.length > 0) options.push({ weight: 5, arbitrary: fc.constantFrom(...pool) });
  return fc.oneof(...options);
}

function queryPairs(ctx: GeneratorContext, parameter: Parameter): fc.Arbitrary<[string, string][]> {
  const value = anyValue(ctx, parameter.schema, parameter.name).map((v): [string, string][] =>
    Array.isArray(v) && v.length > 0 ? v.map((item) => [parameter.name, asText(item)]) : [[parameter.name, asText(v)]],
  );
  const absent = fc.constant<[string, string][]>([]);
  // A repeated parameter arrives as an array: the service must still answer 400, not 500.
  const repeated = fc.tuple(value, value).map(([a, b]) => [...a, ...b]);
  return fc.oneof(
    { weight: parameter.required ? 1 : 4, arbitrary: absent },
    { weight: 8, arbitrary: value },
    { weight: 1, arbitrary: repeated },
  );
}

const ASCII_HOSTILE = hostileString().map((s) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 8000));

function ifMatchValue(): fc.Arbitrary<GeneratedRequest['ifMatch']> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 5, arbitrary: fc.constant({ current: true as const }) },
    { weight: 1, arbitrary: fc.constantFrom('"v0"', '"v999999999"', '"v9999999999"', 'W/"v1"', '"v1"', '*', '"v1", "v2"', '', 'v1', '"v-1"') },
    { weight: 1, arbitrary: ASCII_HOSTILE },
  );
}

function csvBody(ctx: GeneratorContext, schema: JsonSchema | undefined): fc.Arbitrary<string> {
  const rowSchema = schema ? findCsvRowSchema(ctx, schema) : undefined;
  const garbage = fc.oneof(hostileString(), fc.constantFrom('', '\uFEFF', 'code,name\n"unterminated', 'a,b\r\n1,2,3\r\n', '=1+1,@SUM(A1)\n'));
  if (!rowSchema) return garbage;
  const columns = Object.keys((rowSchema.properties as Record<string, JsonSchema>) ?? {});
  const quote = (v: unknown) => `"${asText(v).replace(/"/g, '""')}"`;
  const rows = fc.array(anyValue(ctx, rowSchema), { minLength: 0, maxLength: 3 }).map((items) =>
    [columns.join(','), ...items.map((item) => columns.map((c) => quote((item as Record<string, unknown>)?.[c] ?? '')).join(','))].join('\r\n'),
  );
  return fc.oneof({ weight: 3, arbitrary: rows }, { weight: 1, arbitrary: garbage });
}

/** For a text/csv body, the row schema of the JSON alternative of the same operation. */
function findCsvRowSchema(ctx: GeneratorContext, schema: JsonSchema): JsonSchema | undefined {
  const s = resolve(ctx.document, schema);
  const rows = (s.properties as Record<string, JsonSchema> | undefined)?.rows;
  return rows ? resolve(ctx.document, (resolve(ctx.document, rows).items as JsonSchema) ?? {}) : undefined;
}

/** A valid body with its first member written twice, the second time with another value. */
export function withDuplicateMember(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const [first] = Object.keys(value);
  if (first === undefined) return undefined;
  const text = JSON.stringify(value);
  return `{${JSON.stringify(first)}:"duplicate",${text.slice(1)}`;
}

/**
 * Bodies past the JSON limits (src/lib/json-text.ts) or with a duplicate member, around otherwise
 * valid values: deep nesting (which once overflowed the stack of the idempotency hash), wide objects
 * and arrays, a duplicate member, escapes of lone surrogates.
 */
export function hostileJsonBody(valid: fc.Arbitrary<unknown>): fc.Arbitrary<NonNullable<GeneratedRequest['body']>> {
  const nest = (levels: number, open: string, close: string, inner = '0') => `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
  const member = (value: unknown, extra: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return extra;
    const text = JSON.stringify(value);
    return text === '{}' ? `{"x":${extra}}` : `{"x":${extra},${text.slice(1)}`;
  };
  const payload = fc.oneof(
    fc.tuple(valid, fc.constantFrom(33, 64, 4000, 20_000)).map(([v, levels]) => member(v, nest(levels, '[', ']'))),
    fc.tuple(valid, fc.constantFrom(33, 4000)).map(([v, levels]) => member(v, nest(levels, '{"a":', '}'))),
    fc.constantFrom(4000, 50_000).map((levels) => nest(levels, '[', ']')),
    valid.map((v) => member(v, `{${Array.from({ length: 1001 }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
    valid.map((v) => member(v, `[${'0,'.repeat(100_000)}0]`)),
    valid.map((v) => withDuplicateMember(v) ?? '{"a":1,"a":2}'),
    valid.map((v) => member(v, '"\\ud800"')),
  );
  return payload.map((text) => ({ contentType: 'application/json', payload: text }));
}

function bodyValue(ctx: GeneratorContext, operation: Operation): fc.Arbitrary<GeneratedRequest['body']> {
  const content = operation.requestBody?.content ?? {};
  const jsonSchema = content['application/json']?.schema;
  const options: fc.WeightedArbitrary<GeneratedRequest['body']>[] = [];
  if (jsonSchema) {
    const json = (arbitrary: fc.Arbitrary<unknown>) => arbitrary.map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) ?? 'null' }));
    options.push({ weight: 10, arbitrary: json(validValue(ctx, jsonSchema)) }, { weight: 8, arbitrary: json(invalidValue(ctx, jsonSchema)) });
    options.push({ weight: 2, arbitrary: hostileJsonBody(validValue(ctx, jsonSchema)) });
    options.push({
      weight: 1,
      arbitrary: fc.constantFrom('{', '{"a":', '[1,]', '', 'null', '"\\ud800"', '{"__proto__":{"polluted":true}}', '{"a":1,"a":2}', '\u0000').map((payload) => ({
        contentType: 'application/json',
        payload,
      })),
    });
  }
  if ('text/csv' in content) {
    options.push({ weight: 4, arbitrary: csvBody(ctx, jsonSchema).map((payload) => ({ contentType: 'text/csv', payload })) });
  }
  // Any other content type is refused with 415; no body at all is a 400.
  options.push(
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml').map((contentType) => ({ contentType, payload: 'a=1' })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  return fc.oneof(...options);
}

/** Requests for one operation of the document. */
export function requestArbitrary(ctx: GeneratorContext, path: string, method: string, operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const parameters = operation.parameters ?? [];
  const pathParameters = parameters.filter((p) => p.in === 'path');
  const queryParameters = parameters.filter((p) => p.in === 'query');
  const hasIfMatch = parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match');

  const pathArb = fc.tuple(...pathParameters.map((p) => pathValue(ctx, path, p))).map((values) =>
    pathParameters.reduce((url, p, i) => url.replace(`{${p.name}}`, values[i]!), path),
  );
  const unknownQuery = fc.oneof(
    { weight: 9, arbitrary: fc.constant<[string, string][]>([]) },
    { weight: 1, arbitrary: fc.constantFrom<[string, string][]>([['unknown', '1']], [['__proto__[polluted]', 'true']], [['limit[$gt]', '1']]) },
  );
  const queryArb = fc.tuple(unknownQuery, ...queryParameters.map((p) => queryPairs(ctx, p))).map((groups) => groups.flat());
  // Documented headers (Idempotency-Key…) mostly valid; X-Actor and X-Request-Id are read by every route.
  // Authorization is left to the caller (the test's key), never generated.
  const documentedHeaders = parameters.filter((p) => p.in === 'header' && !['if-match', 'authorization'].includes(p.name.toLowerCase()));
  const headerModel: Record<string, fc.Arbitrary<string>> = {
    'x-actor': fc.oneof(fc.constantFrom('张三', 'fuzz@kpo', 'a'.repeat(101)), ASCII_HOSTILE),
    'x-request-id': fc.oneof(fc.constantFrom('fuzz-1', 'x'.repeat(129)), ASCII_HOSTILE),
  };
  for (const p of documentedHeaders) {
    headerModel[p.name.toLowerCase()] = anyValue(ctx, p.schema, p.name).map((v) => asText(v).replace(/[^\x20-\x7e]/g, '?').slice(0, 8000));
  }
  const headersArb = fc.record(headerModel, { requiredKeys: documentedHeaders.filter((p) => p.required).map((p) => p.name.toLowerCase()) });

  return fc
    .record({
      url: pathArb,
      query: queryArb,
      headers: headersArb,
      ifMatch: hasIfMatch ? ifMatchValue() : fc.constant(undefined),
      body: operation.requestBody ? bodyValue(ctx, operation) : fc.constant(undefined),
    })
    .map(({ url, query, headers, ifMatch, body }) => {
      const search = query.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
      const request: GeneratedRequest = { method: method.toUpperCase(), url: search ? `${url}?${search}` : url, headers: headers as Record<string, string> };
      if (ifMatch !== undefined) request.ifMatch = ifMatch;
      if (body !== undefined) request.body = body;
      return request;
    });
}
