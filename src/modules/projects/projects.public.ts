/** The projects module's face: the lifecycle's codes and the repository the exports list projects with. */
export type { ProjectStatus } from './projects.lifecycle.js';
export { createProjectsRepository } from './projects.repository.js';
