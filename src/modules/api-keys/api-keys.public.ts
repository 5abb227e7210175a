/**
 * The api-keys module's face: what authentication (src/modules/access/access.plugin.ts) needs to
 * turn a Bearer token into a principal — the key's shape and hash, the store, and the per-instance cache.
 */
export { createApiKeysRepository, LAST_USED_RESOLUTION_MS } from './api-keys.repository.js';
export { ApiKeyCache } from './api-keys.cache.js';
export { checkKeyShape, hashKey } from './api-keys.token.js';
