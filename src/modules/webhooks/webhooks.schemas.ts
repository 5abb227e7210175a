import { z } from 'zod';
import { codeEnum, idSchema, timestampSchema } from '../../lib/schemas.js';
import { webhookDeliveryStatus, webhookEventType } from '../../domain/codes.js';
import { pageQueryShape, pageSchema } from '../../lib/pagination.js';

/** An attempt's error is cut to this length by the worker (webhooks.worker.ts). */
export const WEBHOOK_ERROR_MAX = 1000;

export const webhookEventTypeSchema = codeEnum(webhookEventType, 'WebhookEventType', 'Event a subscription receives / 订阅的事件类型');

export const deliveryStatusSchema = codeEnum(webhookDeliveryStatus, 'WebhookDeliveryStatus', 'State of a delivery / 推送状态');

const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('Where events are POSTed; its host must match WEBHOOK_ALLOWED_HOSTS / 接收地址（主机须在白名单内）');
const eventTypes = z
  .array(webhookEventTypeSchema)
  .min(1)
  .max(webhookEventType.values.length)
  .refine((types) => new Set(types).size === types.length, 'each event type once')
  .describe('Events to receive / 订阅的事件');
const description = z.string().trim().max(500).nullable().describe('What the subscription is for / 说明');
const active = z.boolean().describe('Deliveries are made only while active / 启用时才发送');

export const createSubscriptionSchema = z
  .strictObject({ url: webhookUrl, eventTypes, description: description.optional(), active: active.optional() })
  .meta({
    id: 'CreateWebhookSubscription',
    description: 'A new webhook subscription / 新建 Webhook 订阅',
    example: { url: 'https://hooks.zjj.tanzhou.gov.cn/kpo', eventTypes: ['project.status_changed', 'issue.opened'], description: '市重点办项目库同步' },
  });

export const updateSubscriptionSchema = z
  .strictObject({ url: webhookUrl.optional(), eventTypes: eventTypes.optional(), description: description.optional(), active: active.optional() })
  .meta({
    id: 'UpdateWebhookSubscription',
    description: 'Fields to change; the secret never changes / 要修改的字段（密钥不变）',
    example: { active: false },
  });

const subscriptionShape = {
  id: idSchema,
  url: z.string().max(2000).describe('Where events are POSTed / 接收地址'),
  eventTypes: z.array(webhookEventTypeSchema).max(webhookEventType.values.length).describe('Events received / 订阅的事件'),
  description: z.string().max(500).nullable().describe('What the subscription is for / 说明'),
  active: z.boolean().describe('Deliveries are made only while active / 是否启用'),
  version: z.number().int().describe('Version, also the ETag / 版本号'),
  createdAt: timestampSchema.describe('Created / 创建时间'),
  updatedAt: timestampSchema.describe('Last changed / 最后修改时间'),
};

const subscriptionExample = {
  id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
  url: 'https://hooks.zjj.tanzhou.gov.cn/kpo',
  eventTypes: ['project.status_changed', 'issue.opened'],
  description: '市重点办项目库同步',
  active: true,
  version: 1,
  createdAt: '2022-02-16T01:30:00.000Z',
  updatedAt: '2022-02-16T01:30:00.000Z',
};

export const subscriptionSchema = z.object(subscriptionShape).meta({
  id: 'WebhookSubscription',
  description: 'A webhook subscription; its secret is shown only on creation / Webhook 订阅（密钥仅在创建时返回）',
  example: subscriptionExample,
});

export const createdSubscriptionSchema = z
  .object({
    ...subscriptionShape,
    // whsec_ + 43 base64url characters (webhooks.signature.ts): 49.
    secret: z.string().max(64).describe('HMAC-SHA256 key of Kpo-Signature; shown only now, store it / 签名密钥，仅此一次返回，请妥善保存'),
  })
  .meta({
    id: 'CreatedWebhookSubscription',
    description: 'The new subscription with its secret, shown only this once / 新订阅及其密钥（仅此一次）',
    example: { ...subscriptionExample, secret: 'whsec_3q2-7wEXAMPLEonlyEXAMPLEonlyEXAMPLEonly0000' },
  });

export const deliveryAttemptSchema = z
  .object({
    attempt: z.number().int().describe('Attempt number, from 1 / 第几次尝试'),
    startedAt: timestampSchema.describe('Request sent / 发送时间'),
    finishedAt: timestampSchema.describe('Answer or error received / 结束时间'),
    responseCode: z.number().int().nullable().describe('HTTP status answered; null when none came / 响应状态码'),
    error: z.string().max(WEBHOOK_ERROR_MAX).nullable().describe('Why the attempt failed; null on success / 失败原因'),
  })
  .meta({ id: 'WebhookDeliveryAttempt', description: 'One HTTP attempt of a delivery / 一次投递尝试' });

export const deliverySchema = z
  .object({
    id: idSchema,
    subscriptionId: idSchema.describe('Subscription / 订阅'),
    eventId: idSchema.describe('Event, sent as Kpo-Event-Id / 事件编号'),
    eventType: webhookEventTypeSchema,
    status: deliveryStatusSchema,
    attempts: z.number().int().describe('Attempts made so far / 已尝试次数'),
    nextAttemptAt: timestampSchema.nullable().describe('When the next attempt is due; null once finished / 下次尝试时间'),
    lastResponseCode: z.number().int().nullable().describe('HTTP status of the last attempt / 最近一次响应码'),
    lastError: z.string().max(WEBHOOK_ERROR_MAX).nullable().describe('Error of the last attempt / 最近一次错误'),
    deliveredAt: timestampSchema.nullable().describe('When the receiver accepted it / 投递成功时间'),
    redeliveryOf: idSchema.nullable().describe('The delivery this one repeats on request / 所重发的投递'),
    createdAt: timestampSchema.describe('Queued / 入队时间'),
    updatedAt: timestampSchema.describe('Last changed / 最后更新时间'),
    attemptLog: z.array(deliveryAttemptSchema).max(50).describe('Every attempt, oldest first; at most WEBHOOK_MAX_ATTEMPTS (≤50) / 全部尝试记录（最多50次）'),
  })
  .meta({
    id: 'WebhookDelivery',
    description: 'One event sent to one subscription, with its attempts / 一次事件投递及其尝试记录',
    example: {
      id: '01860c6e-7b3c-7d4e-8f90-1a2b3c4d5e6f',
      subscriptionId: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      eventId: '01860c6e-8c4d-7e5f-9a01-2b3c4d5e6f70',
      eventType: 'project.status_changed',
      status: 'succeeded',
      attempts: 2,
      nextAttemptAt: null,
      lastResponseCode: 200,
      lastError: null,
      deliveredAt: '2022-02-16T01:31:02.000Z',
      redeliveryOf: null,
      createdAt: '2022-02-16T01:30:00.000Z',
      updatedAt: '2022-02-16T01:31:02.000Z',
      attemptLog: [
        { attempt: 1, startedAt: '2022-02-16T01:30:01.000Z', finishedAt: '2022-02-16T01:30:01.200Z', responseCode: 500, error: 'HTTP 500' },
        { attempt: 2, startedAt: '2022-02-16T01:31:01.800Z', finishedAt: '2022-02-16T01:31:02.000Z', responseCode: 200, error: null },
      ],
    },
  });

export const listSubscriptionsQuerySchema = z.strictObject({ ...pageQueryShape });
export const listDeliveriesQuerySchema = z.strictObject({
  ...pageQueryShape,
  status: deliveryStatusSchema.optional().describe('Only deliveries in this status / 仅此状态'),
});

export const subscriptionPageSchema = pageSchema(subscriptionSchema, 'WebhookSubscriptionPage');
export const deliveryPageSchema = pageSchema(deliverySchema, 'WebhookDeliveryPage');

export type CreateSubscription = z.infer<typeof createSubscriptionSchema>;
export type UpdateSubscription = z.infer<typeof updateSubscriptionSchema>;
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>;
