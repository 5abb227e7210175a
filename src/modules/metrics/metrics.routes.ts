import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ModuleOptions } from '../module.js';
import { declaredRoutes } from './declared/declared.routes.js';
import { figuresRoutes } from './figures/figures.routes.js';
import { operationsRoutes } from './operations/operations.routes.js';

/** The module's routes, one plugin per sub-domain (README.md), in the order the API document lists them. */
export const metricsRoutes: FastifyPluginAsyncZod<ModuleOptions> = async (app, options) => {
  await app.register(figuresRoutes, options);
  await app.register(operationsRoutes, options);
  await app.register(declaredRoutes, options);
};
