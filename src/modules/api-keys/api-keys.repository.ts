import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { notFound, unprocessable } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { Principal } from '../../lib/principal.js';
import { recordAudit } from '../audit/audit.public.js';
import type { RequestContext } from '../../lib/request-context.js';
import { departments } from '../departments/departments.table.js';
import { leaders } from '../leaders/leaders.table.js';
import { apiKeys } from './api-keys.table.js';
import type { CreateApiKey, ListApiKeysQuery } from './api-keys.schemas.js';
import { generateKey, hashKey, lastFourOf } from './api-keys.token.js';

const byId = keyset({ id: apiKeys.id });

const RESOURCE = 'api_key';
const DAY_MS = 86_400_000;
/** last_used_at is written at most once a minute per key, so reads stay reads. */
export const LAST_USED_RESOLUTION_MS = 60_000;

type Row = typeof apiKeys.$inferSelect;

/** The row as the API and the audit trail show it: never the hash. */
export function publicView({ secretHash: _secretHash, ...rest }: Row) {
  return rest;
}

export type AuthenticationResult =
  | { ok: true; principal: Principal; expiresAtMs: number }
  | { ok: false; reason: 'unknown' | 'revoked' | 'expired'; keyId?: string };

export function createApiKeysRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return publicView(row);
  }

  async function list(query: ListApiKeysQuery) {
    const found = await byId.list(
      query,
      (after) =>
        db
          .select()
          .from(apiKeys)
          .where(
            and(
              query.includeRevoked === 'true' ? undefined : isNull(apiKeys.revokedAt),
              query.role ? eq(apiKeys.role, query.role) : undefined,
              after,
            ),
          ),
    );
    return { items: found.items.map(publicView), nextCursor: found.nextCursor };
  }

  /** Makes a key and returns it with its secret, which exists nowhere else from then on. */
  async function create({ input, context }: { input: CreateApiKey; context: RequestContext }) {
    const needsDepartment = input.role === 'department';
    const needsLeader = input.role === 'leader';
    if (needsDepartment !== (input.departmentId !== undefined)) {
      throw unprocessable('key_binding_invalid', needsDepartment ? 'A department key needs departmentId' : 'Only a department key takes departmentId');
    }
    if (needsLeader !== (input.leaderId !== undefined)) {
      throw unprocessable('key_binding_invalid', needsLeader ? 'A leader key needs leaderId' : 'Only a leader key takes leaderId');
    }
    const key = generateKey();
    return db.transaction(async (tx) => {
      if (input.departmentId) {
        const [d] = await tx.select({ archivedAt: departments.archivedAt }).from(departments).where(eq(departments.id, input.departmentId));
        if (!d || d.archivedAt) throw unprocessable('department_unknown', `Department ${input.departmentId} does not exist or is archived`);
      }
      if (input.leaderId) {
        const [l] = await tx.select({ archivedAt: leaders.archivedAt }).from(leaders).where(eq(leaders.id, input.leaderId));
        if (!l || l.archivedAt) throw unprocessable('leader_unknown', `Leader ${input.leaderId} does not exist or is archived`);
      }
      const [row] = await tx
        .insert(apiKeys)
        .values({
          name: input.name,
          role: input.role,
          departmentId: input.departmentId ?? null,
          leaderId: input.leaderId ?? null,
          readOnly: input.readOnly,
          secretHash: hashKey(key),
          lastFour: lastFourOf(key),
          createdBy: context.actor,
          expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS).toISOString(),
        })
        .returning();
      const view = publicView(row!);
      await recordAudit(tx, context, { action: 'create', resourceType: RESOURCE, resourceId: view.id, after: view });
      return { ...view, key };
    });
  }

  /** Revocation is immediate: every request looks its key up afresh. Revoking twice is a no-op. */
  async function revoke({ id, context }: { id: string; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const [before] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
      if (!before) throw notFound(RESOURCE, id);
      if (before.revokedAt) return publicView(before);
      const [after] = await tx.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, id)).returning();
      await recordAudit(tx, context, { action: 'update', resourceType: RESOURCE, resourceId: id, before: publicView(before), after: publicView(after!) });
      return publicView(after!);
    });
  }

  /** Records use, to the minute: at most one write a minute per key, whatever the traffic. */
  async function touch(id: string): Promise<void> {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`date_trunc('minute', now())` })
      .where(and(eq(apiKeys.id, id), sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} < date_trunc('minute', now()))`));
  }

  /** Finds the key behind a presented secret's hash (the key already shape- and checksum-checked). */
  async function authenticate(secretHash: string): Promise<AuthenticationResult> {
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.secretHash, secretHash));
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked', keyId: row.id };
    const expiresAtMs = Date.parse(row.expiresAt);
    if (expiresAtMs <= Date.now()) return { ok: false, reason: 'expired', keyId: row.id };
    if (!row.lastUsedAt || Date.now() - Date.parse(row.lastUsedAt) >= LAST_USED_RESOLUTION_MS) await touch(row.id);
    return {
      ok: true,
      principal: { keyId: row.id, name: row.name, role: row.role, departmentId: row.departmentId, leaderId: row.leaderId, readOnly: row.readOnly },
      expiresAtMs,
    };
  }

  async function countAll(): Promise<number> {
    const [row] = await db.select({ n: count() }).from(apiKeys);
    return row?.n ?? 0;
  }

  return { getById, list, create, revoke, authenticate, touch, countAll };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
