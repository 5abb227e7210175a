import type { Executor } from '../db/types.js';

/** Who makes a change, as every write records it (audit trail, history). */
export interface RequestContext {
  /** The API key id (or "system" for the service's own writes). */
  actor: string;
  /** The key's role when the change was made. */
  actorRole?: string | null;
  /** The person the calling system named in X-Actor: recorded, not trusted. */
  onBehalfOf?: string | null;
  requestId: string;
}

/** A project a write has read itself, in its transaction, with the department responsible for it. */
export interface ProjectDepartment {
  id: string;
  departmentId: string;
}

export interface ScopeCheck {
  /** What is written, as the refusal names it: 'progress reports', 'issues', … */
  what: string;
  /** The projects the record belongs to. Ids naming no project are passed over: the write answers its own 404/422. */
  projectIds: readonly string[];
  /** Those of the projects the write has already read in the transaction (a report's under its share lock): judged as read, not read again. */
  known?: readonly ProjectDepartment[];
  /** The department an issue is assigned to (承办部门): a department key of that department may write it. */
  assignedDepartmentId?: string | null;
  /** The day the record is about (an inspection's date): a leader key writes for the projects it watched that day. Default: today. */
  on?: string;
}

/**
 * Object-level authorisation as a write asks it: may the caller write `what` for these projects? A
 * refusal is thrown (403). Declared here, below the modules, so that a repository asks it inside its
 * own transaction, after locking its rows, with `tx` (PGlite has one connection: a query on the root
 * client inside a transaction deadlocks), without knowing whose rule answers: the request's key's
 * (src/modules/access/access.scope.ts).
 */
export interface WriteScope {
  projects(tx: Executor, check: ScopeCheck): Promise<void>;
}

/**
 * The scope of the office, and of writes no request makes (command line, demo data): every project.
 * Refusing nothing, it reads nothing.
 */
export const unrestrictedScope: WriteScope = {
  async projects() {},
};

/** A change to records that belong to projects: who makes it, and which projects it may touch. */
export interface ScopedContext extends RequestContext {
  scope: WriteScope;
}
