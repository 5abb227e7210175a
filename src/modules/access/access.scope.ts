import type { FastifyBaseLogger } from 'fastify';
import type { Executor } from '../../db/types.js';
import { dateInChina } from '../../lib/china-time.js';
import { AppError } from '../../lib/errors.js';
import type { Principal } from '../../lib/principal.js';
import { unrestrictedScope, type ProjectDepartment, type ScopeCheck, type WriteScope } from '../../lib/request-context.js';
import { projectsAssignedTo } from '../leader-assignments/leader-assignments.public.js';
import { responsibleDepartments } from '../projects/projects.public.js';

/**
 * Object-level authorisation: which projects a department or leader key may write for. The router
 * (./access.plugin.ts) lets those roles into a route; the repository then asks the request's scope
 * about the record's projects, inside its transaction, on the rows it has locked, before and after
 * the change. Reads are open to every role, so a refusal is a 403 (the record's existence is no
 * secret); a project that does not exist is passed over, for the write's own 404/422.
 *
 * - department: projects whose responsible department (projects.department_id) is the key's;
 *   issues also when the issue is assigned to the key's department (承办部门).
 * - leader: projects the key's leader is assigned to on the day the record is about (an inspection's
 *   date; otherwise today, China time) (领导挂点).
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

/** A route that writes without authentication is a bug: it fails loudly rather than write unscoped. */
const unauthenticated: WriteScope = {
  async projects() {
    throw new Error('scope check on a route without authentication');
  },
};

/** The departments of the given projects: those the write has read itself as it read them, the others from `tx`. */
async function departmentsOf(tx: Executor, ids: readonly string[], known: readonly ProjectDepartment[]): Promise<Map<string, string>> {
  const given = new Map(known.filter((p) => ids.includes(p.id)).map((p) => [p.id, p.departmentId]));
  const read = await responsibleDepartments(tx, ids.filter((id) => !given.has(id)));
  return new Map([...given, ...read]);
}

/** The given projects that are outside the key's scope (unknown ids are not reported). */
async function outside(tx: Executor, principal: Principal, check: ScopeCheck): Promise<string[]> {
  const { projectIds, known = [] } = check;
  const ids = [...new Set(projectIds)];
  if (ids.length === 0) return [];
  if (principal.role === 'department') {
    const departments = await departmentsOf(tx, ids, known);
    return [...departments].filter(([, departmentId]) => departmentId !== principal.departmentId).map(([id]) => id);
  }
  if (principal.role === 'leader') {
    const existing = await departmentsOf(tx, ids, known);
    const assigned = await projectsAssignedTo(tx, { leaderId: principal.leaderId!, projectIds: ids, on: check.on ?? dateInChina() });
    return [...existing.keys()].filter((id) => !assigned.has(id));
  }
  return ids;
}

function refuse({ log, principal, what, projectIds }: { log: FastifyBaseLogger; principal: Principal; what: string; projectIds: string[] }): never {
  const whose = principal.role === 'department' ? "another department's project" : 'a project this leader is not assigned to';
  log.warn(
    { event: 'access_denied', keyId: principal.keyId, role: principal.role, reason: 'scope', resource: what, projectIds },
    'record outside the key\'s scope',
  );
  throw forbidden(principal, `This ${principal.role} key may not write ${what} of ${whose}: ${projectIds.join(', ')}`);
}

/** The scope of a request's key; `log` is the request's, so a refusal is logged with its request id. */
export function scopeOf({ principal, log }: { principal: Principal | null; log: FastifyBaseLogger }): WriteScope {
  if (!principal) return unauthenticated;
  if (principal.role === 'admin' || principal.role === 'office') return unrestrictedScope;
  return {
    async projects(tx, check) {
      if (principal.role === 'department' && check.assignedDepartmentId === principal.departmentId) return;
      const bad = await outside(tx, principal, check);
      if (bad.length > 0) refuse({ log, principal, what: check.what, projectIds: bad });
    },
  };
}
