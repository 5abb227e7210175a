import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDatabase } from '../src/db/client.js';
import { migratePgliteDatabase } from '../src/db/migrate.js';

// Run in a fresh process by the bench, so the WebAssembly module is loaded cold as at a real start.
const dataDir = mkdtempSync(join(tmpdir(), 'kpo-bench-pglite-'));
try {
  const started = performance.now();
  const database = await createPgliteDatabase({ dataDir });
  const opened = performance.now();
  await migratePgliteDatabase(database);
  const migrated = performance.now();
  await database.close();
  process.stdout.write(`${JSON.stringify({ openMs: opened - started, migrateMs: migrated - opened, totalMs: migrated - started })}\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
