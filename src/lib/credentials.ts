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

/** The URL as logs may show it: a URL that carries a key loses everything after its path. */
export function loggableUrl(url: string): string {
  if (!urlCarriesKey(url)) return url;
  // Decoded first, so that a percent-encoded key in the path is found and cut too.
  const path = decoded(url.split('?')[0] ?? '').replace(new RegExp(KEY_LIKE.source, 'g'), `${KEY_PREFIX}[REDACTED]`);
  return url.includes('?') ? `${path}?[REDACTED]` : path;
}
