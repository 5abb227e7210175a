import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiModule, ModuleOptions } from './module.js';
import { departmentsModule } from './departments/departments.routes.js';
import { leadersModule } from './leaders/leaders.routes.js';
import { projectsModule } from './projects/projects.routes.js';
import { plansModule } from './plans/plans.routes.js';
import { milestonesModule } from './milestones/milestones.routes.js';
import { leaderAssignmentsModule } from './leader-assignments/leader-assignments.routes.js';
import { reportsModule } from './reports/reports.routes.js';
import { inspectionsModule } from './inspections/inspections.routes.js';
import { issuesModule } from './issues/issues.routes.js';
import { specialBondsModule } from './special-bonds/special-bonds.routes.js';
import { batchesModule } from './batches/batches.routes.js';
import { importsModule } from './imports/imports.routes.js';
import { metricsModule } from './metrics/metrics.routes.js';
import { warningsModule } from './warnings/warnings.routes.js';
import { exportsModule } from './exports/exports.routes.js';
import { oc4idsModule } from './oc4ids/oc4ids.routes.js';
import { auditModule } from './audit/audit.routes.js';
import { changesModule } from './changes/changes.routes.js';
import { webhooksModule } from './webhooks/webhooks.routes.js';
import { metaModule } from './meta/meta.routes.js';
import { apiKeysModule } from './api-keys/api-keys.routes.js';
import { commentsModule } from './comments/comments.routes.js';
import { publicationsModule } from './publications/publications.routes.js';
import { supervisionModule } from './supervision/supervision.routes.js';
import { assessmentModule } from './assessment/assessment.routes.js';

/**
 * Every domain under /v1, in the order the API document lists their tags: a new module is one line
 * here (its routes file exports its ApiModule). The document's tags are derived from this list
 * (apiTags), so a tag can be neither forgotten nor left behind.
 */
export const apiModules: readonly ApiModule[] = [
  departmentsModule,
  leadersModule,
  projectsModule,
  plansModule,
  milestonesModule,
  leaderAssignmentsModule,
  reportsModule,
  inspectionsModule,
  issuesModule,
  specialBondsModule,
  batchesModule,
  importsModule,
  metricsModule,
  warningsModule,
  exportsModule,
  oc4idsModule,
  auditModule,
  changesModule,
  webhooksModule,
  metaModule,
  apiKeysModule,
  commentsModule,
  publicationsModule,
  supervisionModule,
  assessmentModule,
];

/** The tags of the /v1 operations, one per module, for the API document. */
export const apiTags = apiModules.map((module) => module.tag);

/** Every API route lives under /v1; each domain registers its own plugin. */
export const v1Routes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, readDb, config }) => {
  const deps = { db, readDb, config };
  for (const module of apiModules) await app.register(module.routes, deps);
};
