import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import { aWorld, made, order, post, step } from './helpers.js';

const ctx = useTestApp();

describe('supervision orders (督办单)', () => {
  it('issues an order about an issue to its assigned department and runs it through plan, progress, send-back and 销号, each step dated and audited', async () => {
    const w = await aWorld(ctx);
    const created = await post(ctx, '/v1/supervision-orders', order({ issueId: w.issue.id }));
    expect(created.statusCode, created.body).toBe(201);
    const o = json(created);
    expect(o).toMatchObject({ subjectType: 'issue', projectId: w.project.id, departmentId: w.department.id, level: 1, status: 'issued', issuerLeaderId: null, version: 1 });
    expect(created.headers.location).toBe(`/v1/supervision-orders/${o.id}`);
    const plan = await step(ctx, o.id, { action: 'reply_plan', on: '2022-03-08', note: '3月15日前完成报装' }, w.departmentKey);
    expect(json(plan)).toMatchObject({ status: 'planned', fixPlan: '3月15日前完成报装', statusDate: '2022-03-08', version: 2 });
    expect(json(await step(ctx, o.id, { action: 'report_progress', on: '2022-03-12', note: '已递交报装资料' }, w.departmentKey))).toMatchObject({ status: 'in_progress' });
    const back = await step(ctx, o.id, { action: 'send_back', on: '2022-03-14', note: '方案未明确送电时间', replyDueDate: '2022-03-18' });
    expect(json(back)).toMatchObject({ status: 'returned', replyDueDate: '2022-03-18' });
    await step(ctx, o.id, { action: 'reply_plan', on: '2022-03-16', note: '3月20日送电' }, w.departmentKey);
    const closed = await step(ctx, o.id, { action: 'accept', on: '2022-03-21' });
    expect(json(closed)).toMatchObject({ status: 'closed', closedOn: '2022-03-21', version: 6 });
    const steps = json(await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders/${o.id}/steps` })).items;
    expect(steps.map((s: { kind: string; stepOn: string; toStatus: string }) => [s.kind, s.stepOn, s.toStatus])).toEqual([
      ['issue', '2022-03-01', 'issued'],
      ['reply_plan', '2022-03-08', 'planned'],
      ['report_progress', '2022-03-12', 'in_progress'],
      ['send_back', '2022-03-14', 'returned'],
      ['reply_plan', '2022-03-16', 'planned'],
      ['accept', '2022-03-21', 'closed'],
    ]);
    expect(steps.map((s: { orderVersion: number }) => s.orderVersion)).toEqual([1, 2, 3, 4, 5, 6]);
    const audit = json(await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?resourceType=supervision_order&resourceId=${o.id}` })).items;
    expect(audit.map((a: { action: string }) => a.action).reverse()).toEqual(['create', 'transition', 'transition', 'transition', 'transition', 'transition']);
    const versions = json(await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders/${o.id}/history` })).items;
    expect(versions.map((v: { record: { status: string } }) => v.record.status)).toEqual(['issued', 'planned', 'in_progress', 'returned', 'planned', 'closed']);
    // Closed is final.
    const again = await step(ctx, o.id, { action: 'report_progress', on: '2022-03-22', note: '补充' }, w.departmentKey);
    expect(json(again)).toMatchObject({ status: 409, code: 'illegal_supervision_step', allowed: [] });
  });

  it('needs If-Match, refuses a stale one, a step dated in the future or before the last step, and a send-back without a new deadline', async () => {
    const w = await aWorld(ctx);
    const o = await made(ctx, '/v1/supervision-orders', order({ projectId: w.project.id }));
    const url = `/v1/supervision-orders/${o.id}/transitions`;
    expect((await post(ctx, url, { action: 'reply_plan', on: '2022-03-05', note: '方案' })).statusCode).toBe(428);
    expect((await post(ctx, url, { action: 'reply_plan', on: '2022-03-05', note: '方案' }, { 'if-match': '"v9"' })).statusCode).toBe(412);
    const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
    expect(json(await step(ctx, o.id, { action: 'reply_plan', on: tomorrow, note: '方案' }))).toMatchObject({ status: 422, code: 'date_in_future', field: 'on' });
    expect(json(await step(ctx, o.id, { action: 'reply_plan', on: '2022-02-28', note: '方案' }))).toMatchObject({ status: 422, code: 'step_before_last' });
    expect(json(await step(ctx, o.id, { action: 'reply_plan', on: '2022-03-05' }))).toMatchObject({ status: 422, code: 'supervision_note_required' });
    expect(json(await step(ctx, o.id, { action: 'accept', on: '2022-03-05' }))).toMatchObject({ status: 409, code: 'illegal_supervision_step', allowed: ['reply_plan', 'withdraw'] });
    await step(ctx, o.id, { action: 'reply_plan', on: '2022-03-05', note: '方案' });
    expect(json(await step(ctx, o.id, { action: 'send_back', on: '2022-03-06', note: '不具体' }))).toMatchObject({ status: 422, code: 'reply_due_required' });
    const future = await post(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, issuedOn: tomorrow, replyDueDate: tomorrow }));
    expect(json(future)).toMatchObject({ status: 422, code: 'date_in_future', field: 'issuedOn' });
    expect(json(await post(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, replyDueDate: '2022-02-01' }))).code).toBe('reply_due_before_issued');
    expect(json(await post(ctx, '/v1/supervision-orders', order({ projectId: w.project.id, issueId: w.issue.id }))).code).toBe('supervision_subject_required');
  });

  it('lets a department see and reply to its own orders only, and only the issuer accept them', async () => {
    const a = await aWorld(ctx, 'A');
    const b = await aWorld(ctx, 'B');
    const mine = await made(ctx, '/v1/supervision-orders', order({ projectId: a.project.id }));
    const theirs = await made(ctx, '/v1/supervision-orders', order({ projectId: b.project.id }));
    const listed = json(await ctx.app.inject({ method: 'GET', url: '/v1/supervision-orders', headers: bearer(a.departmentKey) }));
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    // Asking for another department's orders by filter shows nothing either.
    const filtered = json(await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders?departmentId=${b.department.id}`, headers: bearer(a.departmentKey) }));
    expect(filtered.items).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders/${theirs.id}`, headers: bearer(a.departmentKey) })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders/${theirs.id}/steps`, headers: bearer(a.departmentKey) })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders/${theirs.id}/history`, headers: bearer(a.departmentKey) })).statusCode).toBe(404);
    const refused = await step(ctx, theirs.id, { action: 'reply_plan', on: '2022-03-05', note: '冒名答复' }, a.departmentKey);
    expect(json(refused)).toMatchObject({ status: 403, code: 'forbidden_scope', role: 'department' });
    expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders/${theirs.id}` })).status).toBe('issued');
    await step(ctx, mine.id, { action: 'reply_plan', on: '2022-03-05', note: '方案' }, a.departmentKey);
    const selfAccept = await step(ctx, mine.id, { action: 'accept', on: '2022-03-06' }, a.departmentKey);
    expect(json(selfAccept)).toMatchObject({ status: 403, code: 'forbidden_scope' });
    // Another role than admin and office sees every order (reads are open to them).
    expect(json(await ctx.app.inject({ method: 'GET', url: '/v1/supervision-orders', headers: bearer(a.leaderKey) })).items).toHaveLength(2);
  });

  it('lets a leader issue level-2 orders on the projects it watches and decide them, not on others', async () => {
    const a = await aWorld(ctx, 'A');
    const b = await aWorld(ctx, 'B');
    const issued = await post(ctx, '/v1/supervision-orders', order({ projectId: a.project.id }), bearer(a.leaderKey));
    expect(issued.statusCode, issued.body).toBe(201);
    const o = json(issued);
    expect(o).toMatchObject({ level: 2, issuerLeaderId: a.leader.id });
    const elsewhere = await post(ctx, '/v1/supervision-orders', order({ projectId: b.project.id }), bearer(a.leaderKey));
    expect(json(elsewhere)).toMatchObject({ status: 403, code: 'forbidden_scope' });
    const low = await post(ctx, '/v1/supervision-orders', order({ projectId: a.project.id, level: 1 }), bearer(a.leaderKey));
    expect(json(low).code).toBe('supervision_level_too_low');
    expect((await post(ctx, '/v1/supervision-orders', order({ projectId: a.project.id }), bearer(a.departmentKey))).statusCode).toBe(403);
    await step(ctx, o.id, { action: 'reply_plan', on: '2022-03-05', note: '方案' }, a.departmentKey);
    expect(json(await step(ctx, o.id, { action: 'accept', on: '2022-03-09' }, b.leaderKey))).toMatchObject({ status: 403, code: 'forbidden_scope', role: 'leader' });
    expect(json(await step(ctx, o.id, { action: 'reply_plan', on: '2022-03-09', note: 'x' }, a.leaderKey)).code).toBe('forbidden_scope');
    expect(json(await step(ctx, o.id, { action: 'accept', on: '2022-03-09' }, a.leaderKey))).toMatchObject({ status: 'closed' });
  });

  it('orders a milestone to the project’s department, and lists orders paged and filtered by status, level, department and overdue', async () => {
    const a = await aWorld(ctx, 'A');
    const b = await aWorld(ctx, 'B');
    const milestone = await made(ctx, `/v1/projects/${a.project.id}/milestones`, { kind: 'start', plannedDate: '2022-02-16' });
    const onMilestone = await made(ctx, '/v1/supervision-orders', order({ milestoneId: milestone.id, replyDueDate: '2022-03-05' }));
    expect(onMilestone).toMatchObject({ subjectType: 'milestone', milestoneId: milestone.id, projectId: a.project.id, departmentId: a.department.id });
    const answered = await made(ctx, '/v1/supervision-orders', order({ projectId: a.project.id, issuedOn: '2022-03-02', replyDueDate: '2022-03-05' }));
    await step(ctx, answered.id, { action: 'reply_plan', on: '2022-03-04', note: '方案' });
    const high = await made(ctx, '/v1/supervision-orders', order({ projectId: b.project.id, issuedOn: '2022-03-03', level: 3, replyDueDate: '2022-03-20' }));
    const ids = async (query: string) => json(await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders?${query}` })).items.map((i: { id: string }) => i.id);
    expect(await ids('')).toEqual([high.id, answered.id, onMilestone.id]);
    expect(await ids('status=planned')).toEqual([answered.id]);
    expect(await ids('level=3')).toEqual([high.id]);
    expect(await ids(`departmentId=${a.department.id}`)).toEqual([answered.id, onMilestone.id]);
    expect(await ids('overdue=true&asOf=2022-03-10')).toEqual([onMilestone.id]);
    expect(await ids('overdue=false&asOf=2022-03-10')).toEqual([high.id, answered.id]);
    expect(await ids('overdue=true&asOf=2022-03-25')).toEqual([high.id, onMilestone.id]);
    const one = json(await ctx.app.inject({ method: 'GET', url: '/v1/supervision-orders?limit=2' }));
    expect(one.items).toHaveLength(2);
    const next = json(await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders?limit=2&cursor=${encodeURIComponent(one.nextCursor)}` }));
    expect(next.items.map((i: { id: string }) => i.id)).toEqual([onMilestone.id]);
    expect(next.nextCursor).toBeNull();
    const reused = await ctx.app.inject({ method: 'GET', url: `/v1/supervision-orders?limit=2&status=issued&cursor=${encodeURIComponent(one.nextCursor)}` });
    expect(reused.statusCode).toBe(400);
  });
});
