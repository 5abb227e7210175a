import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { fixtures } from './fixtures.js';
import { lightOf } from './support.js';

const ctx = useTestApp();
let shared: ReturnType<typeof fixtures> | undefined;
/** One fixture set per file, so generated codes stay unique. */
const f = () => (shared ??= fixtures(ctx.testDb.database.db));

describe('not_started', () => {
  it('turns yellow on the planned start date and red 90 days after it, green the day before', async () => {
    const d = await f().department();
    const p = await f().project({ departmentId: d.id, plannedStartDate: '2022-03-01' });
    expect(await lightOf(ctx, p.id, '2022-02-28')).toMatchObject({ light: 'green', reasons: [] });
    const onTheDay = await lightOf(ctx, p.id, '2022-03-01');
    expect(onTheDay.light).toBe('yellow');
    expect(onTheDay.reasons).toEqual([
      { rule: 'not_started', level: 'yellow', inputs: { plannedStartDate: '2022-03-01', daysLate: 0, statusOnAsOf: null } },
    ]);
    expect((await lightOf(ctx, p.id, '2022-05-29')).rules).toEqual({ not_started: 'yellow' });
    const red = await lightOf(ctx, p.id, '2022-05-30');
    expect(red.rules).toEqual({ not_started: 'red' });
    expect(red.reasons[0]!.inputs.daysLate).toBe(90);
  });

  it('counts a project whose start is effective exactly on asOf as started', async () => {
    const d = await f().department();
    const p = await f().project({ departmentId: d.id, plannedStartDate: '2022-01-01' });
    await f().status(p.id, 'approved', '2021-12-01');
    // Mid-period, so that no report is owed yet.
    await f().status(p.id, 'under_construction', '2022-03-30');
    expect((await lightOf(ctx, p.id, '2022-03-29')).rules).toEqual({ not_started: 'yellow' });
    expect(await lightOf(ctx, p.id, '2022-03-30')).toMatchObject({ light: 'green', reasons: [] });
  });

  it('keeps a started project green after a later suspension and ignores cancelled projects', async () => {
    const d = await f().department();
    const suspended = await f().project({ departmentId: d.id, plannedStartDate: '2022-01-01' });
    await f().status(suspended.id, 'under_construction', '2022-01-05');
    await f().status(suspended.id, 'suspended', '2022-01-10');
    const cancelled = await f().project({ departmentId: d.id, plannedStartDate: '2022-01-01' });
    await f().status(cancelled.id, 'cancelled', '2022-02-01');
    expect((await lightOf(ctx, suspended.id, '2022-06-30')).light).toBe('green');
    expect((await lightOf(ctx, cancelled.id, '2022-06-30')).light).toBe('green');
  });
});

describe('behind_schedule', () => {
  // On 2022-07-01, 182 of 365 days have passed: elapsed share 18200/365 %. With a plan of 36500 万元
  // the gap is exactly 10 points at 14550 万元 completed and exactly 30 points at 7250 万元.
  async function behind(completed: string, extraPeriod?: { period: string; amount: string }) {
    const d = await f().department();
    const p = await f().project({ departmentId: d.id, planned: '36500.0000' });
    await f().report({ projectId: p.id, departmentId: d.id, period: '2022-06-H1', investments: ['1.0000', completed] });
    if (extraPeriod) await f().report({ projectId: p.id, departmentId: d.id, period: extraPeriod.period, investments: [extraPeriod.amount] });
    return lightOf(ctx, p.id, '2022-07-01');
  }

  it('is green just under 10 points behind and yellow at exactly 10 points, compared exactly', async () => {
    expect((await behind('14550.0001')).light).toBe('green');
    const yellow = await behind('14550.0000');
    expect(yellow.rules).toEqual({ behind_schedule: 'yellow' });
    expect(yellow.reasons[0]!.inputs).toEqual({
      completed: '14550.0000',
      planned: '36500.0000',
      completionPct: 39.86,
      elapsedPct: 49.86,
      gapPoints: 10,
      elapsedDays: 182,
      daysInYear: 365,
      schedule: 'elapsed_time',
    });
  });

  it('stays yellow at exactly 30 points behind and turns red just beyond', async () => {
    expect((await behind('7250.0000')).rules).toEqual({ behind_schedule: 'yellow' });
    const red = await behind('7249.9999');
    expect(red.rules).toEqual({ behind_schedule: 'red' });
    expect(red.reasons[0]!.inputs.gapPoints).toBe(30);
  });

  it('counts only the current revision of reports of the year whose period ended by asOf', async () => {
    // The 2022-07-H1 report has not ended on 2022-07-01, so its 20000 万元 do not count.
    const red = await behind('7000.0000', { period: '2022-07-H1', amount: '20000.0000' });
    expect(red.rules).toEqual({ behind_schedule: 'red' });
    expect(red.reasons[0]!.inputs.completed).toBe('7000.0000');
  });
});

describe('missing_reports', () => {
  async function underConstruction(since: string) {
    const d = await f().department();
    const p = await f().project({ departmentId: d.id });
    await f().status(p.id, 'under_construction', since);
    return { d, p };
  }

  it('is green with every report in, yellow when the last ended period is missing and red when two in a row are', async () => {
    const { d, p } = await underConstruction('2021-12-01');
    await f().reportsBetween({ projectId: p.id, departmentId: d.id, from: '2022-01-H1', to: '2022-02-H2' });
    // The last period ended by 2022-03-15 is 2022-03-H1, by 2022-03-14 it is 2022-02-H2.
    expect((await lightOf(ctx, p.id, '2022-03-14')).light).toBe('green');
    const yellow = await lightOf(ctx, p.id, '2022-03-15');
    expect(yellow.reasons).toEqual([
      { rule: 'missing_reports', level: 'yellow', inputs: { lastPeriod: '2022-03-H1', consecutiveMissing: 1, missingPeriods: ['2022-03-H1'] } },
    ]);
    const red = await lightOf(ctx, p.id, '2022-04-01');
    expect(red.reasons).toEqual([
      { rule: 'missing_reports', level: 'red', inputs: { lastPeriod: '2022-03-H2', consecutiveMissing: 2, missingPeriods: ['2022-03-H2', '2022-03-H1'] } },
    ]);
  });

  it('does not count periods that ended before the project started', async () => {
    const { p } = await underConstruction('2022-03-20');
    expect((await lightOf(ctx, p.id, '2022-03-31')).rules).toEqual({ missing_reports: 'yellow' });
    expect((await lightOf(ctx, p.id, '2022-03-25')).light).toBe('green');
  });

  it('applies only to projects under construction on asOf', async () => {
    const { p } = await underConstruction('2021-12-01');
    await f().status(p.id, 'suspended', '2022-03-01');
    expect((await lightOf(ctx, p.id, '2022-04-01')).light).toBe('green');
  });
});

describe('overdue_issue', () => {
  it('turns yellow the day after an open issue is due, and not for issues resolved or withdrawn by asOf', async () => {
    const d = await f().department();
    const open = await f().project({ departmentId: d.id });
    const issue = await f().issue({ projectId: open.id, departmentId: d.id, raisedOn: '2022-03-01', dueDate: '2022-03-30', status: 'in_progress' });
    const resolved = await f().project({ departmentId: d.id });
    await f().issue({ projectId: resolved.id, departmentId: d.id, raisedOn: '2022-03-01', dueDate: '2022-03-30', status: 'resolved', resolvedOn: '2022-03-31' });
    const withdrawn = await f().project({ departmentId: d.id });
    await f().issue({ projectId: withdrawn.id, departmentId: d.id, raisedOn: '2022-03-01', dueDate: '2022-03-30', status: 'withdrawn' });

    expect((await lightOf(ctx, open.id, '2022-03-30')).light).toBe('green');
    expect((await lightOf(ctx, open.id, '2022-03-31')).reasons).toEqual([
      { rule: 'overdue_issue', level: 'yellow', inputs: {
          overdueCount: 1, oldestDueDate: '2022-03-30', daysOverdue: 1, issueIds: [issue.id],
          byFactor: [{ factor: 'power', label: 'Power supply / 用电', overdueCount: 1, oldestDueDate: '2022-03-30', daysOverdue: 1, level: 'yellow' }],
        },
      },
    ]);
    expect((await lightOf(ctx, resolved.id, '2022-03-31')).light).toBe('green');
    // Resolved after asOf: it was still open then.
    expect((await lightOf(ctx, resolved.id, '2022-03-30')).light).toBe('green');
    expect((await lightOf(ctx, withdrawn.id, '2022-04-30')).light).toBe('green');
  });

  it('counts an issue resolved after asOf as still open on asOf', async () => {
    const d = await f().department();
    const p = await f().project({ departmentId: d.id });
    await f().issue({ projectId: p.id, departmentId: d.id, raisedOn: '2022-03-01', dueDate: '2022-03-10', status: 'resolved', resolvedOn: '2022-04-01' });
    expect((await lightOf(ctx, p.id, '2022-03-31')).rules).toEqual({ overdue_issue: 'yellow' });
    expect((await lightOf(ctx, p.id, '2022-04-01')).light).toBe('green');
  });
});

describe('worst rule wins', () => {
  it('lights red when one rule is red and another yellow, listing red first', async () => {
    const d = await f().department();
    const p = await f().project({ departmentId: d.id, planned: '36500.0000', plannedStartDate: '2022-01-01' });
    await f().status(p.id, 'under_construction', '2022-01-01');
    await f().reportsBetween({ projectId: p.id, departmentId: d.id, from: '2022-01-H1', to: '2022-06-H1' });
    await f().issue({ projectId: p.id, departmentId: d.id, raisedOn: '2022-05-01', dueDate: '2022-06-01' });
    const light = await lightOf(ctx, p.id, '2022-07-01');
    expect(light.light).toBe('red');
    expect(light.reasons.map((r) => [r.rule, r.level])).toEqual([
      ['behind_schedule', 'red'],
      ['missing_reports', 'yellow'],
      ['overdue_issue', 'yellow'],
    ]);
  });
});
