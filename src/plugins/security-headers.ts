import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

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
 * The headers that matter for a problem answered before routing (a malformed URL: Fastify's
 * frameworkErrors, src/plugins/errors.ts), where no hook and so no helmet runs.
 */
export const BASELINE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': Object.entries(API_CSP)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cache-control': 'no-store',
};

const DOCS = /^\/docs(?:[/?]|$)/;
const V1 = /^\/v1(?:[/?]|$)/;

/**
 * Security headers on every response, through @fastify/helmet: nosniff, no referrer, no framing,
 * HSTS (browsers heed it only over HTTPS, i.e. behind a TLS-terminating proxy), cross-origin
 * isolation of resources, and a deny-all Content-Security-Policy except under /docs. /v1 answers are
 * records of one office and are not cached unless a route says otherwise (Cache-Control: no-store).
 */
export const securityHeadersPlugin = fp(
  async function securityHeaders(app) {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    });

    // After helmet's own onRequest hooks (same context, added later): /docs gets the policy Swagger UI needs.
    app.addHook('onRequest', async (request, reply) => {
      if (DOCS.test(request.url)) reply.header('content-security-policy', DOCS_CSP);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      if (V1.test(request.url) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });
  },
  { name: 'security-headers' },
);
