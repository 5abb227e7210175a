import { compareMoney } from '../../lib/money.js';
import {
  amountWithoutGrant,
  decidedBeforeApplied,
  decisionWhilePending,
  grantExceedsRequest,
  grantIncomplete,
} from './special-bonds.errors.js';

export interface BondState {
  appliedOn: string;
  amountRequested: string;
  outcome: string;
  amountGranted: string | null;
  decidedOn: string | null;
}

/**
 * The rules an application must satisfy after every create or change (checked on the merged
 * record, so a PATCH that only changes the outcome is judged with the stored amounts):
 * - granted needs amountGranted and decidedOn, and amountGranted ≤ amountRequested
 *   (a partial grant is normal; more than was asked is a typing error);
 * - only a granted application carries amountGranted;
 * - pending has no decision date; rejected and withdrawn may have one;
 * - a decision cannot come before the application.
 */
export function assertBondConsistent(bond: BondState): void {
  if (bond.outcome === 'granted' && (bond.amountGranted === null || bond.decidedOn === null)) throw grantIncomplete();
  if (bond.outcome !== 'granted' && bond.amountGranted !== null) throw amountWithoutGrant(bond.outcome);
  if (bond.outcome === 'pending' && bond.decidedOn !== null) throw decisionWhilePending();
  if (bond.decidedOn !== null && bond.decidedOn < bond.appliedOn) throw decidedBeforeApplied(bond.decidedOn, bond.appliedOn);
  if (bond.amountGranted !== null && compareMoney(bond.amountGranted, bond.amountRequested) > 0) {
    throw grantExceedsRequest(bond.amountGranted, bond.amountRequested);
  }
}
