import type { Db } from '../../db/types.js';
import { createFiguresUsecases } from './figures/figures.usecases.js';

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
