import { z } from 'zod';
import { figureBasis, planList, type Label } from '../../domain/codes.js';
import { figureKeys } from './metrics.keys.js';

// The vocabulary the three sub-domains share: the figures' answers, the declared figures set
// against them and the operational metrics all name a list; a declaration names a figure key.

function labelled(labels: Record<string, Label>): string {
  return Object.entries(labels)
    .map(([code, l]) => `\`${code}\` ${l.zh} / ${l.en}`)
    .join('; ');
}

/** Inline (no component id): the projects module owns the `PlanList` component. */
export const metricsListSchema = z.enum(planList.values).describe(`List / 名单: ${labelled(planList.labels)}`);

/** A declared value: numeric(20,6), non-negative, so 14 integer digits, the point and 6 fraction digits. */
export const DECLARED_VALUE_MAX = 21;
/** A declared figure's source, as its input takes it (declared/declared.schemas.ts). */
export const DECLARED_SOURCE_MAX = 500;

export const figureKeySchema = z.enum(figureKeys).describe('Figure key, e.g. estimated_investment or new_start.planned_investment / 指标代码');

/**
 * Which reports a figure is built from. 'submitted' (the default): every report the office has not
 * returned — the departments' figures as they stand between dispatch meetings, what the office
 * reports on; 'approved': only those the office has approved, for figures it signs off.
 */
export const basisSchema = z
  .enum(figureBasis.values)
  .default('submitted')
  .describe(`Which reports count / 报送范围: ${labelled(figureBasis.labels)}. Default submitted / 默认 submitted`);

/** The basis an answer was built from (stated in every answer built from reports). */
export const basisField = z.enum(figureBasis.values).describe(`Which reports counted / 所依据的报送范围: ${labelled(figureBasis.labels)}`);

export type FigureBasis = (typeof figureBasis.values)[number];
