import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateOpenapi } from '../../src/cli/openapi.js';
import { json, useTestApp } from '../support/app.js';

const document = JSON.parse(await generateOpenapi()) as {
  paths: Record<string, Record<string, { operationId: string; parameters?: { in: string; name: string }[] }>>;
};
const ctx = useTestApp();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
// The hand-made cursors: unsigned list cursors with a value of another type or out of range,
// a feed position past 2^64, and the same with a tag that is not the service's.
const FORGED = [
  b64({ v: ['zzz'], f: 'AAAAAAAAAAAAAAAA' }),
  b64({ v: [2 ** 63], f: 'AAAAAAAAAAAAAAAA' }),
  b64({ x: '18446744073709551616' }),
  `${b64({ v: [2 ** 63], f: 'AAAAAAAAAAAAAAAA' })}.${'A'.repeat(22)}`,
  '18446744073709551616',
];

const lists = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method, op]) => method === 'get' && op.parameters?.some((p) => p.in === 'query' && (p.name === 'cursor' || p.name === 'after')))
    .map(([, op]) => ({ path, op, name: op.parameters!.find((p) => p.in === 'query' && (p.name === 'cursor' || p.name === 'after'))!.name })),
);

describe('A cursor the service did not sign is refused on every list and the feed (#17.3)', () => {
  it('finds the lists', () => {
    expect(lists.length).toBeGreaterThan(15);
  });

  it('answers 400 invalid_cursor to every forged cursor, before any value reaches a query', async () => {
    const wrong: string[] = [];
    for (const { path, op, name } of lists) {
      const url = path.replace(/\{[^}]+\}/g, randomUUID());
      for (const cursor of FORGED) {
        const response = await ctx.app.inject({ method: 'GET', url: `${url}?${name}=${encodeURIComponent(cursor)}` });
        if (response.statusCode !== 400 || json(response).code !== 'invalid_cursor') wrong.push(`${op.operationId} ${cursor.slice(0, 30)}: ${response.statusCode} ${response.body.slice(0, 120)}`);
      }
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});
