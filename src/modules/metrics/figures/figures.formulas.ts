/** Formulas are part of the answer: a reader must see what a number counts without the code. */
export const formulas = {
  projectCount: 'number of projects with an annual plan on the list for the year / 名单年度计划内项目个数',
  estimatedInvestment: 'sum of the projects\' estimated total investment (万元) / 项目估算总投资之和（万元）',
  plannedInvestment: 'sum of the planned investment for the year (万元) / 年度计划投资之和（万元）',
  largeProjectCount: 'projects whose estimated total investment >= largeThreshold / 估算总投资不低于阈值的项目个数',
  investmentCompleted:
    'sum of investment completed in the in-force revision of reports whose period lies in the year and ended on or before asOf (万元) / 年内截至统计日已结束报送期的完成投资之和（万元）',
  planCompletionRate: 'investment completed ÷ planned investment for the year / 完成投资 ÷ 年度计划投资',
  resumedCount: 'continuing projects whose status on asOf is under_construction / 统计日状态为在建的续建项目个数',
  resumptionRate: 'continuing projects at work on asOf ÷ continuing projects / 已复工续建项目 ÷ 续建项目（复工率）',
  startedCount:
    'new-start projects with a status change to under_construction effective on or before asOf / 截至统计日已转为在建的新开工项目个数',
  startRate: 'new-start projects started by asOf ÷ new-start projects / 已开工新开工项目 ÷ 新开工项目（开工率）',
} as const;
