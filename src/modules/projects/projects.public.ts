/**
 * The projects module's face: the lifecycle's codes, the repository the exports list projects with,
 * which department answers for a project (the write scope of department keys), and the rules and
 * the write of a status history brought in by an import.
 */
export type { ProjectStatus } from './projects.lifecycle.js';
export { createProjectsRepository } from './projects.repository.js';
export { projectsAnsweredFor, responsibleDepartments } from './projects.departments.js';
export { checkImportedHistory, historyOfCurrent, writeImportedStatusHistory, IMPORTED_REASON, type ImportedStatusEntry } from './projects.imported.js';
