/**
 * A Tanzhou 2022 dataset of our own construction, consistent with the town's report
 * (../shared/seed). Amounts in 万元 as decimal strings. Names of places and companies follow the
 * report where it gives them; the rest are invented for the demo.
 *
 * The report's figures that must come out of these records (as of 2022-03-31):
 * city key list 12 projects, 747100 estimated (74.71亿; 75.7亿 declared), plan 116100;
 * 5 new starts 238500 / plan 48000, 7 continuing 508600 / plan 68100; 3 of ≥100000;
 * reserve list 11 projects 634300; 19 projects granted special bonds in Q1; completed by March
 * 29000 (25% of plan); 7 of 7 continuing resumed; 4 of 5 new starts started; Q1 batch 3 projects
 * 78000; Q2 batch 200000; 30 special-bond reserve projects; town key industrial 15 projects
 * (about 78亿); more than 20 issues resolved by the 三办 office.
 */

export interface DemoProject {
  code: string;
  name: string;
  ownerUnit: string;
  category: string;
  industry?: string;
  location: string;
  estimatedInvestment: string;
  department: string;
  leader: string;
  plannedStartDate?: string;
  plannedCompletionDate?: string;
  /** Dated status history after 'planning' (effective date → status). */
  history: [string, string][];
  plans: { list: string; stage: string; plannedInvestment: string; batch?: string }[];
  /** Half-month period → [investment completed, work going on]; only for reporting projects. */
  reports?: Record<string, [string, boolean]>;
}

export const departments = [
  { code: 'ZSZH', name: '坦洲镇招商指挥部（重点项目办）', shortName: '招商指挥部' },
  { code: 'FG', name: '坦洲镇经济发展和科技信息局（发改）', shortName: '发改' },
  { code: 'GX', name: '坦洲镇工业和信息化局', shortName: '工信' },
  { code: 'ZJ', name: '坦洲镇住房城乡建设和交通局', shortName: '住建' },
  { code: 'GD', name: '坦洲供电分局', shortName: '供电' },
  { code: 'GS', name: '坦洲供水有限公司', shortName: '供水' },
  { code: 'NY', name: '坦洲镇农业农村办公室', shortName: '农业农村' },
  { code: 'JY', name: '坦洲镇教育和体育局', shortName: '教育' },
  { code: 'WJ', name: '坦洲镇卫生健康局', shortName: '卫健' },
];

export const leaders = [
  { key: 'secretary', name: '陈书记', title: '镇党委书记' },
  { key: 'mayor', name: '林镇长', title: '镇长' },
  { key: 'deputyA', name: '黄副镇长', title: '副镇长（分管经济发展）' },
  { key: 'deputyB', name: '吴副镇长', title: '副镇长（分管住建交通）' },
  { key: 'deputyC', name: '郑副镇长', title: '副镇长（分管农业农村）' },
];

export const batches = [
  { key: 'q1', name: '坦洲镇2022年第一季度重点项目集体动工', ceremonyDate: '2022-02-16', status: 'held' as const, location: '中山市产业平台（坦洲园）' },
  { key: 'q2', name: '坦洲镇2022年第二季度重点项目集体动工（第二批）', ceremonyDate: '2022-06-16', status: 'planned' as const, location: '坦洲镇' },
];

const Q1 = ['2022-01-H1', '2022-01-H2', '2022-02-H1', '2022-02-H2', '2022-03-H1', '2022-03-H2'];

/** A continuing project: working in January, stopped by the epidemic in late February, back in March. */
function continuingReports(q1: [string, string, string, string, string], april: string): Record<string, [string, boolean]> {
  const [jan1, jan2, feb1, mar1, mar2] = q1;
  return {
    [Q1[0]!]: [jan1, true],
    [Q1[1]!]: [jan2, true],
    [Q1[2]!]: [feb1, true],
    [Q1[3]!]: ['0.0000', false],
    [Q1[4]!]: [mar1, true],
    [Q1[5]!]: [mar2, true],
    '2022-04-H1': [april, true],
  };
}

const continuingHistory = (start: string): [string, string][] => [
  ['2020-06-01', 'approved'],
  [start, 'under_construction'],
  ['2022-02-20', 'suspended'],
  ['2022-03-03', 'under_construction'],
];

export const cityKeyProjects: DemoProject[] = [
  // Continuing (续建): 7 projects, 508600 estimated, 68100 planned for 2022, 18500 done in Q1.
  {
    code: 'TZ2022-C01', name: '中山坦洲高端显示产业园项目', ownerUnit: '中山坦洲显示科技有限公司', category: 'industrial_investment',
    industry: '高端显示', location: '中山市产业平台（坦洲园）', estimatedInvestment: '150000.0000', department: 'GX', leader: 'secretary',
    plannedStartDate: '2021-03-01', plannedCompletionDate: '2024-12-31', history: continuingHistory('2021-03-15'),
    plans: [{ list: 'city_key', stage: 'continuing', plannedInvestment: '15000.0000' }],
    reports: continuingReports(['800.0000', '800.0000', '400.0000', '1000.1234', '999.8766'], '1200.0000'),
  },
  {
    code: 'TZ2022-C02', name: '坦洲快线配套道路工程', ownerUnit: '中山市坦洲交通投资有限公司', category: 'transport',
    location: '坦洲镇', estimatedInvestment: '110000.0000', department: 'ZJ', leader: 'deputyB',
    plannedStartDate: '2021-05-01', plannedCompletionDate: '2023-12-31', history: continuingHistory('2021-05-20'),
    plans: [{ list: 'city_key', stage: 'continuing', plannedInvestment: '12000.0000' }],
    reports: continuingReports(['700.0000', '700.0000', '350.0000', '875.0000', '875.0000'], '900.0000'),
  },
  {
    code: 'TZ2022-C03', name: '坦洲园工改工升级改造项目（一期）', ownerUnit: '中山世融实业有限公司', category: 'industrial_land_renewal',
    location: '坦洲镇', estimatedInvestment: '60000.0000', department: 'FG', leader: 'deputyA',
    plannedStartDate: '2021-04-01', history: continuingHistory('2021-04-10'),
    plans: [{ list: 'city_key', stage: 'continuing', plannedInvestment: '10000.0000' }],
    reports: continuingReports(['600.0000', '600.0000', '300.0000', '750.0000', '750.0000'], '800.0000'),
  },
  {
    code: 'TZ2022-C04', name: '中山市产业平台（坦洲园）配套基础设施工程', ownerUnit: '中山市坦洲园区开发有限公司', category: 'industrial_park_facilities',
    location: '中山市产业平台（坦洲园）', estimatedInvestment: '55000.0000', department: 'ZJ', leader: 'deputyB',
    plannedStartDate: '2021-07-01', history: continuingHistory('2021-07-08'),
    plans: [{ list: 'city_key', stage: 'continuing', plannedInvestment: '9000.0000' }],
    reports: continuingReports(['500.0000', '500.0000', '250.0000', '625.0000', '625.0000'], '700.0000'),
  },
  {
    code: 'TZ2022-C05', name: '鹏腾智能制造产业园项目', ownerUnit: '中山鹏腾实业投资有限公司', category: 'industrial_investment',
    industry: '智能制造', location: '坦洲镇', estimatedInvestment: '48600.0000', department: 'GX', leader: 'mayor',
    plannedStartDate: '2020-11-01', history: continuingHistory('2020-11-18'),
    plans: [{ list: 'city_key', stage: 'continuing', plannedInvestment: '8100.0000' }],
    reports: continuingReports(['400.0000', '400.0000', '200.0000', '500.0000', '500.0000'], '600.0000'),
  },
  {
    code: 'TZ2022-C06', name: '三创科技园二期项目', ownerUnit: '中山三创科技发展有限公司', category: 'industrial_investment',
    industry: '电子信息', location: '坦洲镇', estimatedInvestment: '45000.0000', department: 'GX', leader: 'mayor',
    plannedStartDate: '2021-02-01', history: continuingHistory('2021-02-22'),
    plans: [{ list: 'city_key', stage: 'continuing', plannedInvestment: '7500.0000' }],
    reports: continuingReports(['400.0000', '400.0000', '200.0000', '500.0000', '500.0000'], '500.0000'),
  },
  {
    code: 'TZ2022-C07', name: '坦洲镇污水管网完善工程', ownerUnit: '中山市坦洲水务有限公司', category: 'water_control',
    location: '坦洲镇', estimatedInvestment: '40000.0000', department: 'GS', leader: 'deputyC',
    plannedStartDate: '2021-06-01', history: [...continuingHistory('2021-06-15'), ['2022-04-10', 'suspended']],
    plans: [{ list: 'city_key', stage: 'continuing', plannedInvestment: '6500.0000' }],
    reports: continuingReports(['300.0000', '300.0000', '150.0000', '375.0000', '375.0000'], '0.0000'),
  },
  // New starts (新开工): 5 projects, 238500 estimated, 48000 planned; 3 broke ground in the
  // 16 February batch (78000), one on 10 March, one not yet; 10500 done in Q1.
  {
    code: 'TZ2022-N01', name: '易事达新型显示模组生产基地项目', ownerUnit: '中山易事达光电科技有限公司', category: 'industrial_investment',
    industry: '高端显示', location: '中山市产业平台（坦洲园）', estimatedInvestment: '30000.0000', department: 'GX', leader: 'deputyA',
    plannedStartDate: '2022-02-16', plannedCompletionDate: '2023-12-31',
    history: [['2021-12-20', 'approved'], ['2022-02-16', 'under_construction']],
    plans: [{ list: 'city_key', stage: 'new_start', plannedInvestment: '12000.0000', batch: 'q1' }],
    reports: { '2022-02-H2': ['1000.0000', true], '2022-03-H1': ['1000.0000', true], '2022-03-H2': ['1000.0000', true], '2022-04-H1': ['1100.0000', true] },
  },
  {
    code: 'TZ2022-N02', name: '顶盛精密制造项目', ownerUnit: '中山顶盛精密科技有限公司', category: 'industrial_investment',
    industry: '精密制造', location: '中山市产业平台（坦洲园）', estimatedInvestment: '28000.0000', department: 'GX', leader: 'deputyA',
    plannedStartDate: '2022-02-16', history: [['2021-12-28', 'approved'], ['2022-02-16', 'under_construction']],
    plans: [{ list: 'city_key', stage: 'new_start', plannedInvestment: '10000.0000', batch: 'q1' }],
    reports: { '2022-02-H2': ['500.0000', true], '2022-03-H1': ['1000.0000', true], '2022-03-H2': ['1000.0000', true] },
  },
  {
    code: 'TZ2022-N03', name: '西瞳光学镜片生产项目', ownerUnit: '中山西瞳光学有限公司', category: 'industrial_investment',
    industry: '光学', location: '中山市产业平台（坦洲园）', estimatedInvestment: '20000.0000', department: 'GX', leader: 'deputyA',
    plannedStartDate: '2022-02-16', history: [['2022-01-10', 'approved'], ['2022-02-16', 'under_construction']],
    plans: [{ list: 'city_key', stage: 'new_start', plannedInvestment: '6000.0000', batch: 'q1' }],
    reports: { '2022-02-H2': ['500.0000', true], '2022-03-H1': ['500.0000', true], '2022-03-H2': ['500.0000', true] },
  },
  {
    code: 'TZ2022-N04', name: '坦洲镇中心区综合交通枢纽项目', ownerUnit: '中山市坦洲交通投资有限公司', category: 'transport',
    location: '坦洲镇', estimatedInvestment: '120000.0000', department: 'ZJ', leader: 'deputyB',
    plannedStartDate: '2022-03-01', history: [['2022-01-20', 'approved'], ['2022-03-10', 'under_construction']],
    plans: [{ list: 'city_key', stage: 'new_start', plannedInvestment: '15000.0000' }],
    reports: { '2022-03-H1': ['1500.0000', true], '2022-03-H2': ['2000.0000', true], '2022-04-H1': ['1800.0000', true] },
  },
  {
    code: 'TZ2022-N05', name: '坦洲镇新能源汽车零部件项目', ownerUnit: '中山众能新能源科技有限公司', category: 'industrial_investment',
    industry: '新能源', location: '坦洲镇', estimatedInvestment: '40500.0000', department: 'FG', leader: 'mayor',
    plannedStartDate: '2022-03-15', history: [['2022-02-25', 'approved']],
    plans: [{ list: 'city_key', stage: 'new_start', plannedInvestment: '5000.0000' }],
  },
];

/** 市重点前期预备项目: 11 projects, 634300; 三绿, 美士富 and 进成 prepare the Q2 batch (200000). */
const reserveSpecs: [string, string, string, string, string?][] = [
  ['TZ2022-R01', '三绿生物科技产业化项目', '中山三绿生物科技有限公司', '80000.0000', 'q2'],
  ['TZ2022-R02', '美士富食品智能工厂项目', '中山美士富食品有限公司', '70000.0000', 'q2'],
  ['TZ2022-R03', '进成智能装备制造项目', '中山进成机械有限公司', '50000.0000', 'q2'],
  ['TZ2022-R04', '坦洲镇滨河片区更新改造项目', '中山市坦洲城市更新有限公司', '90000.0000'],
  ['TZ2022-R05', '坦洲园二期标准厂房项目', '中山市坦洲园区开发有限公司', '65000.0000'],
  ['TZ2022-R06', '坦洲镇智慧物流园项目', '中山坦洲物流发展有限公司', '58000.0000'],
  ['TZ2022-R07', '坦洲镇生物医药孵化器项目', '中山坦洲科创投资有限公司', '52000.0000'],
  ['TZ2022-R08', '坦洲镇数据中心项目', '中山坦洲数字科技有限公司', '48000.0000'],
  ['TZ2022-R09', '坦洲镇新材料产业园项目', '中山坦洲新材料有限公司', '45000.0000'],
  ['TZ2022-R10', '坦洲镇文旅综合体项目', '中山坦洲文旅发展有限公司', '40000.0000'],
  ['TZ2022-R11', '坦洲镇冷链仓储项目', '中山坦洲冷链有限公司', '36300.0000'],
];

export const reserveProjects: DemoProject[] = reserveSpecs.map(([code, name, ownerUnit, estimatedInvestment, batch]) => ({
  code, name, ownerUnit, category: 'industrial_investment', location: '坦洲镇', estimatedInvestment,
  department: 'FG', leader: batch ? 'deputyA' : 'mayor', history: [],
  plans: [{ list: 'city_key_reserve', stage: 'preliminary', plannedInvestment: '0.0000', ...(batch ? { batch } : {}) }],
}));

/** 镇重点工业项目: 15 projects, 779650 (约78亿). */
const industrialSpecs: [string, string, string][] = [
  ['TZ2022-I01', '广隆电器智能制造基地项目', '85000.0000'],
  ['TZ2022-I02', '众能储能电池生产项目', '80000.0000'],
  ['TZ2022-I03', '圣马丁家居智能工厂项目', '72000.0000'],
  ['TZ2022-I04', '世融精密五金扩产项目', '65000.0000'],
  ['TZ2022-I05', '坦洲电子元器件产业园项目', '60000.0000'],
  ['TZ2022-I06', '坦洲包装材料升级项目', '55000.0000'],
  ['TZ2022-I07', '坦洲照明科技园项目', '52000.0000'],
  ['TZ2022-I08', '坦洲医疗器械生产项目', '50000.0000'],
  ['TZ2022-I09', '坦洲智能家电配件项目', '48000.0000'],
  ['TZ2022-I10', '坦洲精细化工技改项目', '45000.0000'],
  ['TZ2022-I11', '坦洲模具产业园项目', '42000.0000'],
  ['TZ2022-I12', '坦洲纺织服装数字化改造项目', '38000.0000'],
  ['TZ2022-I13', '坦洲五金制品扩建项目', '35000.0000'],
  ['TZ2022-I14', '坦洲新型建材项目', '30000.0000'],
  ['TZ2022-I15', '坦洲印刷电路板项目', '22650.0000'],
];

export const industrialProjects: DemoProject[] = industrialSpecs.map(([code, name, estimatedInvestment], i) => ({
  code, name, ownerUnit: `${name.replace(/项目$/, '')}有限公司`, category: 'industrial_investment', industry: '先进制造',
  location: '坦洲镇', estimatedInvestment, department: 'GX', leader: i % 2 === 0 ? 'deputyA' : 'mayor',
  history: [['2021-10-01', 'approved'], ['2021-12-01', 'under_construction']],
  plans: [{ list: 'town_key_industrial', stage: 'continuing', plannedInvestment: '5000.0000' }],
}));

/** 专项债储备: 30 livelihood infrastructure projects; 19 of them granted bonds in Q1 2022. */
const bondCategories: [string, string, string][] = [
  ['rural_revitalisation', '乡村振兴', 'NY'],
  ['transport', '交通', 'ZJ'],
  ['water_control', '治水', 'GS'],
  ['education', '教育', 'JY'],
  ['healthcare', '医疗', 'WJ'],
];

export const bondReserveProjects: DemoProject[] = Array.from({ length: 30 }, (_, i) => {
  const [category, label, department] = bondCategories[i % bondCategories.length]!;
  const n = String(i + 1).padStart(2, '0');
  return {
    code: `TZ2022-B${n}`, name: `坦洲镇${label}基础设施项目（${n}）`, ownerUnit: '坦洲镇人民政府', category,
    location: '坦洲镇', estimatedInvestment: `${5000 + i * 250}.0000`, department, leader: 'deputyC', history: [],
    plans: [{ list: 'special_bond_reserve', stage: 'preliminary', plannedInvestment: '0.0000' }],
  };
});

/** Bonds: the first 19 reserve projects granted in Q1, two more pending, one rejected. */
export const specialBonds = bondReserveProjects.slice(0, 22).map((project, i) => {
  const requested = `${2000 + i * 100}.0000`;
  if (i < 19) {
    return { project: project.code, bondBatch: '2022年第一批', appliedOn: '2022-01-10', amountRequested: requested, outcome: 'granted' as const, amountGranted: requested, decidedOn: `2022-03-${String(1 + (i % 28)).padStart(2, '0')}` };
  }
  if (i < 21) return { project: project.code, bondBatch: '2022年第二批', appliedOn: '2022-03-20', amountRequested: requested, outcome: 'pending' as const };
  return { project: project.code, bondBatch: '2022年第一批', appliedOn: '2022-01-10', amountRequested: requested, outcome: 'rejected' as const, decidedOn: '2022-03-15' };
});

/** 三办 issues: 23 resolved since January, 4 still open (one overdue on 2022-03-31). */
const issueKinds: [IssueCategory, string, HandlingMode, string][] = [
  ['power', '临时用电报装', 'immediate', 'GD'],
  ['water', '施工用水接驳', 'immediate', 'GS'],
  ['approval', '施工许可证办理', 'dedicated', 'ZJ'],
  ['epidemic', '工人车辆通行证办理', 'immediate', 'ZSZH'],
  ['land', '用地红线调整', 'on_site', 'FG'],
  ['financing', '银行贷款对接', 'dedicated', 'FG'],
];

type IssueCategory = 'power' | 'water' | 'approval' | 'epidemic' | 'land' | 'financing' | 'energy' | 'labour' | 'environment';
type HandlingMode = 'immediate' | 'on_site' | 'dedicated';

const cycled = Array.from({ length: 27 }, (_, i) => {
  const [category, title, handlingMode, department] = issueKinds[i % issueKinds.length]!;
  const project = cityKeyProjects[i % cityKeyProjects.length]!;
  const raisedOn = `2022-${i < 12 ? '02' : '03'}-${String(1 + (i % 20)).padStart(2, '0')}`;
  const resolved = i < 23;
  return {
    project: project.code, title: `${project.name.slice(0, 8)}：${title}`, category, handlingMode, department,
    source: i % 3 === 0 ? 'inspection' : 'enterprise_request', raisedOn,
    dueDate: i === 26 ? '2022-03-20' : `2022-04-${String(1 + (i % 25)).padStart(2, '0')}`,
    ...(resolved ? { status: 'resolved' as const, resolution: '已协调相关部门办结', resolvedOn: raisedOn.replace(/-(\d\d)$/, (_m, d: string) => `-${String(Math.min(28, Number(d) + 3)).padStart(2, '0')}`) } : { status: i === 23 ? ('in_progress' as const) : ('open' as const) }),
  };
});

/**
 * Three issues on factor guarantees (要素保障) beyond the original categories: energy (能评), labour
 * (用工) and environment (环评). After the cycled ones, so the orders' issue indices stay put: one
 * resolved in time, one resolved late, one still open and overdue on 31 March.
 */
const factorIssues = [
  {
    project: 'TZ2022-N02', title: '顶盛精密制造项目：节能审查（能评）', category: 'energy' as const, handlingMode: 'dedicated' as const, department: 'FG',
    source: 'enterprise_request', raisedOn: '2022-02-14', dueDate: '2022-03-04', status: 'resolved' as const, resolution: '节能报告已通过审查', resolvedOn: '2022-03-02',
  },
  {
    project: 'TZ2022-N01', title: '易事达新型显示模组：投产前用工招聘对接', category: 'labour' as const, handlingMode: 'on_site' as const, department: 'ZSZH',
    source: 'inspection', raisedOn: '2022-03-08', dueDate: '2022-03-18', status: 'resolved' as const, resolution: '已组织专场招聘会', resolvedOn: '2022-03-25',
  },
  {
    project: 'TZ2022-C05', title: '鹏腾智能制造产业园：环评批复办理', category: 'environment' as const, handlingMode: 'dedicated' as const, department: 'FG',
    source: 'enterprise_request', raisedOn: '2022-03-01', dueDate: '2022-03-25', status: 'open' as const,
  },
];

export const issues = [...cycled, ...factorIssues];

export const inspections = [
  { kind: 'resumption_check' as const, inspectedOn: '2022-03-02', title: '重点项目复工条件检查', team: '工作专班（住建、发改、疫情防控办）', findings: '7个续建项目防疫物资、人员管理符合复工要求', outcome: '安排有序复工，办理车辆通行证', projects: cityKeyProjects.slice(0, 7).map((p) => p.code), leaders: ['mayor'], departments: ['ZJ', 'FG'] },
  { kind: 'onsite_office_day' as const, inspectedOn: '2022-03-08', title: '坦洲园重点项目现场办公', team: '招商指挥部牵头，发改、工信、住建、供电、供水', findings: '顶盛、易事达、西瞳项目用电用水接驳需加快', outcome: '供电、供水部门限时办结', projects: ['TZ2022-N01', 'TZ2022-N02', 'TZ2022-N03'], leaders: ['secretary', 'deputyA'], departments: ['ZSZH', 'FG', 'GX', 'ZJ', 'GD', 'GS'] },
  { kind: 'leader_visit' as const, inspectedOn: '2022-03-15', title: '走访三创、世融、鹏腾产业园项目', team: '镇领导及招商指挥部', findings: '了解竣工运营与招商引资进展', outcome: '协调招商资源对接', projects: ['TZ2022-C06', 'TZ2022-C03', 'TZ2022-C05'], leaders: ['mayor'], departments: ['ZSZH'] },
  { kind: 'onsite_office_day' as const, inspectedOn: '2022-03-22', title: '走访广隆、众能、圣马丁重点工业项目', team: '镇领导、三办专员', findings: '审批与用地堵点', outcome: '现场办公解决堵点难题', projects: ['TZ2022-I01', 'TZ2022-I02', 'TZ2022-I03'], leaders: ['deputyA'], departments: ['FG', 'GX'] },
];

/** Figures the report published, kept beside the derived ones. */
export const declaredFigures = [
  { list: 'city_key', figure: 'estimated_investment', value: '757000', source: '坦洲镇2022年重点项目工作报道：估算总投资75.7亿元', asOf: '2022-03-31' },
  { list: 'city_key', figure: 'planned_investment', value: '116100', source: '同上：2022年计划投资11.61亿元', asOf: '2022-03-31' },
  { list: 'city_key', figure: 'project_count', value: '12', source: '同上：列入市重点项目12个', asOf: '2022-03-31' },
  { list: 'city_key', figure: 'investment_completed', value: '29000', source: '同上：截至3月份完成投资2.9亿元', asOf: '2022-03-31' },
  { list: 'town_key_industrial', figure: 'estimated_investment', value: '780000', source: '同上：重点工业项目15个，计划总投资约78亿元', asOf: '2022-03-31' },
];

/**
 * The Mar-H2 report of one project was first entered too high: the office returned it on 8 April and
 * the department corrected it on 12 April (resubmitted, awaiting review again).
 */
export const correction = {
  project: 'TZ2022-N04', period: '2022-03-H2', firstFigure: '2200.0000', recordedAt: '2022-04-12T02:00:00Z', reason: '核减误报的设备采购款',
  returnedAt: '2022-04-08T02:00:00Z', returnReason: '设备采购款未到货，不应计入本期完成投资，请核减后重报',
};

/** The office approves the reports of periods that ended by this day (the correction aside). */
export const reviewedThrough = '2022-03-31';
export const reviewedAt = (period: string) => `${period.slice(0, 7)}-${period.endsWith('H1') ? '20' : '28'}T08:00:00Z`;

/**
 * The new starts' node plans (节点计划): 开工 on their dates, three in the 16 February batch, the
 * hub a week late (10 March against 1 March), the parts plant not started by the end of March (its
 * node late); completion acceptance planned for the first.
 */
export const milestones = [
  { project: 'TZ2022-N01', kind: 'start' as const, plannedDate: '2022-02-16', actualDate: '2022-02-16', evidence: '集体开工仪式，施工许可证' },
  { project: 'TZ2022-N01', kind: 'completion_acceptance' as const, plannedDate: '2023-12-31', actualDate: null, evidence: null },
  { project: 'TZ2022-N02', kind: 'start' as const, plannedDate: '2022-02-16', actualDate: '2022-02-16', evidence: '集体开工仪式' },
  { project: 'TZ2022-N03', kind: 'start' as const, plannedDate: '2022-02-16', actualDate: '2022-02-16', evidence: '集体开工仪式' },
  { project: 'TZ2022-N04', kind: 'start' as const, plannedDate: '2022-03-01', actualDate: '2022-03-10', evidence: '开工报告' },
  { project: 'TZ2022-N05', kind: 'start' as const, plannedDate: '2022-03-15', actualDate: null, evidence: null },
];
/** Reports entered late (after the 3-day deadline) and one missing. */
export const lateReports = [{ project: 'TZ2022-C02', period: '2022-03-H1', submittedAt: '2022-03-25T03:00:00Z' }];
export const missingReports = [{ project: 'TZ2022-C04', period: '2022-03-H1' }];
