import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

/**
 * The node arguments of a package.json script that runs `node …` (prestart: the build; start: the
 * bundle), so the tests run exactly what `npm start` runs without npm in between (npm would stand
 * between the test and the server's pid and signals).
 */
export function nodeArgsOf(script: 'prestart' | 'start'): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [program, ...args] = (scripts[script] ?? '').trim().split(/\s+/);
  if (program !== 'node') throw new Error(`package.json "${script}" is expected to run node, not: ${scripts[script]}`);
  return args;
}

/** vitest globalSetup: npm's prestart (the esbuild bundle, dist/server.mjs) once per run, before any test file starts a server. */
export default function setup(): void {
  execFileSync(process.execPath, nodeArgsOf('prestart'), { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
