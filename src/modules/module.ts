import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Db } from '../db/types.js';

/** What every module's routes plugin is given by the registry (src/modules/registry.ts). */
export interface ModuleOptions {
  db: Db;
  /** Read-only work (lists, metrics, exports); a replica when DATABASE_READ_URL is set, else `db`. */
  readDb: Db;
  config: Config;
}

/** A group of operations in the API document (and in Swagger UI), described in English and Chinese. */
export interface ApiTag {
  name: string;
  description: string;
}

/**
 * A domain as the registry (src/modules/registry.ts) lists it: its routes plugin, mounted under /v1,
 * and the tag its operations carry, whose description the API document shows. The document's tags
 * are these, in the registry's order: a new module is one line there and nothing in src/plugins.
 */
export interface ApiModule {
  routes: FastifyPluginAsyncZod<ModuleOptions>;
  tag: ApiTag;
}
