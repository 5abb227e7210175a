import { inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/types.js';
import { uuidv7 } from '../../lib/ids.js';
import type { RequestContext } from '../../lib/request-context.js';
import { auditEvents } from '../audit/audit.table.js';
import { departments } from '../departments/departments.table.js';
import { annualPlans } from '../plans/plans.table.js';
import { projects, projectStatusChanges } from '../projects/projects.table.js';
import type { Parsed } from './imports.columns.js';
import type { ImportLookups, PlanDraft, ProjectDraft } from './imports.validate.js';
import { dateInChina } from '../../lib/china-time.js';

/** Rows per INSERT: few round trips, well below PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createImportsRepository({ db }: { db: Db }) {
  /** Departments are few: one query, then lookups by code, full name or (when unique) short name. */
  async function lookups(codes: string[]): Promise<ImportLookups> {
    const all = await db
      .select({ id: departments.id, code: departments.code, name: departments.name, shortName: departments.shortName, archivedAt: departments.archivedAt })
      .from(departments);
    const byKey = new Map<string, (typeof all)[number] | null>();
    for (const d of all) {
      byKey.set(d.code.toLowerCase(), d);
      byKey.set(d.name, d);
    }
    for (const d of all) {
      if (d.shortName && !byKey.has(d.shortName)) byKey.set(d.shortName, all.filter((o) => o.shortName === d.shortName).length === 1 ? d : null);
    }
    const existingCodes = new Set<string>();
    for (const part of chunks([...new Set(codes)], 5000)) {
      const rows = await db.select({ code: projects.code }).from(projects).where(inArray(projects.code, part));
      for (const r of rows) existingCodes.add(r.code);
    }
    function departmentOf(value: string): Parsed<string> {
      const found = byKey.get(value) ?? byKey.get(value.toLowerCase());
      if (found === null) return { ok: false, problem: `"${value}" names more than one department; use its code / 部门简称不唯一，请填写部门代码` };
      if (!found) return { ok: false, problem: `unknown department "${value}" / 无此责任部门` };
      if (found.archivedAt) return { ok: false, problem: `department "${value}" is archived / 该部门已归档` };
      return { ok: true, value: found.id };
    }
    return { departmentOf, existingCodes };
  }

  /**
   * Writes everything in one transaction with multi-row INSERTs. Audit: one 'create' event per
   * created project and plan, as single creates write them (so a record's audit history starts at
   * its import), all carrying the request id so the whole import can be found again. The first
   * status row is itself history and is not audited separately.
   */
  async function write({ projectDrafts, planDrafts, context }: { projectDrafts: ProjectDraft[]; planDrafts: PlanDraft[]; context: RequestContext }) {
    const idByCode = new Map(projectDrafts.map((p) => [p.code, uuidv7()]));
    // Today in China Standard Time: the effective date of an imported project's first status.
    const effectiveDate = dateInChina();
    return db.transaction(async (tx) => {
      const audit = (resourceType: string) => (row: { id: string | number }) => ({
        actor: context.actor, actorRole: context.actorRole ?? null, onBehalfOf: context.onBehalfOf ?? null, requestId: context.requestId, action: 'create' as const, resourceType, resourceId: String(row.id), after: row,
      });
      for (const part of chunks(projectDrafts)) {
        const rows = await tx
          .insert(projects)
          .values(part.map(({ row: _row, ...p }) => ({ ...p, id: idByCode.get(p.code)!, status: 'planning' })))
          .returning();
        await insertAudit(tx, rows.map(audit('project')));
        await tx.insert(projectStatusChanges).values(
          rows.map((p) => ({ projectId: p.id, fromStatus: null, toStatus: 'planning', effectiveDate, reason: 'Imported / 批量导入', actor: context.actor })),
        );
      }
      for (const part of chunks(planDrafts)) {
        const rows = await tx
          .insert(annualPlans)
          .values(part.map(({ row: _row, projectCode, ...p }) => ({ ...p, projectId: idByCode.get(projectCode)! })))
          .returning();
        await insertAudit(tx, rows.map(audit('annual_plan')));
      }
      return { projectIds: projectDrafts.map((p) => idByCode.get(p.code)!) };
    });
  }

  return { lookups, write };
}

/**
 * The import's audit events in one statement with one parameter: the rows as a JSON array, unpacked
 * by PostgreSQL (jsonb_to_recordset). Drizzle's multi-row VALUES builds each of the ~10,000 rows'
 * parameters one by one, which cost more than the whole insert; the columns and values are the same.
 */
async function insertAudit(tx: Executor, rows: (typeof auditEvents.$inferInsert)[]) {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      actor: r.actor,
      actor_role: r.actorRole ?? null,
      on_behalf_of: r.onBehalfOf ?? null,
      request_id: r.requestId ?? null,
      action: r.action,
      resource_type: r.resourceType,
      resource_id: r.resourceId,
      after: r.after ?? null,
    })),
  );
  await tx.execute(sql`
    insert into ${auditEvents} (actor, actor_role, on_behalf_of, request_id, action, resource_type, resource_id, after)
    select actor, actor_role, on_behalf_of, request_id, action, resource_type, resource_id, after
    from jsonb_to_recordset(${json}::jsonb)
      as t(actor text, actor_role text, on_behalf_of text, request_id text, action text, resource_type text, resource_id text, after jsonb)`);
}
