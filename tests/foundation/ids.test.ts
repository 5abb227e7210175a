import { describe, expect, it, vi } from 'vitest';

// The real randomFillSync, watched: the tests count how often the id pool draws entropy.
const fills = vi.hoisted(() => ({ calls: 0, sizes: [] as number[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return {
    ...crypto,
    randomFillSync: ((buffer: NodeJS.ArrayBufferView, ...rest: []) => {
      fills.calls += 1;
      fills.sizes.push(buffer.byteLength);
      return crypto.randomFillSync(buffer, ...rest);
    }) as typeof crypto.randomFillSync,
  };
});

const { uuidv7 } = await import('../../src/lib/ids.js');

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function timestampOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

/** The 74 random bits: everything after the timestamp but the version nibble and variant bits. */
function randomPartOf(id: string): string {
  const hex = id.replace(/-/g, '');
  return hex.slice(13, 16) + (parseInt(hex[16]!, 16) & 0x3).toString(16) + hex.slice(17);
}

describe('uuidv7', () => {
  it('has the RFC 9562 layout: lowercase 8-4-4-4-12 hex, version 7, variant 10', () => {
    for (let i = 0; i < 2000; i += 1) {
      const id = uuidv7();
      expect(id).toMatch(FORMAT);
      const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
      expect(bytes).toHaveLength(16);
      expect(bytes[6]! >> 4).toBe(7);
      expect(bytes[8]! >> 6).toBe(0b10);
    }
  });

  it('leads with the 48-bit millisecond timestamp it was made at', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    expect(timestampOf(id)).toBeGreaterThanOrEqual(before);
    expect(timestampOf(id)).toBeLessThanOrEqual(after);
    expect(timestampOf(uuidv7(0))).toBe(0);
    expect(timestampOf(uuidv7(2 ** 48 - 1))).toBe(2 ** 48 - 1);
    expect(uuidv7(1_700_000_000_123).startsWith('018bcfe5-687b-7')).toBe(true);
    expect(() => uuidv7(2 ** 48)).toThrow(RangeError);
    expect(() => uuidv7(-1)).toThrow(RangeError);
  });

  it('never repeats: 100,000 ids of one millisecond differ in their random bits alone', () => {
    // One timestamp for all, so only the random bytes can tell them apart: a reused stretch of the
    // pool (a refill missed, an offset not advanced) would show as duplicates.
    const now = Date.now();
    const random = new Set<string>();
    for (let i = 0; i < 100_000; i += 1) random.add(randomPartOf(uuidv7(now)));
    expect(random.size).toBe(100_000);
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i += 1) ids.add(uuidv7());
    expect(ids.size).toBe(100_000);
  });

  it('draws its entropy 4 KiB at a time, not once per id', () => {
    const callsBefore = fills.calls;
    for (let i = 0; i < 10_000; i += 1) uuidv7();
    const calls = fills.calls - callsBefore;
    // 10 bytes an id, 409 ids a fill: 10,000 ids take 25 fills, or 26 after a partly spent pool.
    expect(calls).toBeGreaterThanOrEqual(24);
    expect(calls).toBeLessThanOrEqual(26);
    expect(new Set(fills.sizes)).toEqual(new Set([4096]));
  });

  it('sorts by creation time across milliseconds', async () => {
    const made: string[] = [];
    const start = Date.now();
    while (Date.now() - start < 25) {
      made.push(uuidv7());
      if (made.length % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const milliseconds = new Set(made.map(timestampOf));
    expect(milliseconds.size).toBeGreaterThan(3);
    // Ids of different milliseconds sort by time, as strings and so as PostgreSQL uuids.
    const sorted = [...made].sort();
    expect(sorted.map(timestampOf)).toEqual(made.map(timestampOf));
    for (const [earlier, later] of [[1, 2], [0xff, 0x100], [2 ** 32 - 1, 2 ** 32], [Date.now(), Date.now() + 1]] as const) {
      expect(uuidv7(earlier) < uuidv7(later)).toBe(true);
    }
  });
});
