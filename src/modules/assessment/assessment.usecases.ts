import { readKnownAt } from '../../db/history.js';
import type { Db } from '../../db/types.js';
import { periodBounds } from '../../domain/periods.js';
import { asOfDefault } from '../../lib/schemas.js';
import { departments } from '../departments/departments.table.js';
import { assessmentInputs, type Input } from './assessment.queries.js';
import { ruleDefinitions } from './assessment.rules.js';
import { createAssessmentRulesRepository, present } from './assessment.rules.repository.js';
import type { AssessmentQuery } from './assessment.schemas.js';

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** The records of a rule counted by factor guarantee (要素保障), for the rules over issues; empty for the others. */
function byFactor(rows: Input[]) {
  const counts = new Map<string, { factor: NonNullable<Input['factor']>; due: number; met: number }>();
  for (const r of rows) {
    if (r.factor === null) continue;
    const c = counts.get(r.factor) ?? { factor: r.factor, due: 0, met: 0 };
    c.due++;
    if (r.met) c.met++;
    counts.set(r.factor, c);
  }
  return [...counts.values()].sort((a, b) => (a.factor < b.factor ? -1 : 1));
}

function windowOf(query: AssessmentQuery) {
  if (query.period) return periodBounds(query.period);
  if (query.quarter) {
    const first = (query.quarter - 1) * 3 + 1;
    const end = new Date(Date.UTC(query.year, first + 2, 0)).toISOString().slice(0, 10);
    return { start: `${query.year}-${String(first).padStart(2, '0')}-01`, end };
  }
  return { start: `${query.year}-01-01`, end: `${query.year}-12-31` };
}

/**
 * 部门考核: every department's score over a window from the rules as data, each score naming the
 * records it counted. One snapshot of the current records, or of those known at `knownAt`.
 */
export function createAssessment({ db, dueDays }: { db: Db; dueDays: number }) {
  async function assess({ query, requestId }: { query: AssessmentQuery; requestId: string }) {
    const { knownAt } = query;
    const asOf = asOfDefault(query.asOf, knownAt);
    const { start: from, end: to } = windowOf(query);
    // Seeded outside the snapshot, which writes nothing.
    if (!knownAt) await createAssessmentRulesRepository({ db }).all({ requestId });
    const { rules, inputs, names } = await readKnownAt(
      db,
      knownAt,
      async (executor) => ({
        rules: await createAssessmentRulesRepository({ db: executor }).all({ requestId, knownAt }),
        inputs: await assessmentInputs(executor, { from, to, asOf, dueDays }),
        names: await executor.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments),
      }),
      { snapshot: true },
    );
    const byDepartment = new Map<string, Map<string, Input[]>>();
    for (const [rule, rows] of Object.entries(inputs)) {
      for (const row of rows) {
        const rulesOf = byDepartment.get(row.department_id) ?? new Map<string, Input[]>();
        rulesOf.set(rule, [...(rulesOf.get(rule) ?? []), row]);
        byDepartment.set(row.department_id, rulesOf);
      }
    }
    const maxScore = rules.filter((r) => r.enabled && ruleDefinitions[r.key].kind === 'share').reduce((sum, r) => sum + Number(r.points), 0);
    const scored = names
      .filter((d) => byDepartment.has(d.id))
      .map((d) => {
        const scores = rules.map((rule) => {
          const rows = byDepartment.get(d.id)!.get(rule.key) ?? [];
          const kind = ruleDefinitions[rule.key].kind;
          const points = Number(rule.points);
          const met = rows.filter((r) => r.met).length;
          const raw = kind === 'share' ? (rows.length === 0 ? points : (points * met) / rows.length) : -points * rows.length;
          return {
            rule: rule.key, kind, enabled: rule.enabled, points, due: rows.length, met,
            rate: kind === 'share' && rows.length > 0 ? round(met / rows.length, 6) : null,
            score: rule.enabled ? round(raw, 2) : 0,
            inputs: rows.map((r) => ({ recordType: r.record_type, id: r.id, projectId: r.project_id, period: r.period, due: r.due, met: r.met, factor: r.factor })),
            byFactor: byFactor(rows),
          };
        });
        return { departmentId: d.id, code: d.code, name: d.name, score: round(scores.reduce((sum, s) => sum + s.score, 0), 2), maxScore, scores };
      })
      .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const departmentsRanked = scored.map((d) => ({ rank: 1 + scored.filter((o) => o.score > d.score).length, ...d }));
    return {
      year: query.year, period: query.period ?? null, quarter: query.quarter ?? null, from, to, asOf, knownAt: knownAt ?? null, dueDays,
      rules: rules.map(present), departments: departmentsRanked,
    };
  }
  return { assess };
}
