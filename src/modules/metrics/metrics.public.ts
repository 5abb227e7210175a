import type { Db } from '../../db/types.js';
import { z } from 'zod';
import { knownAtReader } from '../../db/history.js';
import { createFiguresUsecases } from './figures/figures.usecases.js';
import { createActivityQueries } from './operations/activity.repository.js';
import { createComplianceQueries } from './operations/compliance.repository.js';
import type { complianceQuerySchema, issuesQuerySchema, yearQuerySchema } from './operations/operations.schemas.js';

type ComplianceQuery = z.output<typeof complianceQuerySchema>;
type IssuesQuery = z.output<typeof issuesQuerySchema>;
type YearQuery = z.output<typeof yearQuerySchema>;

/**
 * The metrics module's face: the figures as values, and where a figure key points in them (the
 * exports write them out as files). The answers' types and query schemas are figures.schemas.ts.
 */
export { derivedValueOf } from './figures/figures.present.js';
export { figureKeys } from './metrics.keys.js';

/** Summary and breakdown as values, always computed: the cache keeps the metrics routes' JSON, not values. */
export function createFigures({ db }: { db: Db }) {
  const { summary, breakdown } = createFiguresUsecases({ db });
  return { summary, breakdown };
}

/**
 * The operational figures (reporting compliance, issues, financing, batches) as values, each the
 * answer its /v1/metrics route gives for the same query (the publications freeze them): one
 * snapshot per answer, of the current records or of those known at `knownAt`.
 */
export function createOperationsFigures({ db, dueDays }: { db: Db; dueDays: number }) {
  const read = knownAtReader(db, (d) => ({ compliance: createComplianceQueries({ db: d }), activity: createActivityQueries({ db: d }) }), {
    snapshot: true,
  });
  const asked = <T>(knownAt: string | undefined, answer: T) => ({ ...answer, knownAt: knownAt ?? null });
  return {
    compliance: async (query: ComplianceQuery) => asked(query.knownAt, await read(query.knownAt, (r) => r.compliance.compliance({ ...query, dueDays }))),
    issues: async (query: IssuesQuery) => asked(query.knownAt, await read(query.knownAt, (r) => r.activity.issues(query))),
    financing: async (query: YearQuery) => asked(query.knownAt, await read(query.knownAt, (r) => r.activity.financing(query))),
    batches: async (query: YearQuery) => asked(query.knownAt, await read(query.knownAt, (r) => r.activity.batches(query))),
  };
}
