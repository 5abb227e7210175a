import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { archiveAudited, insertAudited, restoreAudited, updateAudited } from '../audit/audit.public.js';
import { IN_USE_LISTED, departmentInUse } from './departments.errors.js';
import { projectsAnsweredFor } from '../projects/projects.public.js';
import { notFound } from '../../lib/errors.js';
import { keyset } from '../../lib/pagination.js';
import { containsText } from '../../lib/text-search.js';
import type { RequestContext } from '../../lib/request-context.js';
import { departments } from './departments.table.js';
import type { CreateDepartment, ListDepartmentsQuery, UpdateDepartment } from './departments.schemas.js';
import type { ExpectedVersion } from '../../lib/etag.js';

const byId = keyset({ id: departments.id });

const RESOURCE = 'department';

export function createDepartmentsRepository({ db }: { db: Db }) {
  async function getById({ id }: { id: string }) {
    const [row] = await db.select().from(departments).where(eq(departments.id, id));
    if (!row) throw notFound(RESOURCE, id);
    return row;
  }

  async function list(query: ListDepartmentsQuery) {
    return byId.list(
      query,
      (after) =>
        db
          .select()
          .from(departments)
          .where(
            and(
              query.includeArchived === 'true' ? undefined : isNull(departments.archivedAt),
              query.q ? containsText([departments.code, departments.name, departments.shortName], query.q) : undefined,
              after,
            ),
          ),
    );
  }

  async function create({ input, context }: { input: CreateDepartment; context: RequestContext }) {
    return db.transaction((tx) => insertAudited(tx, departments, { values: input, resourceType: RESOURCE, context }));
  }

  async function update({ id, expectedVersion, patch, context }: { id: string; expectedVersion: ExpectedVersion; patch: UpdateDepartment; context: RequestContext }) {
    return db.transaction((tx) => updateAudited(tx, departments, { id, expectedVersion, patch, resourceType: RESOURCE, context }));
  }

  /** Departments answer for history (reports, issues), so they are archived, never deleted. */
  async function archive({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    return db.transaction((tx) =>
      archiveAudited(tx, departments, {
        id,
        expectedVersion,
        resourceType: RESOURCE,
        context,
        // Checked under the row lock: a new project or assignment waits for the archive, or is refused after it.
        async unlessInUse(row) {
          const using = await projectsAnsweredFor(tx, row.id, IN_USE_LISTED);
          if (using.length > 0) throw departmentInUse(row.id, using);
        },
      }),
    );
  }

  /** Undoes an archive (audited as 'restore'); a record that is not archived is answered as it is. */
  async function restore({ id, expectedVersion, context }: { id: string; expectedVersion: ExpectedVersion; context: RequestContext }) {
    return db.transaction((tx) => restoreAudited(tx, departments, { id, expectedVersion, resourceType: RESOURCE, context }));
  }

  return { getById, list, create, update, archive, restore };
}
