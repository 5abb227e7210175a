/**
 * The allow-list of delivery targets (WEBHOOK_ALLOWED_HOSTS): `host`, `host:port`, `*.domain`
 * or `*.domain:port`; without a port any port matches. Only the URL's host name is compared, no
 * DNS lookup is made, so the list names hosts the operator trusts to resolve where they should.
 */
export function isHostAllowed(target: string | URL, patterns: readonly string[]): boolean {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return patterns.some((pattern) => matches(pattern.trim().toLowerCase(), host, port));
}

function matches(pattern: string, host: string, port: string): boolean {
  // An IPv6 pattern is bracketed, like the URL's host: [::1] or [::1]:8080.
  const split = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}|\*))?$/.exec(pattern);
  if (!split) return false;
  const [, patternHost, patternPort] = split;
  if (patternPort && patternPort !== '*' && patternPort !== port) return false;
  if (patternHost!.startsWith('*.')) return host.endsWith(patternHost!.slice(1)) && host.length > patternHost!.length - 1;
  return host === patternHost;
}
