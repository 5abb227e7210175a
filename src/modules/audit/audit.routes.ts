import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../lib/problem.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createAuditRepository, visibleEvents } from './audit.repository.js';
import { auditEventPageSchema, auditEventParamsSchema, auditEventSchema, listAuditEventsQuerySchema } from './audit.schemas.js';

const tags = ['audit'];

export const auditRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createAuditRepository({ db });

  app.get(
    '/audit-events',
    {
      schema: {
        operationId: 'listAuditEvents',
        tags,
        summary: 'List audit events, newest first / 审计日志（最新在前）',
        description:
          'Every create, change and delete with the record before and after. Filter by record (resourceType + resourceId), actor, action and time window [from, to). A key sees the events of the records it may read: API keys and webhook subscriptions for admin keys only, supervision orders for a department key only those addressed to its department. / 所有新建、修改、删除及变更前后的记录；可按记录、操作人、操作类型和时间段筛选。仅显示本密钥可查看记录的事件：API 密钥与 Webhook 订阅仅管理员可见，责任部门密钥仅可见本部门承办的督办单。',
        querystring: listAuditEventsQuerySchema,
        response: { 200: auditEventPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query, { visible: visibleEvents(request.principal) }),
  );

  app.get(
    '/audit-events/:id',
    {
      schema: {
        operationId: 'getAuditEvent',
        tags,
        summary: 'Get an audit event / 查看审计事件',
        description: 'An event of a record the key may not read (see listAuditEvents) is a 404. / 本密钥不可查看记录的事件返回 404。',
        params: auditEventParamsSchema,
        response: { 200: auditEventSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.getById({ id: request.params.id, visible: visibleEvents(request.principal) }),
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const auditModule: ApiModule = {
  routes: auditRoutes,
  tag: { name: 'audit', description: 'Audit trail (read-only) / 审计日志' },
};
