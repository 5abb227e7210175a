// `npm run build` (and npm's prestart): bundles the service, src/server.ts, into dist/server.mjs with
// esbuild, so production runs plain JavaScript under `node --enable-source-maps dist/server.mjs`
// instead of compiling TypeScript in the process with tsx (≈110 MB idle RSS instead of ≈190 MB).
// Our own modules are bundled; packages stay real imports from node_modules (so the lazy import()s of
// exceljs and ioredis stay lazy, and packages find their own files). The linked source map makes
// stack traces name the .ts files. Files the service reads at run time (migrations/, openapi/) are
// found from the project root (src/lib/project-root.ts), not from the module's location.
//
//   node src/cli/build.mjs                      src/server.ts → dist/server.mjs
//   node src/cli/build.mjs <entry.ts> <out.mjs> another entry the same way (the benchmark's floor)
//
// Plain JavaScript, like the postinstall next to it: it runs before anything is built.
import { renameSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bundles `entry` into `outfile` (both relative to the project root); returns the bundle's size in bytes. */
export async function bundle(entry = 'src/server.ts', outfile = 'dist/server.mjs') {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [{ in: entry, out: basename(outfile, '.mjs') }],
    outdir: dirname(outfile),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // A module we import() lazily (src/lib/rate-limit.redis.ts, which imports ioredis) becomes a
    // chunk of its own, loaded only when it is needed, instead of joining the entry's static imports.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    // Stack traces need only the mappings; Node would hold the sources' text in memory too.
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  // Written beside and renamed into place, so a server starting while the tests or the benchmark
  // rebuild never reads half a file. Chunks are named by their content, so a rebuild of unchanged
  // code rewrites the same files; chunks of older code are left (a server still running may import
  // them later), `rm -rf dist` clears them.
  for (const file of result.outputFiles) {
    await mkdir(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  return result.outputFiles.find((file) => file.path === join(root, outfile))?.contents.length ?? 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [entry, outfile] = process.argv.slice(2);
  if (entry && !outfile) {
    process.stderr.write('usage: node src/cli/build.mjs [<entry.ts> <out.mjs>]\n');
    process.exit(2);
  }
  const started = performance.now();
  const bytes = await bundle(entry, outfile);
  process.stderr.write(
    `kpo: built ${relative(root, join(root, outfile ?? 'dist/server.mjs'))} (${Math.round(bytes / 1024)} KB) in ${Math.round(performance.now() - started)} ms\n`,
  );
}
