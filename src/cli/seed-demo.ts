import { loadConfig } from '../config.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { openDatabase } from '../db/open.js';
import { writeDemo } from './demo/write-demo.js';

// npm run seed:demo — loads the Tanzhou 2022 demo dataset into the configured database
// (DATABASE_URL, else the embedded one in DATA_DIR), migrating it first.
const config = loadConfig(process.env);
const database = await openDatabase(config).catch((error: unknown) => {
  // A locked embedded data directory (a server runs on it): say who holds it, and stop.
  if (error instanceof DataDirLockedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
});
try {
  process.stdout.write(`seed:demo into ${database.kind === 'postgres' ? 'PostgreSQL' : `PGlite at ${config.DATA_DIR}`}\n`);
  const result = await writeDemo(database.db, { reportDueDays: config.REPORT_DUE_DAYS, log: (line) => process.stdout.write(`  ${line}\n`) });
  process.stdout.write(`done: ${result.projects} projects, ${result.reports} progress reports\n`);
} catch (error) {
  process.stderr.write(`seed:demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
