import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../src/cli/demo/write-demo.js';
import { createTestDatabase, onRealPostgres, type TestDatabase } from '../support/db.js';
import { freePort } from '../support/pg-cluster.js';
import { adminKeyFor, startServer, waitUntilReady, type ServerProcess } from '../support/server-process.js';

// Debian's chromium package (installed by .ci/run when missing); playwright-core downloads no browser.
const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..', '..');
const artifacts = join(root, 'tests', 'artifacts');
// Without the background-networking flags Chromium calls home, which a closed network refuses.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let testDb: TestDatabase | undefined;
let dataDir: string;
let profileDir: string;
// The real entry point as a child process, as an operator starts it (npm start: the bundle of src/server.ts).
let server: ServerProcess;
/** An admin key: written into PostgreSQL beforehand, or the one the embedded server printed on its first start. */
let key: string;
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kpo-swagger-data-'));
  profileDir = mkdtempSync(join(tmpdir(), 'kpo-swagger-profile-'));
  mkdirSync(artifacts, { recursive: true });
  const env: Record<string, string> = { LOG_LEVEL: 'warn' };
  // The Tanzhou demo, so that Try it out can be checked against the report's figures: written before
  // the server starts (into PostgreSQL directly; into the embedded directory by seed:demo, which the
  // data-directory lock would refuse while a server runs on it).
  if (onRealPostgres()) {
    testDb = await createTestDatabase();
    env.DATABASE_URL = testDb.url!;
    await writeDemo(testDb.database.db, { reportDueDays: 3 });
  } else {
    env.DATA_DIR = dataDir;
    const seeded = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/seed-demo.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    if (seeded.status !== 0) throw new Error(`seed:demo failed: ${seeded.stdout}${seeded.stderr}`);
  }
  server = startServer(await freePort(), env);
  await waitUntilReady(server, 90_000);
  key = await adminKeyFor(server, testDb?.url);
  // A persistent context is how playwright takes a user-data-dir: a fresh one per run.
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await testDb?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
});

describe('Swagger UI in headless Chromium', () => {
  it('lists every tag of the OpenAPI document', { timeout: 120_000 }, async () => {
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as { tags: { name: string }[] };
    expect(document.tags.length).toBeGreaterThan(0);

    await page.goto(`${server.baseUrl}/docs`);
    // Rendering the whole document takes Swagger UI a while on a busy CI machine.
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 90_000 });
    expect(await page.locator('.swagger-ui .info .title').innerText()).toContain('kpo');

    const shown = await page.locator('.opblock-tag-section .opblock-tag').evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('data-tag')),
    );
    expect(shown).toEqual(document.tags.map((t) => t.name));
    // Collapsed (docExpansion: none): no operation is listed until its tag is opened; a filter box is there.
    expect(await page.locator('.opblock').count()).toBe(0);
    await page.locator('.swagger-ui .filter input.operation-filter-input').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(artifacts, 'swagger-ui-overview.png') });
    expect(pageErrors).toEqual([]);
  });

  it('runs Try it out → Execute on GET /v1/projects: 401 before authorising, 200 after authorising with an API key', { timeout: 120_000 }, async () => {
    // The page from the test above; the tags are collapsed (docExpansion: none): open the projects tag.
    await page.locator('.opblock-tag[data-tag="projects"]').click();
    const operation = page.locator('#operations-projects-listProjects');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').waitFor({ timeout: 30_000 });
    await operation.locator('button.try-out__btn').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    const execute = async () => {
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/projects' && r.request().method() === 'GET');
      await operation.locator('button.execute').click();
      return answered;
    };

    // Not authorised yet: the API refuses the call, and Swagger UI shows it.
    const refused = await execute();
    expect(refused.status()).toBe(401);
    expect(refused.request().headers().authorization).toBeUndefined();
    await status.waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await status.innerText()).trim(), { timeout: 30_000 }).toBe('401');

    // Authorize → the bearerAuth value → Authorize → Close, as a newcomer does with the printed key.
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.innerText()).toContain('bearerAuth');
    await dialog.locator('#auth-bearer-value').fill(key);
    await dialog.locator('.auth-btn-wrapper button.authorize').click();
    await dialog.locator('.auth-btn-wrapper button.btn-done').click();
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('.auth-wrapper button.authorize.locked').waitFor({ timeout: 30_000 });

    const response = await execute();
    expect(response.status()).toBe(200);
    expect(response.request().headers().authorization).toBe(`Bearer ${key}`);
    await expect.poll(async () => (await status.innerText()).trim(), { timeout: 30_000 }).toBe('200');
    expect(await operation.locator('.live-responses-table tr.response .response-col_description').first().innerText()).toContain('"items"');

    await operation.scrollIntoViewIfNeeded();
    await operation.screenshot({ path: join(artifacts, 'swagger-ui-list-projects.png') });
    expect(pageErrors).toEqual([]);
  });

  it('gives the demo report\'s figures through Try it out with the pre-filled values: 12 city key projects, 3 large ones', { timeout: 120_000 }, async () => {
    // Authorised by the test above (the key is kept for the tab). The summary: year and list are
    // required and pre-filled (2022, city_key); every optional parameter is left as Swagger UI fills it.
    await page.locator('.opblock-tag[data-tag="metrics"]').click();
    const summary = page.locator('#operations-metrics-getMetricsSummary');
    await summary.locator('.opblock-summary').click();
    await summary.locator('button.try-out__btn').click();
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/metrics/summary');
    await summary.locator('button.execute').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const query = new URL(response.url()).searchParams;
    // Only what a caller would send without Try it out: the required two, and parameters at their documented default.
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters: { name: string; schema?: { default?: unknown } }[] }>>;
    };
    const summaryDefaults = new Map(document.paths['/v1/metrics/summary']!.get!.parameters.map((p) => [p.name, p.schema?.default]));
    for (const [name, value] of query) {
      if (name === 'year' || name === 'list') continue;
      expect(summaryDefaults.get(name), `${name}=${value} was pre-filled`).not.toBeUndefined();
      expect(value, name).toBe(String(summaryDefaults.get(name)));
    }
    expect(query.get('largeThreshold') ?? '100000').toBe('100000');
    const figures = ((await response.json()) as { figures: Record<string, { value: unknown }> }).figures;
    expect(figures.projectCount!.value).toBe(12);
    expect(figures.largeProjectCount!.value).toBe(3);
    expect(figures.estimatedInvestment!.value).toBe('747100.0000');

    // The projects list, with the list and year filled in by hand as a user would; nothing pre-filled narrows it.
    const list = page.locator('#operations-projects-listProjects');
    await list.locator('tr[data-param-name="list"] select').selectOption('city_key');
    await list.locator('tr[data-param-name="year"] input').fill('2022');
    const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/projects');
    await list.locator('button.execute').click();
    const projects = await listed;
    expect(projects.status()).toBe(200);
    const listQuery = new URL(projects.url()).searchParams;
    // Anything else sent is a parameter at its documented default (limit=50, …), which changes nothing.
    const defaults = new Map(document.paths['/v1/projects']!.get!.parameters.map((p) => [p.name, p.schema?.default]));
    for (const [name, value] of listQuery) {
      if (name === 'list' || name === 'year') continue;
      expect(defaults.get(name), `${name}=${value} was pre-filled`).not.toBeUndefined();
      expect(value, name).toBe(String(defaults.get(name)));
    }
    expect(listQuery.get('limit')).toBe('50');
    expect(((await projects.json()) as { items: unknown[] }).items).toHaveLength(12);
    await summary.scrollIntoViewIfNeeded();
    await summary.screenshot({ path: join(artifacts, 'swagger-ui-summary.png') });
    expect(pageErrors).toEqual([]);
  });
});
