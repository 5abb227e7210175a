import { warningLight, warningRule } from '../../domain/codes.js';
/**
 * The four warning rules (红黄绿灯): what each measures and how it compares with its thresholds
 * is fixed here; the thresholds themselves are data (warning_rules) seeded from `defaults`.
 */
export const warningRuleKeys = warningRule.values;
export type WarningRuleKey = (typeof warningRuleKeys)[number];

export const lightLevels = warningLight.values;
export type LightLevel = (typeof lightLevels)[number];

export interface RuleDefinition {
  key: WarningRuleKey;
  /** What the thresholds count, English / 中文. */
  unit: string;
  /** Thresholds of counted things (days, periods) must be whole numbers. */
  wholeNumbers: boolean;
  /** Largest threshold accepted (missing_reports looks back that many periods). */
  maxThreshold: number;
  defaults: { yellowThreshold: string; redThreshold: string | null; descriptionZh: string; descriptionEn: string };
}

export const ruleDefinitions: Record<WarningRuleKey, RuleDefinition> = {
  not_started: {
    key: 'not_started',
    unit: 'days past the planned start date (asOf − planned start) / 超过计划开工日期的天数',
    wholeNumbers: true,
    maxThreshold: 3650,
    defaults: {
      yellowThreshold: '0',
      redThreshold: '90',
      descriptionEn:
        'Not started: the project has a planned start date, is not cancelled or completed on asOf, and has no status change to under_construction effective on or before asOf. Yellow when asOf − planned start ≥ yellow (0: from the planned start date itself), red when ≥ red (90 days, three months).',
      descriptionZh:
        '未按期开工：有计划开工日期、统计日未取消或竣工、且截至统计日无“在建”状态变更的项目。统计日减计划开工日 ≥ 黄灯阈值（0，即计划开工日当天起）亮黄灯，≥ 红灯阈值（90天，约三个月）亮红灯。',
    },
  },
  behind_schedule: {
    key: 'behind_schedule',
    unit: 'percentage points behind the elapsed share of the year / 落后时间进度的百分点',
    wholeNumbers: false,
    maxThreshold: 100,
    defaults: {
      yellowThreshold: '10',
      redThreshold: '30',
      descriptionEn:
        'Behind schedule (序时进度): gap = elapsed share of the year (days from 1 January to asOf inclusive ÷ days in the year) − completed investment of the year to asOf ÷ planned investment for the year, in percentage points. Completed = in-force revisions of reports whose period lies in the year and ended on or before asOf (as in the metrics summary). Only projects with planned investment > 0, not cancelled on asOf. Yellow when gap ≥ yellow (10), red when gap > red (30). Compared exactly in SQL numeric.',
      descriptionZh:
        '滞后序时进度：差距 = 时间进度（1月1日至统计日天数 ÷ 全年天数）− 年度完成投资 ÷ 年度计划投资（百分点）。完成投资口径同指标汇总（年内且截至统计日已结束报送期的现行版本之和）。仅计划投资大于0且统计日未取消的项目。差距 ≥ 黄灯阈值（10）亮黄灯，> 红灯阈值（30）亮红灯，按精确数值比较。',
    },
  },
  missing_reports: {
    key: 'missing_reports',
    unit: 'consecutive missing half-month reports up to the last period ended by asOf / 截至最近已结束报送期的连续缺报期数',
    wholeNumbers: true,
    maxThreshold: 24,
    defaults: {
      yellowThreshold: '1',
      redThreshold: '2',
      descriptionEn:
        'Missing reports: only projects under construction on asOf. Counting back from the last half-month period ended on or before asOf, the periods with no report, stopping at the first period with a report or ending before the project first started (first status change to under_construction). Yellow when the count ≥ yellow (1: the last period is missing), red when ≥ red (2 consecutive). Due dates are not waited for, as in the compliance metric.',
      descriptionZh:
        '缺报：仅统计日在建项目。自统计日前最近一个已结束的半月报送期往前数连续缺报期数，遇到已报送或项目首次开工前结束的报送期即停止。≥ 黄灯阈值（1，最近一期缺报）亮黄灯，≥ 红灯阈值（2，连续两期）亮红灯。与报送合规指标一致，不等待截止日。',
    },
  },
  milestone_overdue: {
    key: 'milestone_overdue',
    unit: 'days the most overdue milestone is past its planned date (asOf − planned date) / 最逾期节点超过计划日期的天数',
    wholeNumbers: true,
    maxThreshold: 3650,
    defaults: {
      yellowThreshold: '1',
      redThreshold: '30',
      descriptionEn:
        'Milestone overdue: a milestone of the project (节点计划) not achieved by asOf whose planned date is before asOf. Measured by asOf − the earliest such planned date: yellow when ≥ yellow (1, any overdue milestone), red when ≥ red (30 days).',
      descriptionZh:
        '节点逾期：截至统计日未完成且计划日期早于统计日的项目节点。按统计日减最早计划日期的天数：≥ 黄灯阈值（1，即有逾期节点）亮黄灯，≥ 红灯阈值（30天）亮红灯。',
    },
  },
  overdue_issue: {
    key: 'overdue_issue',
    unit: 'days the oldest overdue issue is past its due date (asOf − due date) / 最早逾期问题超过期限的天数',
    wholeNumbers: true,
    maxThreshold: 3650,
    defaults: {
      yellowThreshold: '1',
      redThreshold: null,
      descriptionEn:
        'Overdue issue: an issue of the project open on asOf (raised on or before asOf, not withdrawn, not resolved by asOf, as in the issue metrics) whose due date is before asOf. Measured by asOf − the earliest such due date: yellow when ≥ yellow (1, any overdue issue), red when ≥ red (none by default).',
      descriptionZh:
        '问题逾期：统计日未结（统计日前提出、未撤回、统计日前未解决，口径同问题统计）且期限早于统计日的问题。按统计日减最早期限的天数：≥ 黄灯阈值（1，即有逾期问题）亮黄灯，≥ 红灯阈值（默认不设红灯）亮红灯。',
    },
  },
};
