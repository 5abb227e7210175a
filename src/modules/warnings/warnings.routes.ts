import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { ADMIN } from '../access/access.public.js';
import { createWarningsRepository } from './warnings.repository.js';
import { createWarningRulesRepository } from './warnings.rules.repository.js';
import { knownAtReader } from '../../db/history.js';
import { createHistoryRepository, historyDescription, historyQuerySchema, versionsSchemaOf } from '../history/history.public.js';
import { warningRules } from './warnings.table.js';
import {
  listWarningsQuerySchema,
  rollupQuerySchema,
  rollupSchema,
  ruleKeyParamsSchema,
  updateWarningRuleSchema,
  warningPageSchema,
  warningRuleListSchema,
  warningRuleSchema,
} from './warnings.schemas.js';

const tags = ['warnings'];

/** The rule list takes no parameters; unknown ones are refused like everywhere under /v1. */
const noQuerySchema = z.strictObject({});

const lightsDescription =
  'Each project with an annual plan on the list for the year (archived projects left out) gets green, yellow or red as of asOf: every enabled rule (GET /v1/warning-rules) is judged, the worst wins, and each lit rule is listed with the inputs that lit it. Status, start and completed investment follow the metrics summary. / 名单年度项目按统计日逐条判定已启用的规则，取最严重者为灯色，并列出亮灯规则及依据；状态、开工与完成投资口径同指标汇总。';

export const warningsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const rules = createWarningRulesRepository({ db });
  // The lights and the rules they are judged under, read together: as they are, or as both were known then.
  const judge = knownAtReader(db, (d) => ({ rules: createWarningRulesRepository({ db: d }), warnings: createWarningsRepository({ db: d }) }));

  app.get(
    '/warnings',
    {
      schema: {
        operationId: 'listProjectWarnings',
        tags,
        summary: 'Warning lights of projects as of a date / 项目红黄绿灯',
        description: lightsDescription,
        querystring: listWarningsQuerySchema,
        response: { 200: warningPageSchema, ...problemResponses(400, 422) },
      },
    },
    async (request) =>
      judge(request.query.knownAt, async (r) =>
        r.warnings.list({ query: request.query, rules: await r.rules.all({ requestId: request.id, knownAt: request.query.knownAt }) }),
      ),
  );

  app.get(
    '/warnings/rollup',
    {
      schema: {
        operationId: 'getWarningRollup',
        tags,
        summary: 'Green, yellow and red counts by department or leader / 按部门或领导统计红黄绿灯',
        description: lightsDescription,
        querystring: rollupQuerySchema,
        response: { 200: rollupSchema, ...problemResponses(400, 422) },
      },
    },
    async (request) =>
      judge(request.query.knownAt, async (r) =>
        r.warnings.rollup({ query: request.query, rules: await r.rules.all({ requestId: request.id, knownAt: request.query.knownAt }) }),
      ),
  );

  app.get(
    '/warning-rules',
    {
      schema: {
        operationId: 'listWarningRules',
        tags,
        summary: 'Warning rules and their thresholds / 预警规则及阈值',
        description:
          'The defaults are written on first read (audited as actor "system"). / 首次读取时写入默认规则（以 system 记审计）。',
        querystring: noQuerySchema,
        response: { 200: warningRuleListSchema, ...problemResponses(400) },
      },
    },
    async (request) => rules.list({ requestId: request.id }),
  );

  app.get(
    '/warning-rules/:key',
    {
      schema: {
        operationId: 'getWarningRule',
        tags,
        summary: 'Get a warning rule (with its ETag) / 查看预警规则',
        params: ruleKeyParamsSchema,
        response: { 200: warningRuleSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await rules.getByKey({ key: request.params.key, requestId: request.id })),
  );

  const history = createHistoryRepository({ db });
  app.get(
    '/warning-rules/:key/history',
    {
      schema: {
        operationId: 'getWarningRuleHistory',
        tags,
        summary: 'History of a warning rule: its thresholds over time / 预警规则的历史版本',
        description: historyDescription,
        params: ruleKeyParamsSchema,
        querystring: historyQuerySchema,
        response: { 200: versionsSchemaOf({ table: warningRules, record: warningRuleSchema, schemaId: 'WarningRule' }), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const rule = await rules.getByKey({ key: request.params.key, requestId: request.id });
      return history.versionsOf({ table: warningRules, id: rule.id, label: 'warning_rule', query: request.query });
    },
  );

  app.patch(
    '/warning-rules/:key',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'updateWarningRule',
        tags,
        summary: 'Change a warning rule (If-Match required) / 修改预警规则（需 If-Match）',
        description:
          'Thresholds are checked on the merged rule: yellow below red, whole numbers for day and period counts (422 warning_thresholds_invalid). The change is audited. / 合并后校验：黄灯阈值须小于红灯阈值，天数与期数须为整数；修改记审计。',
        params: ruleKeyParamsSchema,
        headers: ifMatchHeaders,
        body: updateWarningRuleSchema,
        response: { 200: warningRuleSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
      },
    },
    async (request, reply) => {
      const row = await rules.update({
        key: request.params.key,
        expectedVersion: expectedVersion(request),
        patch: request.body,
        context: contextOf(request),
      });
      return withEtag(reply, row);
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const warningsModule: ApiModule = {
  routes: warningsRoutes,
  tag: { name: 'warnings', description: 'Warning lights (红黄绿灯) and their rules / 红黄绿灯预警' },
};
