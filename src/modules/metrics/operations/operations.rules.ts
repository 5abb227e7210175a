// The rules each operational answer states in its `rules` or `scope` field (and its OpenAPI example):
// part of the answer, so that a reader sees what is counted without the code.

export const complianceScope =
  'Projects with an annual plan on the list for the year (archived ones left out) that were under construction or suspended on some day of the period: status on the first day, or a change to one of those effective within the period. A report is missing when the project has none for the period (even before its due date: see dueDate), or the office returned it and it has not been corrected (with basis=approved: until the office approves it); late when its first revision arrived after the due date, or a returned report was corrected after it. `returned` lists the reports returned and not yet corrected. Leader = assignment active on the last day of the period; a project with two leaders is under both. / 范围：名单年度项目中，报送期内任一天为在建或停工的项目。缺报：该期无报送，或被退回尚未更正（basis=approved 时未审核通过亦计）；迟报：首次报送晚于截止日，或退回后更正晚于截止日；另列被退回项目。领导按报送期最后一天在任的挂点领导，一个项目两位领导时两组都计入。';

export const issueRules =
  'opened: raised_on in [from, to]; resolved: status resolved with resolved_on in [from, to]; open at `to`: raised on or before `to`, not withdrawn, and not resolved by `to`; overdue: open at `to` with due_date before `to`; median days to resolve: percentile_cont(0.5) of resolved_on − raised_on over the issues resolved in [from, to]. Withdrawn issues carry no withdrawal date, so they are never counted open. / 新增：提出日期在区间内；解决：区间内解决；未结：截至 to 未解决且未撤回；逾期：未结且期限早于 to；解决天数中位数。';

export const financingRules =
  'Per quarter of the year: applications = special-bond applications with applied_on in the quarter (and the sum requested); grants = applications granted with decided_on in the quarter, projects granted = distinct projects among them (and the sum granted). The year row adds up the same events. / 按季度：申报以申报日期计，获批以批复日期计（项目数按项目去重）。';

export const milestoneRules =
  'Over the milestones of the projects with an annual plan on the list for the year (archived ones left out), in [from, to]: due = planned date in the period; achieved = actual date in the period; achieved on time = due and achieved on or before its planned date; late = due, its planned date before `to`, and not achieved on or before it; on-time rate = achieved on time ÷ due. Leader = assignment active on `to` (a project with two leaders is under both). / 名单年度项目的节点：应完成＝计划日期在区间内；已完成＝实际日期在区间内；按期完成＝应完成且不晚于计划日期完成；逾期＝应完成、计划日期早于截止日且未按期完成；按期完成率＝按期完成 ÷ 应完成。';
