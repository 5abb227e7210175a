import { unprocessable } from '../../lib/errors.js';

/** A granted bond must say how much and when: the Q1 figures are counted from these fields. */
export function grantIncomplete() {
  return unprocessable(
    'bond_grant_incomplete',
    'A granted special bond needs both amountGranted and decidedOn / 已获批的专项债须填写获批金额和批复日期',
  );
}

export function grantExceedsRequest(amountGranted: string, amountRequested: string) {
  return unprocessable(
    'bond_grant_exceeds_request',
    `amountGranted ${amountGranted} exceeds amountRequested ${amountRequested}; raise the request first / 获批金额不得超过申报金额`,
    { amountGranted, amountRequested },
  );
}

export function amountWithoutGrant(outcome: string) {
  return unprocessable(
    'bond_amount_without_grant',
    `amountGranted must be null unless the outcome is granted (it is ${outcome}) / 未获批的专项债不能有获批金额`,
  );
}

export function decisionWhilePending() {
  return unprocessable(
    'bond_decided_while_pending',
    'A pending application has no decision date; set the outcome with decidedOn / 审核中的申报不能有批复日期',
  );
}

export function decidedBeforeApplied(decidedOn: string, appliedOn: string) {
  return unprocessable(
    'bond_decided_before_applied',
    `decidedOn ${decidedOn} is before appliedOn ${appliedOn} / 批复日期早于申报日期`,
    { decidedOn, appliedOn },
  );
}
