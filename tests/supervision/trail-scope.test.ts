import { describe, expect, it } from 'vitest';
import { escalateOverdueOrders } from '../../src/modules/supervision/supervision.public.js';
import { json, useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import { aWorld, china, made, order, step } from './helpers.js';

const ctx = useTestApp();

interface Change {
  resourceType: string;
  resourceId: string;
  kind: string;
  changeId: number;
}

async function changes(key?: string): Promise<Change[]> {
  const seen: Change[] = [];
  let after: string | undefined;
  for (;;) {
    const page = json(await ctx.app.inject({ method: 'GET', url: `/v1/changes?limit=200${after ? `&after=${after}` : ''}`, headers: key ? bearer(key) : {} }));
    seen.push(...page.items);
    if (!page.hasMore) return seen;
    after = page.nextCursor;
  }
}

/**
 * Waits until the feed holds every audit event written so far. The feed shows a change once every
 * older transaction has ended; on a shared PostgreSQL server another database's transaction can
 * hold it back for a while, so the admin's view is awaited before a department key's is compared.
 */
async function feedCaughtUp(timeoutMs = 60_000) {
  const newest = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit-events?limit=1' })).items[0].id as number;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await changes()).some((c) => c.changeId === newest)) return;
    if (Date.now() > deadline) throw new Error(`the change feed did not reach audit event ${newest} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the audit trail and the change feed of supervision orders', () => {
  it("show a department key the events of its own orders only, never another department's", { timeout: 120_000 }, async () => {
    const a = await aWorld(ctx, 'A');
    const b = await aWorld(ctx, 'B');
    const mine = await made(ctx, '/v1/supervision-orders', order({ projectId: a.project.id }));
    const theirs = await made(ctx, '/v1/supervision-orders', order({ projectId: b.project.id }));
    expect((await step(ctx, mine.id, { action: 'reply_plan', on: '2022-03-05', note: '方案A' }, a.departmentKey)).statusCode).toBe(200);
    expect((await step(ctx, theirs.id, { action: 'reply_plan', on: '2022-03-05', note: '方案B' }, b.departmentKey)).statusCode).toBe(200);

    const trail = async (key: string | undefined, query = 'resourceType=supervision_order') =>
      json(await ctx.app.inject({ method: 'GET', url: `/v1/audit-events?${query}&limit=200`, headers: key ? bearer(key) : {} })).items as { id: number; resourceId: string; action: string; after: { departmentId: string } }[];

    // The office sees both orders' events: create and reply, each.
    const all = await trail(undefined);
    expect(all.filter((e) => e.resourceId === theirs.id).map((e) => e.action)).toEqual(['transition', 'create']);
    // Department A: its own order's events, none of B's — by list, by record filter, and by id.
    const seenByA = await trail(a.departmentKey);
    expect(seenByA.map((e) => [e.resourceId, e.action])).toEqual([
      [mine.id, 'transition'],
      [mine.id, 'create'],
    ]);
    expect(await trail(a.departmentKey, `resourceType=supervision_order&resourceId=${theirs.id}`)).toEqual([]);
    const unfiltered = (await trail(a.departmentKey, 'action=transition')).map((e) => e.resourceId);
    expect(unfiltered).toContain(mine.id);
    expect(unfiltered).not.toContain(theirs.id);
    const theirEvent = all.find((e) => e.resourceId === theirs.id)!;
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/audit-events/${theirEvent.id}`, headers: bearer(a.departmentKey) })).statusCode).toBe(404);
    const myEvent = all.find((e) => e.resourceId === mine.id)!;
    expect((await ctx.app.inject({ method: 'GET', url: `/v1/audit-events/${myEvent.id}`, headers: bearer(a.departmentKey) })).statusCode).toBe(200);
    // Other records stay open to it, as they are to every role: B's project and issue.
    const projectEvents = await trail(a.departmentKey, `resourceType=project&resourceId=${b.project.id}`);
    expect(projectEvents).toHaveLength(1);
    // A leader key reads every order, and so every order's events.
    expect((await trail(a.leaderKey)).map((e) => e.resourceId).filter((id) => id === theirs.id)).toHaveLength(2);

    await feedCaughtUp();
    const feedOfA = await changes(a.departmentKey);
    const orderIds = feedOfA.filter((c) => c.resourceType === 'supervision_order').map((c) => [c.resourceId, c.kind]);
    expect(orderIds).toEqual([
      [mine.id, 'create'],
      [mine.id, 'transition'],
    ]);
    expect(feedOfA.some((c) => c.resourceId === b.project.id)).toBe(true);
    const feedOfB = (await changes(b.departmentKey)).filter((c) => c.resourceType === 'supervision_order').map((c) => c.resourceId);
    expect(feedOfB).toEqual([theirs.id, theirs.id]);
    expect((await changes(a.leaderKey)).filter((c) => c.resourceType === 'supervision_order')).toHaveLength(4);
  });

  it("keep an escalation of another department's order out of a department key's feed", { timeout: 120_000 }, async () => {
    const a = await aWorld(ctx, 'A');
    const b = await aWorld(ctx, 'B');
    const theirs = await made(ctx, '/v1/supervision-orders', order({ projectId: b.project.id, replyDueDate: '2022-03-10' }));
    expect(await escalateOverdueOrders({ db: ctx.testDb.database.db, now: china('2022-03-13') })).toBe(1);
    await feedCaughtUp();
    expect((await changes(a.departmentKey)).filter((c) => c.resourceId === theirs.id)).toEqual([]);
    expect((await changes(b.departmentKey)).filter((c) => c.resourceId === theirs.id).map((c) => c.kind)).toEqual(['create', 'transition']);
    const trailOfA = json(await ctx.app.inject({ method: 'GET', url: '/v1/audit-events?actor=system', headers: bearer(a.departmentKey) })).items;
    expect(trailOfA.filter((e: { resourceId: string }) => e.resourceId === theirs.id)).toEqual([]);
  });
});
