import type { Label } from '../../domain/codes.js';
import type { projectCategory } from '../../domain/codes.js';
import type { ProjectStatus } from '../projects/projects.public.js';

type ProjectCategory = (typeof projectCategory.values)[number];

/**
 * How our codes map onto the OC4IDS codelists (0.9.5, checked against 0.9.4 too: tests/fixtures/oc4ids). The README's
 * "OC4IDS export" table states the same mapping; the oc4ids test checks every value against the CSVs.
 */

/** OC4IDS projectStatus (closed). Labels for the codes we emit, used by the response schema. */
export const oc4idsStatusLabels = {
  preparation: { zh: '准备（前期）', en: 'Preparation' },
  implementation: { zh: '实施（含采购与施工）', en: 'Implementation' },
  completion: { zh: '完工', en: 'Completion' },
  cancelled: { zh: '取消', en: 'Cancelled' },
} satisfies Record<string, Label>;

export type Oc4idsStatus = keyof typeof oc4idsStatusLabels;

/**
 * A project on a town list has been identified already, so 谋划/前期 is OC4IDS preparation
 * (feasibility, EIA, land, approvals). Approval closes preparation, but OC4IDS starts implementation
 * with procurement, which our records do not show until construction starts: approved stays in
 * preparation. Suspended work is still implementation; the suspension is kept in
 * additionalClassifications (scheme kpo-project-status).
 */
export const statusMap: Record<ProjectStatus, Oc4idsStatus> = {
  planning: 'preparation',
  approved: 'preparation',
  under_construction: 'implementation',
  suspended: 'implementation',
  completed: 'completion',
  cancelled: 'cancelled',
};

/** OC4IDS projectType (closed). */
export const oc4idsTypeLabels = {
  construction: { zh: '新建', en: 'Construction' },
  replacement: { zh: '拆旧建新', en: 'Replacement' },
} satisfies Record<string, Label>;

export type Oc4idsType = keyof typeof oc4idsTypeLabels;

/** 工改工 pulls down old industrial buildings and builds new ones on the land; the rest build new assets. */
export const typeMap: Record<ProjectCategory, Oc4idsType> = {
  industrial_investment: 'construction',
  transport: 'construction',
  industrial_land_renewal: 'replacement',
  industrial_park_facilities: 'construction',
  rural_revitalisation: 'construction',
  water_control: 'construction',
  education: 'construction',
  healthcare: 'construction',
  livelihood_other: 'construction',
};

/**
 * OC4IDS projectSector (open; we emit only codes of the CSV). Industry, land renewal, park
 * facilities and rural revitalisation are "economy" (which includes agribusiness and agriculture);
 * 治水 in the town is sewage networks and river clean-up, "waterAndWaste". 其他民生基础设施 has no
 * honest single sector, so it gets none (the field is omitted; our category stays in
 * additionalClassifications).
 */
export const sectorMap: Record<ProjectCategory, string[]> = {
  industrial_investment: ['economy'],
  transport: ['transport'],
  industrial_land_renewal: ['economy'],
  industrial_park_facilities: ['economy'],
  rural_revitalisation: ['economy'],
  water_control: ['waterAndWaste'],
  education: ['education'],
  healthcare: ['health'],
  livelihood_other: [],
};

/** OC4IDS partyRole (open; codes of the CSV). */
export const partyRoles = {
  /** 责任部门: the public entity answerable for delivering the project. */
  responsibleDepartment: ['publicAuthority'],
  /** 项目单位 (建设单位/业主): pays for the works and runs their tendering (招标人). */
  ownerUnit: ['buyer', 'procuringEntity'],
} as const;

/** OC4IDS financingArrangementType (closed): a 专项债 is a local-government bond. */
export const SPECIAL_BOND_FINANCE_TYPE = 'bond' as const;

/** OC4IDS metricID (open; codes of the CSV). */
export const metricIds = { physical: 'physicalProgress', financial: 'financialProgress' } as const;
