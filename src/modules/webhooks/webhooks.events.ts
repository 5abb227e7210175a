import { webhookDeliveryStatus, webhookEventType } from '../../domain/codes.js';

/** The events a subscription can ask for. */
export const webhookEventTypes = webhookEventType.values;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const deliveryStatuses = webhookDeliveryStatus.values;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
