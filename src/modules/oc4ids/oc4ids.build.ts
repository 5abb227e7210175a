import { milestoneKind, planList, planStage, projectCategory, projectStatus, type Label } from '../../domain/codes.js';
import { statusOn } from '../milestones/milestones.public.js';
import type { ProjectStatus } from '../projects/projects.public.js';
import { metricIds, partyRoles, sectorMap, SPECIAL_BOND_FINANCE_TYPE, statusMap, typeMap } from './oc4ids.codelists.js';
import type { Oc4idsRecords } from './oc4ids.repository.js';
import { periodOf, startOfDay, yuanValue } from './oc4ids.values.js';

/**
 * Project ids are this prefix plus our project id (a UUID, which never changes; the code can be
 * edited, so it goes in `identifiers`). OC4IDS wants a registered prefix (oc4ids-xxxxxx): replace
 * this constant once the office has registered one.
 */
export const PROJECT_ID_PREFIX = 'oc4ids-kpo-';
export const OC4IDS_VERSION = '0.9' as const;

type Row = Oc4idsRecords['projects'][number];
type Plan = Oc4idsRecords['plans'][number];
type Bond = Oc4idsRecords['bonds'][number];
type Report = Oc4idsRecords['reports'][number];

const label = (labels: Record<string, Label>, code: string) => labels[code] ?? { zh: code, en: code };
const both = (l: Label) => `${l.zh} / ${l.en}`;
const PERCENT = { name: 'percent', scheme: 'UNCEFACT', id: 'P1' };

function groupBy<T extends { projectId: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(row.projectId, [...(map.get(row.projectId) ?? []), row]);
  return map;
}

function budgetBreakdowns(plans: Plan[]) {
  if (plans.length === 0) return undefined;
  return [{
    id: 'annual-plans',
    description: '年度计划投资：每个年度名单一条（同一年度多个名单时不可相加） / Planned investment for the year, one entry per annual list (entries of one year on several lists overlap)',
    budgetBreakdown: plans.map((p) => ({
      id: p.id,
      description: `${p.year} ${both(label(planList.labels, p.list))} · ${both(label(planStage.labels, p.stage))}`,
      amount: yuanValue(p.plannedInvestment),
      period: periodOf(`${p.year}-01-01`, `${p.year}-12-31`)!,
    })),
  }];
}

function finance(bonds: Bond[]) {
  if (bonds.length === 0) return undefined;
  return bonds.map((b) => {
    const granted = b.outcome === 'granted';
    const state = granted
      ? `已获批（${b.decidedOn}），申请 ${b.amountRequested} 万元 / Granted on ${b.decidedOn}; ${b.amountRequested} 万元 requested`
      : `审核中，金额为申请额 / Pending; the value is the amount requested`;
    return {
      id: b.id,
      title: b.bondBatch ? `专项债 ${b.bondBatch} / Special bond` : '专项债 / Special bond',
      description: `${state}; 申请日 applied on ${b.appliedOn}`,
      value: yuanValue(granted ? b.amountGranted! : b.amountRequested),
      type: SPECIAL_BOND_FINANCE_TYPE,
      assetClass: ['debt' as const],
      source: '地方政府专项债券 / Local government special-purpose bonds',
    };
  });
}

function metrics(reports: Report[]) {
  if (reports.length === 0) return undefined;
  const period = (r: Report) => periodOf(r.periodStart, r.periodEnd)!;
  return [
    {
      id: metricIds.physical,
      title: '形象进度 / Physical progress',
      description: '每个半月报送期末的工程形象进度（%） / Physical progress of the whole project at the end of each half-month report period, %',
      observations: reports.map((r) => ({
        id: `${metricIds.physical}-${r.period}`,
        period: period(r),
        ...(r.physicalProgress === null
          ? { notes: '本期未填报形象进度 / Physical progress not reported for this period' }
          : { measure: Number(r.physicalProgress), unit: PERCENT }),
      })),
    },
    {
      id: metricIds.financial,
      title: '投资完成进度 / Financial progress',
      description: '截至每个半月报送期末的累计完成投资（元），及其占估算总投资的百分比 / Investment completed to the end of each half-month report period, in yuan, and its share of the estimated total investment, %',
      observations: reports.map((r) => ({
        id: `${metricIds.financial}-${r.period}`,
        period: period(r),
        value: yuanValue(r.investmentToDate),
        ...(r.shareOfEstimate === null ? {} : { measure: Number(r.shareOfEstimate), unit: PERCENT }),
        notes: `本期完成投资 ${r.investmentCompleted} 万元 / Investment completed in the period: ${r.investmentCompleted} 万元`,
      })),
    },
  ];
}

type Milestone = Oc4idsRecords['milestones'][number];

/**
 * Milestones in OC4IDS terms: type approval for completion acceptance (竣工验收 is a sign-off),
 * delivery for the rest; status met once achieved, notMet once its planned date has passed, scheduled
 * before (judged today, as the export is made).
 */
function milestonesOf(rows: Milestone[], today: string) {
  return rows.map((m) => {
    const status = statusOn(m, today);
    return {
      id: m.id,
      title: m.title ?? both(label(milestoneKind.labels, m.kind)),
      type: m.kind === 'completion_acceptance' ? ('approval' as const) : ('delivery' as const),
      code: m.kind,
      dueDate: startOfDay(m.plannedDate),
      ...(m.actualDate && m.actualDate <= today ? { dateMet: startOfDay(m.actualDate) } : {}),
      dateModified: m.updatedAt,
      status: status === 'achieved' || status === 'achieved_late' ? ('met' as const) : status === 'late' ? ('notMet' as const) : ('scheduled' as const),
    };
  });
}

function parties(row: Row) {
  const d = row.department;
  const contact = { ...(d.contactPerson ? { name: d.contactPerson } : {}), ...(d.contactPhone ? { telephone: d.contactPhone } : {}) };
  return [
    {
      id: `department-${d.id}`,
      name: d.name,
      identifier: { scheme: 'kpo-department-code', id: d.code, legalName: d.name },
      ...(Object.keys(contact).length > 0 ? { contactPoint: contact } : {}),
      roles: [...partyRoles.responsibleDepartment],
    },
    ...(row.ownerUnit ? [{ id: `owner-unit-${row.ownerUnit}`, name: row.ownerUnit, roles: [...partyRoles.ownerUnit] }] : []),
  ];
}

function project(row: Row, plans: Plan[], bonds: Bond[], reports: Report[], milestones: Milestone[], today: string) {
  const status = row.status as ProjectStatus;
  const breakdowns = budgetBreakdowns(plans);
  const bondFinance = finance(bonds);
  const sector = sectorMap[row.category as keyof typeof sectorMap] ?? [];
  const observed = metrics(reports);
  const since = row.statusSince ? `（自 ${row.statusSince} 起 / since ${row.statusSince}）` : '';
  const planned = periodOf(row.plannedStartDate, row.plannedCompletionDate);
  const preparation = periodOf(row.firstStatusDate, row.actualStartDate ?? row.plannedStartDate);
  const implementation = periodOf(row.actualStartDate ?? row.plannedStartDate, row.actualCompletionDate ?? row.plannedCompletionDate);
  return {
    id: `${PROJECT_ID_PREFIX}${row.id}`,
    updated: row.updated,
    language: 'zh',
    identifiers: [{ id: row.code, scheme: 'kpo-project-code' }, { id: row.id, scheme: 'kpo-project-id' }],
    title: row.name,
    ...(row.description ? { description: row.description } : {}),
    status: statusMap[status],
    type: typeMap[row.category as keyof typeof typeMap],
    ...(sector.length > 0 ? { sector } : {}),
    additionalClassifications: [
      { scheme: 'kpo-project-status', id: status, description: `${both(label(projectStatus.labels, status))}${since}` },
      { scheme: 'kpo-project-category', id: row.category, description: both(label(projectCategory.labels, row.category)) },
      ...(row.industry ? [{ scheme: 'kpo-industry', id: row.industry, description: `产业 / Industry: ${row.industry}` }] : []),
    ],
    ...(row.location ? { locations: [{ id: '1', description: row.location }] } : {}),
    publicAuthority: { id: `department-${row.department.id}`, name: row.department.name },
    parties: parties(row),
    budget: {
      description: '估算总投资（元），年度计划投资为分项 / Estimated total investment in yuan; annual planned investment as breakdowns',
      amount: yuanValue(row.estimatedInvestment),
      ...(breakdowns ? { budgetBreakdowns: breakdowns } : {}),
      ...(bondFinance ? { finance: bondFinance } : {}),
    },
    ...(planned ? { period: planned } : {}),
    ...(preparation ? { preparationPeriod: preparation } : {}),
    ...(implementation && (row.actualStartDate ?? row.plannedStartDate) ? { implementationPeriod: implementation } : {}),
    ...(observed ? { metrics: observed } : {}),
    ...(milestones.length > 0 ? { milestones: milestonesOf(milestones, today) } : {}),
    ...(status === 'completed' && row.actualCompletionDate ? { completion: { endDate: periodOf(null, row.actualCompletionDate)!.endDate! } } : {}),
  };
}

/** OC4IDS projects from the records, in the order of the project rows; milestone statuses judged on `today` (the day of knownAt, as known then). */
export function buildProjects(records: Oc4idsRecords, { today }: { today: string }) {
  const plans = groupBy(records.plans);
  const bonds = groupBy(records.bonds);
  const reports = groupBy(records.reports);
  const milestones = groupBy(records.milestones);
  return records.projects.map((row) =>
    project(row, plans.get(row.id) ?? [], bonds.get(row.id) ?? [], reports.get(row.id) ?? [], milestones.get(row.id) ?? [], today),
  );
}

export type Oc4idsProject = ReturnType<typeof buildProjects>[number];
