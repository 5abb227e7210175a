import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../../../lib/problem.js';
import { sendSerialized } from '../../../lib/route-helpers.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleOptions } from '../../module.js';
import { createFiguresCache } from './figures.cache.js';
import { breakdownRouteQuerySchema, breakdownSchema, summaryRouteQuerySchema, summarySchema } from './figures.schemas.js';
import { createFiguresUsecases, type FiguresAnswer } from './figures.usecases.js';

const tags = ['metrics'];

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
/** Below this the app's compression (src/app.ts) is cheap enough per request. */
const PRECOMPRESS_FROM = 8 * 1024;

/**
 * The encoding to send an answer in: br or gzip when Accept-Encoding takes it (q > 0; br first,
 * as the app's compression prefers it), else none. `*` takes both.
 */
export function acceptedEncoding(header: string | string[] | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Map<string, number>();
  for (const part of [header ?? ''].flat().join(',').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const takes = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return takes('br') ? 'br' : takes('gzip') ? 'gzip' : undefined;
}

/**
 * A large answer's JSON compressed once and kept with it (CachedAnswer.compressed), off the event
 * loop (zlib's thread pool): compressed per request by the app's hook, a province's breakdown
 * (≈650 KB) cost each reader several milliseconds of the event loop, every other request waiting.
 */
function compressedOf(answer: FiguresAnswer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  const kept = (answer.compressed ??= {});
  return (kept[encoding] ??=
    encoding === 'br' ? brotli(answer.json, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }) : gzipped(answer.json));
}

export const figuresRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, { readDb }) => {
  // Answers reused while nothing they read has changed (figures.cache.ts); per instance, exact on any number of them.
  const cache = createFiguresCache();
  const figures = createFiguresUsecases({
    db: readDb,
    cache,
    onRefreshError: (error) => app.log.warn({ err: error }, 'figures: a background refresh failed; the answer kept stays until the next one'),
  });
  app.observe({ name: 'kpo_figures_cache_hits_total', help: 'Summary and breakdown answers served from the figures cache', type: 'counter', read: () => cache.stats().hits });
  app.observe({ name: 'kpo_figures_cache_misses_total', help: 'Summary and breakdown questions the figures cache could not answer', type: 'counter', read: () => cache.stats().misses });
  app.observe({ name: 'kpo_figures_cache_stale_hits_total', help: 'Answers served under maxAge from an earlier computation', type: 'counter', read: () => cache.stats().staleHits });
  app.observe({ name: 'kpo_figures_computations_total', help: 'Figure answers computed from the records (concurrent misses of one question share one)', type: 'counter', read: () => cache.stats().computations });
  app.observe({ name: 'kpo_figures_cache_entries', help: 'Answers kept in the figures cache', read: () => cache.stats().entries });
  app.observe({ name: 'kpo_figures_cache_chars', help: 'UTF-16 code units of the answers kept in the figures cache (bounded in total)', read: () => cache.size() });

  /**
   * The answer, and what it was computed for: its snapshot (Kpo-Known-At), the figures' version, and
   * its age (seconds since it was computed). A large one goes out compressed from its kept bytes when
   * the client takes br or gzip (the app's compression then leaves it as it is).
   */
  const send = async (request: FastifyRequest, reply: FastifyReply, answer: FiguresAnswer) => {
    reply
      .header('kpo-known-at', answer.knownAt)
      .header('kpo-figures-version', answer.version)
      .header('age', String(Math.max(0, Math.floor((Date.now() - answer.computedAt) / 1000))));
    const encoding = answer.json.length >= PRECOMPRESS_FROM ? acceptedEncoding(request.headers['accept-encoding']) : undefined;
    if (encoding === undefined) return sendSerialized(reply, answer.json);
    const body = await compressedOf(answer, encoding);
    const vary = reply.getHeader('vary');
    return reply
      .type('application/json; charset=utf-8')
      .header('content-encoding', encoding)
      .header('vary', vary === undefined ? 'Accept-Encoding' : `${String(vary)}, Accept-Encoding`)
      .send(body);
  };

  // Both routes send the JSON the use case made with their response schema (responseJson in
  // figures.usecases.ts) instead of passing an object to the route's serializer: the cache keeps
  // answers as that text, so that a hit is sent without being encoded again.
  app.get(
    '/metrics/summary',
    {
      schema: {
        operationId: 'getMetricsSummary',
        tags,
        summary: 'Figures of a list for a year, as of a date / 名单年度指标汇总',
        description:
          'Every figure carries its formula, exact numerator and denominator and the projects behind it (listed when the list has at most 100 projects for the year, or with include=projectIds); declared figures are shown beside the derived ones. / 每个指标给出口径、分子分母与项目清单（名单项目不超过100个或 include=projectIds 时列出），并与公布数对照。',
        querystring: summaryRouteQuerySchema,
        response: { 200: summarySchema, ...problemResponses(400) },
      },
    },
    async (request, reply) => send(request, reply, await figures.summaryJson(request.query)),
  );

  app.get(
    '/metrics/breakdown',
    {
      schema: {
        operationId: 'getMetricsBreakdown',
        tags,
        summary: 'The summary figures by category, department, leader or stage / 指标分组统计',
        querystring: breakdownRouteQuerySchema,
        response: { 200: breakdownSchema, ...problemResponses(400) },
      },
    },
    async (request, reply) => send(request, reply, await figures.breakdownJson(request.query)),
  );
};
