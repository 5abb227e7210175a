import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { allCodeLists } from '../../src/domain/codes.js';

const ctx = useTestApp();

describe('code lists', () => {
  it('returns every code list with its codes in order and their Chinese and English labels', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/enums' });
    expect(response.statusCode).toBe(200);
    const body = json(response);
    expect(Object.keys(body).sort()).toEqual(Object.keys(allCodeLists).sort());
    for (const [name, list] of Object.entries(allCodeLists)) {
      expect(body[name].map((c: { code: string }) => c.code)).toEqual(list.values);
    }
    expect(body.planStage).toEqual([
      { code: 'new_start', zh: '新开工', en: 'New start' },
      { code: 'continuing', zh: '续建', en: 'Continuing' },
      { code: 'preliminary', zh: '前期', en: 'Preliminary' },
    ]);
    expect(body.issueHandlingMode.map((c: { zh: string }) => c.zh)).toEqual(['马上办', '行走办', '专人办']);
    expect(body.bondOutcome.find((c: { code: string }) => c.code === 'granted')).toEqual({ code: 'granted', zh: '已获批', en: 'Granted' });
  });

  it('refuses query parameters, which it has none of, with a 400', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/enums?list=planStage' });
    expect(response.statusCode).toBe(400);
    expect(json(response).code).toBe('validation_failed');
  });

  it('documents the response with named components under the meta tag', async () => {
    const spec = json(await ctx.app.inject({ method: 'GET', url: '/openapi.json' }));
    const operation = spec.paths['/v1/enums'].get;
    expect(operation).toMatchObject({ operationId: 'listEnums', tags: ['meta'] });
    expect(JSON.stringify(operation.responses['200'])).toContain('#/components/schemas/Enums');
    expect(Object.keys(spec.components.schemas.Enums.properties).sort()).toEqual(Object.keys(allCodeLists).sort());
    expect(spec.components.schemas.CodeLabel.required).toEqual(['code', 'zh', 'en']);
  });
});
