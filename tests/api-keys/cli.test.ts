import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { bootstrapAdminKey } from '../../src/modules/api-keys/api-keys.bootstrap.js';
import { createApiKeysRepository } from '../../src/modules/api-keys/api-keys.repository.js';
import { KEY_PATTERN } from '../../src/modules/api-keys/api-keys.token.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

let testDb: TestDatabase;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'kpo-keys-cli-'));
  env = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir }) };
});

afterAll(async () => {
  await testDb?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function keys(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], { cwd: root, env, timeout: 60_000 });
}

describe('npm run keys', () => {
  it('creates a key printed once on stdout, lists it without the secret, and revokes it', async () => {
    const created = await keys('create', '--role', 'admin', '--name', '运维 管理员', '--days', '30');
    const key = created.stdout.trim();
    expect(key).toMatch(KEY_PATTERN);
    expect(created.stderr).toMatch(/created key [0-9a-f-]{36} \(admin\), expires /);
    const id = /created key ([0-9a-f-]{36})/.exec(created.stderr)![1]!;

    const listed = await keys('list');
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain(`…${key.slice(-4)}`);
    expect(listed.stdout).not.toContain(key);

    const revoked = await keys('revoke', id);
    expect(revoked.stdout).toMatch(new RegExp(`revoked ${id} at `));
    expect((await keys('list')).stdout).toMatch(new RegExp(`${id}.*revoked`));
  }, 180_000);

  it('refuses a bad role or a department key without its department, exiting 2 with the usage', async () => {
    await expect(keys('create', '--role', 'root', '--name', 'x')).rejects.toMatchObject({ code: 2 });
    const missing = await keys('create', '--role', 'department', '--name', 'x').catch((e: { code: number; stderr: string }) => e);
    expect(missing).toMatchObject({ code: 1 });
    expect((missing as { stderr: string }).stderr).toContain('key_binding_invalid');
    await expect(keys('frobnicate')).rejects.toMatchObject({ code: 2 });
  }, 180_000);
});

describe('first-start admin key', () => {
  it('is made once on an embedded database without keys, and never on PostgreSQL', async () => {
    const database = testDb.database;
    await testDb.reset();
    const first = await bootstrapAdminKey(database);
    if (database.kind === 'postgres') {
      expect(first).toBeNull();
      return;
    }
    expect(first).toMatch(KEY_PATTERN);
    expect(await bootstrapAdminKey(database)).toBeNull();
    const page = await createApiKeysRepository({ db: database.db }).list({ limit: 10, includeRevoked: 'true' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ role: 'admin', createdBy: 'bootstrap', lastFour: first!.slice(-4) });
  });
});
