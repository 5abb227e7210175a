import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createPgliteDatabase, pgliteTemplatePath } from '../../src/db/client.js';
import { migratePgliteDatabase } from '../../src/db/migrate.js';

const dirs: string[] = [];
function freshDir() {
  const dir = mkdtempSync(join(tmpdir(), 'kpo-template-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function openMigrateAndCount(dataDir: string, template?: string | null) {
  const database = await createPgliteDatabase({ dataDir, ...(template === undefined ? {} : { template }) });
  try {
    await migratePgliteDatabase(database);
    const result = (await database.db.execute(sql`select count(*)::int as n from api_keys`)) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n;
  } finally {
    await database.close();
  }
}

describe('the embedded database template (npm postinstall)', () => {
  it('exists after npm install, and an empty data directory opened from it migrates and works', { timeout: 60_000 }, async () => {
    const template = pgliteTemplatePath();
    expect(template && existsSync(template)).toBe(true);
    const dir = freshDir();
    expect(await openMigrateAndCount(dir)).toBe(0);
    expect(readdirSync(dir)).toContain('PG_VERSION');
    // Opened again: the data is the directory's own, not the template's.
    expect(await openMigrateAndCount(dir)).toBe(0);
  });

  it('falls back to initdb when the template is broken, leaving a working directory', { timeout: 60_000 }, async () => {
    const broken = join(freshDir(), 'broken.tar.gz');
    writeFileSync(broken, 'not a tarball');
    const dir = freshDir();
    expect(await openMigrateAndCount(dir, broken)).toBe(0);
    expect(readdirSync(dir)).toContain('PG_VERSION');
  });
});
