/**
 * Compares two non-negative decimal strings exactly (no float): -1, 0 or 1. Works on any
 * `moneySchema` value and on numeric text read back from PostgreSQL.
 */
export function compareMoney(a: string, b: string): number {
  const [aInt, aFrac] = split(a);
  const [bInt, bFrac] = split(b);
  if (aInt.length !== bInt.length) return aInt.length < bInt.length ? -1 : 1;
  const left = aInt + aFrac;
  const right = bInt + bFrac;
  return left === right ? 0 : left < right ? -1 : 1;
}

const FRACTION_DIGITS = 8;

function split(value: string): [string, string] {
  const [int = '0', frac = ''] = value.split('.');
  return [int.replace(/^0+(?=\d)/, ''), frac.padEnd(FRACTION_DIGITS, '0').slice(0, FRACTION_DIGITS)];
}

/** Adds two non-negative decimal strings exactly (no float), keeping 4 fraction digits. */
export function addMoney(a: string, b: string): string {
  const units = (value: string) => {
    const [int = '0', frac = ''] = value.split('.');
    return BigInt(`${int}${frac.padEnd(4, '0').slice(0, 4)}`);
  };
  const total = (units(a) + units(b)).toString().padStart(5, '0');
  return `${total.slice(0, -4)}.${total.slice(-4)}`;
}
