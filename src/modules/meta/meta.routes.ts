import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../lib/problem.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { enums, enumsSchema } from './meta.schemas.js';

export const metaRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app) => {
  app.get(
    '/enums',
    {
      schema: {
        operationId: 'listEnums',
        tags: ['meta'],
        summary: 'Every code list with Chinese and English labels / 全部代码表及中英文名称',
        description:
          'For labelling codes in screens and reports; the lists change only with a new release. / 供前端显示代码名称；代码表只随版本发布变化。',
        querystring: z.strictObject({}),
        response: { 200: enumsSchema, ...problemResponses(400) },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return enums;
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const metaModule: ApiModule = {
  routes: metaRoutes,
  tag: { name: 'meta', description: 'Code lists and labels / 代码表' },
};
