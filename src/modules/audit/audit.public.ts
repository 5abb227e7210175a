/**
 * The audit module's face for other modules: the audited writes every repository makes its changes
 * through, recordAudit for writes of another shape, and which records a role may not see in the trail.
 */
export { recordAudit, hiddenResourceTypes, visibleEvents, ADMIN_ONLY_RESOURCES, DEPARTMENT_SCOPED_RESOURCES, type AuditInput } from './audit.repository.js';
export { insertAudited, updateAudited, deleteAudited, archiveAudited, restoreAudited } from './audit.writes.js';
