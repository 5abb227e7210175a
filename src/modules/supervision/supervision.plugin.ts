import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/types.js';
import { escalateOverdueOrders } from './supervision.escalation.js';

/**
 * Runs the escalation of overdue supervision orders every SUPERVISION_ESCALATION_INTERVAL_MS in this
 * process when WEBHOOK_WORKER_ENABLED (the switch of the background work; off in tests, which call
 * escalateOverdueOrders with their own clock). Every instance may run it: orders are claimed with
 * SKIP LOCKED. Stops on close and waits for the round in flight.
 */
const plugin: FastifyPluginAsync<{ db: Db; config: Config }> = async (app, { db, config }) => {
  const interval = config.SUPERVISION_ESCALATION_INTERVAL_MS;
  if (!config.WEBHOOK_WORKER_ENABLED || interval === 0) return;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = escalateOverdueOrders({ db })
        .then((n) => {
          if (n > 0) app.log.info({ escalated: n }, 'supervision orders escalated');
        })
        .catch((error: unknown) => app.log.error({ err: error }, 'supervision escalation failed'))
        .finally(() => schedule(interval));
    }, delay);
  }

  app.addHook('onReady', async () => schedule(0));
  app.addHook('onClose', async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  });
};

export const escalationWorkerPlugin = fp(plugin, { name: 'kpo-supervision-escalation' });
