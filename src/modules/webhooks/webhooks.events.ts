/** The events a subscription can ask for. */
export const webhookEventTypes = [
  'project.status_changed',
  'report.submitted',
  'report.late',
  'issue.opened',
  'issue.resolved',
  'warning.light_changed',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const deliveryStatuses = ['pending', 'sending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
