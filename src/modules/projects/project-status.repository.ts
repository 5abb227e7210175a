import { and, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { lockAtVersion, writeNextVersion } from '../../db/versioned.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import { recordAudit } from '../audit/audit.public.js';
import type { RequestContext } from '../../lib/request-context.js';
import { effectiveDateBeforePrevious, illegalTransition, projectArchived } from './projects.errors.js';
import { assertHappened } from '../../lib/china-time.js';
import { allowedTransitions, canTransition, type ProjectStatus } from './projects.lifecycle.js';
import { dateInChina } from '../../lib/china-time.js';
import { asOfDefault } from '../../lib/schemas.js';
import { PROJECT, readProject } from './projects.repository.js';
import type { StatusChange, StatusHistoryQuery, Transition } from './project-status.schemas.js';
import { projects, projectStatusChanges } from './projects.table.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byEffectiveDateId = keyset({ effectiveDate: projectStatusChanges.effectiveDate, id: projectStatusChanges.id });

export function createProjectStatusRepository({ db }: { db: Db }) {
  async function ensureProject(id: string) {
    const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, id));
    if (!row) throw notFound(PROJECT, id);
  }

  /**
   * Moves a project along its lifecycle: checks the version (412), the lifecycle (409 naming the
   * allowed targets) and date order (422), then writes the history row, the project and the audit
   * event in one transaction.
   */
  async function transition({ id, expectedVersion, input, context }: { id: string; expectedVersion: ExpectedVersion; input: Transition; context: RequestContext }) {
    const today = dateInChina();
    return db.transaction(async (tx) => {
      const locked = await lockAtVersion(tx, projects, { id, expectedVersion, label: PROJECT });
      if (locked.archivedAt) throw projectArchived(id);
      const from = locked.status as ProjectStatus;
      if (!canTransition(from, input.toStatus)) throw illegalTransition(from, input.toStatus, allowedTransitions[from]);
      assertHappened({ effectiveDate: input.effectiveDate });
      const [previous] = await tx
        .select({ effectiveDate: projectStatusChanges.effectiveDate })
        .from(projectStatusChanges)
        .where(eq(projectStatusChanges.projectId, id))
        .orderBy(desc(projectStatusChanges.effectiveDate), desc(projectStatusChanges.id))
        .limit(1);
      if (previous && input.effectiveDate < previous.effectiveDate) {
        throw effectiveDateBeforePrevious(input.effectiveDate, previous.effectiveDate);
      }
      const before = await readProject(tx, id);
      await tx.insert(projectStatusChanges).values({
        projectId: id,
        fromStatus: from,
        toStatus: input.toStatus,
        effectiveDate: input.effectiveDate,
        reason: input.reason ?? null,
        actor: context.actor,
      });
      await writeNextVersion(tx, projects, locked, {
        status: input.toStatus,
        // Resuming after a suspension keeps the first start date.
        ...(input.toStatus === 'under_construction' && !locked.actualStartDate ? { actualStartDate: input.effectiveDate } : {}),
        ...(input.toStatus === 'completed' ? { actualCompletionDate: input.effectiveDate } : {}),
      }, { force: true });
      const after = await readProject(tx, id);
      await recordAudit(tx, context, { action: 'transition', resourceType: PROJECT, resourceId: id, before, after });
      return after;
    });
  }

  /** History in date order, which is also recording order (dates never go back). */
  async function history({ id, query }: { id: string; query: StatusHistoryQuery }) {
    await ensureProject(id);
    const found = await byEffectiveDateId.list(
      query,
      (after) => db.select().from(projectStatusChanges).where(and(eq(projectStatusChanges.projectId, id), after)),
      { filters: { ...query, id } },
    );
    return { items: found.items as StatusChange[], nextCursor: found.nextCursor };
  }

  /** The status in effect on `asOf`: the last change effective by that day. */
  async function statusAsOf({ id, asOf, knownAt }: { id: string; asOf?: string | undefined; knownAt?: string | undefined }) {
    await ensureProject(id);
    const day = asOfDefault(asOf, knownAt);
    const [row] = await db
      .select({ status: projectStatusChanges.toStatus, effectiveDate: projectStatusChanges.effectiveDate })
      .from(projectStatusChanges)
      .where(and(eq(projectStatusChanges.projectId, id), lte(projectStatusChanges.effectiveDate, day)))
      .orderBy(desc(projectStatusChanges.effectiveDate), desc(projectStatusChanges.id))
      .limit(1);
    return { projectId: id, asOf: day, status: (row?.status ?? null) as ProjectStatus | null, effectiveDate: row?.effectiveDate ?? null, knownAt: knownAt ?? null };
  }

  return { transition, history, statusAsOf };
}
