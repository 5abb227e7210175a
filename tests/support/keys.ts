import pg from 'pg';
import type { Db } from '../../src/db/types.js';
import type { Role } from '../../src/lib/principal.js';
import { apiKeys } from '../../src/modules/api-keys/api-keys.table.js';
import { generateKey, hashKey, lastFourOf } from '../../src/modules/api-keys/api-keys.token.js';

export interface KeySpec {
  role: Role;
  departmentId?: string;
  leaderId?: string;
  readOnly?: boolean;
  /** Expiry instant; a year ahead by default. */
  expiresAt?: string;
  name?: string;
}

function rowOf(key: string, spec: KeySpec) {
  return {
    name: spec.name ?? `test ${spec.role}`,
    role: spec.role,
    departmentId: spec.departmentId ?? null,
    leaderId: spec.leaderId ?? null,
    readOnly: spec.readOnly ?? false,
    secretHash: hashKey(key),
    lastFour: lastFourOf(key),
    createdBy: 'test',
    expiresAt: spec.expiresAt ?? new Date(Date.now() + 365 * 86_400_000).toISOString(),
  };
}

/**
 * Writes a key straight into the table (no audit event, so tests that count audit events are not
 * disturbed) and returns the key and its id. The API path (POST /v1/api-keys) has its own tests.
 */
export async function insertKey(db: Db, spec: KeySpec): Promise<{ key: string; id: string }> {
  const key = generateKey();
  const [row] = await db.insert(apiKeys).values(rowOf(key, spec)).returning({ id: apiKeys.id });
  return { key, id: row!.id };
}

/** The same for a database the test reaches only by URL (a server process's PostgreSQL). */
export async function insertKeyByUrl(url: string, spec: KeySpec): Promise<string> {
  const key = generateKey();
  const row = rowOf(key, spec);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into api_keys (id, name, role, department_id, leader_id, read_only, secret_hash, last_four, created_by, expires_at)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [row.name, row.role, row.departmentId, row.leaderId, row.readOnly, row.secretHash, row.lastFour, row.createdBy, row.expiresAt],
    );
  } finally {
    await client.end();
  }
  return key;
}

/** The admin key an empty embedded database prints on its first start (see src/server.ts). */
export function bootstrapKeyIn(output: string): string | undefined {
  return /\b(kpo_live_[0-9A-Za-z]{36})\b/.exec(output)?.[1];
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
