/** OC4IDS Value in yuan; the only place where kpo money becomes a JSON number. */
export interface Oc4idsValue {
  amount: number;
  currency: 'CNY';
}

/**
 * 万元 decimal string → OC4IDS Value in yuan. The shift by 4 places is done on the digits (1 万元 =
 * 10,000 yuan, and money has 4 fraction digits, so the result is whole yuan); only the final yuan
 * integer becomes a number, which OC4IDS requires. It is exact below 2^53 yuan (about 9×10^15),
 * far above any project; beyond that the export fails rather than round.
 */
export function yuanValue(wan: string): Oc4idsValue {
  const match = /^(\d+)(?:\.(\d{0,4}))?$/.exec(wan);
  if (!match) throw new Error(`not a 万元 amount with at most 4 fraction digits: ${wan}`);
  const digits = `${match[1]}${(match[2] ?? '').padEnd(4, '0')}`.replace(/^0+(?=\d)/, '');
  if (BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`amount too large for an exact JSON number: ${wan} 万元`);
  return { amount: Number(digits), currency: 'CNY' };
}

/** Dates are China Standard Time calendar days; OC4IDS periods want date-times. */
export function startOfDay(date: string): string {
  return `${date}T00:00:00+08:00`;
}

export function endOfDay(date: string): string {
  return `${date}T23:59:59+08:00`;
}

export function periodOf(start: string | null | undefined, end: string | null | undefined) {
  if (!start && !end) return undefined;
  return { ...(start ? { startDate: startOfDay(start) } : {}), ...(end ? { endDate: endOfDay(end) } : {}) };
}
