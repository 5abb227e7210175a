import { isDeepStrictEqual } from 'node:util';
import type { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { problemExample } from './openapi-examples.js';

type Json = Record<string, unknown>;

const successText: Record<string, string> = {
  '200': 'Success / 成功',
  '201': 'Created / 已创建',
  '202': 'Accepted / 已受理',
  '204': 'No content / 无内容',
};

function mapRefs(node: unknown, rename: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map((n) => mapRefs(n, rename));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node as Json).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? rename(v) : mapRefs(v, rename)]),
    );
  }
  return node;
}

function collectRefs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, into));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === '$ref' && typeof v === 'string') into.add(v.replace('#/components/schemas/', ''));
      else collectRefs(v, into);
    }
  }
}

const parameterParts = ['params', 'querystring', 'headers'];

/**
 * @fastify/swagger drops every keyword beside a `$ref` (an OpenAPI 3.0 rule), so the description of a
 * parameter whose schema is a component (an id, a date, a code list) would be lost. Wrapping the
 * `$ref` in `allOf` carries the description through; `tidyOpenapi` unwraps it again.
 */
export function keepParameterTexts(transform: typeof jsonSchemaTransform): typeof jsonSchemaTransform {
  return (input) => {
    const result = transform(input);
    const schema = result.schema as Json | undefined;
    for (const part of parameterParts) {
      const properties = (schema?.[part] as Json | undefined)?.properties as Record<string, Json> | undefined;
      for (const [name, property] of Object.entries(properties ?? {})) {
        if (typeof property.$ref !== 'string' || Object.keys(property).length === 1) continue;
        const { $ref, ...siblings } = property;
        properties![name] = { ...siblings, allOf: [{ $ref }] };
      }
    }
    return result;
  };
}

function unwrapParameterRefs(operation: Json): void {
  for (const parameter of (operation.parameters ?? []) as Json[]) {
    const schema = parameter.schema as Json | undefined;
    const members = schema?.allOf as Json[] | undefined;
    if (members?.length !== 1 || typeof members[0]!.$ref !== 'string' || Object.keys(members[0]!).length !== 1) continue;
    const { allOf: _wrapper, ...siblings } = schema!;
    parameter.schema = { $ref: members[0]!.$ref, ...siblings };
  }
}

/**
 * The zod provider emits an input and an output variant of every registered schema. Where both
 * are the same, one name serves; components no operation reaches are dropped; default response
 * descriptions become bilingual; parameter schemas wrapped by `keepParameterTexts` are unwrapped;
 * problem+json responses get an example for their status.
 */
export function tidyOpenapi(document: Json): Json {
  const components = (document.components ?? {}) as Json;
  const schemas = { ...((components.schemas ?? {}) as Record<string, unknown>) };
  const merged = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const base = name.endsWith('Input') ? name.slice(0, -'Input'.length) : undefined;
    if (base && base in schemas && isDeepStrictEqual(schemas[name], schemas[base])) merged.set(name, base);
  }
  const rename = (ref: string) => {
    const name = ref.replace('#/components/schemas/', '');
    const target = merged.get(name);
    return target ? `#/components/schemas/${target}` : ref;
  };
  let paths = mapRefs(document.paths ?? {}, rename) as Json;
  for (const name of merged.keys()) delete schemas[name];
  const renamedSchemas = mapRefs(schemas, rename) as Record<string, unknown>;

  const reachable = new Set<string>();
  collectRefs(paths, reachable);
  const queue = [...reachable];
  while (queue.length > 0) {
    const found = new Set<string>();
    collectRefs(renamedSchemas[queue.pop()!], found);
    for (const f of found) if (!reachable.has(f)) (reachable.add(f), queue.push(f));
  }
  const kept = Object.fromEntries(Object.entries(renamedSchemas).filter(([n]) => reachable.has(n)).sort(([a], [b]) => a.localeCompare(b)));

  paths = mapRefs(paths, (r) => r) as Json;
  for (const [path, operations] of Object.entries(paths)) {
    for (const operation of Object.values(operations as Json)) {
      unwrapParameterRefs(operation as Json);
      const responses = (operation as Json).responses as Record<string, Json> | undefined;
      for (const [status, response] of Object.entries(responses ?? {})) {
        if (response.description === 'Default Response') response.description = successText[status] ?? `HTTP ${status}`;
        // Every plain Problem response shows the problem its status really carries, not the component's 400;
        // a more specific schema (an import's rows) keeps its own example.
        const problem = (response.content as Record<string, Json> | undefined)?.['application/problem+json'];
        const isPlainProblem = (problem?.schema as Json | undefined)?.$ref === '#/components/schemas/Problem';
        if (problem && isPlainProblem && problem.example === undefined && problem.examples === undefined) {
          problem.example = problemExample(Number(status), path);
        }
      }
    }
  }
  return { ...document, paths, components: { ...components, schemas: kept } };
}
