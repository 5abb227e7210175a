import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

/**
 * `npm run fuzz -- --runs N [--seed S] [--only opA,opB] [--shrink]`: the contract properties of
 * tests/fuzz/contract.test.ts with N requests per operation, on PGlite or on TEST_DATABASE_URL.
 * Without --seed the seed is new each time and printed, so a failure can be replayed with it.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string' },
    only: { type: 'string' },
    shrink: { type: 'boolean', default: false },
  },
});

const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);
const seed = values.seed ?? String(Date.now() % 2 ** 31);
process.stdout.write(`fuzz: ${runs} runs per operation, seed ${seed}${values.only ? `, only ${values.only}` : ''} on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}\n`);

const result = spawnSync('npx', ['vitest', 'run', 'tests/fuzz/contract.test.ts'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FUZZ_RUNS: String(runs),
    FUZZ_SEED: seed,
    ...(values.only ? { FUZZ_ONLY: values.only } : {}),
    ...(values.shrink ? { FUZZ_SHRINK: '1' } : {}),
  },
});
process.stdout.write(`fuzz: seed ${seed} (replay with npm run fuzz -- --runs ${runs} --seed ${seed})\n`);
process.exit(result.status ?? 1);
