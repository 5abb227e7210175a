import { rowsOf } from '../../db/rows.js';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import { idParamsSchema } from '../../lib/schemas.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { ADMIN } from '../access/access.public.js';
import { createWebhooksRepository } from './webhooks.repository.js';
import {
  createdSubscriptionSchema,
  createSubscriptionSchema,
  deliveryPageSchema,
  deliverySchema,
  listDeliveriesQuerySchema,
  listSubscriptionsQuerySchema,
  subscriptionPageSchema,
  subscriptionSchema,
  updateSubscriptionSchema,
} from './webhooks.schemas.js';

const tags = ['webhooks'];
/** Subscriptions carry target URLs and signing secrets: every route here is admin business. */
const adminOnly = { access: ADMIN };

export const webhooksRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db, config }) => {
  const repository = createWebhooksRepository({ db, config });
  // The outbox at each scrape: deliveries due now (a growing number means the worker falls behind or
  // receivers are down) and those given up on.
  const outbox = async (where: ReturnType<typeof sql>) =>
    Number((await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from webhook_deliveries where ${where}`))[0]?.n ?? 0);
  app.observe({ name: 'kpo_webhook_outbox_due', help: 'Webhook deliveries due for an attempt now', read: () => outbox(sql`status in ('pending', 'sending') and next_attempt_at <= now()`) });
  app.observe({ name: 'kpo_webhook_outbox_failed', help: 'Webhook deliveries given up on (no attempts left)', read: () => outbox(sql`status = 'failed'`) });

  app.post(
    '/webhook-subscriptions',
    {
      config: adminOnly,
      schema: {
        operationId: 'createWebhookSubscription',
        tags,
        summary: 'Subscribe to events (the secret is shown once) / 新建 Webhook 订阅（密钥仅返回一次）',
        description:
          'The URL host must match WEBHOOK_ALLOWED_HOSTS (422 otherwise). Deliveries are signed with the returned secret; see the README section "Change feed and webhooks". / 接收地址主机须在 WEBHOOK_ALLOWED_HOSTS 白名单内，否则 422；投递用返回的密钥签名。',
        body: createSubscriptionSchema,
        response: { 201: createdSubscriptionSchema, ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/webhook-subscriptions/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/webhook-subscriptions',
    {
      config: adminOnly,
      schema: {
        operationId: 'listWebhookSubscriptions',
        tags,
        summary: 'List webhook subscriptions / Webhook 订阅列表',
        querystring: listSubscriptionsQuerySchema,
        response: { 200: subscriptionPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/webhook-subscriptions/:id',
    {
      config: adminOnly,
      schema: {
        operationId: 'getWebhookSubscription',
        tags,
        summary: 'Get a webhook subscription / 查看 Webhook 订阅',
        params: idParamsSchema,
        response: { 200: subscriptionSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/webhook-subscriptions/:id',
    {
      config: adminOnly,
      schema: {
        operationId: 'updateWebhookSubscription',
        tags,
        summary: 'Change a webhook subscription (If-Match required) / 修改 Webhook 订阅（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateSubscriptionSchema,
        response: { 200: subscriptionSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
      },
    },
    async (request, reply) => {
      const row = await repository.update({
        id: request.params.id,
        expectedVersion: expectedVersion(request),
        patch: request.body,
        context: contextOf(request),
      });
      return withEtag(reply, row);
    },
  );

  app.delete(
    '/webhook-subscriptions/:id',
    {
      config: adminOnly,
      schema: {
        operationId: 'deleteWebhookSubscription',
        tags,
        summary: 'Delete a webhook subscription and its delivery log (If-Match required) / 删除 Webhook 订阅及其投递记录（需 If-Match）',
        params: idParamsSchema,
        headers: ifMatchHeaders,
        response: { 204: z.undefined().describe('Deleted / 已删除'), ...problemResponses(400, 404, 412, 428) },
      },
    },
    async (request, reply) => {
      await repository.remove({ id: request.params.id, expectedVersion: expectedVersion(request), context: contextOf(request) });
      return reply.status(204).send();
    },
  );

  app.get(
    '/webhook-subscriptions/:id/deliveries',
    {
      config: adminOnly,
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'Delivery log of a subscription, newest first / 订阅的投递记录（最新在前）',
        params: idParamsSchema,
        querystring: listDeliveriesQuerySchema,
        response: { 200: deliveryPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.listDeliveries({ id: request.params.id, query: request.query }),
  );

  app.post(
    '/webhook-deliveries/:id/redeliver',
    {
      config: adminOnly,
      schema: {
        operationId: 'redeliverWebhook',
        tags,
        summary: 'Send a delivery\'s event again / 重新投递',
        description:
          'Queues a new delivery of the same event (same Kpo-Event-Id) to the same subscription; the original stays in the log. / 以同一事件编号重新排队投递，原记录保留。',
        params: idParamsSchema,
        response: { 202: deliverySchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const delivery = await repository.redeliver({ id: request.params.id });
      return reply.status(202).send(delivery);
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const webhooksModule: ApiModule = {
  routes: webhooksRoutes,
  tag: { name: 'webhooks', description: 'Signed event notifications to other systems / 事件推送（Webhook）' },
};
