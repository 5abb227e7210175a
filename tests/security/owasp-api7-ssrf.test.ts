import { describe, expect, it } from 'vitest';
import { json, useTestApp } from '../support/app.js';
import { created, expectProblem, read } from './owasp-fixtures.js';

/**
 * API7:2023 Server Side Request Forgery. The one place the service makes requests to a URL a caller
 * chose is webhook delivery; targets must match the operator's allow-list WEBHOOK_ALLOWED_HOSTS
 * (src/modules/webhooks/webhooks.hosts.ts), checked on create and update (and again by the worker).
 * Only the host name is compared, so the usual disguises of internal addresses must all fail.
 */
const ALLOWED = 'hooks.tanzhou.gov.cn';
const ctx = useTestApp({ WEBHOOK_ALLOWED_HOSTS: `${ALLOWED},*.zs.gov.cn:8443` });

const subscribe = (url: string) => ctx.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', payload: { url, eventTypes: ['issue.opened'] } });

const refusedTargets = [
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/', // cloud metadata
  'http://127.0.0.1:5432/',
  'http://localhost:3000/v1/api-keys',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://10.0.0.1/',
  'http://192.168.1.1/',
  'http://2130706433/', // 127.0.0.1 as one number
  'http://0x7f.0.0.1/',
  'http://0/',
  `https://${ALLOWED}@evil.example/`, // user-info trick: the host is evil.example
  `https://${ALLOWED}.evil.example/`, // suffix trick
  `https://evil.example/${ALLOWED}`,
  `https://evil.example/?next=https://${ALLOWED}/`,
  `https://${ALLOWED.replace('hooks', 'hooks2')}/`,
  'https://zs.gov.cn:8443/', // the wildcard needs a subdomain
  'https://evilzs.gov.cn:8443/',
  'https://a.zs.gov.cn/', // wildcard pinned to port 8443
];

describe('API7:2023 Server Side Request Forgery', () => {
  it('accepts a webhook target on an allowed host (exact, and wildcard subdomain on its port)', async () => {
    for (const url of [`https://${ALLOWED}/kpo`, `http://${ALLOWED}:80/kpo`, 'https://a.zs.gov.cn:8443/hook', 'https://HOOKS.TANZHOU.GOV.CN/kpo']) {
      const response = await subscribe(url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
    }
  });

  it.each(refusedTargets)('refuses a subscription to %s with 422 webhook_host_not_allowed and stores nothing', async (url) => {
    const response = await subscribe(url);
    expectProblem(response, 422, 'webhook_host_not_allowed');
    expect(json(await ctx.app.inject({ method: 'GET', url: '/v1/webhook-subscriptions' })).items).toEqual([]);
  });

  it('refuses schemes other than http and https with 400 (file:, gopher:, ftp:, data:, javascript:)', async () => {
    for (const url of ['file:///etc/passwd', `gopher://${ALLOWED}:70/`, `ftp://${ALLOWED}/`, 'data:text/plain,hi', 'javascript:alert(1)', `ws://${ALLOWED}/`]) {
      const response = await subscribe(url);
      expect([400, 422], `${url}: ${response.body}`).toContain(response.statusCode);
    }
  });

  it('refuses moving an existing subscription to a disallowed target (PATCH url) and keeps it as it was', async () => {
    const subscription = await created(ctx, '/v1/webhook-subscriptions', { url: `https://${ALLOWED}/kpo`, eventTypes: ['issue.opened'] });
    const url = `/v1/webhook-subscriptions/${String(subscription.id)}`;
    const before = await read(ctx, url);
    for (const target of ['http://169.254.169.254/', 'http://127.0.0.1:6379/', `https://${ALLOWED}@10.0.0.1/`]) {
      const response = await ctx.app.inject({ method: 'PATCH', url, headers: { 'if-match': before.etag! }, payload: { url: target } });
      expectProblem(response, 422, 'webhook_host_not_allowed');
    }
    expect(await read(ctx, url)).toEqual(before);
  });

  describe('with no allow-list configured', () => {
    const closed = useTestApp();

    it('refuses every webhook target (the default allow-list is empty)', async () => {
      for (const url of [`https://${ALLOWED}/kpo`, 'https://example.com/']) {
        const response = await closed.app.inject({ method: 'POST', url: '/v1/webhook-subscriptions', payload: { url, eventTypes: ['issue.opened'] } });
        expectProblem(response, 422, 'webhook_host_not_allowed');
      }
    });
  });
});
