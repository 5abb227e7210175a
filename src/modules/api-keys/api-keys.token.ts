import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { KEY_PREFIX } from '../../lib/credentials.js';

/**
 * API keys look like `kpo_live_` + 30 base62 characters of randomness (178 bits) + a 6-character
 * base62 CRC-32 of the prefix and randomness: the GitHub token scheme. The prefix makes a leaked key
 * recognisable to secret scanners; the checksum rejects a mistyped key without a database lookup.
 * The prefix lives in the foundation (src/lib/credentials.ts): the request log redacts keys by it.
 */
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: number, width: number): string {
  let out = '';
  let n = value;
  for (let i = 0; i < width; i += 1) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  return base62(crc32(body), CHECKSUM_LENGTH);
}

function randomBase62(length: number): string {
  // Rejection sampling keeps every character uniform (248 = 4 × 62).
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function generateKey(): string {
  const body = KEY_PREFIX + randomBase62(RANDOM_LENGTH);
  return body + checksumOf(body);
}

export type KeyShape = 'ok' | 'malformed' | 'bad_checksum';

/** Checks a presented key's shape and checksum, offline. */
export function checkKeyShape(key: string): KeyShape {
  if (!KEY_PATTERN.test(key)) return 'malformed';
  const body = key.slice(0, -CHECKSUM_LENGTH);
  return checksumOf(body) === key.slice(-CHECKSUM_LENGTH) ? 'ok' : 'bad_checksum';
}

/** What the database stores: the SHA-256 of the key, hex. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function lastFourOf(key: string): string {
  return key.slice(-4);
}
