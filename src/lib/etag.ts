import { preconditionRequired } from './errors.js';

/** The ETag of a record is its version counter; any change bumps it. Always a strong tag. */
export function etagOf(version: number): string {
  return `"v${version}"`;
}

/**
 * What an If-Match header accepts (RFC 9110 §13.1.1): `*` (any current version), or the versions its
 * strong entity tags name. A weak tag (`W/"v3"`) never matches If-Match, which compares strongly, and
 * a member that is not one of our tags matches nothing; a header of nothing but those matches no
 * version, so the change is refused with 412 and the current ETag, as a stale one is.
 */
export type ExpectedVersion = number | '*' | readonly number[];

/** One member of an entity-tag list: `*`, or `[W/]"…"` (the opaque part holds no quote). */
const MEMBER = /\s*(\*|(?:W\/)?"[^"]*")\s*(?:,|$)/gy;
const OURS = /^"v(\d{1,9})"$/;

/** The entity tags of a list header, or undefined when the list is malformed. */
function entityTags(value: string): string[] | undefined {
  const tags: string[] = [];
  MEMBER.lastIndex = 0;
  while (MEMBER.lastIndex < value.length) {
    const start = MEMBER.lastIndex;
    const match = MEMBER.exec(value);
    if (!match || MEMBER.lastIndex === start) return undefined;
    tags.push(match[1]!);
  }
  return tags;
}

/** Reads If-Match: 428 without it; what it accepts otherwise (see ExpectedVersion). */
export function expectedFromIfMatch(header: string | string[] | undefined): ExpectedVersion {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (value === undefined || value.trim() === '') throw preconditionRequired();
  const tags = entityTags(value) ?? [];
  if (tags.includes('*')) return '*';
  return tags.flatMap((tag) => {
    const match = OURS.exec(tag);
    return match ? [Number(match[1])] : [];
  });
}

/** Whether the record at `current` is one the caller may change. */
export function matchesVersion(expected: ExpectedVersion, current: number): boolean {
  if (expected === '*') return true;
  return typeof expected === 'number' ? expected === current : expected.includes(current);
}

/**
 * Whether If-None-Match names the representation whose ETag is `etag` (weak comparison, RFC 9110
 * §13.1.2): then a GET answers 304 Not Modified without a body.
 */
export function noneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!value) return false;
  const tags = entityTags(value);
  if (!tags) return false;
  const opaque = (tag: string) => tag.replace(/^W\//, '');
  return tags.some((tag) => tag === '*' || opaque(tag) === opaque(etag));
}

export const ifMatchHeaderDescription =
  'ETag of the version you read (from GET); the change applies only if the record is still at that version. `*` applies it to whatever version is current; a list applies it when one of its tags is current; a weak tag (W/…) never matches. / 读取时得到的 ETag，仅当记录仍为该版本时才生效；* 表示任意当前版本；列表中任一标签为当前版本即可；弱标签（W/…）不匹配';
