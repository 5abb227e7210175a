import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../lib/problem.js';
import type { Database } from '../../db/types.js';
import { AppError } from '../../lib/errors.js';
import type { ApiTag } from '../module.js';

/** The probes' tag in the API document (they are mounted at the root, not under /v1). */
export const healthTag: ApiTag = { name: 'health', description: 'Liveness and readiness / 健康检查' };

const healthSchema = z
  .object({ status: z.literal('ok').describe('Always "ok" when the check passes / 检查通过') })
  .meta({ id: 'Health', example: { status: 'ok' } });

// Probes take no parameters; like every /v1 route, an unknown one is a 400 rather than ignored.
const noQuerySchema = z.strictObject({});

export const healthRoutes: FastifyPluginAsyncZod<{ database: Database }> = async (app, { database }) => {
  app.get(
    '/health/live',
    {
      schema: {
        operationId: 'getLiveness',
        tags: [healthTag.name],
        summary: 'Liveness: the process answers / 存活检查',
        querystring: noQuerySchema,
        response: { 200: healthSchema, ...problemResponses(400) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'getReadiness',
        tags: [healthTag.name],
        summary: 'Readiness: the database answers / 就绪检查（数据库可用）',
        querystring: noQuerySchema,
        response: { 200: healthSchema, ...problemResponses(400, 503) },
      },
    },
    async (request) => {
      try {
        await withTimeout(database.ping(), 1500);
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        throw new AppError({
          code: 'database_unavailable',
          status: 503,
          title: 'Service unavailable / 服务不可用',
          detail: 'The database cannot be reached',
        });
      }
      return { status: 'ok' as const };
    },
  );
};

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
