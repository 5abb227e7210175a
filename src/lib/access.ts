import type { ApiKeyRole } from '../modules/api-keys/api-keys.table.js';

export type Role = ApiKeyRole;

export const ALL_ROLES: readonly Role[] = ['admin', 'office', 'department', 'leader', 'viewer'];

/** Who is calling: the API key that authenticated this request. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** Set for (and only for) department keys. */
  departmentId: string | null;
  /** Set for (and only for) leader keys. */
  leaderId: string | null;
  /** A key narrowed to reading: every non-GET is a 403 whatever its role. */
  readOnly: boolean;
}

/**
 * Who may call a route, declared in its `config.access`:
 * - 'public': no key (health, /openapi.json, /docs);
 * - 'read': any valid key (every GET by default);
 * - a list of roles: only those (every other method defaults to ['admin', 'office']).
 * Department and leader roles, where listed, are further checked against the object itself by the
 * route (src/modules/access/scope.ts): the router lets them in, the object may still say no.
 */
export type Access = 'public' | 'read' | readonly Role[];

export const OFFICE: readonly Role[] = ['admin', 'office'];
export const ADMIN: readonly Role[] = ['admin'];
/** Progress reports and issues: the office, and department keys for their own projects. */
export const DEPARTMENT_WRITE: readonly Role[] = ['admin', 'office', 'department'];
/** Inspections: also leader keys, for the projects they are assigned to. */
export const INSPECTION_WRITE: readonly Role[] = ['admin', 'office', 'department', 'leader'];
/** Comments on a project: the office and leader keys for their assigned projects. */
export const COMMENT_WRITE: readonly Role[] = ['admin', 'office', 'leader'];

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated key; null only on public routes and unmatched URLs. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * The access a route gets when it declares none: reads for any key, writes for the office. CORS
 * preflights (OPTIONS) are public: browsers never send credentials with them.
 */
export function defaultAccess(method: string | string[]): Access {
  const methods = Array.isArray(method) ? method : [method];
  if (methods.every((m) => m === 'OPTIONS')) return 'public';
  return methods.every((m) => m === 'GET' || m === 'HEAD') ? 'read' : OFFICE;
}

export function rolesOf(access: Access): readonly Role[] {
  if (access === 'public') return [];
  return access === 'read' ? ALL_ROLES : access;
}
