import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Db } from '../db/types.js';
import { departmentsRoutes } from './departments/departments.routes.js';
import { leadersRoutes } from './leaders/leaders.routes.js';
import { projectsRoutes } from './projects/projects.routes.js';
import { plansRoutes } from './plans/plans.routes.js';
import { leaderAssignmentsRoutes } from './leader-assignments/leader-assignments.routes.js';
import { reportsRoutes } from './reports/reports.routes.js';
import { inspectionsRoutes } from './inspections/inspections.routes.js';
import { issuesRoutes } from './issues/issues.routes.js';
import { specialBondsRoutes } from './special-bonds/special-bonds.routes.js';
import { batchesRoutes } from './batches/batches.routes.js';
import { importsRoutes } from './imports/imports.routes.js';
import { metricsRoutes } from './metrics/metrics.routes.js';
import { warningsRoutes } from './warnings/warnings.routes.js';
import { exportsRoutes } from './exports/exports.routes.js';
import { oc4idsRoutes } from './oc4ids/oc4ids.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { changesRoutes } from './changes/changes.routes.js';
import { webhooksRoutes } from './webhooks/webhooks.routes.js';
import { metaRoutes } from './meta/meta.routes.js';
import { apiKeysRoutes } from './api-keys/api-keys.routes.js';
import { commentsRoutes } from './comments/comments.routes.js';

export interface ModuleOptions {
  db: Db;
  /** Read-only work (lists, metrics, exports); a replica when DATABASE_READ_URL is set, else `db`. */
  readDb: Db;
  config: Config;
}

/** Every API route lives under /v1; each domain registers its own plugin here. */
export const v1Routes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, readDb, config }) => {
  const deps = { db, readDb, config };
  await app.register(departmentsRoutes, deps);
  await app.register(leadersRoutes, deps);
  await app.register(projectsRoutes, deps);
  await app.register(plansRoutes, deps);
  await app.register(leaderAssignmentsRoutes, deps);
  await app.register(reportsRoutes, deps);
  await app.register(inspectionsRoutes, deps);
  await app.register(issuesRoutes, deps);
  await app.register(specialBondsRoutes, deps);
  await app.register(batchesRoutes, deps);
  await app.register(importsRoutes, deps);
  await app.register(metricsRoutes, deps);
  await app.register(warningsRoutes, deps);
  await app.register(exportsRoutes, deps);
  await app.register(oc4idsRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(changesRoutes, deps);
  await app.register(webhooksRoutes, deps);
  await app.register(metaRoutes, deps);
  await app.register(apiKeysRoutes, deps);
  await app.register(commentsRoutes, deps);
};
