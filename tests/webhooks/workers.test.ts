import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { onRealPostgres } from '../support/db.js';
import { createPostgresDatabase } from '../../src/db/client.js';
import { emitWebhookEvent } from '../../src/modules/webhooks/webhooks.outbox.js';
import { allowLocal, senderFor, subscribe } from './helpers.js';
import { startReceiver } from './receiver.js';

const ctx = useTestApp(allowLocal);

describe('several workers', () => {
  it.runIf(onRealPostgres())('share the outbox through SKIP LOCKED and send no delivery twice (PostgreSQL)', async () => {
    const receiver = await startReceiver({ delayMs: 20 });
    const instances = [createPostgresDatabase({ url: ctx.testDb.url!, poolMax: 3 }), createPostgresDatabase({ url: ctx.testDb.url!, poolMax: 3 })];
    try {
      await subscribe(ctx, receiver.url, ['issue.opened']);
      await ctx.testDb.database.db.transaction(async (tx) => {
        for (let i = 0; i < 30; i++) await emitWebhookEvent(tx, 'issue.opened', { issueId: `issue-${i}` });
      });
      const sent = [0, 0];
      await Promise.all(
        instances.map(async (instance, n) => {
          const sender = senderFor(instance.db, { WEBHOOK_BATCH_SIZE: '3' });
          for (let claimed = await sender.runOnce(); claimed > 0; claimed = await sender.runOnce()) sent[n]! += claimed;
        }),
      );
      const eventIds = receiver.received.map((r) => r.headers['kpo-event-id']);
      expect(eventIds).toHaveLength(30);
      expect(new Set(eventIds).size).toBe(30);
      expect(sent[0]! + sent[1]!).toBe(30);
      expect(sent[0]).toBeGreaterThan(0);
      expect(sent[1]).toBeGreaterThan(0);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
      await receiver.close();
    }
  });
});
