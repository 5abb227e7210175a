import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { buildApp } from './app.js';
import { openDatabase } from './db/open.js';
import { bootstrapAdminKey, bootstrapBanner } from './modules/api-keys/api-keys.bootstrap.js';

// The only file that reads the environment and listens.
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  // Asynchronous writes to stdout, gathered: lines wait in memory until 4 KB (about fifteen request
  // lines) have gathered or 200 ms have passed, then go out in one write. One write per line (even
  // asynchronous, each a hand-off to libuv's thread pool and back) cost a seventh of GET by id's
  // throughput here (issue 19). pino flushes what is pending synchronously when the process exits, on
  // an error exit too; only a SIGKILL can lose the last lines (at most 200 ms of them).
  const logger = pino(
    {
      level: config.LOG_LEVEL,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 200 }),
  );
  const started = Date.now();
  const database = await openDatabase(config);
  logger.info(
    {
      database: database.kind,
      ...(database.kind === 'pglite' ? { dataDir: config.DATA_DIR, dataDirFrom: database.dataDirFrom } : {}),
      ms: Date.now() - started,
    },
    'database ready, migrations applied',
  );
  const app = await buildApp({ config, database, logger });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const base = config.PUBLIC_URL ?? address.replace('0.0.0.0', 'localhost');
  logger.info({ docs: `${base}/docs`, openapi: `${base}/openapi.json` }, `API docs at ${base}/docs`);
  // The key goes to the console (stderr, apart from the JSON log on stdout), never through the logger.
  const firstKey = config.BOOTSTRAP_ADMIN_KEY ? await bootstrapAdminKey(database) : null;
  if (firstKey) {
    process.stderr.write(bootstrapBanner(firstKey, `${base}/docs`));
    logger.info({ event: 'bootstrap_key_created' }, 'first start: an admin API key was printed to the console');
  }

  let closing = false;
  async function shutdown(signal: string): Promise<void> {
    if (closing) return;
    closing = true;
    logger.info(
      { signal, graceMs: config.SHUTDOWN_GRACE_MS, drainMs: config.SHUTDOWN_DRAIN_MS },
      'shutting down: finishing in-flight requests, then no new connections',
    );
    const timer = setTimeout(() => {
      logger.error('grace period over with requests still running; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    try {
      // Closing the listener resets connections still in its backlog and Node drops accepted ones
      // whose request it has not read yet: requests sent before the signal would be lost. So the
      // listener stays open a moment first, and everything already on its way is read and answered.
      await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      await app.close();
      await database.close();
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
    logger.info('shut down cleanly');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // A locked data directory is an operator's situation, not a fault: its message names the holder.
  const text = error instanceof Error ? (error.name === 'DataDirLockedError' ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`kpo failed to start: ${text}\n`);
  process.exit(1);
});
