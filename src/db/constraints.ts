/**
 * What each database constraint means to a caller: a stable code, the field a form can mark, and a
 * detail in English and Chinese. src/db/pg-errors.ts reads these when PostgreSQL refuses a write;
 * tests/hostile/constraint-codes.test.ts fails when a migration adds a constraint that is neither
 * listed here nor covered by a rule below (a code-list CHECK, a link table's key, a foreign key to a
 * table with a label).
 */
export interface ConstraintMeaning {
  code: string;
  /** The request field (camelCase) the rule is about; null when it is about the record as a whole. */
  field: string | null;
  en: string;
  zh: string;
}

const rule = (code: string, field: string | null, en: string, zh: string): ConstraintMeaning => ({ code, field, en, zh });

/** CHECK constraints other than code lists. */
export const CHECK_MEANINGS: Record<string, ConstraintMeaning> = {
  projects_planned_dates_check: rule('planned_dates_out_of_order', 'plannedCompletionDate', 'The planned completion date may not precede the planned start date', '计划竣工日期不得早于计划开工日期'),
  projects_estimated_investment_check: rule('estimated_investment_negative', 'estimatedInvestment', 'The estimated investment may not be negative', '总投资不能为负数'),
  annual_plans_planned_investment_check: rule('planned_investment_negative', 'plannedInvestment', 'The planned investment may not be negative', '计划投资不能为负数'),
  annual_plans_year_check: rule('year_out_of_range', 'year', 'The year must lie between 2000 and 2100', '年度须在2000至2100之间'),
  declared_figures_year_check: rule('year_out_of_range', 'year', 'The year must lie between 2000 and 2100', '年度须在2000至2100之间'),
  declared_figures_value_check: rule('declared_value_negative', 'value', 'A declared figure may not be negative', '公布数不能为负数'),
  api_keys_binding_check: rule('key_binding_mismatch', 'role', 'A department key names a department, a leader key a leader, and no other key names either', '部门密钥须指定部门、领导密钥须指定领导，其他角色的密钥不得指定'),
  api_keys_expiry_check: rule('key_expires_before_creation', 'expiresInDays', 'A key must expire after it is made', '密钥的到期时间须晚于创建时间'),
  idempotency_keys_completed_check: rule('idempotency_state_inconsistent', null, 'An idempotency record was stored in an inconsistent state', '幂等记录状态不一致'),
  leader_assignments_dates_check: rule('assignment_ends_before_start', 'endDate', 'An assignment may not end before it starts', '挂点结束日期不得早于开始日期'),
  progress_report_revisions_investment_check: rule('investment_completed_negative', 'investmentCompleted', 'The completed investment may not be negative', '完成投资不能为负数'),
  progress_report_revisions_progress_check: rule('physical_progress_out_of_range', 'physicalProgress', 'Physical progress is a percentage from 0 to 100', '形象进度须在0至100之间'),
  progress_reports_period_check: rule('invalid_period', 'period', 'A report period is written YYYY-MM-H1 or YYYY-MM-H2', '报送期格式为 YYYY-MM-H1 或 YYYY-MM-H2'),
  progress_reports_period_dates_check: rule('period_dates_out_of_order', 'period', 'A report period may not end before it starts', '报送期结束日期不得早于开始日期'),
  project_comments_body_check: rule('comment_length', 'body', 'A comment is 1 to 2000 characters', '评论须为1至2000个字符'),
  project_issues_resolution_check: rule('resolution_required', 'resolution', 'A resolved issue needs its resolution and the date it was resolved', '已解决的问题须填写解决情况和解决日期'),
  project_issues_resolved_on_check: rule('resolved_before_raised', 'resolvedOn', 'An issue may not be resolved before it was raised', '问题的解决日期不得早于提出日期'),
  project_milestones_title_check: rule('milestone_title_required', 'title', 'A milestone of kind "other" needs a title', '“其他”类节点须填写名称'),
  special_bonds_amounts_check: rule('bond_amount_negative', 'amountRequested', 'Requested and granted amounts may not be negative', '申报金额和获批金额不能为负数'),
  special_bonds_granted_check: rule('granted_bond_incomplete', 'amountGranted', 'A granted bond needs the amount granted and the date of the decision', '已获批的专项债须填写获批金额和决定日期'),
  assessment_rules_points_check: rule('points_out_of_range', 'points', 'A rule is worth 0 to 100 points', '分值须在0至100之间'),
  publications_year_check: rule('year_out_of_range', 'year', 'The year must lie between 2000 and 2100', '年度须在2000至2100之间'),
  publications_sha256_check: rule('publication_hash_invalid', null, 'A publication is stored with the SHA-256 of its figures (64 hex digits)', '发布记录须保存其数字的 SHA-256（64位十六进制）'),
  publications_withdrawn_check: rule('withdrawal_reason_required', 'reason', 'A withdrawn publication needs the reason it was withdrawn', '撤回发布须填写原因'),
  supervision_escalation_rules_level_check: rule('escalation_level_out_of_range', 'fromLevel', 'An escalation rule raises an order from level 1 or 2', '升级规则只适用于第1、2级督办'),
  supervision_escalation_rules_days_check: rule('escalation_days_out_of_range', 'overdueDays', 'Escalate after 1 to 365 days overdue', '逾期天数须在1至365之间'),
  supervision_orders_level_check: rule('supervision_level_out_of_range', 'level', 'A supervision order is of level 1, 2 or 3', '督办级别须为1、2或3'),
  supervision_orders_due_check: rule('reply_due_before_issue', 'replyDueDate', 'The reply may not be due before the order was issued', '答复期限不得早于下发日期'),
  supervision_orders_closed_check: rule('closed_order_incomplete', 'closedOn', 'A closed order has the date it was closed, and only a closed one', '已销号的督办单须有销号日期，未销号的不得有'),
  warning_rules_thresholds_check: rule('thresholds_out_of_order', 'redThreshold', 'The yellow threshold may not be negative and the red one must lie above it', '黄灯阈值不能为负，红灯阈值须高于黄灯阈值'),
};

/** Unique constraints and indexes; a link table's own key (…_pk) is covered by the rule below. */
export const UNIQUE_MEANINGS: Record<string, ConstraintMeaning> = {
  departments_code_key: rule('unique_violation', 'code', 'A department with this code already exists', '该部门代码已存在'),
  departments_name_key: rule('unique_violation', 'name', 'A department with this name already exists', '该部门名称已存在'),
  projects_code_key: rule('unique_violation', 'code', 'A project with this code already exists', '该项目编号已存在'),
  annual_plans_project_year_list_key: rule('unique_violation', 'year', 'The project already has an annual plan for this year and list', '该项目在该年度、该名单下已有年度计划'),
  progress_reports_project_period_key: rule('unique_violation', 'period', 'The project already has a report for this period', '该项目在该报送期已有进度报送'),
  warning_rules_key_key: rule('unique_violation', 'key', 'A warning rule with this key already exists', '该预警规则已存在'),
  declared_figures_list_year_figure_as_of_key: rule('unique_violation', 'figure', 'This figure of this list and year is already declared as of that date', '该名单、年度的该指标在该日期已有公布数'),
  supervision_escalation_rules_level_key: rule('unique_violation', 'fromLevel', 'There is already an escalation rule from this level', '该级别已有升级规则'),
  supervision_order_steps_escalation_key: rule('already_escalated', null, 'The order has already been escalated to this level', '该督办单已升级到此级别'),
  assessment_rules_key_key: rule('unique_violation', 'key', 'An assessment rule with this key already exists', '该考核规则已存在'),
  api_keys_secret_hash_unique: rule('unique_violation', null, 'A key with the same secret already exists', '已存在相同的密钥'),
};

export const LINK_MEANING = rule('unique_violation', null, 'This link already exists', '该关联已存在');

/** Tables a foreign key may name, in words, for "does not exist" and "is still referenced by". */
export const TABLE_LABELS: Record<string, { en: string; zh: string }> = {
  departments: { en: 'department', zh: '部门' },
  projects: { en: 'project', zh: '项目' },
  leaders: { en: 'leader', zh: '领导' },
  groundbreaking_batches: { en: 'groundbreaking batch', zh: '集中开工批次' },
  inspections: { en: 'inspection', zh: '督查检查' },
  progress_reports: { en: 'progress report', zh: '进度报送' },
  webhook_events: { en: 'webhook event', zh: '推送事件' },
  webhook_subscriptions: { en: 'webhook subscription', zh: '推送订阅' },
  webhook_deliveries: { en: 'webhook delivery', zh: '推送投递' },
  annual_plans: { en: 'annual plan', zh: '年度计划' },
  api_keys: { en: 'API key', zh: '接口密钥' },
  inspection_departments: { en: 'inspection', zh: '督查检查' },
  inspection_leaders: { en: 'inspection', zh: '督查检查' },
  inspection_projects: { en: 'inspection', zh: '督查检查' },
  leader_assignments: { en: 'leader assignment', zh: '领导挂点' },
  progress_report_revisions: { en: 'report revision', zh: '报送修订' },
  project_comments: { en: 'comment', zh: '评论' },
  project_investment_rollups: { en: 'investment rollup', zh: '投资汇总' },
  project_issues: { en: 'issue', zh: '问题' },
  project_milestones: { en: 'milestone', zh: '节点计划' },
  project_status_changes: { en: 'status change', zh: '状态变更' },
  project_supporting_departments: { en: 'project', zh: '项目' },
  special_bonds: { en: 'special bond', zh: '专项债' },
  webhook_delivery_attempts: { en: 'webhook delivery', zh: '推送投递' },
  webhook_light_states: { en: 'warning light', zh: '预警灯' },
  supervision_orders: { en: 'supervision order', zh: '督办单' },
  supervision_order_steps: { en: 'supervision step', zh: '督办环节' },
};

export const camelCase = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A CHECK that is a code list (`column = ANY (ARRAY[…])`): named `<table>_<column>_check`. */
export function codeListMeaning(table: string | undefined, constraint: string): ConstraintMeaning {
  const column = table && constraint.startsWith(`${table}_`) ? constraint.slice(table.length + 1).replace(/_check$/, '') : constraint.replace(/_check$/, '');
  const field = camelCase(column);
  return rule('value_not_allowed', field, `${field} is not one of the values its code list allows`, `${field} 的取值不在代码表内`);
}

/** The meaning of a CHECK constraint: listed, or a code list. */
export function checkMeaning(table: string | undefined, constraint: string): ConstraintMeaning {
  return CHECK_MEANINGS[constraint] ?? codeListMeaning(table, constraint);
}

/** The meaning of a unique constraint or index. */
export function uniqueMeaning(constraint: string): ConstraintMeaning {
  return UNIQUE_MEANINGS[constraint] ?? (constraint.endsWith('_pk') ? LINK_MEANING : rule('unique_violation', null, 'A record with the same values already exists', '已存在相同的记录'));
}
