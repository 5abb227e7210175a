import type { Config } from '../config.js';
import type { Db } from '../db/types.js';

/** What every module's routes plugin is given by the registry (src/modules/registry.ts). */
export interface ModuleOptions {
  db: Db;
  /** Read-only work (lists, metrics, exports); a replica when DATABASE_READ_URL is set, else `db`. */
  readDb: Db;
  config: Config;
}
