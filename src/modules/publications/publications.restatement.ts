import type { ChangedRecord } from './publications.changes.js';
import type { Restatement } from './publications.schemas.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Value = string | number | null;

interface Leaf {
  value: Value;
  kind: 'derived' | 'declared';
  /** The projects of the nearest enclosing object that names any, or null when none does. */
  projectIds: string[] | null;
}

/** Fields that state the question or describe a figure, not figures themselves. */
const NOT_FIGURES = new Set(['year', 'quarter', 'largeThreshold', 'numerator', 'denominator', 'knownAt', 'asOf', 'period', 'periodStart', 'periodEnd', 'dueDate', 'id', 'key', 'ceremonyDate']);
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** How an element of a list of groups is named in a path: by its own key, so that groups are compared by identity, not position. */
const IDENTITIES = ['key', 'id', 'period', 'quarter', 'figure', 'list'] as const;

/** Which tables each part of the figures reads: the records whose changes can move its figures. */
const FIGURE_TABLES = ['projects', 'annual_plans', 'project_status_changes', 'progress_reports', 'progress_report_revisions'];
const SECTION_TABLES: Record<string, string[]> = {
  summary: FIGURE_TABLES,
  breakdowns: FIGURE_TABLES,
  lists: FIGURE_TABLES,
  progress: FIGURE_TABLES,
  compliance: ['projects', 'annual_plans', 'progress_reports', 'progress_report_revisions', 'leader_assignments'],
  issues: ['project_issues', 'projects'],
  financing: ['special_bonds', 'projects'],
  batches: ['groundbreaking_batches', 'annual_plans', 'projects'],
  warnings: [...FIGURE_TABLES, 'project_issues', 'project_milestones', 'leader_assignments', 'warning_rules'],
};

const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

function idsOf(object: { [key: string]: Json }): string[] {
  const ids: string[] = [];
  for (const field of ['projectIds', 'denominatorProjectIds', 'grantedProjectIds']) {
    const list = object[field];
    if (Array.isArray(list)) ids.push(...list.filter((x): x is string => typeof x === 'string'));
  }
  if (Array.isArray(object.projects)) for (const p of object.projects) if (isObject(p) && typeof p.id === 'string') ids.push(p.id);
  return ids;
}

/** Every figure of a publication's figures, by path. */
function leavesOf(root: Json): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  const walk = (node: Json, path: string, inherited: string[] | null, declared: boolean) => {
    if (Array.isArray(node)) {
      node.forEach((element, index) => {
        const identity = isObject(element) ? IDENTITIES.find((f) => f in element) : undefined;
        walk(element, `${path}[${identity ? String(element && (element as Record<string, Json>)[identity]) : index}]`, inherited, declared);
      });
      return;
    }
    if (!isObject(node)) return;
    const own = idsOf(node);
    const projectIds = own.length > 0 ? own : inherited;
    for (const [field, value] of Object.entries(node)) {
      const at = path ? `${path}.${field}` : field;
      const isDeclared = declared || field === 'declaration' || field === 'declarations';
      if (typeof value === 'number' || (typeof value === 'string' && DECIMAL.test(value))) {
        if (NOT_FIGURES.has(field)) continue;
        const kind = (isDeclared && field === 'declared') || field === 'declaredEstimatedInvestment' ? 'declared' : 'derived';
        leaves.set(at, { value, kind, projectIds });
      } else if (value !== null && typeof value === 'object') {
        walk(value, at, projectIds, isDeclared);
      }
    }
  };
  walk(root, '', null, false);
  return leaves;
}

/** current − published, exact for decimal strings. */
function differenceOf(published: Value, current: Value): Value {
  if (published === null || current === null) return null;
  if (typeof published === 'number' && typeof current === 'number') return Math.round((current - published) * 1e10) / 1e10;
  const scale = Math.max(...[String(published), String(current)].map((v) => (v.split('.')[1] ?? '').length));
  const scaled = (v: Value) => {
    const [whole, fraction = ''] = String(v).split('.');
    return BigInt(`${whole}${fraction.padEnd(scale, '0')}`.replace(/^(-?)0+(?=\d)/, '$1'));
  };
  const diff = scaled(current) - scaled(published);
  const sign = diff < 0n ? '-' : '';
  const digits = (diff < 0n ? -diff : diff).toString().padStart(scale + 1, '0');
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function recordsFor(path: string, leaf: { kind: Leaf['kind']; projectIds: string[] | null }, changed: ChangedRecord[]) {
  const section = path.split(/[.[]/)[0]!;
  const tables = path.includes('declaration') ? ['declared_figures', ...(leaf.kind === 'declared' ? [] : SECTION_TABLES[section] ?? [])] : (SECTION_TABLES[section] ?? []);
  const projects = leaf.projectIds ? new Set(leaf.projectIds) : null;
  const merged = new Map<string, Restatement['differences'][number]['records'][number]>();
  for (const c of changed) {
    if (!tables.includes(c.table)) continue;
    if (projects && c.projectId !== null && !projects.has(c.projectId)) continue;
    const key = `${c.recordType}:${c.id}`;
    const seen = merged.get(key);
    if (seen) {
      seen.changes += c.changes;
      if (c.changedAt > seen.changedAt) seen.changedAt = c.changedAt;
    } else merged.set(key, { recordType: c.recordType, id: c.id, projectId: c.projectId, changedAt: c.changedAt, changes: c.changes });
  }
  return [...merged.values()];
}

type Declaration = { figure: string; declared: string; derived: string };
function declarationsOf(figures: Json): Map<string, Declaration> {
  const summary = isObject(figures) ? (figures.summary ?? null) : null;
  const list = isObject(summary) && Array.isArray(summary.declarations) ? summary.declarations : [];
  return new Map((list as unknown as Declaration[]).map((d) => [d.figure, d]));
}

/**
 * What differs between the figures as published and as recomputed now: every figure (by path, groups
 * matched by their key) whose value is not the same, with the records whose changes since the
 * publication can have moved it — those of the tables its part reads, belonging to the projects the
 * figure names (then or now) or to no project (a rule, a declared figure, a batch).
 */
export type { Json };

export function restate({ published, current, changed }: { published: Json; current: Json; changed: ChangedRecord[] }) {
  const before = leavesOf(published);
  const after = leavesOf(current);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  const differences: Restatement['differences'] = [];
  for (const path of paths) {
    const p = before.get(path);
    const c = after.get(path);
    const publishedValue = p?.value ?? null;
    const currentValue = c?.value ?? null;
    if (publishedValue === currentValue) continue;
    const projectIds = p?.projectIds || c?.projectIds ? [...new Set([...(p?.projectIds ?? []), ...(c?.projectIds ?? [])])] : null;
    const kind = (p ?? c)!.kind;
    differences.push({
      path,
      kind,
      published: publishedValue,
      current: currentValue,
      difference: differenceOf(publishedValue, currentValue),
      records: recordsFor(path, { kind, projectIds }, changed),
    });
  }
  const then = declarationsOf(published);
  const now = declarationsOf(current);
  const declarations = [...new Set([...then.keys(), ...now.keys()])].sort().map((figure) => {
    const pick = (d: Declaration | undefined) => (d ? { declared: d.declared, derived: d.derived } : null);
    return { figure, published: pick(then.get(figure)), current: pick(now.get(figure)) };
  });
  return { differences, declarations };
}
