import { createHash } from 'node:crypto';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { lockAtVersion, writeNextVersion } from '../../db/versioned.js';
import { dateInChina } from '../../lib/china-time.js';
import { notFound } from '../../lib/errors.js';
import type { ExpectedVersion } from '../../lib/etag.js';
import { keyset } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import { assertAsOfInYear } from '../../lib/schemas.js';
import { insertAudited, recordAudit } from '../audit/audit.public.js';
import { alreadyWithdrawn, publicationCorrupt } from './publications.errors.js';
import { settledInstant } from '../../db/history.js';
import { createPublicationFigures } from './publications.figures.js';
import type { CreatePublication, ListPublicationsQuery } from './publications.schemas.js';
import { publications, type PublicationRow } from './publications.table.js';

export const RESOURCE = 'publication';

const newestFirst = keyset({ id: publications.id }, 'desc');

export function sha256Of(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A publication as the API shows it, without its figures. */
export function metaOf(row: PublicationRow) {
  return {
    id: row.id,
    title: row.title,
    note: row.note,
    list: row.list,
    year: row.year,
    asOf: row.asOf,
    basis: row.basis,
    knownAt: row.knownAt,
    publishedAt: row.createdAt,
    publishedBy: { actor: row.publishedBy, role: row.publishedByRole, onBehalfOf: row.publishedOnBehalfOf },
    sha256: row.sha256,
    status: row.withdrawnAt ? ('withdrawn' as const) : ('published' as const),
    withdrawal: row.withdrawnAt ? { at: row.withdrawnAt, reason: row.withdrawnReason!, by: row.withdrawnBy! } : null,
    version: row.version,
  };
}

export function createPublicationsRepository({ db, dueDays }: { db: Db; dueDays: number }) {
  const figures = createPublicationFigures({ db, dueDays });

  /**
   * Computes the question's figures as known at a settled instant, then stores them: the text and its
   * hash, never to change. Computed before the insert's transaction (the figures read their own
   * read-only snapshots), so what is stored is what those reads answered.
   */
  async function publish({ input, context }: { input: CreatePublication; context: RequestContext }) {
    const { at: knownAt } = await settledInstant(db, { waitMs: 2000 });
    const asOf = input.asOf ?? dateInChina(new Date(knownAt));
    assertAsOfInYear(input.year, asOf);
    const question = { list: input.list, year: input.year, asOf, basis: input.basis };
    const content = JSON.stringify(await figures.compute({ question, knownAt, requestId: context.requestId }));
    return db.transaction((tx) =>
      insertAudited(tx, publications, {
        values: {
          ...question,
          knownAt,
          title: input.title,
          note: input.note ?? null,
          publishedBy: context.actor,
          publishedByRole: context.actorRole ?? null,
          publishedOnBehalfOf: context.onBehalfOf ?? null,
          content,
          sha256: sha256Of(content),
        },
        resourceType: RESOURCE,
        context,
      }),
    );
  }

  /** The row, its stored text checked against its hash. */
  async function getById({ id }: { id: string }): Promise<PublicationRow> {
    const [row] = await db.select().from(publications).where(eq(publications.id, id));
    if (!row) throw notFound(RESOURCE, id);
    if (sha256Of(row.content) !== row.sha256) throw publicationCorrupt(id);
    return row;
  }

  async function list(query: ListPublicationsQuery) {
    const page = await newestFirst.list(query, (after) =>
      db
        .select()
        .from(publications)
        .where(
          and(
            query.list ? eq(publications.list, query.list) : undefined,
            query.year ? eq(publications.year, query.year) : undefined,
            query.status === 'withdrawn' ? isNotNull(publications.withdrawnAt) : query.status === 'published' ? isNull(publications.withdrawnAt) : undefined,
            after,
          ),
        ),
    );
    return { ...page, items: page.items.map(metaOf) };
  }

  /** Withdraws it (audited as a transition); it stays readable, its figures unchanged. */
  async function withdraw({ id, expectedVersion, reason, context }: { id: string; expectedVersion: ExpectedVersion; reason: string; context: RequestContext }) {
    return db.transaction(async (tx) => {
      const before = await lockAtVersion(tx, publications, { id, expectedVersion, label: RESOURCE });
      if (before.withdrawnAt) throw alreadyWithdrawn(id);
      const after = (await writeNextVersion(tx, publications, before, {
        withdrawnAt: new Date().toISOString(),
        withdrawnReason: reason,
        withdrawnBy: context.actor,
      }))!;
      await recordAudit(tx, context, { action: 'transition', resourceType: RESOURCE, resourceId: id, before: metaOf(before), after: metaOf(after) });
      return after;
    });
  }

  return { publish, getById, list, withdraw };
}
