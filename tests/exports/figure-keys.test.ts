import { describe, expect, it } from 'vitest';
import { figureKeys } from '../../src/modules/metrics/metrics.keys.js';
import { json, useTestApp } from '../support/app.js';
import { csvRecords, download, seedDemo } from './support.js';

// Issue #18: MetricFigure is typed by kind, and one figure-key vocabulary names a figure in the JSON
// (`key`), in the CSV/XLSX exports (指标代码) and in declared figures (`figure`).
const ctx = useTestApp();
const slow = { timeout: 120_000 };
const query = 'year=2022&list=city_key&asOf=2022-03-31';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON answer read loosely for assertions
type Json = any;

/** Every figure of a summary: the list's and each stage's. */
function figuresOf(summary: Json): Json[] {
  return [...Object.values(summary.figures), ...Object.values(summary.byStage).flatMap((stage) => Object.values(stage as Json))] as Json[];
}

describe('figure kinds and keys', () => {
  it('types every figure of the demo summary by its kind: money a decimal string, counts integers, rates numbers', slow, async () => {
    await seedDemo(ctx);
    const summary = json(await download(ctx, `/v1/metrics/summary?${query}`));
    const figures = figuresOf(summary);
    expect(figures).toHaveLength(10 + 3 * 3);
    const decimal = /^-?\d+(\.\d+)?$/;
    for (const figure of figures) {
      switch (figure.kind) {
        case 'money':
          expect(figure.value, figure.key).toMatch(decimal);
          expect(figure).not.toHaveProperty('numerator');
          break;
        case 'count':
          expect(Number.isInteger(figure.value), figure.key).toBe(true);
          break;
        case 'money_rate':
          expect(typeof figure.value === 'number' || figure.value === null, figure.key).toBe(true);
          expect(figure.numerator).toMatch(decimal);
          expect(figure.denominator).toMatch(decimal);
          break;
        case 'count_rate':
          expect(typeof figure.value === 'number' || figure.value === null, figure.key).toBe(true);
          expect(Number.isInteger(figure.numerator) && Number.isInteger(figure.denominator), figure.key).toBe(true);
          break;
        default:
          throw new Error(`figure ${figure.key} has no known kind: ${figure.kind}`);
      }
    }
    // The report's figures, by key.
    const byKey = new Map(figures.map((f) => [f.key, f]));
    expect(byKey.get('project_count')).toMatchObject({ kind: 'count', value: 12 });
    expect(byKey.get('estimated_investment')).toMatchObject({ kind: 'money', value: '747100.0000' });
    expect(byKey.get('large_project_count')).toMatchObject({ kind: 'count', value: 3 });
    expect(byKey.get('new_start.project_count')).toMatchObject({ kind: 'count', value: 5 });
    expect(byKey.get('continuing.estimated_investment')).toMatchObject({ kind: 'money', value: '508600.0000' });
    expect(byKey.get('start_rate')).toMatchObject({ kind: 'count_rate', numerator: 4, denominator: 5, value: 0.8 });
    expect(byKey.get('plan_completion_rate')).toMatchObject({ kind: 'money_rate', numerator: '29000.0000', denominator: '116100.0000' });
  });

  it('names each figure by one key in the JSON, the CSV export and the declared figures', slow, async () => {
    await seedDemo(ctx);
    const summary = json(await download(ctx, `/v1/metrics/summary?${query}`));
    const jsonKeys = figuresOf(summary).map((f) => f.key as string);
    // Every key a declaration can name is a figure of the answer, and no other.
    expect([...jsonKeys].sort()).toEqual([...figureKeys].sort());

    const records = csvRecords(await download(ctx, `/v1/exports/metrics-summary?${query}&format=csv`));
    const csv = new Map(records.map((r) => [r['指标代码 / Figure key']!, r]));
    expect([...csv.keys()].sort()).toEqual([...jsonKeys].sort());
    for (const figure of figuresOf(summary)) {
      const value = csv.get(figure.key)!['数值 / Value'];
      expect(value, figure.key).toBe(figure.value === null ? '' : String(figure.value));
    }

    // The declared figures of the demo (the published 75.7亿 and others) name the same keys, and each
    // sits on the figure of that key.
    expect(summary.declarations.length).toBeGreaterThan(0);
    for (const declaration of summary.declarations) {
      expect(jsonKeys).toContain(declaration.figure);
      const figure = figuresOf(summary).find((f) => f.key === declaration.figure);
      expect(figure.declaration).toEqual(declaration);
    }
  });
});
