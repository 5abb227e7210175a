import { conflict } from '../../lib/errors.js';

/** Plans point at their batch with a restricting key: the batch goes only once they have let go. */
export function batchStillHasPlans(batchId: string, planIds: string[]) {
  return conflict(
    'batch_has_plans',
    `Groundbreaking batch ${batchId} is still referenced by ${planIds.length} annual plan(s); set their batchId to another batch or null first / 仍有年度计划关联此开工批次，请先调整这些计划的 batchId`,
    { planIds },
  );
}
