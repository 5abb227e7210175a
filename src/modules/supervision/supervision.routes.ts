import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageQueryShape } from '../../lib/pagination.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { ADMIN, INSPECTION_WRITE } from '../access/access.public.js';
import { createHistoryRepository, historyDescription, historyQuerySchema, versionsSchemaOf } from '../history/history.public.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createSupervisionRepository } from './supervision.repository.js';
import { createEscalationRulesRepository } from './supervision.rules.repository.js';
import {
  createSupervisionOrderSchema,
  escalationRuleListSchema,
  escalationRuleParamsSchema,
  escalationRuleSchema,
  listSupervisionOrdersQuerySchema,
  supervisionOrderPageSchema,
  supervisionOrderSchema,
  supervisionStepInputSchema,
  supervisionStepPageSchema,
  updateEscalationRuleSchema,
} from './supervision.schemas.js';
import { supervisionEscalationRules, supervisionOrders } from './supervision.table.js';
import type { Actor } from './supervision.workflow.js';

const tags = ['supervision'];
/** Orders are issued by the office and by leaders (on the projects they watch). */
const ISSUE: readonly ('admin' | 'office' | 'leader')[] = ['admin', 'office', 'leader'];

function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  return { role: p?.role ?? null, departmentId: p?.departmentId ?? null, leaderId: p?.leaderId ?? null };
}

const workflow =
  'issued / returned —reply_plan→ planned —report_progress→ in_progress (again as often as needed); planned / in_progress —accept→ closed (销号) or —send_back→ returned (with a new replyDueDate); withdraw from any open status. The department the order is addressed to replies (department keys for their own orders); its issuer decides (the office, or the leader key that issued it): the wrong side is a 403 forbidden_scope, an illegal step a 409 listing the allowed ones. Every step is dated (never in the future, never before the last step) and audited. / ' +
  '待答复、退回重办 —答复整改方案→ 已报整改方案 —报告进展→ 整改中（可多次）；已报方案或整改中 —验收→ 已销号，或 —退回→ 退回重办（须给新答复期限）；未办结时可撤销。承办部门答复，督办发起方验收、退回、撤销；越权 403，非法环节 409。每一环节均有日期（不得晚于今天、不得早于上一环节）并记审计。';

const escalation =
  'An order waiting for its fix plan (issued or returned) escalates one level when it is overdueDays past its replyDueDate — or past its last escalation, when later — under the rule of its level (GET /v1/supervision-escalation-rules): 1 → 2 → 3, one level per run of the escalation worker, which every instance runs and which claims orders with FOR UPDATE SKIP LOCKED, so no order is escalated twice. Each escalation is a step (kind escalate, actor system) with its reason, an audit event (and so a change-feed entry) and a supervision.escalated webhook event. / ' +
  '待答复或退回重办的督办单，答复逾期（自答复期限或上次升级起）达到本级规则天数后自动升一级：1→2→3，每次运行升一级；各实例共同运行，以 FOR UPDATE SKIP LOCKED 认领，不会重复升级。每次升级记办理环节（含理由）、审计（变更流可见）并推送 supervision.escalated 事件。';

export const supervisionRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createSupervisionRepository({ db });
  const rules = createEscalationRulesRepository({ db });
  const history = createHistoryRepository({ db });

  app.post(
    '/supervision-orders',
    {
      config: { access: ISSUE },
      schema: {
        operationId: 'createSupervisionOrder',
        tags,
        summary: 'Issue a supervision order (督办单) to a department / 下达督办单',
        description:
          "About a project, an issue or a milestone (exactly one). Addressed by default to the issue's assigned department or the project's department. A leader key issues its own orders (level 2 or 3) on the projects it watched on issuedOn. / 督办对象为项目、问题或节点之一；默认承办部门为问题承办部门或项目责任部门。领导密钥以本人名义督办（级别不低于2），仅限下达日所挂点项目。",
        body: createSupervisionOrderSchema,
        response: { 201: supervisionOrderSchema, ...problemResponses(400, 404, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request), actor: actorOf(request) });
      reply.status(201).header('location', `/v1/supervision-orders/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/supervision-orders',
    {
      schema: {
        operationId: 'listSupervisionOrders',
        tags,
        summary: 'List supervision orders, latest issued first / 督办单列表（按下达日期倒序）',
        description: 'A department key sees the orders addressed to its department only. / 责任部门密钥仅可见本部门承办的督办单。',
        querystring: listSupervisionOrdersQuerySchema,
        response: { 200: supervisionOrderPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list({ query: request.query, viewer: actorOf(request) }),
  );

  app.get(
    '/supervision-orders/:id',
    {
      schema: {
        operationId: 'getSupervisionOrder',
        tags,
        summary: 'Get a supervision order / 查看督办单',
        description: 'Another department’s order is a 404 to a department key. / 其他部门的督办单对责任部门密钥不可见（404）。',
        params: idParamsSchema,
        response: { 200: supervisionOrderSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id, viewer: actorOf(request) })),
  );

  app.post(
    '/supervision-orders/:id/transitions',
    {
      config: { access: INSPECTION_WRITE },
      schema: {
        operationId: 'transitionSupervisionOrder',
        tags,
        summary: 'Take a step of a supervision order (If-Match required) / 督办单办理（需 If-Match）',
        description: workflow,
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: supervisionStepInputSchema,
        response: { 200: supervisionOrderSchema, ...problemResponses(400, 404, 409, 412, 415, 422, 428) },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await repository.step({ id: request.params.id, expectedVersion: expectedVersion(request), input: request.body, context: contextOf(request), actor: actorOf(request) }),
      ),
  );

  app.get(
    '/supervision-orders/:id/steps',
    {
      schema: {
        operationId: 'listSupervisionOrderSteps',
        tags,
        summary: 'The dated steps of a supervision order, oldest first / 督办单办理环节（按时间顺序）',
        description: `${workflow}\n\n${escalation}`,
        params: idParamsSchema,
        querystring: z.strictObject(pageQueryShape),
        response: { 200: supervisionStepPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.listSteps({ id: request.params.id, query: request.query, viewer: actorOf(request) }),
  );

  app.get(
    '/supervision-orders/:id/history',
    {
      schema: {
        operationId: 'getSupervisionOrderHistory',
        tags,
        summary: 'History of a supervision order / 督办单的历史版本',
        description: historyDescription,
        params: idParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: versionsSchemaOf({ table: supervisionOrders, record: supervisionOrderSchema, schemaId: 'SupervisionOrder' }), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      await repository.getById({ id: request.params.id, viewer: actorOf(request) });
      return history.versionsOf({ table: supervisionOrders, id: request.params.id, label: 'supervision_order', query: request.query });
    },
  );

  app.get(
    '/supervision-escalation-rules',
    {
      schema: {
        operationId: 'listSupervisionEscalationRules',
        tags,
        summary: 'The escalation rules of supervision orders / 督办逾期升级规则',
        description: escalation,
        response: { 200: escalationRuleListSchema, ...problemResponses(400) },
      },
    },
    async (request) => rules.list({ requestId: request.id }),
  );

  app.get(
    '/supervision-escalation-rules/:fromLevel',
    {
      schema: {
        operationId: 'getSupervisionEscalationRule',
        tags,
        summary: 'One escalation rule / 查看督办升级规则',
        params: escalationRuleParamsSchema,
        response: { 200: escalationRuleSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await rules.get({ fromLevel: request.params.fromLevel, requestId: request.id })),
  );

  app.patch(
    '/supervision-escalation-rules/:fromLevel',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'updateSupervisionEscalationRule',
        tags,
        summary: 'Change an escalation rule (If-Match required) / 修改督办升级规则（需 If-Match）',
        description: 'Audited and versioned; the next run of the worker applies it. / 修改记审计并保留历史，下一次升级检查起生效。',
        params: escalationRuleParamsSchema,
        headers: ifMatchHeaders,
        body: updateEscalationRuleSchema,
        response: { 200: escalationRuleSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
      },
    },
    async (request, reply) =>
      withEtag(reply, await rules.update({ fromLevel: request.params.fromLevel, expectedVersion: expectedVersion(request), patch: request.body, context: contextOf(request) })),
  );

  app.get(
    '/supervision-escalation-rules/:fromLevel/history',
    {
      schema: {
        operationId: 'getSupervisionEscalationRuleHistory',
        tags,
        summary: 'History of an escalation rule / 督办升级规则的历史版本',
        description: historyDescription,
        params: escalationRuleParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: versionsSchemaOf({ table: supervisionEscalationRules, record: escalationRuleSchema, schemaId: 'SupervisionEscalationRule' }), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const rule = await rules.get({ fromLevel: request.params.fromLevel, requestId: request.id });
      return history.versionsOf({ table: supervisionEscalationRules, id: rule.id, label: 'supervision_escalation_rule', query: request.query });
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const supervisionModule: ApiModule = {
  routes: supervisionRoutes,
  tag: { name: 'supervision', description: 'Supervision orders (督办单) to departments, their steps and escalation by overdue reply / 督办单、办理环节与逾期升级' },
};
