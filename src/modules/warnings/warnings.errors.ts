import { unprocessable } from '../../lib/errors.js';

/** The merged rule's thresholds do not fit the rule (yellow must stay below red; counts are whole). */
export function invalidThresholds(detail: string) {
  return unprocessable('warning_thresholds_invalid', detail);
}
