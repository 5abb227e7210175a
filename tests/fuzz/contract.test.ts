import { beforeEach, describe, expect, it } from 'vitest';
import { generateOpenapi } from '../../src/cli/openapi.js';
import { useTestApp } from '../support/app.js';
import type { IdPool, OpenApiDocument } from './arbitraries.js';
import { createFixtures } from './fixtures.js';
import { createResponseChecker, fuzzOperation, NON_JSON_RESPONSES, operationGroups, operationsOf, seedFor } from './contract.js';

// The document as the code produces it now, not the committed file, so a new route is fuzzed at once.
const document = JSON.parse(await generateOpenapi()) as OpenApiDocument;
// CI: 25 requests per operation, about two thousand in all plus the ETag reads;
// `npm run fuzz -- --runs N` runs longer (tests/fuzz/run.ts).
const runs = Number(process.env.FUZZ_RUNS ?? 25);
const seed = Number(process.env.FUZZ_SEED ?? 20220216);
const only = process.env.FUZZ_ONLY?.split(',').filter(Boolean);
const all = operationsOf(document);
const targets = all.filter((t) => !only || only.includes(t.operation.operationId));
const groups = operationGroups(targets);

const ctx = useTestApp();
const check = createResponseChecker(document);
let ids: IdPool;

// Tables are emptied before each test; every group starts from the same fresh records.
beforeEach(async () => {
  ids = await createFixtures(ctx.app);
});

describe(`Every operation answers only what the OpenAPI document declares (seed ${seed}, ${runs} runs each)`, () => {
  it('fuzzes every operation of the document, excluding none', () => {
    expect(targets.length).toBe(only ? only.length : all.length);
    expect(all.length).toBeGreaterThan(80);
  });

  for (const [tag, group] of groups) {
    const names = group.map((t) => t.operation.operationId).join(', ');
    it(
      `${tag}: no 5xx, and every status, content type and body is one the document declares (${names}${tag === 'exports' ? `; ${NON_JSON_RESPONSES}` : ''})`,
      async () => {
        const failures: string[] = [];
        for (const target of group) {
          const operationSeed = seedFor(seed, target.operation.operationId);
          try {
            await fuzzOperation({ app: ctx.app, document, ids, target, runs, seed: operationSeed, check });
          } catch (error) {
            failures.push(`${target.operation.operationId} (replay: FUZZ_ONLY=${target.operation.operationId} FUZZ_SEED=${seed}):\n${(error as Error).message}`);
          }
        }
        expect(failures, failures.join('\n\n')).toEqual([]);
      },
      Math.max(120_000, group.length * runs * 1_000),
    );
  }
});
