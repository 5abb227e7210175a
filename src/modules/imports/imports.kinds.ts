/**
 * The kinds of record an import brings in, one sheet (or one CSV) each, with the headers an office's
 * spreadsheet gives them in Chinese and English. A header is matched without regard to spaces, case,
 * full- or half-width brackets, and a trailing "/ English" part (the exports' own `项目编号 / Code`).
 */
export const importKinds = ['projects', 'plans', 'statusHistory', 'leaderAssignments', 'milestones', 'reports', 'issues'] as const;
export type ImportKind = (typeof importKinds)[number];

/** field → its headers: the Chinese ones first (the first is canonical), then English labels. */
type Headers = Record<string, readonly string[]>;

export interface KindSpec {
  kind: ImportKind;
  /** Worksheet names this kind is read from (compared like headers). */
  sheets: readonly string[];
  headers: Headers;
  required: readonly string[];
  /** Columns the exports write that are derived or assigned by the service: read past with a warning saying why. */
  derived: readonly string[];
}

const project = { code: ['项目编号', '项目代码', 'Project code', 'Code'] };

const projectHeaders = {
  ...project,
  name: ['项目名称', 'Name'],
  ownerUnit: ['项目单位', '建设单位', 'Owner unit'],
  category: ['项目类别', 'Category'],
  industry: ['所属行业', '行业', 'Industry'],
  location: ['建设地点', 'Location'],
  description: ['建设内容', '项目简介', '建设内容及说明', 'Description'],
  estimatedInvestment: ['估算总投资（万元）', '估算总投资', 'Estimated investment'],
  plannedStartDate: ['计划开工日期', '计划开工时间', 'Planned start'],
  plannedCompletionDate: ['计划竣工日期', '计划竣工时间', 'Planned completion'],
  department: ['责任部门', '责任单位', '责任部门代码', 'Responsible department', 'Department code'],
  supportingDepartments: ['协办部门', 'Supporting departments'],
  status: ['项目状态', '当前状态', 'Status', 'Current status'],
  statusDate: ['状态生效日期', '状态日期', 'Status effective date', 'Status since'],
  actualStartDate: ['实际开工日期', '实际开工时间', 'Actual start'],
  actualCompletionDate: ['实际竣工日期', '实际竣工时间', 'Actual completion'],
  year: ['年度', 'Year'],
  list: ['名单', '名单类别', 'List'],
  stage: ['阶段', '建设阶段', 'Stage'],
  plannedInvestment: ['年度计划投资（万元）', '年度计划投资', 'Planned investment of the year', 'Planned investment'],
} as const satisfies Headers;

export const kindSpecs: Record<ImportKind, KindSpec> = {
  projects: {
    kind: 'projects',
    sheets: ['项目', '项目清单', '项目信息', 'Projects', 'Project list'],
    headers: projectHeaders,
    required: ['code', 'name', 'category', 'estimatedInvestment', 'department'],
    derived: [
      '序号', 'No.', '记录编号', 'Record id', '责任部门名称', 'Department name', '挂点领导', 'Leaders',
      '累计完成投资（万元）', 'Investment completed to date', '最近形象进度', 'Last physical progress',
      '最近报送期', 'Last report period', '截至日状态', 'Status on as-of date',
    ],
  },
  plans: {
    kind: 'plans',
    sheets: ['年度计划', '年度计划表', 'Plans', 'Annual plans'],
    headers: { ...project, year: projectHeaders.year, list: projectHeaders.list, stage: projectHeaders.stage, plannedInvestment: projectHeaders.plannedInvestment },
    required: ['code', 'year', 'list', 'stage', 'plannedInvestment'],
    derived: ['序号', 'No.', '项目名称', 'Name', '记录编号', 'Record id'],
  },
  statusHistory: {
    kind: 'statusHistory',
    sheets: ['状态历史', '项目状态历史', '状态变更', 'Status history'],
    headers: {
      ...project,
      status: ['状态', '项目状态', '变更后状态', 'Status', 'To status'],
      effectiveDate: ['生效日期', '变更日期', 'Effective date'],
      reason: ['原因', '说明', 'Reason'],
    },
    required: ['code', 'status', 'effectiveDate'],
    derived: ['序号', 'No.', '项目名称', 'Name', '原状态', 'From status'],
  },
  leaderAssignments: {
    kind: 'leaderAssignments',
    sheets: ['挂点领导', '领导挂点', 'Leader assignments', 'Leaders'],
    headers: {
      ...project,
      leader: ['挂点领导', '领导', '领导姓名', 'Leader'],
      role: ['挂点角色', '角色', 'Role'],
      startDate: ['挂点开始日期', '开始日期', 'Start date', 'From'],
      endDate: ['挂点结束日期', '结束日期', 'End date', 'To'],
      notes: ['备注说明', 'Notes'],
    },
    required: ['code', 'leader', 'startDate'],
    derived: ['序号', 'No.', '项目名称', 'Name'],
  },
  milestones: {
    kind: 'milestones',
    sheets: ['节点计划', '项目节点', 'Milestones'],
    headers: {
      ...project,
      kind: ['节点类型', '节点', 'Milestone kind', 'Kind'],
      title: ['节点名称', 'Title'],
      plannedDate: ['计划日期', '计划完成日期', 'Planned date'],
      baselineDate: ['基准日期', '原计划日期', 'Baseline date'],
      forecastDate: ['预计日期', '预计完成日期', 'Forecast date'],
      actualDate: ['实际日期', '实际完成日期', 'Actual date'],
      evidence: ['佐证材料', '完成依据', 'Evidence'],
    },
    required: ['code', 'kind', 'plannedDate'],
    derived: ['序号', 'No.', '项目名称', 'Name', '节点状态', 'Status'],
  },
  reports: {
    kind: 'reports',
    sheets: ['进度报送', '半月报', '进度报表', 'Reports', 'Progress reports'],
    headers: {
      ...project,
      period: ['报送期', '填报期', '报送期次', 'Period'],
      investmentCompleted: ['本期完成投资（万元）', '本期完成投资', 'Investment completed', 'Investment completed in the period'],
      physicalProgress: ['形象进度（%）', '形象进度', 'Physical progress'],
      workOngoing: ['是否在建', '是否施工', '在建', 'Work ongoing'],
      narrative: ['进展情况', '进度说明', 'Narrative'],
      submittedAt: ['报送时间', '提交时间', 'Submitted at'],
    },
    required: ['code', 'period', 'investmentCompleted', 'workOngoing'],
    derived: ['序号', 'No.', '项目名称', 'Name', '是否逾期', 'Late', '截止日期', 'Due date'],
  },
  issues: {
    kind: 'issues',
    sheets: ['问题', '问题清单', '堵点难题', 'Issues'],
    headers: {
      ...project,
      title: ['问题', '问题标题', '问题名称', 'Title'],
      description: ['问题描述', 'Description'],
      category: ['问题类别', 'Category'],
      source: ['问题来源', '来源', 'Source'],
      raisedBy: ['提出人', '提出单位', 'Raised by'],
      raisedOn: ['提出日期', '登记日期', 'Raised on'],
      handlingMode: ['办理方式', '三办方式', 'Handling mode'],
      department: ['责任部门', '承办部门', 'Assigned department', 'Department'],
      assigneeName: ['责任人', '承办人', 'Assignee'],
      dueDate: ['办结时限', '期限', 'Due date'],
      status: ['办理状态', '状态', 'Status'],
      resolution: ['办理结果', '解决情况', 'Resolution'],
      resolvedOn: ['解决日期', '办结日期', 'Resolved on'],
    },
    required: ['code', 'title', 'source', 'raisedOn', 'handlingMode', 'department'],
    derived: ['序号', 'No.', '项目名称', 'Name', '是否逾期', 'Overdue'],
  },
};

/** Header text as compared: no spaces, one kind of bracket, lower case. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/[（【［]/g, '(')
    .replace(/[）】］]/g, ')')
    .toLowerCase();
}

/**
 * `项目编号 / Code` → ['项目编号 / Code', '项目编号', 'Code']: the whole header, then each side of its
 * slash — or of its line break, as the XLSX exports print Chinese above English.
 */
function headerVariants(header: string): string[] {
  const text = header.trim();
  const newline = text.indexOf('\n');
  const at = newline > 0 ? newline : text.lastIndexOf('/');
  if (at <= 0) return [text];
  return [text, text.slice(0, at), text.slice(at + 1)];
}

interface Matcher {
  fieldOf(header: string): string | undefined;
  isDerived(header: string): boolean;
}

function matcherOf(spec: KindSpec): Matcher {
  const fields = new Map<string, string>();
  for (const [field, headers] of Object.entries(spec.headers)) {
    fields.set(headerKey(field), field);
    for (const header of headers) if (!fields.has(headerKey(header))) fields.set(headerKey(header), field);
  }
  const derived = new Set(spec.derived.map(headerKey));
  const first = <T>(header: string, find: (key: string) => T | undefined) => {
    for (const variant of headerVariants(header)) {
      const found = find(headerKey(variant));
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    fieldOf: (header) => first(header, (key) => fields.get(key)),
    isDerived: (header) => first(header, (key) => (derived.has(key) ? true : undefined)) ?? false,
  };
}

const matchers = new Map(importKinds.map((kind) => [kind, matcherOf(kindSpecs[kind])]));
export const matcherFor = (kind: ImportKind): Matcher => matchers.get(kind)!;

const kindBySheet = new Map<string, ImportKind>();
for (const kind of importKinds) for (const name of kindSpecs[kind].sheets) kindBySheet.set(headerKey(name), kind);

/** The kind a worksheet holds, by its name (`项目`, `Projects`, `项目清单` …). */
export function kindOfSheet(name: string): ImportKind | undefined {
  for (const variant of headerVariants(name)) {
    const found = kindBySheet.get(headerKey(variant));
    if (found) return found;
  }
  return undefined;
}

/** The header a problem names when the file had no such column (JSON rows): the canonical Chinese one. */
export function canonicalHeader(kind: ImportKind, field: string): string {
  return kindSpecs[kind].headers[field]?.[0] ?? field;
}
