import { conflict, unprocessable } from '../../lib/errors.js';

/** Withdrawn once: the withdrawal is part of the record, kept as it was. */
export function alreadyWithdrawn(id: string) {
  return conflict('publication_withdrawn', `Publication ${id} is already withdrawn; a withdrawal is never changed / 该发布已撤回，撤回信息不可更改`);
}

/** The frozen text no longer hashes to its digest: the store was tampered with, so it is not served as the publication. */
export function publicationCorrupt(id: string) {
  return unprocessable('publication_corrupt', `Publication ${id}: its stored figures no longer match their SHA-256 / 该发布的存储内容与其哈希不符`);
}
