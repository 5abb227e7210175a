/**
 * The projects module's face: the lifecycle's codes, the repository the exports list projects with,
 * and which department answers for a project (the write scope of department keys).
 */
export type { ProjectStatus } from './projects.lifecycle.js';
export { createProjectsRepository } from './projects.repository.js';
export { projectsAnsweredFor, responsibleDepartments } from './projects.departments.js';
