import { z } from 'zod';
import { planList, type Label } from '../../domain/codes.js';
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
