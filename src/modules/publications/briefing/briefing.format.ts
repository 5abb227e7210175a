/**
 * Numbers as the office writes them in a report: amounts in 亿元 to two decimals without trailing
 * zeros (747100 万元 → "74.71", 48000 → "4.8"), rates as percentages to one decimal without a trailing
 * zero (0.2498 → "25%"), counts as "12个". Amounts stay decimal strings: rounded exactly, never floats.
 */
const UNITS_PER_CENT_OF_YI = 1_000_000n; // 万元 with 4 fraction digits: 1 亿 = 10^8 units, 0.01 亿 = 10^6

export function yi(wan: string | null | undefined): string {
  if (wan === null || wan === undefined) return '—';
  const negative = wan.startsWith('-');
  const [whole, fraction = ''] = wan.replace(/^-/, '').split('.');
  const units = BigInt(`${whole}${fraction.padEnd(4, '0').slice(0, 4)}`);
  const cents = (units + UNITS_PER_CENT_OF_YI / 2n) / UNITS_PER_CENT_OF_YI;
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`.replace(/\.?0+$/, '');
  return negative && cents !== 0n ? `-${text}` : text || '0';
}

export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%`;
}

const NUMERALS = ['零', '一', '二', '三', '四'];
export const quarterName = (q: number) => `第${NUMERALS[q] ?? q}季度`;

/** "截至3月份" on a month's last day, else "截至3月15日", as the report dates its figures. */
export function asOfPhrase(asOf: string): string {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d === last ? `截至${m}月份` : `截至${m}月${d}日`;
}

export function monthDay(date: string): string {
  const [, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${m}月${d}日`;
}

/** 2022-03-H2 → "3月下半月". */
export function periodName(code: string): string {
  const [, m, h] = /^\d{4}-(\d\d)-H([12])$/.exec(code) ?? [];
  return m ? `${Number(m)}月${h === '1' ? '上' : '下'}半月` : code;
}

/** A department's short name, the one in its full name's parentheses: "坦洲镇住房城乡建设和交通局（住建）" → "住建". */
export function shortName(label: string): string {
  return /（([^（）]+)）$/.exec(label)?.[1] ?? label;
}
