import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKpoClient, type KpoClient, type Schemas } from '../../clients/typescript/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { freePort } from '../support/pg-cluster.js';
import { adminKeyFor, startServer, waitUntilReady, type ServerProcess } from '../support/server-process.js';

// An office's system publishing, restating and fetching the briefing through the generated client
// (clients/typescript) against the server process as `npm start` runs it: the paths, bodies and
// answers below are typed by schema.ts, so a drift between the document and the client stops tsc.

let testDb: TestDatabase;
let dataDir: string;
let server: ServerProcess;
let kpo: KpoClient;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'kpo-publications-'));
  server = startServer(await freePort(), { LOG_LEVEL: 'warn', ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATA_DIR: dataDir }) });
  await waitUntilReady(server, 150_000);
  const key = await adminKeyFor(server, testDb.url);
  kpo = createKpoClient({ baseUrl: server.baseUrl, headers: { Authorization: `Bearer ${key}` } });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await testDb?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) throw new Error(`HTTP ${result.response.status}: ${JSON.stringify(result.error)}`);
  return result.data;
}

describe('publications through the typed client', () => {
  it('publishes, reads the frozen figures, restates and downloads the briefing', { timeout: 180_000 }, async () => {
    const department = ok(await kpo.POST('/v1/departments', { body: { code: 'ZJJ', name: '坦洲镇住房城乡建设和交通局（住建）', shortName: '住建' } }));
    const project = ok(
      await kpo.POST('/v1/projects', {
        body: { code: 'TZ2022-PUB', name: '坦洲镇示范道路项目', category: 'transport', estimatedInvestment: '120000', departmentId: department.id, statusDate: '2022-01-05' },
      }),
    );
    ok(await kpo.POST('/v1/projects/{id}/plans', { params: { path: { id: project.id } }, body: { year: 2022, list: 'city_key', stage: 'continuing', plannedInvestment: '20000' } }));

    const published: Schemas['Publication'] = ok(
      await kpo.POST('/v1/publications', { body: { list: 'city_key', year: 2022, asOf: '2022-03-31', title: '坦洲镇2022年市重点项目建设情况' } }),
    );
    expect(published.figures.summary.figures.projectCount.value).toBe(1);
    expect(published.figures.summary.figures.largeProjectCount.value).toBe(1);

    const read = ok(await kpo.GET('/v1/publications/{id}', { params: { path: { id: published.id } } }));
    expect(read).toEqual(published);
    const page = ok(await kpo.GET('/v1/publications', { params: { query: { list: 'city_key', year: 2022 } } }));
    expect(page.items.map((p) => p.id)).toEqual([published.id]);

    const restatement = ok(await kpo.GET('/v1/publications/{id}/restatement', { params: { path: { id: published.id } } }));
    expect(restatement).toMatchObject({ publicationId: published.id, changed: false, differences: [] });

    const pdf = await kpo.GET('/v1/publications/{id}/briefing', { params: { path: { id: published.id }, query: { format: 'pdf' } }, parseAs: 'arrayBuffer' });
    expect(pdf.response.status).toBe(200);
    expect(Buffer.from(pdf.data as unknown as ArrayBuffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const md = await kpo.GET('/v1/publications/{id}/briefing', { params: { path: { id: published.id }, query: { format: 'md' } }, parseAs: 'text' });
    expect(md.data).toContain('2022年我镇列入市重点项目1个，估算总投资12亿元，2022年计划投资2亿元');
  });
});
