import { and, asc, count, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { lockAtVersion } from '../../db/versioned.js';
import { assertHappened, dateInChina } from '../../lib/china-time.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import { notFound, officeOnlyField, writesAsOffice } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import type { ScopedContext } from '../../lib/request-context.js';
import { deleteAudited, insertAudited, updateAudited } from '../audit/audit.public.js';
import { projects } from '../projects/projects.table.js';
import { MILESTONES_MAX, titleRequired, tooManyMilestones } from './milestones.errors.js';
import type { CreateMilestone, ProjectMilestonesQuery, UpdateMilestone } from './milestones.schemas.js';
import { delayDaysOn, scheduleOn, statusOn } from './milestones.status.js';
import { projectMilestones as milestones } from './milestones.table.js';

const RESOURCE = 'project_milestone';
const WHAT = 'milestones';
const byPlannedDate = keyset({ plannedDate: milestones.plannedDate, id: milestones.id });

type Row = typeof milestones.$inferSelect;

/** A milestone as the API shows it: its row with its status and delay on `day`. */
export function present(row: Row, day: string) {
  return { ...row, status: statusOn(row, day), statusOn: day, delayDays: delayDaysOn(row, day) };
}

export function createMilestonesRepository({ db }: { db: Db }) {
  async function projectOf(executor: Executor, projectId: string) {
    const [project] = await executor.select({ id: projects.id, departmentId: projects.departmentId }).from(projects).where(eq(projects.id, projectId)).for('share');
    if (!project) throw notFound('project', projectId);
    return project;
  }

  async function getById({ id, asOf }: { id: string; asOf?: string | undefined }) {
    const [row] = await db.select().from(milestones).where(eq(milestones.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return present(row, asOf ?? dateInChina());
  }

  async function listForProject({ projectId, query }: { projectId: string; query: ProjectMilestonesQuery }) {
    const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
    if (!project) throw notFound('project', projectId);
    const day = query.asOf ?? dateInChina();
    const found = await byPlannedDate.list(query, (after) => db.select().from(milestones).where(and(eq(milestones.projectId, projectId), after)), {
      filters: { ...query, asOf: day, projectId },
    });
    return { items: found.items.map((row) => present(row, day)), nextCursor: found.nextCursor };
  }

  /** A project against its node plan on a day (call it on readKnownAt's executor for knownAt). */
  async function schedule({ projectId, asOf }: { projectId: string; asOf: string }) {
    const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId));
    if (!project) throw notFound('project', projectId);
    const rows = await db.select().from(milestones).where(eq(milestones.projectId, projectId)).orderBy(asc(milestones.plannedDate), asc(milestones.id)).limit(MILESTONES_MAX);
    const { nextMilestoneId, ...progress } = scheduleOn(rows, asOf);
    const next = rows.find((r) => r.id === nextMilestoneId);
    return { projectId, asOf, ...progress, nextMilestone: next ? present(next, asOf) : null, milestones: rows.map((r) => present(r, asOf)) };
  }

  async function create({ projectId, input, context }: { projectId: string; input: CreateMilestone; context: ScopedContext }) {
    if (input.kind === 'other' && !input.title) throw titleRequired();
    assertHappened({ actualDate: input.actualDate });
    return db.transaction(async (tx) => {
      const project = await projectOf(tx, projectId);
      await context.scope.projects(tx, { what: WHAT, projectIds: [projectId], known: [project] });
      const [{ n }] = (await tx.select({ n: count() }).from(milestones).where(eq(milestones.projectId, projectId))) as [{ n: number }];
      if (n >= MILESTONES_MAX) throw tooManyMilestones(projectId);
      const row = await insertAudited(tx, milestones, { values: { ...input, projectId, baselineDate: input.plannedDate }, resourceType: RESOURCE, context });
      return present(row, dateInChina());
    });
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateMilestone; context: ScopedContext }) {
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, milestones, { id, expectedVersion, label: RESOURCE });
      await context.scope.projects(tx, { what: WHAT, projectIds: [before.projectId] });
      // The baseline is what the department is measured against: the office alone re-baselines.
      if (patch.baselineDate !== undefined && patch.baselineDate !== before.baselineDate && !writesAsOffice(context.actorRole)) {
        throw officeOnlyField('baselineDate', context.actorRole);
      }
      if (before.kind === 'other' && patch.title === null) throw titleRequired();
      assertHappened({ actualDate: patch.actualDate });
      const row = await updateAudited(tx, milestones, { id, expectedVersion, patch, resourceType: RESOURCE, context });
      return present(row, dateInChina());
    });
  }

  async function remove({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: ScopedContext }) {
    await db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, milestones, { id, expectedVersion, label: RESOURCE });
      await context.scope.projects(tx, { what: WHAT, projectIds: [before.projectId] });
      await deleteAudited(tx, milestones, { id, expectedVersion, resourceType: RESOURCE, context });
    });
  }

  return { getById, listForProject, schedule, create, update, remove };
}
