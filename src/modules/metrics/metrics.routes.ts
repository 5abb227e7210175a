import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiModule, ModuleOptions } from '../module.js';
import { declaredRoutes } from './declared/declared.routes.js';
import { figuresRoutes } from './figures/figures.routes.js';
import { operationsRoutes } from './operations/operations.routes.js';

/** The module's routes, one plugin per sub-domain (README.md), in the order the API document lists them. */
export const metricsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, options) => {
  await app.register(figuresRoutes, options);
  await app.register(operationsRoutes, options);
  await app.register(declaredRoutes, options);
};

/** This module as the registry registers it: its routes and its tag in the API document. */
export const metricsModule: ApiModule = {
  routes: metricsRoutes,
  tag: { name: 'metrics', description: 'Figures derived from the records (指标统计) / 指标统计' },
};
