import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onRealPostgres, type TestDatabase } from '../support/db.js';

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

/** The real entry point (src/server.ts) as a child process, as an operator starts it. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d) => (errors += String(d)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited during start:\n${errors}`);
    const ready = await fetch(`${baseUrl}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return { child, baseUrl };
    if (Date.now() > deadline) throw new Error(`server not ready after 90 s:\n${errors}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let testDb: TestDatabase | undefined;
let dataDir: string;
let profileDir: string;
let server: { child: ChildProcess; baseUrl: string };
let browser: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kpo-swagger-data-'));
  profileDir = mkdtempSync(join(tmpdir(), 'kpo-swagger-profile-'));
  mkdirSync(artifacts, { recursive: true });
  const env: Record<string, string> = { LOG_LEVEL: 'warn' };
  if (onRealPostgres()) {
    testDb = await createTestDatabase();
    env.DATABASE_URL = testDb.url!;
  } else {
    env.DATA_DIR = dataDir;
  }
  server = await startServer(env);
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
  if (server && server.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
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
    await page.screenshot({ path: join(artifacts, 'swagger-ui-overview.png') });
    expect(pageErrors).toEqual([]);
  });

  // Authorising with an API key in the Authorize dialog comes with issue 5 (authentication); until
  // then the API has no security scheme, so Swagger UI shows no Authorize button and calls go unauthenticated.
  it.todo('authorises with an API key in the Authorize dialog (API keys arrive with issue 5)');

  it('runs Try it out → Execute on GET /v1/projects and shows a 200 (unauthenticated until issue 5)', { timeout: 120_000 }, async () => {
    // The page from the test above; the tag sections are open (docExpansion: list), the operation is not.
    const operation = page.locator('#operations-projects-listProjects');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').waitFor({ timeout: 30_000 });

    await operation.locator('button.try-out__btn').click();
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/projects' && r.request().method() === 'GET');
    await operation.locator('button.execute').click();
    const response = await answered;
    expect(response.status()).toBe(200);

    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.innerText()).trim()).toBe('200');
    expect(await operation.locator('.live-responses-table tr.response .response-col_description').first().innerText()).toContain('"items"');

    await operation.scrollIntoViewIfNeeded();
    await operation.screenshot({ path: join(artifacts, 'swagger-ui-list-projects.png') });
    expect(pageErrors).toEqual([]);
  });
});
