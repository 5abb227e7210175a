import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../lib/problem.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { visibleEvents } from '../audit/audit.public.js';
import { createChangesRepository } from './changes.repository.js';
import { changePageSchema, listChangesQuerySchema } from './changes.schemas.js';

const tags = ['changes'];

export const changesRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createChangesRepository({ db });

  app.get(
    '/changes',
    {
      schema: {
        operationId: 'listChanges',
        tags,
        summary: 'Read the change feed after a cursor / 按游标读取变更流',
        description:
          'Every committed create, change and delete after the cursor, in the order of their transactions, so another system can sync incrementally and resume from its last cursor without missing or repeating a change. A change appears once every transaction that started before it has ended; a long-running write holds the feed back until it ends. Two changes of the same record from overlapping transactions can, rarely, appear in transaction order rather than commit order: keep the one with the higher `state.version`. A key reads the changes of the records it may read: API keys and webhook subscriptions for admin keys only, supervision orders for a department key only those addressed to its department. / 按事务顺序返回游标之后所有已提交的新建、修改、删除；对方系统可增量同步并从上次游标续传，不丢不重。较早开始的事务结束前，其后的变更不会出现；同一记录来自重叠事务的变更以 state.version 较大者为准。仅返回本密钥可查看记录的变更：API 密钥与 Webhook 订阅仅管理员可见，责任部门密钥仅可见本部门承办的督办单。',
        querystring: listChangesQuerySchema,
        response: { 200: changePageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query, { visible: visibleEvents(request.principal) }),
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const changesModule: ApiModule = {
  routes: changesRoutes,
  tag: { name: 'changes', description: 'Change feed for incremental sync (变更流) / 增量同步变更流' },
};
