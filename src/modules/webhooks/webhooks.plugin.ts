import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/types.js';
import { evaluateLightChanges } from './webhooks.lights.js';
import { createDeliverySender } from './webhooks.worker.js';

/**
 * Runs the delivery loop and the warning-light evaluation in this process when
 * WEBHOOK_WORKER_ENABLED (off in tests, which drive the sender themselves). Stops on close and
 * waits for the round in flight, so nothing is left leased by a clean shutdown.
 */
const plugin: FastifyPluginAsync<{ db: Db; config: Config }> = async (app, { db, config }) => {
  if (!config.WEBHOOK_WORKER_ENABLED) return;
  const sender = createDeliverySender({ db, config, logger: app.log });
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();

  function loop(name: string, intervalMs: number, round: () => Promise<boolean>) {
    const schedule = (delay: number) => {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        const work = round()
          .catch((error: unknown) => {
            app.log.error({ err: error }, `${name} failed`);
            return false;
          })
          .then((busy) => {
            running.delete(work);
            // A full batch means more is due: go again at once.
            schedule(busy ? 0 : intervalMs);
          });
        running.add(work);
      }, delay);
      timers.add(timer);
    };
    schedule(0);
  }

  app.addHook('onReady', async () => {
    loop('webhook delivery', config.WEBHOOK_POLL_INTERVAL_MS, async () => (await sender.runOnce()) >= config.WEBHOOK_BATCH_SIZE);
    if (config.WEBHOOK_LIGHT_INTERVAL_MS > 0) {
      loop('warning light evaluation', config.WEBHOOK_LIGHT_INTERVAL_MS, async () => {
        await evaluateLightChanges({ db });
        return false;
      });
    }
  });
  app.addHook('onClose', async () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled([...running]);
  });
};

export const webhookWorkerPlugin = fp(plugin, { name: 'kpo-webhook-worker' });
