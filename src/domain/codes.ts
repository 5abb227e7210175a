/**
 * Every code list of the domain with its Chinese and English label. Tables (check constraints),
 * zod schemas (enums) and the OpenAPI text are all derived from these records.
 */
export interface Label {
  zh: string;
  en: string;
}

function codeList<const T extends Record<string, Label>>(labels: T) {
  return { labels, values: Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]] };
}

export const projectStatus = codeList({
  planning: { zh: '谋划/前期', en: 'Planning' },
  approved: { zh: '已审批', en: 'Approved' },
  under_construction: { zh: '在建', en: 'Under construction' },
  suspended: { zh: '停工', en: 'Suspended' },
  completed: { zh: '竣工', en: 'Completed' },
  cancelled: { zh: '取消', en: 'Cancelled' },
});

export const projectCategory = codeList({
  industrial_investment: { zh: '工业投资', en: 'Industrial investment' },
  transport: { zh: '交通设施', en: 'Transport facilities' },
  industrial_land_renewal: { zh: '工改工', en: 'Industrial-land renewal' },
  industrial_park_facilities: { zh: '产业园区配套', en: 'Industrial-park facilities' },
  rural_revitalisation: { zh: '乡村振兴', en: 'Rural revitalisation' },
  water_control: { zh: '治水', en: 'Water control' },
  education: { zh: '教育', en: 'Education' },
  healthcare: { zh: '医疗卫生', en: 'Healthcare' },
  livelihood_other: { zh: '其他民生基础设施', en: 'Other livelihood infrastructure' },
});

export const planList = codeList({
  city_key: { zh: '市重点项目', en: 'City key project' },
  city_key_reserve: { zh: '市重点前期预备项目', en: 'City key preliminary-reserve project' },
  town_key_industrial: { zh: '镇重点工业项目', en: 'Town key industrial project' },
  special_bond_reserve: { zh: '专项债储备项目', en: 'Special-bond reserve project' },
});

export const planStage = codeList({
  new_start: { zh: '新开工', en: 'New start' },
  continuing: { zh: '续建', en: 'Continuing' },
  preliminary: { zh: '前期', en: 'Preliminary' },
});

export const inspectionKind = codeList({
  resumption_check: { zh: '复工检查', en: 'Resumption check' },
  supervision: { zh: '督查', en: 'Supervision' },
  leader_visit: { zh: '领导走访', en: 'Leader visit' },
  onsite_office_day: { zh: '现场办公', en: 'On-site office day' },
});

export const issueHandlingMode = codeList({
  immediate: { zh: '马上办', en: 'Handle at once' },
  on_site: { zh: '行走办', en: 'Handle on site' },
  dedicated: { zh: '专人办', en: 'Handled by a named person' },
});

export const issueStatus = codeList({
  open: { zh: '待办', en: 'Open' },
  in_progress: { zh: '办理中', en: 'In progress' },
  resolved: { zh: '已解决', en: 'Resolved' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
});

export const issueCategory = codeList({
  land: { zh: '用地', en: 'Land' },
  approval: { zh: '审批', en: 'Approvals' },
  power: { zh: '用电', en: 'Power supply' },
  water: { zh: '用水', en: 'Water supply' },
  financing: { zh: '融资', en: 'Financing' },
  epidemic: { zh: '疫情防控', en: 'Epidemic control' },
  other: { zh: '其他', en: 'Other' },
});

export const issueSource = codeList({
  inspection: { zh: '检查发现', en: 'Raised during an inspection' },
  report: { zh: '进度报送', en: 'Raised in a progress report' },
  enterprise_request: { zh: '企业诉求', en: 'Enterprise request' },
  other: { zh: '其他', en: 'Other' },
});

export const bondOutcome = codeList({
  pending: { zh: '审核中', en: 'Pending' },
  granted: { zh: '已获批', en: 'Granted' },
  rejected: { zh: '未获批', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
});

export const batchStatus = codeList({
  planned: { zh: '筹备中', en: 'Being prepared' },
  held: { zh: '已举行', en: 'Held' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
});

export const leaderRole = codeList({
  lead: { zh: '挂点领导', en: 'Lead leader' },
  deputy: { zh: '协助领导', en: 'Assisting leader' },
});

/** What an audit event records; not a list users pick from, so not served by /v1/enums. */
export const auditAction = codeList({
  create: { zh: '新建', en: 'Create' },
  update: { zh: '修改', en: 'Update' },
  delete: { zh: '删除', en: 'Delete' },
  archive: { zh: '归档', en: 'Archive' },
  restore: { zh: '撤销归档', en: 'Restore (undo an archive)' },
  transition: { zh: '状态变更', en: 'Status transition' },
  import: { zh: '导入', en: 'Import' },
});

export const warningLight = codeList({
  green: { zh: '绿灯', en: 'Green: no rule lit' },
  yellow: { zh: '黄灯', en: 'Yellow' },
  red: { zh: '红灯', en: 'Red' },
});

export const warningRule = codeList({
  not_started: { zh: '未按期开工', en: 'Not started on time' },
  behind_schedule: { zh: '滞后序时进度', en: 'Behind schedule' },
  missing_reports: { zh: '缺报', en: 'Missing reports' },
  overdue_issue: { zh: '问题逾期', en: 'Overdue issue' },
  milestone_overdue: { zh: '节点逾期', en: 'Milestone overdue' },
});

/** What the progress rule (behind_schedule) measures investment against. */
export const scheduleBasis = codeList({
  elapsed_time: { zh: '时间进度', en: 'The share of the year elapsed' },
  milestones: { zh: '节点计划进度', en: 'The share of the project’s milestones planned by asOf (time elapsed for a project without milestones)' },
});

/** The nodes of a project's schedule (节点计划). */
export const milestoneKind = codeList({
  start: { zh: '开工', en: 'Construction start' },
  main_structure: { zh: '主体结构完工', en: 'Main structure completed' },
  completion_acceptance: { zh: '竣工验收', en: 'Completion acceptance' },
  operation: { zh: '投产', en: 'In operation' },
  other: { zh: '其他节点', en: 'Other milestone (with a title)' },
});

/** Where a milestone stands on a day (derived from its dates, never stored). */
export const milestoneStatus = codeList({
  pending: { zh: '未到期', en: 'Pending: planned after the next half-month' },
  due: { zh: '临近', en: 'Due: planned within the next 15 days' },
  achieved: { zh: '按期完成', en: 'Achieved on or before its planned date' },
  late: { zh: '逾期未完成', en: 'Late: planned date passed, not achieved' },
  achieved_late: { zh: '逾期完成', en: 'Achieved after its planned date' },
});

/** Where the office's review of a half-month report stands (填报 → 审核 → 退回). */
export const reportReviewStatus = codeList({
  submitted: { zh: '已报送（待审核）', en: 'Submitted, awaiting the office’s review' },
  approved: { zh: '审核通过', en: 'Approved by the office' },
  returned: { zh: '退回修改', en: 'Returned to the department with a reason, to be corrected' },
});

/** Which reports a figure is built from. */
export const figureBasis = codeList({
  submitted: { zh: '已报送（不含退回）', en: 'Every report the office has not returned: submitted or approved' },
  approved: { zh: '仅审核通过', en: 'Only the reports the office has approved' },
});

export const webhookEventType = codeList({
  'project.status_changed': { zh: '项目状态变更', en: 'A project moved along its lifecycle' },
  'report.submitted': { zh: '进度报送已提交', en: 'A half-month progress report was submitted' },
  'report.late': { zh: '进度报送逾期提交', en: 'A report was submitted after its due date' },
  'report.approved': { zh: '进度报送审核通过', en: 'The office approved a report' },
  'report.returned': { zh: '进度报送被退回', en: 'The office returned a report with a reason' },
  'issue.opened': { zh: '问题已登记', en: 'An issue was raised' },
  'issue.resolved': { zh: '问题已解决', en: 'An issue was resolved' },
  'warning.light_changed': { zh: '红黄绿灯变化（定时评估）', en: "A project's warning light changed (periodic evaluation)" },
});

export const webhookDeliveryStatus = codeList({
  pending: { zh: '待发送', en: 'Waiting for its (next) attempt' },
  sending: { zh: '发送中', en: 'A worker is posting it' },
  succeeded: { zh: '成功', en: 'The receiver answered 2xx' },
  failed: { zh: '已放弃', en: 'No attempts left' },
});

/** What an API key may do (see src/modules/api-keys/README.md for the full matrix). */
export const apiKeyRole = codeList({
  admin: { zh: '系统管理员（密钥、部门、领导、预警规则、订阅）', en: 'Administrator: keys, departments, leaders, rules, webhooks; and everything office may do' },
  office: { zh: '重点项目办（全部业务记录）', en: 'Key-project office: every record' },
  department: { zh: '责任部门（本部门项目的报送、问题、督查）', en: "Department: reports, issues and inspections of its own projects; reads everything" },
  leader: { zh: '挂点领导（所挂项目的督查和批示）', en: 'Leader: inspections and comments on its assigned projects; reads everything' },
  viewer: { zh: '只读', en: 'Viewer: reads only' },
});

/** The kinds of record the audit trail and the change feed name (resourceType). */
export const recordType = codeList({
  department: { zh: '责任部门', en: 'Department' },
  leader: { zh: '镇领导', en: 'Leader' },
  project: { zh: '项目', en: 'Project' },
  annual_plan: { zh: '年度计划', en: 'Annual plan' },
  leader_assignment: { zh: '挂点安排', en: 'Leader assignment' },
  progress_report: { zh: '进度报送', en: 'Progress report' },
  inspection: { zh: '督查检查', en: 'Inspection' },
  issue: { zh: '项目问题', en: 'Issue' },
  project_comment: { zh: '领导批示', en: 'Comment' },
  project_milestone: { zh: '项目节点', en: 'Project milestone' },
  special_bond: { zh: '专项债申报', en: 'Special-bond application' },
  groundbreaking_batch: { zh: '集体开工批次', en: 'Groundbreaking batch' },
  declared_figure: { zh: '公布数', en: 'Declared figure' },
  warning_rule: { zh: '预警规则', en: 'Warning rule' },
  publication: { zh: '指标发布', en: 'Publication' },
  api_key: { zh: '接口密钥', en: 'API key' },
  webhook_subscription: { zh: '事件订阅', en: 'Webhook subscription' },
});

export const allCodeLists = {
  projectStatus,
  projectCategory,
  planList,
  planStage,
  inspectionKind,
  issueHandlingMode,
  issueStatus,
  issueCategory,
  issueSource,
  bondOutcome,
  batchStatus,
  leaderRole,
  warningLight,
  warningRule,
  webhookEventType,
  webhookDeliveryStatus,
  apiKeyRole,
  recordType,
  reportReviewStatus,
  figureBasis,
  milestoneKind,
  milestoneStatus,
  scheduleBasis,
} as const;
