import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenapi, openapiPath } from '../../src/cli/openapi.js';
import { apiModules } from '../../src/modules/registry.js';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

describe('OpenAPI document', () => {
  it('matches the committed openapi/openapi.json (run `npm run openapi` after changing routes)', async () => {
    const committed = readFileSync(openapiPath, 'utf8');
    expect(await generateOpenapi()).toBe(committed);
  });

  it('is OpenAPI 3.1 and every operation has an operationId, a summary, tags and its error responses', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = json(response);
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(5);
    const ids = new Set<string>();
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toEqual(expect.any(String));
      expect(ids.has(op.operationId as string), `${where} duplicates an operationId`).toBe(false);
      ids.add(op.operationId as string);
      expect(op.summary, where).toEqual(expect.any(String));
      expect((op.tags as string[]).length, where).toBeGreaterThan(0);
      const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
      expect(responses['500']?.content?.['application/problem+json'], `${where} documents 500`).toBeDefined();
      if (path.startsWith('/v1/')) {
        expect(Object.keys(responses).some((s) => s.startsWith('4')), `${where} documents a 4xx`).toBe(true);
      }
    }
  });

  it('declares exactly the tags its operations use, one per registered module, each described in English and Chinese', async () => {
    const document = json(await ctx.app.inject({ method: 'GET', url: '/openapi.json' }));
    const declared = (document.tags as { name: string; description: string }[]).map((tag) => tag.name);
    const used = new Set(
      Object.values(document.paths as Record<string, Record<string, { tags?: string[] }>>).flatMap((methods) => Object.values(methods).flatMap((op) => op.tags ?? [])),
    );
    expect(new Set(declared).size, 'a tag declared twice').toBe(declared.length);
    expect([...used].filter((tag) => !declared.includes(tag)), 'operations with an undeclared tag').toEqual([]);
    expect(declared.filter((tag) => !used.has(tag)), 'tags no operation carries').toEqual([]);
    expect(declared).toEqual(['health', ...apiModules.map((module) => module.tag.name)]);
    for (const tag of document.tags as { name: string; description: string }[]) {
      expect(tag.description, tag.name).toMatch(/[\u4e00-\u9fff]/);
      expect(tag.description, tag.name).toMatch(/[A-Za-z]{3}/);
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger');
  });
});
