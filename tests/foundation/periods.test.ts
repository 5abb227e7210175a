import { describe, expect, it } from 'vitest';
import { dateInChina } from '../../src/lib/china-time.js';
import {
  addDays,
  dueDateOf,
  isLate,
  nextPeriod,
  parsePeriod,
  periodBounds,
  periodOfDate,
  periodsBetween,
  previousPeriod,
} from '../../src/domain/periods.js';

describe('half-month periods', () => {
  it('parses well-formed codes and rejects malformed ones', () => {
    expect(parsePeriod('2022-03-H2')).toEqual({ year: 2022, month: 3, half: 2 });
    for (const bad of ['2022-13-H1', '2022-00-H1', '2022-3-H1', '2022-03-H3', '2022-03', ' 2022-03-H1']) {
      expect(parsePeriod(bad)).toBeUndefined();
    }
  });

  it('bounds the first half on the 15th and the second half on the last day of the month', () => {
    expect(periodBounds('2022-03-H1')).toEqual({ start: '2022-03-01', end: '2022-03-15' });
    expect(periodBounds('2022-03-H2')).toEqual({ start: '2022-03-16', end: '2022-03-31' });
    expect(periodBounds('2022-04-H2')).toEqual({ start: '2022-04-16', end: '2022-04-30' });
  });

  it('ends February on the 28th, or the 29th in leap years', () => {
    expect(periodBounds('2022-02-H2').end).toBe('2022-02-28');
    expect(periodBounds('2024-02-H2').end).toBe('2024-02-29');
    expect(periodBounds('2100-02-H2').end).toBe('2100-02-28');
    expect(periodBounds('2000-02-H2').end).toBe('2000-02-29');
  });

  it('finds the period of a date', () => {
    expect(periodOfDate('2022-03-15')).toBe('2022-03-H1');
    expect(periodOfDate('2022-03-16')).toBe('2022-03-H2');
    expect(periodOfDate('2022-12-31')).toBe('2022-12-H2');
  });

  it('steps to the next and previous period across month and year ends', () => {
    expect(nextPeriod('2022-03-H1')).toBe('2022-03-H2');
    expect(nextPeriod('2022-03-H2')).toBe('2022-04-H1');
    expect(nextPeriod('2022-12-H2')).toBe('2023-01-H1');
    expect(previousPeriod('2022-03-H2')).toBe('2022-03-H1');
    expect(previousPeriod('2022-03-H1')).toBe('2022-02-H2');
    expect(previousPeriod('2023-01-H1')).toBe('2022-12-H2');
  });

  it('lists the periods overlapping a date range, oldest first', () => {
    expect(periodsBetween('2022-01-01', '2022-03-31')).toEqual([
      '2022-01-H1', '2022-01-H2', '2022-02-H1', '2022-02-H2', '2022-03-H1', '2022-03-H2',
    ]);
    expect(periodsBetween('2021-12-20', '2022-01-02')).toEqual(['2021-12-H2', '2022-01-H1']);
    expect(periodsBetween('2022-03-10', '2022-03-10')).toEqual(['2022-03-H1']);
    expect(periodsBetween('2022-04-01', '2022-03-31')).toEqual([]);
  });

  it('puts the due date a number of days after the period end', () => {
    expect(dueDateOf('2022-03-H2', 3)).toBe('2022-04-03');
    expect(dueDateOf('2022-12-H2', 3)).toBe('2023-01-03');
    expect(dueDateOf('2022-03-H1', 0)).toBe('2022-03-15');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('reads calendar dates and the deadline in China Standard Time', () => {
    expect(dateInChina(new Date('2022-04-03T15:59:59.999Z'))).toBe('2022-04-03');
    expect(dateInChina(new Date('2022-04-03T16:00:00.000Z'))).toBe('2022-04-04');
    expect(isLate(new Date('2022-04-03T15:59:59.999Z'), '2022-04-03')).toBe(false);
    expect(isLate(new Date('2022-04-03T16:00:00.000Z'), '2022-04-03')).toBe(true);
    expect(isLate(new Date('2022-04-01T02:00:00.000Z'), '2022-04-03')).toBe(false);
  });
});
