/** The webhooks module's face: the outbox an audited change writes its events to, in its own transaction. */
export { emitWebhookEvent, eventsOfChange, subscribersOf, textArray, type Subscriber } from './webhooks.outbox.js';
