/**
 * The access module's face: the plugin app.ts registers (authentication, roles, each request's write
 * scope) and the role sets routes declare in `config.access`.
 */
export { accessPlugin } from './access.plugin.js';
export { ADMIN, COMMENT_WRITE, DEPARTMENT_WRITE, INSPECTION_WRITE } from './access.roles.js';
