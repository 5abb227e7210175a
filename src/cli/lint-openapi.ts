import { spawnSync } from 'node:child_process';
import { fromProjectRoot } from '../lib/project-root.js';

/**
 * `npm run lint:openapi [file]`: Redocly's recommended ruleset (redocly.yaml) on the OpenAPI document.
 * `redocly lint` exits 0 on warnings; frontend teams build from this document, so a warning fails too.
 */
interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> }>;
}

// Not imported from ./openapi.js: that would load the whole app just to name a file.
const file = process.argv[2] ?? fromProjectRoot('openapi', 'openapi.json');
const run = spawnSync('npx', ['--no-install', 'redocly', 'lint', file, '--format=json', '--max-problems=1000'], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const start = run.stdout.indexOf('{');
if (start < 0) {
  process.stderr.write(`redocly lint produced no report:\n${run.stdout}${run.stderr}`);
  process.exit(1);
}
const report = JSON.parse(run.stdout.slice(start)) as LintReport;
for (const p of report.problems) {
  process.stdout.write(`${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}\n  ${p.message}\n`);
}
const { errors, warnings } = report.totals;
process.stdout.write(`openapi lint (${file}): ${errors} errors, ${warnings} warnings\n`);
process.exit(errors + warnings > 0 ? 1 : 0);
