import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | undefined;

/**
 * The directory holding kpo's package.json (the checkout, or /app in the image), found by walking
 * up from this module. Files read at run time (migrations/, openapi/, node_modules/.cache/kpo) are
 * named from here rather than relative to the module, because the module is src/lib/project-root.ts
 * under tsx but dist/server.mjs in the bundle `npm start` runs.
 */
export function projectRoot(): string {
  if (found) return found;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (name === 'kpo') return (found = dir);
    } catch {
      // no (readable) package.json here: keep walking
    }
    if (dirname(dir) === dir) throw new Error(`kpo: no package.json named "kpo" in ${start} or above it`);
  }
}

/** A path inside the project root: `fromProjectRoot('migrations')`. */
export function fromProjectRoot(...parts: string[]): string {
  return join(projectRoot(), ...parts);
}
