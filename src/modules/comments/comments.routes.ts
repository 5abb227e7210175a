import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { problemResponses } from '../../lib/problem.js';
import { contextOf } from '../../lib/route-helpers.js';
import { COMMENT_WRITE } from '../access/access.public.js';
import type { ApiModule, ModuleOptions } from '../module.js';
import { createCommentsRepository } from './comments.repository.js';
import { commentPageSchema, commentSchema, createCommentSchema, listCommentsQuerySchema } from './comments.schemas.js';
import { registerHistoryRoute } from '../history/history.public.js';
import { projectComments } from './comments.table.js';

const tags = ['comments'];

export const commentsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { db }) => {
  const repository = createCommentsRepository({ db });

  app.post(
    '/projects/:id/comments',
    {
      config: { access: COMMENT_WRITE },
      schema: {
        operationId: 'createProjectComment',
        tags,
        summary: 'Comment on a project (领导批示) / 对项目作出批示或意见',
        description:
          'Comments are append-only: there is no PATCH or DELETE, a correction is a new comment. A leader key may comment only on the projects its leader is assigned to today (403 otherwise), and the comment carries that leaderId. / 批示只增不改不删，更正请另写一条。领导密钥只能对该领导当前挂点的项目批示（否则 403），批示记录该领导编号。',
        params: idParamsSchema,
        body: createCommentSchema,
        response: { 201: commentSchema, ...problemResponses(400, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const row = await repository.create({
        projectId: request.params.id,
        input: request.body,
        principal: request.principal!,
        context: contextOf(request),
      });
      reply.status(201).header('location', `/v1/comments/${row.id}`);
      return row;
    },
  );

  app.get(
    '/projects/:id/comments',
    {
      schema: {
        operationId: 'listProjectComments',
        tags,
        summary: 'Comments on a project, newest first / 项目的批示与意见（最新在前）',
        params: idParamsSchema,
        querystring: listCommentsQuerySchema,
        response: { 200: commentPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.listForProject({ projectId: request.params.id, query: request.query }),
  );

  app.get(
    '/comments/:id',
    {
      schema: {
        operationId: 'getComment',
        tags,
        summary: 'Get a comment / 查看批示',
        params: idParamsSchema,
        response: { 200: commentSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => repository.getById({ id: request.params.id }),
  );
  registerHistoryRoute(app, db, {
    path: '/comments/:id',
    operationId: 'getCommentHistory',
    tags,
    what: 'a comment / 领导批示',
    table: projectComments,
    label: 'project_comment',
    record: commentSchema,
    schemaId: 'Comment',
  });
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const commentsModule: ApiModule = {
  routes: commentsRoutes,
  tag: { name: 'comments', description: 'Comments and instructions on projects (领导批示) / 项目批示与意见' },
};
