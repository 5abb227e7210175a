// npm's postinstall: makes an initialised PGlite data directory with the migrations of this checkout
// applied, once per installed PGlite version (node_modules/.cache/kpo/pglite-<version>.tar.gz). The
// first start on an empty DATA_DIR then unpacks it instead of running initdb in WebAssembly (≈0.9 s
// instead of ≈3 s); the server's migrator runs after it as always and applies whatever migrations
// came later. Plain JavaScript, no src imports: it runs before anything is built or loaded. It never
// fails the install: without the file the server simply runs initdb.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
try {
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8'));
  const target = join(root, 'node_modules', '.cache', 'kpo', `pglite-${version}.tar.gz`);
  if (!existsSync(target)) {
    const { PGlite } = await import('@electric-sql/pglite');
    const started = Date.now();
    const db = await PGlite.create();
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(drizzle(db), { migrationsFolder: join(root, 'migrations') });
    const blob = await db.dumpDataDir('gzip');
    await db.close();
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, Buffer.from(await blob.arrayBuffer()));
    process.stdout.write(`kpo: embedded database template ready (${Date.now() - started} ms)\n`);
  }
} catch (error) {
  process.stdout.write(`kpo: no embedded database template (${error instanceof Error ? error.message : String(error)}); the first start runs initdb instead\n`);
}
