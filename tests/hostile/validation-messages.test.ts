import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();
const CJK = /[\u4e00-\u9fff]/;

describe('Validation problems speak both languages and point at the field', () => {
  it('an unknown body field is reported at its own path, one entry each, so a form can mark it', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code: 'UNK', name: '住建局', foo: 1, 'a/b': 2 } });
    expect(response.statusCode).toBe(400);
    const { errors } = json(response);
    expect(errors.map((e: { path: string }) => e.path).sort()).toEqual(['/a~1b', '/foo']);
    for (const error of errors) {
      expect(error.location).toBe('body');
      expect(error.message).toMatch(/Unknown field/);
      expect(error.message).toMatch(CJK);
    }
  });

  it('an unknown query parameter is reported at its own name', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/departments?bogus=1' });
    expect(response.statusCode).toBe(400);
    expect(json(response).errors).toEqual([expect.objectContaining({ location: 'querystring', path: '/bogus' })]);
  });

  it('every message of a body wrong in every field is in English and in Chinese, and the detail too', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/projects',
      payload: { code: 5, name: '', category: 'nope', estimatedInvestment: '1.23456', departmentId: 'not-a-uuid', plannedStartDate: '2022-13-45', supportingDepartmentIds: 'x', statusDate: null },
    });
    expect(response.statusCode).toBe(400);
    const problem = json(response);
    expect(problem.detail).toMatch(CJK);
    expect(problem.errors.length).toBeGreaterThanOrEqual(6);
    for (const error of problem.errors) {
      expect(error.message, error.path).toMatch(/[A-Za-z]{3}/);
      expect(error.message, error.path).toMatch(CJK);
      expect(error.message, error.path).not.toContain('undefined');
    }
    const byPath = Object.fromEntries(problem.errors.map((e: { path: string; message: string }) => [e.path, e.message]));
    expect(byPath['/departmentId']).toBe('Invalid UUID / 无效UUID');
    expect(byPath['/code']).toMatch(/^Invalid input: expected string, received number \/ 无效输入：期望字符串，实际为数字$/);
  });

  it('a path parameter that is no id says so in both languages', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/v1/departments/not-a-uuid' });
    expect(json(response).errors[0]).toMatchObject({ location: 'params', path: '/id', message: 'Invalid UUID / 无效UUID' });
  });
});
