import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { preparedStatement } from '../../src/db/prepared.js';
import type { Db } from '../../src/db/types.js';
import { uuidv7 } from '../../src/lib/ids.js';
import { recordAudit } from '../../src/modules/audit/audit.public.js';
import { rowsOf } from '../../src/db/rows.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const probe = pgTable('prepared_probe', { id: uuid('id').primaryKey(), label: text('label').notNull(), note: jsonb('note') });
const p = sql.placeholder;
const insertProbe = preparedStatement((executor) =>
  executor.insert(probe).values({ id: p('id'), label: p('label'), note: sql`${p('note')}::jsonb` }).returning().prepare('prepared_probe_insert'),
);
const probeById = preparedStatement((executor) => executor.select().from(probe).where(eq(probe.id, p('id'))).prepare('prepared_probe_by_id'));

let t: TestDatabase;
let db: Db;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.database.db;
  await db.execute(sql`create table prepared_probe (id uuid primary key, label text not null, note jsonb)`);
});
afterAll(async () => t.close());

describe('preparedStatement (src/db/prepared.ts)', () => {
  it('runs one built statement with fresh values each time, its rows mapped as drizzle maps them', async () => {
    const [a] = await insertProbe(db, { id: uuidv7(), label: 'a', note: JSON.stringify({ n: 1 }) });
    const [b] = await insertProbe(db, { id: uuidv7(), label: 'b', note: null });
    expect(a!.id).not.toBe(b!.id);
    expect(a).toMatchObject({ label: 'a', note: { n: 1 } });
    // Cast from text, a missing value is SQL NULL, not JSON null.
    const [row] = await rowsOf<{ isNull: boolean }>(db, sql`select note is null as "isNull" from prepared_probe where id = ${b!.id}`);
    expect(row!.isNull).toBe(true);
    expect(await probeById(db, { id: b!.id })).toEqual([b]);
  });

  it("runs inside a transaction on that transaction's connection: seen there, gone after its rollback", async () => {
    const id = uuidv7();
    const rollback = new Error('roll back');
    await expect(
      db.transaction(async (tx) => {
        await insertProbe(tx, { id, label: 'in a transaction', note: null });
        // Read through the root client (another connection on PostgreSQL) the row is not there yet.
        if (t.url) expect(await probeById(db, { id })).toEqual([]);
        expect(await probeById(tx, { id })).toHaveLength(1);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await probeById(db, { id })).toEqual([]);
  });

  it("reports each run to the executing session's logger (the bench's SQL capture relies on it)", async () => {
    const logged: string[] = [];
    const client = (db as unknown as { session: { client: unknown } }).session.client;
    const logger = { logQuery: (query: string) => void logged.push(query) };
    const logging = (t.url ? drizzlePg(client as pg.Pool, { logger }) : drizzlePglite(client as PGlite, { logger })) as unknown as Db;
    await insertProbe(logging, { id: uuidv7(), label: 'logged', note: null });
    expect(logged).toEqual([expect.stringContaining('insert into "prepared_probe"')]);
  });

  it('records an audit event without a before snapshot as SQL NULL, with its after snapshot as JSON', async () => {
    const context = { actor: 'tester', actorRole: 'admin' as const, onBehalfOf: null, requestId: 'r-1' };
    await recordAudit(db, context, { action: 'create', resourceType: 'prepared_probe', resourceId: 'x-1', after: { label: 'x', amount: '1.5000' } });
    const [row] = await rowsOf<{ beforeIsNull: boolean; after: unknown }>(
      db,
      sql`select before is null as "beforeIsNull", after from audit_events where resource_type = 'prepared_probe' and resource_id = 'x-1'`,
    );
    expect(row).toEqual({ beforeIsNull: true, after: { label: 'x', amount: '1.5000' } });
  });
});
