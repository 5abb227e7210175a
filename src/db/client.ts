import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { LOCK_FILE } from './data-dir-lock.js';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database, DataDirOrigin, Db, ListenHandlers } from './types.js';
import { projectRoot } from '../lib/project-root.js';

// numeric and bigint stay strings (exact money); date stays 'YYYY-MM-DD' text, not a JS Date
// shifted by the process time zone.
const NUMERIC = 1700;
const DATE = 1082;
pg.types.setTypeParser(NUMERIC, (v) => v);
pg.types.setTypeParser(DATE, (v) => v);

export interface PostgresOptions {
  url: string;
  /** A streaming replica for read-only work; it gets its own pool of the same size. */
  readUrl?: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  applicationName?: string;
}

const LISTEN_RETRY_MS = [250, 1000, 5000];

/**
 * LISTEN on a connection of its own (a pooled one would be handed to queries). When it breaks, the
 * handlers hear `state(false)` at once and the connection is made again with a short back-off.
 */
function listenOnPostgres(options: PostgresOptions, channel: string, handlers: ListenHandlers): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | undefined;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  const quoted = `"${channel.replace(/"/g, '""')}"`;

  const retry = () => {
    if (stopped || timer) return;
    const delay = LISTEN_RETRY_MS[Math.min(attempt, LISTEN_RETRY_MS.length - 1)]!;
    attempt += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
  };
  const lost = (broken: pg.Client) => {
    if (client !== broken) return;
    client = undefined;
    handlers.state(false);
    broken.end().catch(() => {});
    retry();
  };
  async function connect() {
    if (stopped) return;
    const next = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
      keepAlive: true,
      application_name: `${options.applicationName ?? 'kpo'}-listen`,
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    next.on('notification', (n) => {
      if (n.channel === channel) handlers.message(n.payload ?? '');
    });
    try {
      client = next;
      await next.connect();
      await next.query(`listen ${quoted}`);
      if (stopped) {
        await next.end();
        return;
      }
      attempt = 0;
      handlers.state(true);
    } catch {
      lost(next);
    }
  }
  void connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const last = client;
    client = undefined;
    await last?.end().catch(() => {});
  };
}

export function createPostgresDatabase(options: PostgresOptions): Database {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    // While PostgreSQL is unreachable a request waits at most this long for a connection, then 503.
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    // The server cancels a statement after statement_timeout; query_timeout is the driver's own
    // limit for a server that stops answering altogether (dead host, half-open TCP).
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 2000,
    // A session left inside a transaction (a stuck caller) gives back its locks.
    idle_in_transaction_session_timeout: statementTimeoutMs,
    keepAlive: true,
    application_name: options.applicationName ?? 'kpo',
    // Timestamps leave the database in UTC whatever the server's default zone.
    options: '-c TimeZone=UTC',
  });
  // A client losing its server (restart, outage) emits 'error'. pg-pool listens only while the
  // client is idle; a checked-out client without a listener would crash the process, so each gets
  // one. The query in progress fails on its own and the pool discards the broken client.
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
  const db = drizzlePg(pool) as unknown as Db;
  // The replica gets a pool of its own with the same settings.
  const { readUrl, ...rest } = options;
  const replica = readUrl ? createPostgresDatabase({ ...rest, url: readUrl }) : undefined;
  return {
    kind: 'postgres',
    db,
    readDb: replica?.db ?? db,
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await Promise.all([pool.end(), replica?.close()]);
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
    async listen(channel, handlers) {
      return listenOnPostgres(options, channel, handlers);
    },
  };
}

/** The initialised empty data directory npm's postinstall made for the installed PGlite (src/cli/pglite-template.mjs). */
export function pgliteTemplatePath(): string | undefined {
  try {
    const root = projectRoot();
    const { version } = JSON.parse(readFileSync(join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
    return join(root, 'node_modules', '.cache', 'kpo', `pglite-${version}.tar.gz`);
  } catch {
    return undefined; // an unusual install layout: no template, initdb runs
  }
}

/**
 * Opens a data directory. An empty one is filled from the postinstall template when there is one
 * (unpacking ≈0.9 s instead of initdb's ≈3 s in WebAssembly); if the template is missing or does not
 * load, the directory is emptied again and initdb runs as before.
 */
async function openPglite(dataDir: string, template: string | undefined): Promise<{ client: PGlite; from: DataDirOrigin }> {
  mkdirSync(dataDir, { recursive: true });
  // The lock file of src/db/data-dir-lock.ts is not the database's: a directory holding only it is empty.
  const entries = () => readdirSync(dataDir).filter((entry) => entry !== LOCK_FILE && entry !== `${LOCK_FILE}.takeover`);
  const empty = entries().length === 0;
  if (empty && template && existsSync(template)) {
    try {
      return { client: await PGlite.create({ dataDir, loadDataDir: new Blob([readFileSync(template)]) }), from: 'template' };
    } catch {
      for (const entry of entries()) rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
  }
  return { client: await PGlite.create({ dataDir }), from: empty ? 'initdb' : 'existing' };
}

/** Embedded PostgreSQL; `dataDir` undefined keeps it in memory (tests). */
export async function createPgliteDatabase(
  options: { dataDir?: string; loadDataDir?: Blob; /** Template for an empty dataDir; default: the postinstall one. */ template?: string | null } = {},
): Promise<Database> {
  const { client, from } =
    options.dataDir && !options.loadDataDir
      ? await openPglite(options.dataDir, options.template === null ? undefined : (options.template ?? pgliteTemplatePath()))
      : {
          client: await PGlite.create({
            ...(options.dataDir ? { dataDir: options.dataDir } : {}),
            ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
          }),
          from: undefined,
        };
  await client.exec("set time zone 'UTC'");
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'pglite',
    ...(from ? { dataDirFrom: from } : {}),
    db,
    readDb: db,
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
    },
    poolStats() {
      return { total: 1, idle: 1, waiting: 0 };
    },
    async listen(channel, handlers) {
      // One in-process connection: a NOTIFY committed on it is delivered to it, nothing can be missed.
      const unsubscribe = await client.listen(channel, (payload) => handlers.message(payload));
      handlers.state(true);
      return async () => {
        await unsubscribe().catch(() => {});
      };
    },
  };
}
