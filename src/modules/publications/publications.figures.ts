import { z } from 'zod';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { rowsOf } from '../../db/rows.js';
import { planList } from '../../domain/codes.js';
import { periodBounds, periodOfDate, periodsBetween } from '../../domain/periods.js';
import { createFigures, createOperationsFigures } from '../metrics/metrics.public.js';
import { breakdownSchema, summarySchema } from '../metrics/figures/figures.schemas.js';
import { batchesSchema, complianceSchema, financingSchema, issuesSchema } from '../metrics/operations/operations.schemas.js';
import { createWarningRollup } from '../warnings/warnings.public.js';
import { rollupSchema } from '../warnings/warnings.schemas.js';
import type { PublicationFigures } from './publications.schemas.js';

/** The question a publication answers. */
export interface Question {
  list: (typeof planList.values)[number];
  year: number;
  asOf: string;
  basis: 'submitted' | 'approved';
}

/** What a route sends: the answer encoded with its response schema (the serializer does the same). */
const encoded = <S extends z.ZodType>(schema: S, value: z.output<S>) => z.encode(schema, value) as z.input<S>;

/**
 * Every figure of a publication, each computed by the same function as its /v1 route and asked as
 * known at `knownAt`: so each part equals what GET /v1/metrics/…&knownAt=<knownAt> answers, today or
 * in ten years. Parts read one instant, so they agree with one another.
 */
export function createPublicationFigures({ db, dueDays }: { db: Db; dueDays: number }) {
  const figures = createFigures({ db });
  const operations = createOperationsFigures({ db, dueDays });
  const rollup = createWarningRollup({ db });

  async function compute({ question, knownAt, requestId }: { question: Question; knownAt: string; requestId: string }): Promise<PublicationFigures> {
    const { list, year, asOf, basis } = question;
    const base = { list, year, asOf, basis, knownAt, largeThreshold: '100000' };
    const summary = encoded(summarySchema, await figures.summary(base));
    const breakdown = async (by: 'stage' | 'department' | 'category') => encoded(breakdownSchema, await figures.breakdown({ ...base, by }));
    const period = periodOfDate(asOf);
    const lists = [];
    for (const other of planList.values) {
      const s = other === list ? summary : encoded(summarySchema, await figures.summary({ ...base, list: other }));
      if (s.figures.projectCount.value === 0) continue;
      lists.push({
        list: other,
        projectCount: s.figures.projectCount.value as number,
        estimatedInvestment: s.figures.estimatedInvestment.value as string,
        plannedInvestment: s.figures.plannedInvestment.value as string,
        investmentCompleted: s.figures.investmentCompleted.value as string,
        declaredEstimatedInvestment: s.figures.estimatedInvestment.declaration?.declared ?? null,
      });
    }
    const progress = [];
    for (const code of periodsBetween(`${year}-01-01`, asOf)) {
      const end = periodBounds(code).end < asOf ? periodBounds(code).end : asOf;
      const s = end === asOf ? summary : encoded(summarySchema, await figures.summary({ ...base, asOf: end }));
      progress.push({
        period: code,
        asOf: end,
        investmentCompleted: s.figures.investmentCompleted.value as string,
        plannedInvestment: s.figures.plannedInvestment.value as string,
        planCompletionRate: s.figures.planCompletionRate.value as number | null,
      });
    }
    return {
      summary,
      breakdowns: { stage: await breakdown('stage'), department: await breakdown('department'), category: await breakdown('category') },
      compliance: encoded(complianceSchema, await operations.compliance({ period, year, list, basis, knownAt })),
      issues: encoded(issuesSchema, await operations.issues({ from: `${year}-01-01`, to: asOf, knownAt })),
      financing: encoded(financingSchema, await operations.financing({ year, knownAt })),
      batches: encoded(batchesSchema, await operations.batches({ year, knownAt })),
      warnings: encoded(rollupSchema, await rollup({ query: { year, list, asOf, basis, knownAt, by: 'department' }, requestId })),
      lists,
      progress,
    };
  }

  return { compute };
}
