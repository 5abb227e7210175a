import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createFixtures } from '../fuzz/fixtures.js';
import { createResponseChecker, fuzzOperation, operationGroups, operationsOf, seedFor } from '../fuzz/contract.js';
import { httpInjector } from '../fuzz/http-inject.js';
import type { IdPool, OpenApiDocument } from '../fuzz/arbitraries.js';
import { nodeArgsOf, root } from '../support/npm-start.js';
import { adminKeyFor, startServer, waitUntilReady } from '../support/server-process.js';

/**
 * CI's contract check from outside (`npm run contract:prism`, .ci/run on PostgreSQL and on PGlite): the
 * real server (npm start's bundle) as a process, Stoplight Prism's validating proxy in front of it
 * (`prism proxy <the served /openapi.json> <server> --errors=false`, a validator no one here wrote), and
 * the fuzzer's probes (tests/fuzz/contract.ts, the same arbitraries and fixtures) sent over real HTTP
 * through the proxy. Prism checks each response against the document and reports what it finds wrong
 * in the `sl-violations` response header; every one is counted, and the step fails unless there are 0,
 * and unless every probe also passes the suite's own response contract (tests/support/response-contract.ts).
 * Two kinds of Prism output are listed but not counted, each with its reason at `unroutable` and
 * `notForwarded` below: "Selected route not found" for a URL no operation matches, and the probes Prism
 * does not forward (its own 500 for a body it cannot parse, no answer to a write with huge headers:
 * those are sent to the server directly and checked by the suite's contract); over 1 % of the probes
 * not forwarded fails the run.
 *
 * TEST_DATABASE_URL set: the server runs on a fresh database made on that cluster; unset: on a fresh
 * PGlite DATA_DIR. PRISM_FUZZ_RUNS (default 5: about 1,200 probes) per operation, PRISM_FUZZ_SEED the seed,
 * PRISM_FUZZ_ONLY=opA,opB some operations only.
 * PRISM_CLI the path of prism's CLI script, if not the devDependency's.
 */
const runs = Number(process.env.PRISM_FUZZ_RUNS ?? 5);
const seed = Number(process.env.PRISM_FUZZ_SEED ?? 20220216);
const adminUrl = process.env.TEST_DATABASE_URL;
const log = (line: string) => process.stdout.write(`prism-proxy: ${line}\n`);

function prismCli(): string {
  if (process.env.PRISM_CLI) return process.env.PRISM_CLI;
  const require = createRequire(join(root, 'package.json'));
  return join(require.resolve('@stoplight/prism-cli/package.json'), '..', 'dist', 'index.js');
}

const port = () => 20000 + Math.floor(Math.random() * 20000);

interface Violation {
  location?: string[];
  severity?: string;
  code?: string | number;
  message?: string;
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'kpo-prism-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(work, { recursive: true, force: true })];
  try {
    // The bundle npm start runs, as the tests' globalSetup builds it.
    execFileSync(process.execPath, nodeArgsOf('prestart'), { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

    let databaseUrl: string | undefined;
    if (adminUrl) {
      const name = `kpo_prism_${process.pid}_${Date.now() % 1_000_000}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      cleanups.push(async () => {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      });
    }
    const serverPort = port();
    const server = startServer(serverPort, {
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: join(work, 'data') }),
      // One address and one key send every probe; the limits have their own tests.
      RATE_LIMIT_PER_KEY: '1000000',
      RATE_LIMIT_PER_IP: '1000000',
      WEBHOOK_WORKER_ENABLED: 'false',
    });
    cleanups.push(() => server.stop());
    await waitUntilReady(server, 60_000);
    const adminKey = await adminKeyFor(server, databaseUrl);
    log(`server on ${server.baseUrl} (${databaseUrl ? 'PostgreSQL' : 'PGlite'})`);

    // The document the server serves, as Prism reads it from a file.
    const served = await fetch(`${server.baseUrl}/openapi.json`);
    const documentText = await served.text();
    if (served.status !== 200) throw new Error(`GET /openapi.json answered ${served.status}`);
    const documentFile = join(work, 'openapi.json');
    writeFileSync(documentFile, documentText);
    const document = JSON.parse(documentText) as OpenApiDocument;

    const proxyPort = port();
    let prismLog = '';
    const prism = spawn(
      process.execPath,
      ['--max-http-header-size=1048576', prismCli(), 'proxy', documentFile, server.baseUrl, '--port', String(proxyPort), '--host', '127.0.0.1', '--errors=false', '--validate-request=false', '--cors=false'],
      { cwd: root, env: { ...process.env, SCARF_ANALYTICS: 'false', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prism.stdout.on('data', (d) => (prismLog += String(d)));
    prism.stderr.on('data', (d) => (prismLog += String(d)));
    const prismExited = new Promise<void>((resolve) => prism.on('exit', () => resolve()));
    cleanups.push(async () => {
      if (prism.exitCode === null) prism.kill('SIGTERM');
      await prismExited;
    });
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const deadline = Date.now() + 180_000; // Prism reads and compiles the 3 MB document first
    for (;;) {
      if (prism.exitCode !== null) throw new Error(`prism exited:\n${prismLog}`);
      const answer = await fetch(`${proxyUrl}/health/live`).catch(() => undefined);
      if (answer?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`prism not ready after 180 s:\n${prismLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    log(`prism ${execFileSync(process.execPath, [prismCli(), '--version'], { encoding: 'utf8' }).trim()} proxy on ${proxyUrl}`);

    // Every response through the proxy: Prism's findings taken out of it (the header is Prism's, not
    // the service's), counted, and the rest checked by the suite's own contract as well.
    let probes = 0;
    const violations: { request: string; status: number; violation: Violation }[] = [];
    // Prism's notes on the request side: with --validate-request=false the only one is "Selected route
    // not found", for a URL no operation matches (an id of `..`): Prism has nothing to check that
    // response against; the suite's contract checks it as an unmatched request. Listed, not counted.
    const unroutable: { request: string; status: number; violation: Violation }[] = [];
    // Answers Prism made itself instead of forwarding one (no X-Request-Id, which the service puts on
    // every answer): Prism's own 500 for a body it cannot parse (100 000 nested arrays). The service
    // never saw the request, so there is nothing of its to check; the in-process fuzzer sends those
    // bodies to it. Listed, and the run fails if they are more than 1 % of the probes.
    const notForwarded: string[] = [];
    const proxied = httpInjector(process.env.PRISM_BYPASS === '1' ? server.baseUrl : proxyUrl, `Bearer ${adminKey}`, (response: LightMyRequestResponse) => {
      probes += 1;
      const header = response.headers['sl-violations'];
      delete response.headers['sl-violations'];
      const request = response.raw.req as unknown as { method: string; url: string };
      if (response.headers['x-request-id'] === undefined) notForwarded.push(`${request.method} ${request.url.slice(0, 120)} → ${response.statusCode} ${response.body.slice(0, 120)}`);
      if (header === undefined) return;
      let found: Violation[];
      try {
        found = JSON.parse(String(header)) as Violation[];
      } catch {
        found = [{ message: `unreadable sl-violations: ${String(header).slice(0, 200)}` }];
      }
      for (const violation of found) {
        const entry = { request: `${request.method} ${request.url.slice(0, 200)}`, status: response.statusCode, violation };
        if (violation.location?.[0] === 'request' && violation.message === 'Selected route not found') unroutable.push(entry);
        else violations.push(entry);
      }
    }, 20_000);

    // Prism never answers a few writes with a body and very large fuzzed headers (an If-Match or
    // X-Actor* of several KB, even with Node's header limit raised for it); the server answers them
    // (400) when sent directly. Such a probe is sent again to the server after 20 s, its answer checked
    // by the suite's contract, and listed as not checked by Prism (bounded below).
    const direct = httpInjector(server.baseUrl, `Bearer ${adminKey}`);
    const app = {
      inject: async (options: InjectOptions): Promise<LightMyRequestResponse> => {
        try {
          return (await proxied.inject(options)) as LightMyRequestResponse;
        } catch (error) {
          if (!/no answer in/.test((error as Error).message)) throw error;
          const response = (await direct.inject(options)) as LightMyRequestResponse;
          notForwarded.push(`${(error as Error).message}; the server answers ${response.statusCode} directly`);
          return response;
        }
      },
    } as unknown as typeof proxied;
    const contract = createResponseChecker(document);
    const check: typeof contract = (target, response) => (response.headers['x-request-id'] === undefined ? undefined : contract(target, response));
    const failures: string[] = [];
    const started = Date.now();
    let round = 0;
    const only = process.env.PRISM_FUZZ_ONLY?.split(',').filter(Boolean);
    const targets = operationsOf(document).filter((t) => !only || only.includes(t.operation.operationId));
    for (const [, group] of operationGroups(targets)) {
      // Each group from fresh records, as in the suite (there, the tables are emptied before each group).
      let ids: IdPool;
      try {
        ids = await createFixtures(app, ++round);
      } catch (error) {
        failures.push(`fixtures: ${(error as Error).message}`);
        continue;
      }
      for (const target of group) {
        try {
          await fuzzOperation({ app, document, ids, target, runs, seed: seedFor(seed, target.operation.operationId), check });
        } catch (error) {
          failures.push(`${target.operation.operationId} (replay: PRISM_FUZZ_SEED=${seed}):\n${(error as Error).message}`);
        }
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    log(`${probes} probes of ${operationsOf(document).length} operations (${runs} runs each, seed ${seed}) in ${seconds} s`);
    for (const { request, status, violation } of violations.slice(0, 50)) {
      log(`violation: ${request} → ${status}: [${violation.severity ?? '?'}] ${(violation.location ?? []).join('.')} ${violation.code ?? ''} ${violation.message ?? ''}`);
    }
    if (process.env.PRISM_LOG) writeFileSync(process.env.PRISM_LOG, prismLog);
    for (const failure of failures.slice(0, 30)) log(`contract failure: ${failure.slice(0, 1500)}`);
    log(`${unroutable.length} probe(s) of a URL no operation matches (Prism: "Selected route not found"; checked by the suite's contract as unmatched)`);
    for (const line of notForwarded.slice(0, 10)) log(`not checked by Prism: ${line}`);
    log(`${notForwarded.length} probe(s) Prism did not forward or answer (checked by the suite's contract only)`);
    log(`${violations.length} Prism violation(s), ${failures.length} operation(s) failing the suite's contract`);
    if (notForwarded.length > probes / 100) {
      log(`more than 1 % of the probes never reached the service`);
      return 1;
    }
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      log(`the server exited (${server.child.exitCode ?? server.child.signalCode}) during the run; its output:\n${server.output().slice(-5000)}`);
      return 1;
    }
    if (probes < targets.length * runs) {
      log(`only ${probes} probes for ${targets.length} operations × ${runs} runs: the run did not cover the document`);
      return 1;
    }
    return violations.length === 0 && failures.length === 0 ? 0 : 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`);
      }
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
