import { apiKeyRole } from '../../domain/codes.js';
import type { Role } from '../../lib/principal.js';

export const ALL_ROLES: readonly Role[] = apiKeyRole.values;

/**
 * Who may call a route, declared in its `config.access`:
 * - 'public': no key (health, /openapi.json, /docs);
 * - 'read': any valid key (every GET by default);
 * - a list of roles: only those (every other method defaults to ['admin', 'office']).
 * Department and leader roles, where listed, are further checked against the record itself by its
 * repository, inside the write's transaction (./access.scope.ts): the router lets them in, the record
 * may still say no.
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

/** The role line every secured operation's description ends with, in both languages. */
export function rolesText(access: Access): string {
  if (access === 'read') return 'Roles: any key / 角色：任何密钥';
  const roles = rolesOf(access).join(', ');
  return `Roles: ${roles} / 角色：${roles}`;
}
