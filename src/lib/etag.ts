import { preconditionFailed, preconditionRequired } from './errors.js';

/** The ETag of a record is its version counter; any change bumps it. */
export function etagOf(version: number): string {
  return `"v${version}"`;
}

/** Reads If-Match and returns the version it names; 428 without it, 412 when it cannot match. */
export function versionFromIfMatch(header: string | string[] | undefined, currentVersion?: number): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw preconditionRequired();
  const match = /^(?:W\/)?"v(\d{1,9})"$/.exec(value.trim());
  if (!match) throw preconditionFailed(currentVersion === undefined ? '' : etagOf(currentVersion));
  return Number(match[1]);
}

export const ifMatchHeaderDescription =
  'ETag of the version you read (from GET); the change applies only if the record is still at that version / 读取时得到的 ETag，仅当记录未被他人修改时才生效';
