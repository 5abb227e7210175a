import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { reportHelpers } from './support.js';

const ctx = useTestApp();
const { createDepartment, createProject, moveProject, submit, figures, submitted, revise, keyId, auditRows, currentPeriod } = reportHelpers(ctx);

describe('progress reports: submission', () => {
  it('files a report under the project department with period dates, due date, ETag, Location and an audit event', async () => {
    const departmentId = await createDepartment();
    const project = await createProject({ departmentId });
    const response = await submit({ projectId: project.id, period: '2022-03-H2', ...figures(), submittedAt: '2022-04-02T08:30:00Z' });
    expect(response.statusCode).toBe(201);
    const report = json(response);
    expect(report).toMatchObject({
      projectId: project.id,
      period: '2022-03-H2',
      periodStart: '2022-03-16',
      periodEnd: '2022-03-31',
      dueDate: '2022-04-03',
      departmentId,
      submittedAt: '2022-04-02T08:30:00Z',
      late: false,
      currentRevision: 1,
      investmentCompleted: '2150.5000',
      physicalProgress: '45.50',
      workOngoing: true,
      narrative: '主体结构施工中',
      correctionReason: null,
      yearToDateInvestment: '2150.5000',
      cumulativeInvestment: '2150.5000',
      version: 1,
    });
    expect(response.headers.etag).toBe('"v1"');
    expect(response.headers.location).toBe(`/v1/progress-reports/${report.id}`);

    const audit = await auditRows();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: await keyId(), actor_role: 'admin', on_behalf_of: '住建局', action: 'create', resource_id: report.id });
    expect(audit[0]!.after).toMatchObject({ period: '2022-03-H2', revision: { revision: 1, investmentCompleted: '2150.5000' } });
  });

  it('keeps the department of submission when the project later changes department', async () => {
    const first = await createDepartment();
    const project = await createProject({ departmentId: first });
    const report = await submitted(project.id, '2022-03-H2');
    await moveProject(project.id, await createDepartment());
    const read = json(await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${report.id}` }));
    expect(read.departmentId).toBe(first);
  });

  it('judges lateness at the end of the due day in China Standard Time', async () => {
    const onTime = await submitted((await createProject()).id, '2022-03-H2', '1.0000', { submittedAt: '2022-04-03T23:59:59.999+08:00' });
    const late = await submitted((await createProject()).id, '2022-03-H2', '1.0000', { submittedAt: '2022-04-03T16:00:00Z' });
    expect(onTime).toMatchObject({ dueDate: '2022-04-03', late: false });
    expect(late).toMatchObject({ dueDate: '2022-04-03', late: true, submittedAt: '2022-04-03T16:00:00Z' });
  });

  it('defaults submittedAt to now and accepts the period in progress', async () => {
    const before = Date.now();
    const response = await submit({ projectId: (await createProject()).id, period: currentPeriod(), ...figures() });
    expect(response.statusCode).toBe(201);
    const report = json(response);
    expect(report.late).toBe(false);
    expect(Date.parse(report.submittedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses a second report for the same project and period with 409 naming the existing report', async () => {
    const project = await createProject();
    const first = await submitted(project.id, '2022-03-H2');
    const again = await submit({ projectId: project.id, period: '2022-03-H2', ...figures('10.0000') });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ code: 'report_exists', existingReportId: first.id, location: `/v1/progress-reports/${first.id}` });
  });

  it('answers report_exists to the loser when two submissions for one period race', async () => {
    const projectId = (await createProject()).id;
    const body = { projectId, period: '2022-03-H2', ...figures(), submittedAt: '2022-04-02T08:30:00Z' };
    const responses = await Promise.all([submit(body), submit(body)]);
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409]);
    const winner = json(responses.find((r) => r.statusCode === 201)!);
    expect(json(responses.find((r) => r.statusCode === 409)!)).toMatchObject({ code: 'report_exists', existingReportId: winner.id });
  });

  it('refuses malformed period codes with 400', async () => {
    const projectId = (await createProject()).id;
    for (const period of ['2022-13-H1', '2022-00-H2', '2022-03-H3', '2022-3-H1', '2022-03', '1899-03-H1']) {
      const response = await submit({ projectId, period, ...figures() });
      expect(response.statusCode, period).toBe(400);
      expect(json(response).errors[0]).toMatchObject({ location: 'body', path: '/period' });
    }
  });

  it('refuses a period that has not started with 422, and a submission dated before its period', async () => {
    const projectId = (await createProject()).id;
    const future = await submit({ projectId, period: '2099-01-H1', ...figures() });
    expect(future.statusCode).toBe(422);
    expect(json(future)).toMatchObject({ code: 'period_not_started', periodStart: '2099-01-01' });

    const early = await submit({ projectId, period: '2022-03-H2', ...figures(), submittedAt: '2022-03-15T12:00:00Z' });
    expect(early.statusCode).toBe(422);
    expect(json(early).code).toBe('period_not_started');
  });

  it('refuses bad figures, unknown fields and an unknown project', async () => {
    const projectId = (await createProject()).id;
    const unknownField = await submit({ projectId, period: '2022-03-H2', ...figures(), yearToDateInvestment: '1.0000' });
    expect(unknownField.statusCode).toBe(400);
    expect(JSON.stringify(json(unknownField).errors)).toContain('yearToDateInvestment');

    const floatMoney = await submit({ projectId, period: '2022-03-H2', ...figures(), investmentCompleted: 2150.5 });
    expect(floatMoney.statusCode).toBe(400);
    const overHundred = await submit({ projectId, period: '2022-03-H2', ...figures(), physicalProgress: '100.01' });
    expect(overHundred.statusCode).toBe(400);
    const threeDecimals = await submit({ projectId, period: '2022-03-H2', ...figures(), physicalProgress: '45.555' });
    expect(threeDecimals.statusCode).toBe(400);

    const noProject = await submit({ projectId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f', period: '2022-03-H2', ...figures() });
    expect(noProject.statusCode).toBe(422);
    expect(json(noProject).code).toBe('project_not_found');
  });
});

describe('progress reports: corrections', () => {
  it('adds a revision that becomes current while the earlier one stays readable and lateness stays', async () => {
    const project = await createProject();
    const report = await submitted(project.id, '2022-03-H2', '2150.5000', { submittedAt: '2022-04-05T02:00:00Z' });
    expect(report.late).toBe(true);

    // Corrected by another key than the one that filed it: each revision keeps the key that recorded it.
    const office = await ctx.key({ role: 'office', name: '重点办' });
    const corrected = await revise(report.id, { ...figures('2250.5000'), physicalProgress: '46', correctionReason: '漏报设备款100万元' }, '"v1"', office);
    expect(corrected.statusCode).toBe(201);
    expect(corrected.headers.etag).toBe('"v2"');
    expect(corrected.headers.location).toBe(`/v1/progress-reports/${report.id}/revisions/2`);
    expect(json(corrected)).toMatchObject({
      currentRevision: 2,
      investmentCompleted: '2250.5000',
      physicalProgress: '46.00',
      correctionReason: '漏报设备款100万元',
      late: true,
      submittedAt: report.submittedAt,
      cumulativeInvestment: '2250.5000',
      version: 2,
    });

    const history = json(await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${report.id}/revisions` }));
    expect(history.items.map((r: { revision: number; investmentCompleted: string; current: boolean }) => [r.revision, r.investmentCompleted, r.current])).toEqual([
      [1, '2150.5000', false],
      [2, '2250.5000', true],
    ]);
    const first = await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${report.id}/revisions/1` });
    expect(json(first)).toMatchObject({ revision: 1, investmentCompleted: '2150.5000', actor: await keyId(), correctionReason: null, current: false });
    expect(history.items[1]).toMatchObject({ actor: await keyId('重点办') });

    const missing = await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports/${report.id}/revisions/3` });
    expect(missing.statusCode).toBe(404);

    const audit = await auditRows();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(audit[1]).toMatchObject({ actor: await keyId('重点办'), actor_role: 'office', on_behalf_of: '重点办', before: { currentRevision: 1 }, after: { currentRevision: 2, revision: { revision: 2 } } });
  });

  it('requires a correction reason', async () => {
    const report = await submitted((await createProject()).id, '2022-03-H2');
    const response = await revise(report.id, figures('1.0000'));
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(json(response).errors)).toContain('correctionReason');
  });

  it('requires If-Match (428) and refuses a stale one (412) for corrections and deletion', async () => {
    const report = await submitted((await createProject()).id, '2022-03-H2');
    const body = { ...figures('1.0000'), correctionReason: '更正' };
    expect((await revise(report.id, body, null)).statusCode).toBe(428);
    expect((await revise(report.id, body, '"v1"')).statusCode).toBe(201);
    const stale = await revise(report.id, body, '"v1"');
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ code: 'precondition_failed', currentEtag: '"v2"' });

    const url = `/v1/progress-reports/${report.id}`;
    expect((await ctx.app.inject({ method: 'DELETE', url })).statusCode).toBe(428);
    expect((await ctx.app.inject({ method: 'DELETE', url, headers: { 'if-match': '"v1"' } })).statusCode).toBe(412);
  });

  it('deletes an erroneous report with its revisions and keeps them in the audit trail', async () => {
    const report = await submitted((await createProject()).id, '2022-03-H2');
    await revise(report.id, { ...figures('1.0000'), correctionReason: '更正' });
    const url = `/v1/progress-reports/${report.id}`;
    const deleted = await ctx.app.inject({ method: 'DELETE', url, headers: { 'if-match': '"v2"', 'x-actor': '重点办' } });
    expect(deleted.statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `${url}/revisions` })).statusCode).toBe(404);

    const audit = await auditRows();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'delete']);
    expect(audit[2]).toMatchObject({ actor: await keyId(), on_behalf_of: '重点办', after: null });
    expect((audit[2]!.before as { revisions: unknown[] }).revisions).toHaveLength(2);
  });
});
