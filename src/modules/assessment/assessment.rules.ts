import type { AssessmentRuleKey } from './assessment.table.js';

export interface RuleDefinition {
  /** share: points × met ÷ due (full points when nothing was due); deduction: −points per item. */
  kind: 'share' | 'deduction';
  defaultPoints: string;
  /** What the rule counts, as the answer states it. */
  counts: string;
}

/** Evaluation order, and the order of the scores in an answer. */
export const assessmentRuleKeys: readonly AssessmentRuleKey[] = ['reports_on_time', 'reports_returned', 'issues_resolved_on_time', 'overdue_orders', 'milestones_on_time'];

/**
 * What each rule counts over the department's records in the window [from, to], as judged on asOf.
 * "Due" means due on a day in the window before asOf (its deadline has passed when it is judged).
 */
export const ruleDefinitions: Record<AssessmentRuleKey, RuleDefinition> = {
  reports_on_time: {
    kind: 'share',
    defaultPoints: '40',
    counts:
      'Half-month reports due (due date in the window, before asOf) of the projects the department is responsible for, with an annual plan of the year, under construction or suspended on some day of the period; met = submitted by asOf, not late, not returned and uncorrected, not corrected after its due day. / 应报：部门负责、有年度计划、报送期内在建或停工的项目，截止日在考核期内且早于 asOf 的半月报；按时：已报、未迟报、未被退回待更正、更正不晚于截止日。',
  },
  reports_returned: {
    kind: 'deduction',
    defaultPoints: '2',
    counts: 'Of the reports due above, those the office returned (corrected or not). / 上述应报报送中被重点项目办退回的（无论是否已更正）。',
  },
  issues_resolved_on_time: {
    kind: 'share',
    defaultPoints: '30',
    counts: 'Issues assigned to the department (承办) with a due date in the window before asOf, not withdrawn; met = resolved on or before the due date. / 部门承办、办理时限在考核期内且早于 asOf、未撤回的问题；按期：不晚于时限解决。',
  },
  overdue_orders: {
    kind: 'deduction',
    defaultPoints: '5',
    counts:
      'Supervision orders to the department with a reply deadline (the first, or a send-back’s) in the window before asOf that no fix plan answered by that day, unless withdrawn first; each order once. / 考核期内答复期限（首次或退回后）已过而未按期答复整改方案的督办单（期限前撤销的除外），每单计一次。',
  },
  milestones_on_time: {
    kind: 'share',
    defaultPoints: '30',
    counts: 'Milestones of the department’s projects planned in the window before asOf; met = achieved on or before the planned date. / 部门负责项目中计划日期在考核期内且早于 asOf 的节点；按期：不晚于计划日期完成。',
  },
};
