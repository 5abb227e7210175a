import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * What an API response may load: nothing. A JSON body opened in a browser (or a problem+json echoing
 * input) can then run no script, load no resource, be framed by no page and submit no form.
 */
const API_CSP = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI at /docs: @fastify/swagger-ui 6 serves its scripts, styles and initializer as files of
 * its own (no inline script), fetches the document from the same origin and shows its logo as a
 * data: URL. Inline styles stay allowed: the UI's components set style attributes. No
 * upgrade-insecure-requests: the office may serve /docs over plain HTTP on its intranet, where that
 * directive would send the page's own scripts to an https:// that is not there.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

/**
 * Helmet's options: its defaults (nosniff, no referrer, no framing, HSTS, cross-origin isolation…)
 * with a deny-all Content-Security-Policy of our own and framing denied outright.
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
};

/**
 * The headers helmet's middleware sets for `options`, found once by running it against a response
 * that only records them. Every value is static for static options, so what it sets for one request
 * it sets for all; the one thing helmet computes per request, a policy directive given as a function
 * (a nonce), is refused. Its one removal, X-Powered-By, is of a header Fastify never sends.
 */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const csp = options.contentSecurityPolicy;
  const directiveValues = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  const perRequest = (value: unknown) =>
    typeof value === 'function' || ((Array.isArray(value) || value instanceof Set) && [...value].some((entry) => typeof entry === 'function'));
  if (directiveValues.some(perRequest)) throw new Error('a Content-Security-Policy directive computed per request (a nonce?) cannot be computed once');
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: unknown) {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a non-string value: it cannot be computed once`);
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return Object.freeze(headers);
}

/**
 * Every response's security headers, as @fastify/helmet's per-request run of helmet set them (same
 * options, same values), computed at startup: 12 headers, Content-Security-Policy the deny-all one.
 */
export const SECURITY_HEADERS = helmetHeaders(HELMET_OPTIONS);

function securityHeader(name: string): string {
  const value = SECURITY_HEADERS[name];
  if (value === undefined) throw new Error(`helmet sets no ${name}`);
  return value;
}

/**
 * The headers that matter for a problem answered before routing (a malformed URL: Fastify's
 * frameworkErrors, src/plugins/errors.ts), where no hook runs. Values from SECURITY_HEADERS; the
 * policy lists the same directives, spelled with "; " between them, as those answers always had it.
 */
export const BASELINE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': Object.entries(API_CSP)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; '),
  'x-content-type-options': securityHeader('x-content-type-options'),
  'x-frame-options': securityHeader('x-frame-options'),
  'referrer-policy': securityHeader('referrer-policy'),
  'strict-transport-security': securityHeader('strict-transport-security'),
  'cache-control': 'no-store',
});

const DOCS = /^\/docs(?:[/?]|$)/;
const V1 = /^\/v1(?:[/?]|$)/;

/**
 * Security headers on every response, as helmet sets them: nosniff, no referrer, no framing, HSTS
 * (browsers heed it only over HTTPS, i.e. behind a TLS-terminating proxy), cross-origin isolation
 * of resources, and a deny-all Content-Security-Policy except under /docs. /v1 answers are records
 * of one office and are not cached unless a route says otherwise (Cache-Control: no-store).
 *
 * The headers are computed once (SECURITY_HEADERS) and copied onto each reply in one onRequest
 * hook, where @fastify/helmet used to run helmet's whole middleware chain per request (parsing the
 * policy each time: ≈2.3% of CPU under load). Registered before auth, so that the 401/403/429 it
 * throws carry them too.
 */
export const securityHeadersPlugin = fp(
  async function securityHeaders(app) {
    app.addHook('onRequest', function securityHeaders(request, reply, done) {
      reply.headers(SECURITY_HEADERS);
      // /docs gets the policy Swagger UI needs.
      if (DOCS.test(request.url)) reply.header('content-security-policy', DOCS_CSP);
      done();
    });

    app.addHook('onSend', (request, reply, payload, done) => {
      if (V1.test(request.url) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      done(null, payload);
    });
  },
  { name: 'security-headers' },
);
