import { unprocessable } from '../../lib/errors.js';

export function hostNotAllowed(url: string) {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // the URL itself is shown
  }
  return unprocessable(
    'webhook_host_not_allowed',
    `Deliveries to ${host} are not allowed: the host must match WEBHOOK_ALLOWED_HOSTS`,
    { host },
  );
}
