import { randomFillSync } from 'node:crypto';

/** Random bytes one id takes: bytes 6–15 of the UUID (74 random bits once version and variant are set). */
const RANDOM_BYTES_PER_ID = 10;

/**
 * Entropy drawn 4 KiB at a time (one getrandom system call per ≈400 ids instead of one per id), as
 * Node's own crypto.randomUUID() batches its entropy. Each id takes the next 10 unused bytes; the
 * offset moves past them before they are read, and the pool is refilled whole once fewer than 10
 * are left, so no byte is ever handed out twice. The pool is this process's own (a worker thread or
 * a cluster worker loads the module afresh and fills its own), so two processes never share bytes.
 */
const POOL_SIZE = 16 * 256;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** Where the next id's 10 random bytes start in the pool, refilling it first when it is spent. */
function takeRandom(): number {
  if (poolOffset + RANDOM_BYTES_PER_ID > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += RANDOM_BYTES_PER_ID;
  return start;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** The id being assembled (filled and read synchronously, so one buffer serves every call). */
const bytes = Buffer.alloc(16);

/**
 * UUID version 7 (RFC 9562): time-ordered, so ordering by id is creation order, which gives
 * every list a stable default sort and keeps the primary-key index append-only. The 48-bit
 * millisecond timestamp leads; the 74 bits after version and variant are random, so ids made in the
 * same millisecond have no order among themselves (ids of different milliseconds sort by time).
 */
export function uuidv7(now: number = Date.now()): string {
  bytes.writeUIntBE(now, 0, 6);
  const start = takeRandom();
  pool.copy(bytes, 6, start, start + RANDOM_BYTES_PER_ID);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return (
    HEX[bytes[0]!]! + HEX[bytes[1]!]! + HEX[bytes[2]!]! + HEX[bytes[3]!]! + '-' +
    HEX[bytes[4]!]! + HEX[bytes[5]!]! + '-' +
    HEX[bytes[6]!]! + HEX[bytes[7]!]! + '-' +
    HEX[bytes[8]!]! + HEX[bytes[9]!]! + '-' +
    HEX[bytes[10]!]! + HEX[bytes[11]!]! + HEX[bytes[12]!]! + HEX[bytes[13]!]! + HEX[bytes[14]!]! + HEX[bytes[15]!]!
  );
}
