import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { ADMIN } from '../access/access.public.js';
import { contextOf } from '../../lib/route-helpers.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createApiKeysRepository } from './api-keys.repository.js';
import { apiKeyPageSchema, apiKeySchema, createApiKeySchema, createdApiKeySchema, listApiKeysQuerySchema } from './api-keys.schemas.js';

const tags = ['api-keys'];
const adminOnly = { access: ADMIN };

export const apiKeysRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createApiKeysRepository({ db });

  app.post(
    '/api-keys',
    {
      config: adminOnly,
      schema: {
        operationId: 'createApiKey',
        tags,
        summary: 'Create an API key; the key is in this response only / 新建接口密钥（密钥仅在此响应中出现）',
        description:
          'A department key needs departmentId, a leader key leaderId; expiry is at most 365 days. Store `key` at once: only its hash is kept. / 部门密钥须给出 departmentId，领导密钥须给出 leaderId；有效期最长365天。请立即保存 `key`：服务只保存其哈希。',
        body: createApiKeySchema,
        response: { 201: createdApiKeySchema, ...problemResponses(400, 415, 422) },
      },
    },
    async (request, reply) => {
      const created = await repository.create({ input: request.body, context: contextOf(request) });
      reply.status(201).header('location', `/v1/api-keys/${created.id}`).header('cache-control', 'no-store');
      return created;
    },
  );

  app.get(
    '/api-keys',
    {
      config: adminOnly,
      schema: {
        operationId: 'listApiKeys',
        tags,
        summary: 'List API keys (never their secrets) / 接口密钥列表（不含密钥）',
        querystring: listApiKeysQuerySchema,
        response: { 200: apiKeyPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => repository.list(request.query),
  );

  app.get(
    '/api-keys/:id',
    {
      config: adminOnly,
      schema: {
        operationId: 'getApiKey',
        tags,
        summary: 'Get an API key (never its secret) / 查看接口密钥（不含密钥）',
        params: idParamsSchema,
        response: { 200: apiKeySchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.getById({ id: request.params.id }),
  );

  app.delete(
    '/api-keys/:id',
    {
      config: adminOnly,
      schema: {
        operationId: 'revokeApiKey',
        tags,
        summary: 'Revoke an API key, effective on its next request / 吊销接口密钥（下一次请求即生效）',
        description:
          'The key stays listed (with revokedAt) for the audit trail; revoking it again changes nothing. / 吊销后仍保留记录（含吊销时间）以备审计；重复吊销无影响。',
        params: idParamsSchema,
        response: { 200: apiKeySchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const revoked = await repository.revoke({ id: request.params.id, context: contextOf(request) });
      // This instance forgets the key before answering; the others hear of it from PostgreSQL.
      app.apiKeyCache.evict(revoked.id);
      return revoked;
    },
  );
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const apiKeysModule: ApiModule = {
  routes: apiKeysRoutes,
  tag: { name: 'api-keys', description: 'API keys and their roles (admin only) / 接口密钥与角色（仅管理员）' },
};
