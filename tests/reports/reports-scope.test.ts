import pg from 'pg';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { bearer } from '../support/keys.js';
import { onRealPostgres } from '../support/db.js';
import { expectProblem, logSink } from '../security/owasp-fixtures.js';
import { reportHelpers } from './support.js';

/**
 * A department key's scope is judged inside the report's transaction, on the rows it locks: the
 * report (a revision) and the project (a submission, share-locked), so the department the check
 * saw is the one the report is filed under.
 */
const sink = logSink('warn');
const ctx = useTestApp({}, { logger: sink.logger });
const { createDepartment, createProject, moveProject, figures, submitted, revise, keyId, auditRows } = reportHelpers(ctx);

const correction = () => ({ ...figures('2300.0000'), correctionReason: '更正投资额' });

/**
 * Moves the project to another department in a transaction of its own, left open (the project row
 * locked) while `run` goes; `run` commits it when it is ready. Rolled back if `run` never does.
 */
async function withPendingMove(projectId: string, departmentId: string, run: (commit: () => Promise<void>) => Promise<void>) {
  const client = new pg.Client({ connectionString: ctx.testDb.url! });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('update projects set department_id = $1 where id = $2', [departmentId, projectId]);
    await run(async () => {
      await client.query('commit');
    });
  } finally {
    await client.query('rollback');
    await client.end();
  }
}

/** Waits until some statement of this database waits for a row lock (the submission, behind the move). */
async function untilSomeoneWaitsForALock() {
  for (let i = 0; i < 200; i++) {
    const result = await ctx.testDb.database.db.execute(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((result as unknown as { rows: { n: number }[] }).rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the submission never waited for the project row');
}

function submitWith(key: string, projectId: string, period: string) {
  return ctx.app.inject({ method: 'POST', url: '/v1/progress-reports', payload: { projectId, period, ...figures() }, headers: bearer(key) });
}

describe('progress reports: the scope of department keys, judged in the write', () => {
  it('judges a revision on the project as it stands now: the department it moved to may correct the report, the one that filed it may not', async () => {
    const filer = await createDepartment();
    const now = await createDepartment();
    const project = await createProject({ departmentId: filer });
    const report = await submitted(project.id, '2022-03-H2');
    await moveProject(project.id, now);
    const url = `/v1/progress-reports/${report.id}`;
    const before = { report: json(await ctx.app.inject({ method: 'GET', url })), audit: await auditRows() };
    const filerKey = await ctx.key({ role: 'department', departmentId: filer, name: 'filer' });

    const refused = expectProblem(await revise(report.id, correction(), '"v1"', filerKey), 403, 'forbidden_scope');
    expect(refused).toMatchObject({
      title: 'Forbidden / 无权限',
      role: 'department',
      detail: `This department key may not write progress reports of another department's project: ${project.id}`,
    });
    expect({ report: json(await ctx.app.inject({ method: 'GET', url })), audit: await auditRows() }).toEqual(before);
    expect(sink.lines).toContainEqual(
      expect.objectContaining({
        event: 'access_denied',
        keyId: await keyId('filer'),
        role: 'department',
        reason: 'scope',
        resource: 'progress reports',
        projectIds: [project.id],
        msg: "record outside the key's scope",
      }),
    );

    const nowKey = await ctx.key({ role: 'department', departmentId: now });
    const accepted = await revise(report.id, correction(), '"v1"', nowKey);
    expect(accepted.statusCode, accepted.body).toBe(201);
    // The report stays filed under the department of submission.
    expect(json(accepted)).toMatchObject({ departmentId: filer, currentRevision: 2, investmentCompleted: '2300.0000' });
  });

  it('answers 404 to a department key revising a report that does not exist', async () => {
    const key = await ctx.key({ role: 'department', departmentId: await createDepartment() });
    const response = await revise('0190c0de-0000-7000-8000-00000000beef', correction(), '"v1"', key);
    expectProblem(response, 404, 'not_found');
  });

  it.runIf(onRealPostgres())(
    "refuses a submission whose project moves to another department while the submission waits for the project's lock (needs the real PostgreSQL server)",
    async () => {
      const mine = await createDepartment();
      const project = await createProject({ departmentId: mine });
      const key = await ctx.key({ role: 'department', departmentId: mine });
      await withPendingMove(project.id, await createDepartment(), async (commit) => {
        const submission = submitWith(key, project.id, '2022-03-H2');
        await untilSomeoneWaitsForALock();
        await commit();
        expectProblem(await submission, 403, 'forbidden_scope');
      });
      expect(json(await ctx.app.inject({ method: 'GET', url: `/v1/progress-reports?projectId=${project.id}` })).items).toEqual([]);
    },
  );

  it.runIf(onRealPostgres())(
    "accepts a submission whose project moves to the key's department while it waits, and files it there (needs the real PostgreSQL server)",
    async () => {
      const mine = await createDepartment();
      const project = await createProject({ departmentId: await createDepartment() });
      const key = await ctx.key({ role: 'department', departmentId: mine });
      await withPendingMove(project.id, mine, async (commit) => {
        const submission = submitWith(key, project.id, '2022-03-H2');
        await untilSomeoneWaitsForALock();
        await commit();
        const response = await submission;
        expect(response.statusCode, response.body).toBe(201);
        expect(json(response)).toMatchObject({ projectId: project.id, departmentId: mine });
      });
    },
  );
});
