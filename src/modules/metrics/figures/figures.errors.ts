import { badRequest } from '../../../lib/errors.js';

/** asOf before 1 January of the figures' year (after the year it means the year's final figures). */
export function asOfBeforeYear(year: number, asOf: string) {
  return badRequest('as_of_before_year', `asOf ${asOf} is before ${year} began: the figures of ${year} are asked as of a day in or after it / 统计日早于该年度`, {
    parameter: 'asOf',
  });
}
