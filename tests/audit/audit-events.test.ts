import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';

const ctx = useTestApp();

async function department(code: string, actor = 'office', key?: string) {
  const headers: Record<string, string> = { 'x-actor': actor };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await ctx.app.inject({ method: 'POST', url: '/v1/departments', payload: { code, name: `${code}局` }, headers });
  return json(response).id as string;
}

/** The id of this test's key with that name, as an admin reads it from /v1/api-keys. */
async function keyId(name: string): Promise<string> {
  const keys = json(await ctx.app.inject({ method: 'GET', url: '/v1/api-keys?limit=200' })).items as { id: string; name: string }[];
  const found = keys.find((k) => k.name === name);
  if (!found) throw new Error(`no key named ${name}`);
  return found.id;
}

function events(query = '') {
  return ctx.app.inject({ method: 'GET', url: `/v1/audit-events${query}` });
}

describe('audit events', () => {
  it('lists every write newest first with the record before and after', async () => {
    const id = await department('FGJ');
    await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${id}`, payload: { shortName: '发改' }, headers: { 'if-match': '"v1"', 'x-actor': 'li' } });

    const page = json(await events());
    expect(page.items.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
    const [update, create] = page.items;
    expect(update.id).toBeGreaterThan(create.id);
    // The actor is the key that made the change; X-Actor is kept as the person it acted for.
    expect(update).toMatchObject({ actor: await keyId('test admin'), actorRole: 'admin', onBehalfOf: 'li', resourceType: 'department', resourceId: id });
    expect(create).toMatchObject({ onBehalfOf: 'office' });
    expect(update.before).toMatchObject({ shortName: null, version: 1 });
    expect(update.after).toMatchObject({ shortName: '发改', version: 2 });
    expect(create.before).toBeNull();
    expect(update.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(update.requestId).toEqual(expect.any(String));
  });

  it('filters by record, actor and action', async () => {
    const wang = await ctx.key({ role: 'admin', name: 'wang' });
    const zhao = await ctx.key({ role: 'admin', name: 'zhao' });
    const a = await department('A', 'wang', wang);
    const b = await department('B', 'zhao', zhao);
    await ctx.app.inject({ method: 'PATCH', url: `/v1/departments/${a}`, payload: { shortName: 'a' }, headers: { 'if-match': '"v1"', 'x-actor': 'zhao', authorization: `Bearer ${zhao}` } });

    const ids = async (query: string) => json(await events(query)).items.map((e: { resourceId: string; action: string }) => `${e.action}:${e.resourceId}`);
    expect(await ids(`?resourceType=department&resourceId=${a}`)).toEqual([`update:${a}`, `create:${a}`]);
    expect(await ids(`?actor=${await keyId('zhao')}`)).toEqual([`update:${a}`, `create:${b}`]);
    // X-Actor is not the actor: it names a person the key acted for, unverified.
    expect(await ids('?actor=zhao')).toEqual([]);
    expect(await ids('?action=create')).toEqual([`create:${b}`, `create:${a}`]);
    expect(await ids('?resourceType=special_bond')).toEqual([]);
  });

  it('filters by a half-open time window', async () => {
    await department('A');
    const [event] = json(await events()).items;
    const at = Date.parse(event.occurredAt);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(json(await events(`?from=${iso(at)}&to=${iso(at + 1000)}`)).items).toHaveLength(1);
    expect(json(await events(`?to=${iso(at - 1000)}`)).items).toHaveLength(0);
    const chinaTime = (ms: number) => encodeURIComponent(new Date(ms + 8 * 3600_000).toISOString().replace('Z', '+08:00'));
    expect(json(await events(`?from=${chinaTime(at)}`)).items).toHaveLength(1);
    expect(json(await events(`?from=${chinaTime(at + 1000)}`)).items).toHaveLength(0);
    expect((await events('?from=2022-03-31')).statusCode).toBe(400);
    expect((await events(`?from=${iso(at)}&to=${iso(at - 1)}`)).statusCode).toBe(400);
  });

  it('pages newest first with a cursor on the id', async () => {
    for (let i = 0; i < 5; i++) await department(`D${i}`);
    const first = json(await events('?limit=2'));
    const second = json(await events(`?limit=2&cursor=${first.nextCursor}`));
    const third = json(await events(`?limit=2&cursor=${second.nextCursor}`));
    const codes = [...first.items, ...second.items, ...third.items].map((e: { after: { code: string } }) => e.after.code);
    expect(codes).toEqual(['D4', 'D3', 'D2', 'D1', 'D0']);
    expect(third.nextCursor).toBeNull();
    expect((await events(`?limit=2&actor=x&cursor=${first.nextCursor}`)).statusCode).toBe(400);
  });

  it('reads one event by id and answers 404 for an unknown one and 400 for a malformed one', async () => {
    await department('A');
    const [event] = json(await events()).items;
    const one = await events(`/${event.id}`);
    expect(one.statusCode).toBe(200);
    expect(json(one)).toEqual(event);
    expect((await events(`/${event.id + 1000}`)).statusCode).toBe(404);
    expect((await events('/abc')).statusCode).toBe(400);
  });

  it('refuses an unknown filter and an unknown action', async () => {
    expect((await events('?colour=red')).statusCode).toBe(400);
    expect((await events('?action=rename')).statusCode).toBe(400);
  });
});
