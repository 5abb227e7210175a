import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { BEARER_SCHEME } from '../lib/credentials.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { noneMatchHits } from '../lib/etag.js';
import { keepParameterTexts, tidyOpenapi } from './openapi-tidy.js';

/** A group of operations in the document; the app passes one per module (src/modules/registry.ts). */
export interface OpenapiTag {
  name: string;
  description: string;
}

/**
 * x-internal: the callers are the office's and the departments' own systems, each with an API key, not
 * the public. The document describes the server that serves it, whichever environment that is.
 */
function serverOf(publicUrl: string | undefined) {
  return {
    url: publicUrl ?? '/',
    description: 'The server answering this document: production at the office, local or test on a developer\'s machine / 提供本文档的服务器（生产、本地或测试环境）',
    'x-internal': true,
  };
}

/** The OpenAPI 3.1 document is generated from the zod schemas of the routes; served with Swagger UI. */
export const openapiPlugin = fp(
  async function openapi(app, opts: { publicUrl?: string; persistAuthorization?: boolean; tags: readonly OpenapiTag[] }) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'kpo — key-project office API / 重点项目管理服务',
          version: '1.0.0',
          description:
            'System of record for a local government\'s key construction projects (重点项目): projects, responsible departments, leaders, annual plans, half-monthly progress reports, inspections, issues, special bonds and groundbreaking batches. Money is a decimal string in 万元 (ten thousand yuan), exact to the yuan.\n\n' +
            '地方政府重点建设项目的数据系统：项目、责任部门、挂点领导、年度计划、半月进度报送、督查检查、问题办理、专项债与集体开工。金额以“万元”为单位的十进制字符串表示，精确到元。',
          license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
          contact: { name: 'Key-project office / 重点项目办公室' },
        },
        servers: [serverOf(opts.publicUrl)],
        // Every operation needs a key unless it says `security: []` (health, the document, the docs);
        // each secured operation lists its roles in x-required-roles (src/modules/access/access.plugin.ts).
        security: [{ [BEARER_SCHEME]: [] }],
        components: {
          securitySchemes: {
            [BEARER_SCHEME]: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'kpo_live_…',
              description:
                'An API key in the Authorization header: `Authorization: Bearer kpo_live_…`. Keys are made by an admin (POST /v1/api-keys, or `npm run keys -- create` on the server); a key in the URL is refused. Roles: admin, office, department, leader, viewer; see each operation\'s x-required-roles. / 在 Authorization 请求头中携带接口密钥：`Authorization: Bearer kpo_live_…`。密钥由管理员创建（POST /v1/api-keys 或在服务器上运行 `npm run keys -- create`）；URL 中的密钥会被拒绝。',
            },
          },
        },
        tags: [...opts.tags],
      },
      transform: keepParameterTexts(jsonSchemaTransform),
      transformObject: (document) => tidyOpenapi(jsonSchemaTransformObject(document) as Record<string, unknown>) as ReturnType<typeof jsonSchemaTransformObject>,
    });
    // Tags collapsed (21 of them) with a filter box; the key pasted into Authorize stays in the tab
    // unless the operator opts in (DOCS_PERSIST_AUTHORIZATION), so an admin key is not left in the
    // browser's storage on a shared machine.
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { docExpansion: 'none', filter: true, deepLinking: true, persistAuthorization: opts.persistAuthorization ?? false },
    });
    // The document is the same for the life of the process: serialised once, with a strong ETag, so a
    // browser revalidates it (304, no body) instead of loading it again; compressed by the compress plugin.
    let served: { body: string; etag: string } | undefined;
    app.get('/openapi.json', { schema: { hide: true } }, async (request, reply) => {
      served ??= (() => {
        const body = JSON.stringify(app.swagger());
        return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      })();
      reply.header('etag', served.etag).header('cache-control', 'no-cache');
      if (noneMatchHits(request.headers['if-none-match'], served.etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(served.body);
    });
  },
  { name: 'openapi' },
);
