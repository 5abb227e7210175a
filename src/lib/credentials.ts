/**
 * How an API key travels: as a Bearer token in the Authorization header, never in a URL. The request
 * log and the authentication both need to recognise a key in a URL, so its shape is known here, below
 * the api-keys module that makes the keys (src/modules/api-keys/api-keys.token.ts).
 */
export const KEY_PREFIX = 'kpo_live_';

/** The OpenAPI security scheme every secured operation names. */
export const BEARER_SCHEME = 'bearerAuth';

/** Finds something shaped like one of our keys anywhere in a string. */
const KEY_LIKE = new RegExp(`${KEY_PREFIX}[0-9A-Za-z]{8,}`);

/** Query parameters that carry credentials in other APIs: refused here, whatever their value. */
const CREDENTIAL_PARAMS = ['api_key', 'apikey', 'api-key', 'key', 'access_token', 'token', 'bearer', 'authorization'];

/**
 * A key's secret is 36 base62 characters (30 random, 6 checksum). Any run of 30 or more of that
 * alphabet is treated as one wherever it appears: a key stripped of its prefix, cut at its checksum,
 * or inside another value (a cursor's tag may look the same; it is redacted too, which costs a log
 * reader nothing).
 */
const SECRET_SHAPED = /[0-9A-Za-z]{30,}/;
const SECRET_SHAPED_ALL = new RegExp(SECRET_SHAPED.source, 'g');

/** ASCII percent-escapes decoded, up to four times over (a key may be encoded twice or more to slip past). */
function asciiDecoded(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round++) {
    const next = current.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Whether a text holds something shaped like a key's secret, as written or once its escapes are decoded. */
export function carriesSecret(text: string): boolean {
  return SECRET_SHAPED.test(text) || SECRET_SHAPED.test(asciiDecoded(text));
}

/** A value as logs may show it: every secret-shaped run replaced. */
export function redactSecrets(text: string): string {
  return carriesSecret(text) ? asciiDecoded(text).replace(SECRET_SHAPED_ALL, '[REDACTED]') : text;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape: the raw form is what there is
  }
}

/** Whether a URL holds a key or a credential parameter (then it is refused, and logged without its query). */
export function urlCarriesKey(url: string): boolean {
  if (KEY_LIKE.test(url) || KEY_LIKE.test(decoded(url))) return true;
  const at = url.indexOf('?');
  if (at < 0) return false;
  const query = new URLSearchParams(url.slice(at + 1));
  return CREDENTIAL_PARAMS.some((p) => query.has(p));
}

/**
 * The URL as logs may show it. A URL that carries a key loses everything after its path; otherwise
 * each path segment and query parameter holding something shaped like a key's secret is replaced by
 * [REDACTED] and the rest is kept as sent.
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  const rawPath = at < 0 ? url : url.slice(0, at);
  // Most URLs (every request logs one): nothing escaped and no secret-shaped run anywhere, so no
  // segment or parameter can need redacting; only a credential parameter's name can still count.
  if (!url.includes('%') && !SECRET_SHAPED.test(url)) return at >= 0 && urlCarriesKey(url) ? `${rawPath}?[REDACTED]` : url;
  const path = rawPath
    .split('/')
    .map((segment) => (carriesSecret(segment) ? `${KEY_LIKE.test(asciiDecoded(segment)) ? KEY_PREFIX : ''}[REDACTED]` : segment))
    .join('/');
  if (at < 0) return path;
  if (urlCarriesKey(url)) return `${path}?[REDACTED]`;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      if (carriesSecret(name)) return '[REDACTED]';
      return equals >= 0 && carriesSecret(pair.slice(equals + 1)) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}
