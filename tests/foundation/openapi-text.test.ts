import { beforeAll, describe, expect, it } from 'vitest';
import { generateOpenapi } from '../../src/cli/openapi.js';

// Issue #3: the OpenAPI text of every field and operation is in Chinese and English, with examples
// taken from the Tanzhou report. Frontend teams build only from this document, admins read it in Swagger UI.

/**
 * Modules still being written by other engineers. Their operations (and components reached only from
 * them) are not checked yet; remove a prefix once its module is done.
 */
const notYetChecked: string[] = [];

type Json = Record<string, unknown>;
interface Operation {
  where: string;
  op: Json;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const refPrefix = '#/components/schemas/';

function isBilingual(text: unknown): boolean {
  return typeof text === 'string' && /[\u4e00-\u9fff]/.test(text) && /[A-Za-z]/.test(text);
}

function isObject(node: unknown): node is Json {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

function refName(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.$ref === 'string' ? schema.$ref.slice(refPrefix.length) : undefined;
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

describe('OpenAPI text (issue #3: bilingual, with examples)', () => {
  let document: Json;
  let components: Record<string, Json>;
  let operations: Operation[];

  beforeAll(async () => {
    document = JSON.parse(await generateOpenapi()) as Json;
    components = ((document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
    operations = Object.entries(document.paths as Record<string, Json>)
      .filter(([path]) => !notYetChecked.some((prefix) => path.startsWith(prefix)))
      .flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method]) => methods.includes(method))
          .map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op: op as Json })),
      );
  }, 60_000);

  /** The text a reader sees for a schema: its own description, else that of the component it names. */
  function textOf(schema: unknown): unknown {
    if (!isObject(schema)) return undefined;
    if (schema.description !== undefined) return schema.description;
    const name = refName(schema);
    if (name) return components[name]?.description;
    // `x.nullable()` of a component is anyOf [$ref, null]: the component's text is what is shown.
    const members = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
    const nonNull = members?.filter((m) => !(isObject(m) && m.type === 'null'));
    return nonNull?.length === 1 ? textOf(nonNull[0]) : undefined;
  }

  /** Schemas of the request bodies (any media type) and the 2xx JSON responses of an operation. */
  function payloads({ where, op }: Operation): { where: string; schema: unknown }[] {
    const found: { where: string; schema: unknown }[] = [];
    const body = op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
    for (const [mediaType, media] of Object.entries(body?.content ?? {})) {
      found.push({ where: `${where} request body ${mediaType}`, schema: media.schema });
    }
    const responses = (op.responses ?? {}) as Record<string, { content?: Record<string, { schema?: unknown }> }>;
    for (const [status, response] of Object.entries(responses)) {
      if (!status.startsWith('2')) continue;
      for (const [mediaType, media] of Object.entries(response.content ?? {})) {
        if (isJson(mediaType)) found.push({ where: `${where} ${status} ${mediaType}`, schema: media.schema });
      }
    }
    return found;
  }

  /** Every property (at any depth of inline schemas) without a bilingual description; collects the $refs met. */
  function checkSchema(schema: unknown, where: string, offenders: string[], refs: Set<string>): void {
    if (Array.isArray(schema)) {
      schema.forEach((s) => checkSchema(s, where, offenders, refs));
      return;
    }
    if (!isObject(schema)) return;
    const name = refName(schema);
    if (name) refs.add(name);
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'properties' && isObject(value)) {
        for (const [property, propertySchema] of Object.entries(value)) {
          if (!isBilingual(textOf(propertySchema))) offenders.push(`${where}.${property}: no English / 中文 description`);
          checkSchema(propertySchema, `${where}.${property}`, offenders, refs);
        }
      } else if (key !== 'example' && key !== 'examples' && key !== 'x-enum-labels' && key !== 'default') {
        checkSchema(value, where, offenders, refs);
      }
    }
  }

  it('gives every checked operation a summary, and every operation text, in English and Chinese', () => {
    const offenders: string[] = [];
    for (const { where, op } of operations) {
      if (!isBilingual(op.summary)) offenders.push(`${where}: summary ${JSON.stringify(op.summary)}`);
      if (op.description !== undefined && !isBilingual(op.description)) offenders.push(`${where}: description not bilingual`);
      for (const [status, declared] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
        // A shared response (the parser's 408 and 431) is read where it is defined.
        const shared = (document.components as Json).responses as Record<string, Json> | undefined;
        const response = typeof declared.$ref === 'string' ? (shared?.[declared.$ref.replace('#/components/responses/', '')] ?? declared) : declared;
        if (!isBilingual(response.description)) offenders.push(`${where} ${status}: response description ${JSON.stringify(response.description)}`);
      }
    }
    expect(operations.length).toBeGreaterThan(40);
    expect(offenders).toEqual([]);
  });

  it('describes every parameter in English and Chinese', () => {
    const offenders: string[] = [];
    for (const { where, op } of operations) {
      for (const parameter of (op.parameters ?? []) as Json[]) {
        if (!isBilingual(parameter.description)) offenders.push(`${where} ${parameter.in} ${parameter.name}: no English / 中文 description`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('makes every request body and 2xx JSON response a named component or a documented schema', () => {
    const offenders: string[] = [];
    for (const operation of operations) {
      for (const { where, schema } of payloads(operation)) {
        const name = refName(schema);
        if (name ? !components[name] : !isBilingual(textOf(schema))) offenders.push(`${where}: neither a component nor documented`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('describes every field of the schemas the checked operations use, and gives their bodies examples', () => {
    const offenders: string[] = [];
    const reached = new Set<string>();
    const payloadComponents = new Set<string>();
    for (const operation of operations) {
      for (const parameter of (operation.op.parameters ?? []) as Json[]) checkSchema(parameter.schema, `${operation.where} ${parameter.name}`, offenders, reached);
      for (const { where, schema } of payloads(operation)) {
        const name = refName(schema);
        if (name) payloadComponents.add(name);
        checkSchema(schema, where, offenders, reached);
      }
    }
    const queue = [...reached];
    const checked = new Set<string>();
    while (queue.length > 0) {
      const name = queue.pop()!;
      if (checked.has(name)) continue;
      checked.add(name);
      const found = new Set<string>();
      checkSchema(components[name], name, offenders, found);
      queue.push(...[...found].filter((f) => !checked.has(f)));
    }
    for (const name of [...checked].sort()) {
      const component = components[name]!;
      if (payloadComponents.has(name) && isObject(component.properties) && component.example === undefined && component.examples === undefined) {
        offenders.push(`${name}: request body or 2xx response without an example`);
      }
      if (Array.isArray(component.enum)) {
        const labels = (component['x-enum-labels'] ?? {}) as Record<string, { zh?: unknown; en?: unknown }>;
        for (const value of component.enum) {
          const label = labels[String(value)];
          if (typeof label?.zh !== 'string' || typeof label.en !== 'string') offenders.push(`${name}: enum value ${String(value)} without zh/en labels`);
        }
        if (!isBilingual(component.description)) offenders.push(`${name}: enum without an English / 中文 description`);
      }
    }
    expect(checked.size).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
