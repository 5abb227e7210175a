import { assessmentRule } from '../../domain/codes.js';
import type { Cell, Column, ExportFile } from '../exports/exports.public.js';
import type { Assessment } from './assessment.schemas.js';

/** The ranking as a sheet: one row per department, its total and, per rule, what was counted and scored (Chinese headers first). */
export function assessmentFile(a: Assessment): ExportFile {
  const columns: Column[] = [
    { header: '名次 / Rank', kind: 'integer', width: 8 },
    { header: '部门代码 / Code', kind: 'text', width: 12 },
    { header: '责任部门 / Department', kind: 'text', width: 34 },
    { header: '总分 / Score', kind: 'decimal', width: 10 },
    { header: '满分 / Max', kind: 'decimal', width: 10 },
  ];
  for (const rule of a.rules) {
    const label = assessmentRule.labels[rule.key];
    columns.push(
      { header: `${label.zh}·计入 / ${rule.key} counted`, kind: 'integer', width: 14 },
      { header: `${label.zh}·达标 / ${rule.key} met`, kind: 'integer', width: 14 },
      { header: `${label.zh}·得分 / ${rule.key} score`, kind: 'decimal', width: 14 },
    );
  }
  const rows: Cell[][] = a.departments.map((d) => [
    d.rank, d.code, d.name, d.score, d.maxScore,
    ...d.scores.flatMap((s) => [s.due, s.kind === 'share' ? s.met : null, s.score]),
  ]);
  const window = a.period ?? (a.quarter ? `${a.year}年第${a.quarter}季度` : `${a.year}年`);
  return {
    baseName: `assessment-${a.period ?? (a.quarter ? `${a.year}-Q${a.quarter}` : a.year)}`,
    sheet: {
      name: '部门考核',
      columns,
      rows,
      about: [
        ['考核期 / Window', `${window}（${a.from} 至 ${a.to}）`],
        ['判定日 / As of', a.asOf],
        ['数据时点 / Known at', a.knownAt ?? '当前 / current'],
        ...a.rules.map((r): [string, string] => [`${assessmentRule.labels[r.key].zh} / ${r.key}`, `${r.enabled ? '' : '（停用）'}${r.kind === 'share' ? '满分' : '每项扣'}${r.points}分：${r.counts}`]),
      ],
    },
  };
}
