import type { Db } from '../../db/types.js';
import { briefingDocx } from './briefing/briefing.docx.js';
import { briefingMarkdown } from './briefing/briefing.md.js';
import { briefingOf } from './briefing/briefing.model.js';
import { briefingPdf } from './briefing/briefing.pdf.js';
import { changedSince } from './publications.changes.js';
import { settledInstant } from '../../db/history.js';
import { createPublicationFigures } from './publications.figures.js';
import { createPublicationsRepository, metaOf } from './publications.repository.js';
import { restate, type Json } from './publications.restatement.js';
import type { PublicationFigures, Restatement } from './publications.schemas.js';

export type BriefingFormat = 'docx' | 'pdf' | 'md';

export const BRIEFING_TYPES: Record<BriefingFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
};

/** Publishing, reading and withdrawing (the repository), and what is made from a publication: its restatement and its briefing. */
export function createPublicationsUsecases({ db, dueDays }: { db: Db; dueDays: number }) {
  const repository = createPublicationsRepository({ db, dueDays });
  const figures = createPublicationFigures({ db, dueDays });

  /** The publication as GET sends it: its fields, then its figures as the exact stored text (which hashes to sha256). */
  async function json({ id }: { id: string }) {
    const row = await repository.getById({ id });
    const meta = JSON.stringify(metaOf(row));
    return { row, json: `${meta.slice(0, -1)},"figures":${row.content}}` };
  }

  /** The same question asked now, set against the publication figure by figure, with the records changed in between. */
  async function restatement({ id, requestId }: { id: string; requestId: string }): Promise<Restatement> {
    const row = await repository.getById({ id });
    const { at: knownAt } = await settledInstant(db, { waitMs: 2000 });
    const current = await figures.compute({ question: { list: row.list, year: row.year, asOf: row.asOf, basis: row.basis }, knownAt, requestId });
    const changed = await changedSince(db, { since: row.knownAt, until: knownAt });
    const { differences, declarations } = restate({ published: JSON.parse(row.content) as Json, current: current as unknown as Json, changed });
    return { publicationId: row.id, sha256: row.sha256, publishedKnownAt: row.knownAt, knownAt, changed: differences.length > 0, differences, declarations };
  }

  async function briefing({ id, format }: { id: string; format: BriefingFormat }) {
    const row = await repository.getById({ id });
    const meta = metaOf(row);
    const model = briefingOf({ ...meta, figures: JSON.parse(row.content) as PublicationFigures });
    const body = format === 'md' ? await briefingMarkdown(model) : format === 'docx' ? await briefingDocx(model) : await briefingPdf(model);
    return { body, type: BRIEFING_TYPES[format], fileName: `publication-${row.id}.${format}` };
  }

  return { ...repository, json, restatement, briefing };
}
