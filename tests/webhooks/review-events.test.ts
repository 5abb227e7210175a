import { describe, expect, it } from 'vitest';
import { eventsOfChange } from '../../src/modules/webhooks/webhooks.public.js';

const report = (reviewStatus: string, extra: object = {}) => ({ id: 'r1', reviewStatus, returnReason: null, ...extra });

describe('webhook events of report review', () => {
  it('announces an approval, a return with its reason, and the resubmission of a returned report', () => {
    const change = (before: object, after: object, action = 'transition') => eventsOfChange({ action, resourceType: 'progress_report', resourceId: 'r1', before, after });
    expect(change(report('submitted'), report('approved')).map((e) => e.type)).toEqual(['report.approved']);
    const returned = change(report('submitted'), report('returned', { returnReason: '缺附件' }));
    expect(returned).toEqual([{ type: 'report.returned', data: { reportId: 'r1', report: report('returned', { returnReason: '缺附件' }), reason: '缺附件' } }]);
    expect(change(report('returned'), report('submitted'), 'update').map((e) => e.type)).toEqual(['report.submitted']);
    // A correction of a report still awaiting review announces nothing new.
    expect(change(report('submitted'), report('submitted'), 'update')).toEqual([]);
  });
});
