/**
 * Exact rational arithmetic for majority-judgment results: every comparison is a
 * cross-multiplication of bigints, never a floating-point division.
 * @module
 */

/** An exact rational number `numerator / denominator`, with `denominator > 0`. */
export interface Fraction {
  /** Signed numerator. */
  readonly numerator: bigint;
  /** Positive denominator. */
  readonly denominator: bigint;
}

/** Greatest common divisor of |a| and |b| (gcd(0, 0) = 0). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** The fraction n/d in lowest terms, sign carried by the numerator. `d` must not be 0. */
export function reducedFraction(n: bigint, d: bigint): Fraction {
  if (d === 0n) throw new RangeError('fraction with a zero denominator');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { numerator: n / g, denominator: d / g } : { numerator: n, denominator: d };
}

/**
 * Sign of an/ad − bn/bd for positive denominators ad and bd: −1, 0 or 1.
 * (Cross-multiplication: exact for any size of integer.)
 */
export function compareRatios(an: bigint, ad: bigint, bn: bigint, bd: bigint): number {
  const l = an * bd;
  const r = bn * ad;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Sign of a − b: −1, 0 or 1. */
export function compareFractions(a: Fraction, b: Fraction): number {
  return compareRatios(a.numerator, a.denominator, b.numerator, b.denominator);
}

/**
 * `numerator / denominator` as a percentage string with `decimals` digits after the point,
 * rounded half up with integer arithmetic (so it is the same on every platform):
 * `formatPercent(1n, 3n) === '33.33'`. Display only: never compare these strings.
 */
export function formatPercent(numerator: bigint, denominator: bigint, decimals = 2): string {
  if (denominator <= 0n) throw new RangeError('percentage of a non-positive denominator');
  if (numerator < 0n) throw new RangeError('percentage of a negative numerator');
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new RangeError('decimals must be an integer in [0, 20]');
  const scale = 10n ** BigInt(decimals);
  // round(100 · scale · n / d) = floor((2 · 100 · scale · n + d) / (2d))
  const scaled = (200n * scale * numerator + denominator) / (2n * denominator);
  if (decimals === 0) return scaled.toString();
  const digits = scaled.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
