import { figureBasis, planList } from '../../../domain/codes.js';
import type { PublicationFigures } from '../publications.schemas.js';
import { asOfPhrase, monthDay, percent, periodName, quarterName, shortName, yi } from './briefing.format.js';

/** A briefing as blocks any renderer (Markdown, Word, PDF) writes out in order. */
export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'note'; text: string }
  | { type: 'table'; title: string; header: string[]; rows: string[][] }
  | { type: 'chart'; chart: ChartSpec };

export interface ChartSpec {
  id: 'investment-by-period' | 'lights-by-department';
  title: string;
  categories: string[];
  series: { name: string; kind: 'bar' | 'line'; values: number[]; color: string; stack?: string }[];
  unit: string;
}

export interface Briefing {
  title: string;
  blocks: Block[];
}

export interface BriefingSource {
  id: string;
  title: string;
  note: string | null;
  list: (typeof planList.values)[number];
  year: number;
  asOf: string;
  basis: (typeof figureBasis.values)[number];
  knownAt: string;
  publishedAt: string;
  sha256: string;
  withdrawal: { at: string; reason: string } | null;
  figures: PublicationFigures;
}

type Fig = { value: unknown };
const count = (f: Fig) => Number(f.value);
const money = (f: Fig) => String(f.value);
const rate = (f: Fig) => (f.value === null ? null : Number(f.value));
/** 万元 to 亿元 as a chart value: display only, the text and tables use exact decimals. */
const chartYi = (wan: string) => Number(yi(wan));

/**
 * The briefing of a publication, in the phrasing of the town's report ("2022年我镇列入市重点项目12个
 * ……估算总投资75.7亿元……截至3月份……完成年度投资计划的25%……复工率100%……开工率达80%"). Every
 * number is read from the frozen figures; nothing is computed here but unit changes and rounding.
 */
export function briefingOf(p: BriefingSource): Briefing {
  const f = p.figures;
  const s = f.summary.figures;
  const stage = f.summary.byStage;
  const listName = planList.labels[p.list].zh;
  const when = asOfPhrase(p.asOf);
  const blocks: Block[] = [];
  const para = (text: string) => blocks.push({ type: 'paragraph', text });

  blocks.push({
    type: 'note',
    text: `发布编号 ${p.id}；统计截止日 ${p.asOf}；数据时点（knownAt）${p.knownAt}；口径 ${figureBasis.labels[p.basis].zh}（${p.basis}）；SHA-256 ${p.sha256}。本文数字均取自该发布，可通过 GET /v1/publications/${p.id} 逐项核对。`,
  });
  if (p.withdrawal) blocks.push({ type: 'note', text: `【已撤回】${p.withdrawal.at}：${p.withdrawal.reason}` });
  if (p.note) blocks.push({ type: 'note', text: p.note });

  blocks.push({ type: 'heading', text: '总体情况' });
  const declared = s.estimatedInvestment.declaration;
  const estimated = declared ? `估算总投资${yi(money(s.estimatedInvestment))}亿元（公布数${yi(declared.declared)}亿元）` : `估算总投资${yi(money(s.estimatedInvestment))}亿元`;
  const stagePart = (name: string, g: typeof stage.new_start) =>
    count(g.projectCount) > 0 ? `${name}项目${count(g.projectCount)}个，估算总投资${yi(money(g.estimatedInvestment))}亿元，${p.year}年计划投资${yi(money(g.plannedInvestment))}亿元` : null;
  const stages = [stagePart('新开工', stage.new_start), stagePart('续建', stage.continuing), stagePart('前期', stage.preliminary)].filter(Boolean);
  para(
    `${p.year}年我镇列入${listName}${count(s.projectCount)}个，${estimated}，${p.year}年计划投资${yi(money(s.plannedInvestment))}亿元` +
      (stages.length ? `；其中，${stages.join('；')}。` : '。') +
      `超${yi(f.summary.largeThreshold)}亿元项目${count(s.largeProjectCount)}个。` +
      f.lists
        .filter((l) => l.list !== p.list)
        .map((l) => `${p.year}年${planList.labels[l.list].zh}${l.projectCount}个，估算总投资${yi(l.estimatedInvestment)}亿元。`)
        .join(''),
  );

  blocks.push({ type: 'heading', text: '投资完成与复工开工' });
  para(
    `${when}，我镇已完成${listName}建设投资${yi(money(s.investmentCompleted))}亿元，完成年度投资计划的${percent(rate(s.planCompletionRate))}。` +
      `其中已复工项目${count(s.resumedCount)}个，复工率${percent(rate(s.resumptionRate))}。`,
  );
  para(`${when}，我镇已开工${listName}${count(s.startedCount)}个，开工率达${percent(rate(s.startRate))}。`);

  const quarterOfAsOf = Math.ceil(Number(p.asOf.slice(5, 7)) / 3);
  const granted = f.financing.quarters.filter((q) => q.quarter <= quarterOfAsOf && q.grants > 0);
  blocks.push({ type: 'heading', text: '金融支持' });
  para(
    granted.length
      ? granted.map((q) => `${p.year}年${quarterName(q.quarter)}我镇成功申请专项债项目${q.projectsGranted}个，获批金额${yi(q.amountGranted)}亿元。`).join('') +
          `全年已申报专项债${f.financing.yearTotal.applications}笔。`
      : `${p.year}年已申报专项债${f.financing.yearTotal.applications}笔，尚无获批。`,
  );

  const batches = f.batches.batches.filter((b) => b.status !== 'cancelled');
  if (batches.length) {
    blocks.push({ type: 'heading', text: '集体开工' });
    para(
      batches
        .map((b) =>
          b.ceremonyDate <= p.asOf && b.status === 'held'
            ? `${monthDay(b.ceremonyDate)}，${b.name}，集体开工重点项目${b.projectCount}个，总投资额为${yi(b.estimatedInvestment)}亿元。`
            : `计划于${monthDay(b.ceremonyDate)}举行${b.name}，项目${b.projectCount}个，总投资${yi(b.estimatedInvestment)}亿元。`,
        )
        .join(''),
    );
  }

  blocks.push({ type: 'heading', text: '问题办理与报送' });
  const it = f.issues.totals;
  para(`${p.year}年以来（${when}），新增项目问题${it.opened}个，已解决重点项目问题${it.resolved}个，未结${it.open}个，其中逾期${it.overdue}个。`);
  const c = f.compliance.totals;
  para(
    `${periodName(f.compliance.period)}（报送截止${monthDay(f.compliance.dueDate)}）应报项目${c.projectCount}个，缺报${c.missing.count}个，迟报${c.late.count}个，退回未更正${c.returned.count}个。`,
  );
  const w = f.warnings.totals;
  para(`按预警规则，${listName}${w.projectCount}个中绿灯${w.green}个、黄灯${w.yellow}个、红灯${w.red}个。`);

  blocks.push({
    type: 'table',
    title: '表1 各名单项目情况（亿元）',
    header: ['名单', '项目数', '估算总投资', '公布数', '年度计划投资', '完成投资'],
    rows: f.lists.map((l) => [planList.labels[l.list].zh, String(l.projectCount), yi(l.estimatedInvestment), l.declaredEstimatedInvestment ? yi(l.declaredEstimatedInvestment) : '—', yi(l.plannedInvestment), yi(l.investmentCompleted)]),
  });
  blocks.push({
    type: 'table',
    title: `表2 ${listName}分阶段情况（亿元）`,
    header: ['阶段', '项目数', '估算总投资', '年度计划投资', '完成投资', '计划完成率'],
    rows: f.breakdowns.stage.groups.map((g) => [
      // A code's label is "Continuing / 续建": the briefing is written in Chinese.
      g.label.split(' / ').pop()!,
      String(count(g.figures.projectCount)),
      yi(money(g.figures.estimatedInvestment)),
      yi(money(g.figures.plannedInvestment)),
      yi(money(g.figures.investmentCompleted)),
      percent(rate(g.figures.planCompletionRate)),
    ]),
  });
  const lights = new Map(f.warnings.groups.map((g) => [g.key, g]));
  blocks.push({
    type: 'table',
    title: `表3 各责任部门${listName}情况（亿元）`,
    header: ['责任部门', '项目数', '估算总投资', '年度计划投资', '完成投资', '计划完成率', '绿灯', '黄灯', '红灯'],
    rows: f.breakdowns.department.groups.map((g) => {
      const l = lights.get(g.key);
      return [
        g.label,
        String(count(g.figures.projectCount)),
        yi(money(g.figures.estimatedInvestment)),
        yi(money(g.figures.plannedInvestment)),
        yi(money(g.figures.investmentCompleted)),
        percent(rate(g.figures.planCompletionRate)),
        String(l?.green ?? 0),
        String(l?.yellow ?? 0),
        String(l?.red ?? 0),
      ];
    }),
  });

  blocks.push({
    type: 'chart',
    chart: {
      id: 'investment-by-period',
      title: `图1 ${listName}累计完成投资与年度计划（按半月报送期，亿元）`,
      categories: f.progress.map((x) => periodName(x.period)),
      series: [
        { name: '累计完成投资', kind: 'bar', values: f.progress.map((x) => chartYi(x.investmentCompleted)), color: '#c0392b' },
        { name: '年度计划投资', kind: 'line', values: f.progress.map((x) => chartYi(x.plannedInvestment)), color: '#2c3e50' },
      ],
      unit: '亿元',
    },
  });
  blocks.push({
    type: 'chart',
    chart: {
      id: 'lights-by-department',
      title: `图2 各责任部门项目预警情况（个）`,
      categories: f.warnings.groups.map((g) => shortName(g.label)),
      series: [
        { name: '绿灯', kind: 'bar', values: f.warnings.groups.map((g) => g.green), color: '#27ae60', stack: 'lights' },
        { name: '黄灯', kind: 'bar', values: f.warnings.groups.map((g) => g.yellow), color: '#f1c40f', stack: 'lights' },
        { name: '红灯', kind: 'bar', values: f.warnings.groups.map((g) => g.red), color: '#e74c3c', stack: 'lights' },
      ],
      unit: '个',
    },
  });
  return { title: p.title, blocks };
}
