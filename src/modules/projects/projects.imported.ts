import type { Executor } from '../../db/types.js';
import { allowedTransitions, canTransition, type ProjectStatus } from './projects.lifecycle.js';
import { projectStatusChanges } from './projects.table.js';

/**
 * A project's status history as an import brings it in (an office adopting the service mid-way):
 * the lifecycle's rules, applied to a history that starts where the office's records start rather
 * than at `planning` on the import day. Written only through here, so that the history the figures
 * read (start and resumption rates on any asOf) follows the same rules as transitions.
 */
export interface ImportedStatusEntry {
  status: ProjectStatus;
  effectiveDate: string;
  reason: string | null;
}

export interface ImportedStatusFacts {
  status: ProjectStatus;
  actualStartDate: string | null;
  actualCompletionDate: string | null;
}

export const IMPORTED_REASON = 'Imported / 导入';

/**
 * Problems of a history in date order (index of the entry, text): the first entry may be any
 * status, each later one a legal transition from the one before, effective no earlier, none after
 * `today`. With no problem, the facts the project row keeps: its status, first start, completion.
 */
export function checkImportedHistory(entries: ImportedStatusEntry[], today: string): { problems: { index: number; problem: string }[]; facts?: ImportedStatusFacts } {
  const problems: { index: number; problem: string }[] = [];
  let actualStartDate: string | null = null;
  let actualCompletionDate: string | null = null;
  entries.forEach((entry, index) => {
    if (entry.effectiveDate > today) problems.push({ index, problem: `effective date ${entry.effectiveDate} lies after today (${today}, China time) / 生效日期晚于今天` });
    const previous = entries[index - 1];
    if (previous) {
      if (entry.effectiveDate < previous.effectiveDate) {
        problems.push({ index, problem: `effective ${entry.effectiveDate}, before the previous entry (${previous.effectiveDate}) / 生效日期早于上一条状态` });
      }
      if (!canTransition(previous.status, entry.status)) {
        const allowed = allowedTransitions[previous.status];
        problems.push({ index, problem: `${previous.status} cannot move to ${entry.status} (allowed: ${allowed.join(', ') || 'none'}) / 状态变更不合规` });
      }
    }
    if (entry.status === 'under_construction' && actualStartDate === null) actualStartDate = entry.effectiveDate;
    if (entry.status === 'completed') actualCompletionDate = entry.effectiveDate;
  });
  const last = entries.at(-1);
  if (problems.length > 0 || !last) return { problems };
  return { problems, facts: { status: last.status, actualStartDate, actualCompletionDate } };
}

/**
 * The shortest history a current status and its dates state, inventing no date: under construction
 * since its actual start; planning since the status date or today; suspended on the status date after that start; completed on its actual
 * completion (after its start, when known); planning, approved or cancelled since the status date.
 * Undefined, with the missing field, when a date the status needs is not given.
 */
export function historyOfCurrent(input: {
  status: ProjectStatus;
  statusDate: string | null;
  actualStartDate: string | null;
  actualCompletionDate: string | null;
  today: string;
}): { entries: ImportedStatusEntry[] } | { missing: 'statusDate' | 'actualStartDate' | 'actualCompletionDate' } {
  const at = (status: ProjectStatus, effectiveDate: string) => ({ status, effectiveDate, reason: IMPORTED_REASON });
  const { status, statusDate, actualStartDate, actualCompletionDate } = input;
  switch (status) {
    case 'under_construction':
      if (!actualStartDate) return { missing: 'actualStartDate' };
      return { entries: [at('under_construction', actualStartDate)] };
    case 'suspended':
      if (!actualStartDate) return { missing: 'actualStartDate' };
      if (!statusDate) return { missing: 'statusDate' };
      return { entries: [at('under_construction', actualStartDate), at('suspended', statusDate)] };
    case 'completed':
      if (!actualCompletionDate) return { missing: 'actualCompletionDate' };
      return { entries: [...(actualStartDate ? [at('under_construction', actualStartDate)] : []), at('completed', actualCompletionDate)] };
    case 'planning':
      // As projects created through the API: planning since the day it was recorded.
      return { entries: [at('planning', statusDate ?? input.today)] };
    default:
      if (!statusDate) return { missing: 'statusDate' };
      return { entries: [at(status, statusDate)] };
  }
}

/** Rows per INSERT: well below PostgreSQL's 65,535 bind parameters. */
const CHUNK = 2000;

/** Writes imported histories in the import's transaction; the first entry of each has no from-status. */
export async function writeImportedStatusHistory(tx: Executor, histories: { projectId: string; entries: ImportedStatusEntry[] }[], actor: string): Promise<number> {
  const rows = histories.flatMap(({ projectId, entries }) =>
    entries.map((entry, i) => ({
      projectId,
      fromStatus: i === 0 ? null : entries[i - 1]!.status,
      toStatus: entry.status,
      effectiveDate: entry.effectiveDate,
      reason: entry.reason,
      actor,
    })),
  );
  for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(projectStatusChanges).values(rows.slice(i, i + CHUNK));
  return rows.length;
}
