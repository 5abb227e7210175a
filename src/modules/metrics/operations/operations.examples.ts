import { exampleProjectIds as all } from '../figures/figures.examples.js';
import { complianceScope, financingRules, issueRules } from './operations.rules.js';

// Whole answers for the OpenAPI examples (a partial example does not validate against its schema),
// over the Tanzhou 2022 projects of the summary's example.

const department = '01860c6e-1f2a-7b3c-8d4e-5f6a7b8c9d0e';
const leader = '01860c6e-2a3b-7c4d-8e5f-6a7b8c9d0e1f';

export const complianceExample = {
  period: '2022-03-H2',
  periodStart: '2022-03-16',
  periodEnd: '2022-03-31',
  dueDate: '2022-04-03',
  year: 2022,
  list: 'city_key',
  knownAt: null,
  basis: 'submitted',
  scope: complianceScope,
  totals: { projectCount: 2, projectIds: all.slice(0, 2), missing: { count: 1, projectIds: all.slice(1, 2) }, late: { count: 0, projectIds: [] }, returned: { count: 0, projectIds: [] } },
  byDepartment: [
    {
      key: department,
      label: '坦洲镇经济发展局',
      projectCount: 2,
      projectIds: all.slice(0, 2),
      missing: { count: 1, projectIds: all.slice(1, 2) },
      late: { count: 0, projectIds: [] },
      returned: { count: 0, projectIds: [] },
    },
  ],
  byLeader: [
    {
      key: leader,
      label: '张建国',
      projectCount: 2,
      projectIds: all.slice(0, 2),
      missing: { count: 1, projectIds: all.slice(1, 2) },
      late: { count: 0, projectIds: [] },
      returned: { count: 0, projectIds: [] },
    },
  ],
};

const issueTotals = { opened: 3, resolved: 2, open: 1, overdue: 0, medianDaysToResolve: 6.5 };

export const issuesExample = {
  from: '2022-01-01',
  to: '2022-03-31',
  knownAt: null,
  rules: issueRules,
  totals: { key: null, label: '', ...issueTotals },
  byHandlingMode: [{ key: 'on_site', label: 'Handle on site / 行走办', ...issueTotals }],
  byFactor: [{ key: 'land', label: 'Land / 用地', ...issueTotals }],
  byDepartment: [{ key: department, label: '坦洲镇经济发展局', ...issueTotals }],
  byProject: [{ key: all[0], label: 'TZ2022-N01 易事达新型显示模组生产基地项目', ...issueTotals }],
};

const noBonds = { applications: 0, amountRequested: '0', grants: 0, projectsGranted: 0, amountGranted: '0', grantedProjectIds: [] };
const firstQuarter = {
  applications: 2,
  amountRequested: '50000.0000',
  grants: 1,
  projectsGranted: 1,
  amountGranted: '30000.0000',
  grantedProjectIds: all.slice(5, 6),
};

export const financingExample = {
  year: 2022,
  knownAt: null,
  rules: financingRules,
  quarters: [{ quarter: 1, ...firstQuarter }, { quarter: 2, ...noBonds }, { quarter: 3, ...noBonds }, { quarter: 4, ...noBonds }],
  yearTotal: firstQuarter,
};
