import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf, expectedVersion, ifMatchHeaders, withEtag } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createSpecialBondsRepository } from './special-bonds.repository.js';
import {
  createSpecialBondSchema,
  listSpecialBondsQuerySchema,
  specialBondPageSchema,
  specialBondSchema,
  updateSpecialBondSchema,
} from './special-bonds.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { specialBonds } from './special-bonds.table.js';

const tags = ['special-bonds'];

const outcomeRules =
  'Rules (422 with a stable code): granted needs amountGranted and decidedOn (bond_grant_incomplete); amountGranted may not exceed amountRequested (bond_grant_exceeds_request); only granted carries amountGranted (bond_amount_without_grant); pending has no decidedOn (bond_decided_while_pending); decidedOn not before appliedOn (bond_decided_before_applied). ' +
  '/ 规则（422，稳定错误码）：获批须填获批金额与批复日期；获批金额不超过申报金额；未获批不得有获批金额；审核中不得有批复日期；批复日期不早于申报日期。';

export const specialBondsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createSpecialBondsRepository({ db });

  app.post(
    '/special-bonds',
    {
      schema: {
        operationId: 'createSpecialBond',
        tags,
        summary: 'Record a special-bond application / 登记专项债申报',
        description: `An unknown projectId is a 422 (foreign_key_violation). ${outcomeRules}`,
        body: createSpecialBondSchema,
        response: { 201: specialBondSchema, ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/special-bonds/${row.id}`);
      return withEtag(reply, row);
    },
  );

  app.get(
    '/special-bonds',
    {
      schema: {
        operationId: 'listSpecialBonds',
        tags,
        summary: 'List special-bond applications / 专项债申报列表',
        description:
          'Ordered by appliedOn, then id. The bonds granted in the first quarter of 2022: outcome=granted&decidedFrom=2022-01-01&decidedTo=2022-03-31. / 按申报日期排序。2022年一季度获批：outcome=granted&decidedFrom=2022-01-01&decidedTo=2022-03-31。',
        querystring: listSpecialBondsQuerySchema,
        response: { 200: specialBondPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/special-bonds/:id',
    {
      schema: {
        operationId: 'getSpecialBond',
        tags,
        summary: 'Get a special-bond application / 查看专项债申报',
        params: idParamsSchema,
        response: { 200: specialBondSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => withEtag(reply, await repository.getById({ id: request.params.id })),
  );

  app.patch(
    '/special-bonds/:id',
    {
      schema: {
        operationId: 'updateSpecialBond',
        tags,
        summary: 'Change a special-bond application or record its outcome (If-Match required) / 修改专项债申报或登记结果（需 If-Match）',
        description: outcomeRules,
        params: idParamsSchema,
        headers: ifMatchHeaders,
        body: updateSpecialBondSchema,
        response: { 200: specialBondSchema, ...problemResponses(400, 404, 412, 415, 422, 428) },
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
    '/special-bonds/:id',
    {
      schema: {
        operationId: 'deleteSpecialBond',
        tags,
        summary: 'Delete a special-bond application (If-Match required) / 删除专项债申报（需 If-Match）',
        description: 'The deleted record stays in the audit trail. / 删除的记录保留在审计日志中。',
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
  registerHistoryRoute(app, db, {
    path: '/special-bonds/:id',
    operationId: 'getSpecialBondHistory',
    tags,
    what: 'a special-bond application / 专项债申报',
    table: specialBonds,
    label: 'special_bond',
    record: specialBondSchema,
    schemaId: 'SpecialBond',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const specialBondsModule: ApiModule = {
  routes: specialBondsRoutes,
  tag: { name: 'special-bonds', description: 'Special-bond applications / 专项债申报' },
};
