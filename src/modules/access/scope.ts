import { and, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/types.js';
import { dateInChina } from '../../lib/china-time.js';
import { AppError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { projects } from '../projects/projects.table.js';
import { leaderAssignments } from '../leader-assignments/leader-assignments.table.js';
import { progressReports } from '../reports/reports.table.js';
import { projectIssues } from '../issues/issues.table.js';
import { inspectionProjects } from '../inspections/inspections.table.js';

/**
 * Object-level authorisation: which projects a department or leader key may write for. The router
 * (./access.plugin.ts) lets those roles into a route; these checks look at the record itself, on
 * every object route that admits them. Reads are open to every role, so a refusal is a 403 (the
 * record's existence is no secret); a record that does not exist is left to the route's own 404/422.
 *
 * - department: projects whose responsible department (projects.department_id) is the key's;
 *   issues also when the issue is assigned to the key's department (承办部门).
 * - leader: projects the key's leader is assigned to today (领导挂点, China time).
 * - admin, office: everything. viewer never gets here (no write route admits it).
 */
function forbidden(principal: Principal, detail: string): AppError {
  return new AppError({
    code: 'forbidden_scope',
    status: 403,
    title: 'Forbidden / 无权限',
    detail,
    extra: { role: principal.role },
  });
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('scope check on a route without authentication');
  return request.principal;
}

export function createScope({ db }: { db: Db }) {
  function unrestricted(principal: Principal): boolean {
    return principal.role === 'admin' || principal.role === 'office';
  }

  /** The given projects that are outside the key's scope (unknown ids are not reported). */
  async function outside(principal: Principal, projectIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(projectIds)];
    if (ids.length === 0) return [];
    if (principal.role === 'department') {
      const rows = await db.select({ id: projects.id, departmentId: projects.departmentId }).from(projects).where(inArray(projects.id, ids));
      return rows.filter((r) => r.departmentId !== principal.departmentId).map((r) => r.id);
    }
    if (principal.role === 'leader') {
      const today = dateInChina();
      const existing = await db.select({ id: projects.id }).from(projects).where(inArray(projects.id, ids));
      const assigned = await db
        .select({ projectId: leaderAssignments.projectId })
        .from(leaderAssignments)
        .where(
          and(
            eq(leaderAssignments.leaderId, principal.leaderId!),
            inArray(leaderAssignments.projectId, ids),
            lte(leaderAssignments.startDate, today),
            or(isNull(leaderAssignments.endDate), gte(leaderAssignments.endDate, today)),
          ),
        );
      const mine = new Set(assigned.map((a) => a.projectId));
      return existing.map((r) => r.id).filter((id) => !mine.has(id));
    }
    return unrestricted(principal) ? [] : ids;
  }

  function refuse(request: FastifyRequest, principal: Principal, what: string, projectIds: string[]): never {
    const whose = principal.role === 'department' ? "another department's project" : 'a project this leader is not assigned to';
    request.log.warn(
      { event: 'access_denied', keyId: principal.keyId, role: principal.role, reason: 'scope', resource: what, projectIds },
      'record outside the key\'s scope',
    );
    throw forbidden(principal, `This ${principal.role} key may not write ${what} of ${whose}: ${projectIds.join(', ')}`);
  }

  /** For creates (and patches that move a record): every named project must be in scope. */
  async function projectsInScope(request: FastifyRequest, what: string, projectIds: readonly (string | undefined)[]): Promise<void> {
    const principal = principalOf(request);
    if (unrestricted(principal)) return;
    const bad = await outside(principal, projectIds.filter((id): id is string => id !== undefined));
    if (bad.length > 0) refuse(request, principal, what, bad);
  }

  async function report(request: FastifyRequest, id: string): Promise<void> {
    const principal = principalOf(request);
    if (unrestricted(principal)) return;
    const [row] = await db.select({ projectId: progressReports.projectId }).from(progressReports).where(eq(progressReports.id, id));
    if (row) await projectsInScope(request, 'progress reports', [row.projectId]);
  }

  /** An existing issue, and where a patch would move it (`movesTo`: a new projectId, if any). */
  async function issue(request: FastifyRequest, id: string, movesTo?: string): Promise<void> {
    const principal = principalOf(request);
    if (unrestricted(principal)) return;
    const [row] = await db
      .select({ projectId: projectIssues.projectId, assignedDepartmentId: projectIssues.assignedDepartmentId })
      .from(projectIssues)
      .where(eq(projectIssues.id, id));
    if (!row) return;
    const assignedToMe = principal.role === 'department' && row.assignedDepartmentId === principal.departmentId;
    if (!assignedToMe) await projectsInScope(request, 'issues', [row.projectId]);
    // Restating the issue's own project is no move; moving it needs the new project in scope too.
    if (movesTo !== undefined && movesTo !== row.projectId) await projectsInScope(request, 'issues', [movesTo]);
  }

  async function inspection(request: FastifyRequest, id: string): Promise<void> {
    const principal = principalOf(request);
    if (unrestricted(principal)) return;
    const rows = await db.select({ projectId: inspectionProjects.projectId }).from(inspectionProjects).where(eq(inspectionProjects.inspectionId, id));
    await projectsInScope(request, 'inspections', rows.map((r) => r.projectId));
  }

  return { projects: projectsInScope, report, issue, inspection };
}

export type Scope = ReturnType<typeof createScope>;
