import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { BEARER_SCHEME } from '../lib/credentials.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { noneMatchHits } from '../lib/etag.js';
import { keepParameterTexts, tidyOpenapi } from './openapi-tidy.js';

export const apiTags = [
  { name: 'health', description: 'Liveness and readiness / 健康检查' },
  { name: 'departments', description: 'Responsible departments / 责任部门' },
  { name: 'leaders', description: 'Town leaders / 镇领导' },
  { name: 'projects', description: 'Key projects and their status history / 重点项目及状态历史' },
  { name: 'plans', description: 'Annual plans and list membership / 年度计划与名单' },
  { name: 'milestones', description: 'Project node plans (节点计划) and schedule progress (序时进度) / 项目节点计划与序时进度' },
  { name: 'leader-assignments', description: 'Leader assignments (领导挂点制) / 挂点领导' },
  { name: 'progress-reports', description: 'Half-monthly progress reports / 半月进度报送' },
  { name: 'inspections', description: 'Inspections and site visits / 督查与现场检查' },
  { name: 'issues', description: 'Problems raised by projects (问题/堵点难题) / 项目问题' },
  { name: 'comments', description: 'Comments and instructions on projects (领导批示) / 项目批示与意见' },
  { name: 'special-bonds', description: 'Special-bond applications / 专项债申报' },
  { name: 'groundbreaking-batches', description: 'Groundbreaking batches / 集体开工批次' },
  { name: 'imports', description: 'Bulk imports / 批量导入' },
  { name: 'audit', description: 'Audit trail (read-only) / 审计日志' },
  { name: 'metrics', description: 'Figures derived from the records (指标统计) / 指标统计' },
  { name: 'meta', description: 'Code lists and labels / 代码表' },
  { name: 'warnings', description: 'Warning lights (红黄绿灯) and their rules / 红黄绿灯预警' },
  { name: 'exports', description: 'CSV and Excel downloads of figures and project lists / 数据导出（CSV、Excel）' },
  { name: 'publications', description: 'Published figures, frozen with their hash; restatements and briefing documents (Word, PDF, Markdown) / 指标发布（冻结及哈希）、重述与简报文档' },
  { name: 'oc4ids', description: 'Projects in the Open Contracting for Infrastructure Data Standard (OC4IDS 0.9) / OC4IDS 基础设施数据标准导出' },
  { name: 'changes', description: 'Change feed for incremental sync (变更流) / 增量同步变更流' },
  { name: 'webhooks', description: 'Signed event notifications to other systems / 事件推送（Webhook）' },
  { name: 'api-keys', description: 'API keys and their roles (admin only) / 接口密钥与角色（仅管理员）' },
];

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
  async function openapi(app, opts: { publicUrl?: string; persistAuthorization?: boolean }) {
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
        tags: apiTags,
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
