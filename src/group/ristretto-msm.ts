/**
 * Multi-scalar multiplication Σ k_i·P_i for ristretto255 (public scalars, variable time): a
 * signed-digit bucket method (Pippenger) over the Edwards representatives of noble's ristretto
 * points, with its own field arithmetic on raw BigInt coordinates; below a few dozen points,
 * signed-window Straus on the same arithmetic (chosen by a field-multiplication count model).
 *
 * Why not noble's `pippenger`: it spends an addition on every zero digit, uses unsigned digits
 * (2^c buckets instead of 2^(c−1)), always walks all 253 bits, and each noble addition
 * range-checks and freezes a new point object. Here:
 * - input points are normalised once to affine "Niels" form (y+x, y−x, 2d·xy) with one batch
 *   inversion, so adding one into a bucket is a 7-multiplication mixed addition;
 * - digits are signed in [−2^(c−1), 2^(c−1)], so negative digits add the negated point
 *   (swap y+x and y−x, negate 2d·xy) and half as many buckets are needed;
 * - the number of windows follows the longest scalar actually present, so 128-bit batch weights
 *   cost about half as much as full scalars;
 * - reduction modulo p = 2^255 − 19 folds the high part twice (x ↦ (x mod 2^255) + 19·⌊x/2^255⌋)
 *   instead of dividing; coordinates stay unnormalised (possibly negative, |x| < 2^256) until the
 *   result is handed back to noble;
 * - inputs larger than {@link MSM_CHUNK} points are processed in chunks whose results are added,
 *   bounding memory.
 *
 * Formulas (a = −1 twisted Edwards, extended coordinates, Hisil–Wong–Carter–Dawson 2008,
 * "add-2008-hwcd-3" and "dbl-2008-hwcd"), complete on Curve25519 because d is not a square.
 * Results are equal to noble's (differentially tested against the naive sum).
 * @module
 */

import { ed25519 } from '@noble/curves/ed25519.js';

/** Largest number of points handled in one pass; larger inputs are chunked. */
export const MSM_CHUNK = 1 << 16;

const Fp = ed25519.Point.Fp;
const P = Fp.ORDER; // 2^255 − 19
const MASK255 = (1n << 255n) - 1n;
/** 2d, with d = −121665/121666 mod p the Edwards curve constant of Curve25519. */
const D2 = (2n * ed25519.Point.CURVE().d) % P;
/** 1/2 mod p, used to form T = XY/Z with Z = 2. */
const HALF = (P + 1n) / 2n;

/** Reduce modulo p = 2^255 − 19 into a small (|r| < 2^256) but not canonical representative. */
function red(x: bigint): bigint {
  x = (x & MASK255) + 19n * (x >> 255n);
  return (x & MASK255) + 19n * (x >> 255n);
}

/** Canonical representative in [0, p). */
function canon(x: bigint): bigint {
  const r = x % P;
  return r < 0n ? r + P : r;
}

/** Extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, xy = T/Z. */
interface Ext {
  X: bigint;
  Y: bigint;
  Z: bigint;
  T: bigint;
}

/** An Edwards point as noble exposes it (extended coordinates). */
export interface EdwardsLike {
  readonly X: bigint;
  readonly Y: bigint;
  readonly Z: bigint;
  readonly T: bigint;
}

/** P1 + P2, both extended (9M: add-2008-hwcd-3 with k = 2d). */
function addExt(p1: Ext, p2: Ext): Ext {
  const A = red((p1.Y - p1.X) * (p2.Y - p2.X));
  const B = red((p1.Y + p1.X) * (p2.Y + p2.X));
  const C = red(red(p1.T * D2) * p2.T);
  const Dd = red(2n * p1.Z * p2.Z);
  const E = B - A;
  const F = Dd - C;
  const G = Dd + C;
  const H = B + A;
  return { X: red(E * F), Y: red(G * H), Z: red(F * G), T: red(E * H) };
}

/** 2·P1 (dbl-2008-hwcd with a = −1). */
function dblExt(p1: Ext): Ext {
  const A = red(p1.X * p1.X);
  const B = red(p1.Y * p1.Y);
  const C = red(2n * p1.Z * p1.Z);
  const s = p1.X + p1.Y;
  const E = red(s * s) - A - B;
  const G = B - A; // D + B with D = −A
  const F = G - C;
  const H = -A - B; // D − B
  return { X: red(E * F), Y: red(G * H), Z: red(F * G), T: red(E * H) };
}

/**
 * Signed c-bit digits of k (little-endian windows), each in [−2^(c−1), 2^(c−1)], written into
 * `out` at `offset`, `windows` digits.
 */
function signedDigits(k: bigint, c: number, windows: number, out: Int32Array, offset: number): void {
  const mask = BigInt((1 << c) - 1);
  const half = 1 << (c - 1);
  const full = 1 << c;
  const C = BigInt(c);
  let carry = 0;
  for (let w = 0; w < windows; w++) {
    let d = Number(k & mask) + carry;
    k >>= C;
    if (d > half) {
      d -= full;
      carry = 1;
    } else carry = 0;
    out[offset + w] = d;
  }
}

/** Affine points in "Niels" form: y+x, y−x and 2d·xy, one array each. */
interface Niels {
  yp: bigint[];
  ym: bigint[];
  t2d: bigint[];
}

/** Normalise extended points to affine Niels form with one batch inversion of their Z (Montgomery's trick). */
function toNiels(pts: readonly EdwardsLike[]): Niels {
  const n = pts.length;
  const prefix: bigint[] = new Array(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = (acc * pts[i]!.Z) % P;
  }
  let inv = Fp.inv(canon(acc));
  const out: Niels = { yp: new Array(n), ym: new Array(n), t2d: new Array(n) };
  for (let i = n - 1; i >= 0; i--) {
    const zi = (inv * prefix[i]!) % P;
    inv = (inv * pts[i]!.Z) % P;
    const x = red(pts[i]!.X * zi);
    const y = red(pts[i]!.Y * zi);
    out.yp[i] = y + x;
    out.ym[i] = y - x;
    out.t2d[i] = red(red(x * y) * D2);
  }
  return out;
}

/**
 * acc + s·Q for Q = (yp, ym, t2d) in Niels form and s = ±1 (negation swaps y+x and y−x and
 * negates 2d·xy): mixed addition, 7M. Without `acc`, returns ±Q in extended coordinates
 * (X = 2x, Y = 2y, Z = 2, T = 2xy: the factor 2 avoids a division).
 */
function addNiels(acc: Ext | undefined, N: Niels, i: number, negative: boolean): Ext {
  const pp = negative ? N.ym[i]! : N.yp[i]!;
  const pm = negative ? N.yp[i]! : N.ym[i]!;
  if (!acc) {
    const X = pp - pm;
    const Y = pp + pm;
    return { X, Y, Z: 2n, T: red(red(X * Y) * HALF) };
  }
  const pt = negative ? -N.t2d[i]! : N.t2d[i]!;
  const A = red((acc.Y - acc.X) * pm);
  const B = red((acc.Y + acc.X) * pp);
  const C = red(acc.T * pt);
  const Dd = 2n * acc.Z;
  const E = B - A;
  const F = Dd - C;
  const G = Dd + C;
  const H = B + A;
  return { X: red(E * F), Y: red(G * H), Z: red(F * G), T: red(E * H) };
}

/** Field multiplications of the bucket method with c-bit windows (model used to choose). */
function bucketCost(n: number, bits: number, c: number): number {
  return Math.ceil((bits + 1) / c) * (7 * n + 18 * (1 << (c - 1)) + 8 * c);
}

/** Field multiplications of Straus with w-bit signed windows (tables of 2^(w−1) multiples per point). */
function strausCost(n: number, bits: number, w: number): number {
  const h = 1 << (w - 1);
  return Math.ceil((bits + 1) / w) * (8 * w + 7 * n) + n * (h - 1) * 9 + n * h * 6;
}

/**
 * Bucket method (Pippenger) with signed c-bit digits: per window, bucket[|d|−1] += sign(d)·P_i,
 * then Σ_b (b+1)·bucket[b] by running sums; windows joined by c doublings.
 */
function msmBuckets(pts: readonly EdwardsLike[], ks: readonly bigint[], bits: number, c: number): Ext | undefined {
  const n = pts.length;
  const windows = Math.ceil((bits + 1) / c);
  const N = toNiels(pts);
  const digits = new Int32Array(n * windows);
  for (let i = 0; i < n; i++) signedDigits(ks[i]!, c, windows, digits, i * windows);
  const buckets: (Ext | undefined)[] = new Array(1 << (c - 1));
  let result: Ext | undefined;
  for (let w = windows - 1; w >= 0; w--) {
    if (result) for (let j = 0; j < c; j++) result = dblExt(result);
    buckets.fill(undefined);
    for (let i = 0; i < n; i++) {
      const d = digits[i * windows + w]!;
      if (d === 0) continue;
      const b = (d > 0 ? d : -d) - 1;
      buckets[b] = addNiels(buckets[b], N, i, d < 0);
    }
    let running: Ext | undefined;
    let sum: Ext | undefined;
    for (let b = buckets.length - 1; b >= 0; b--) {
      const bucket = buckets[b];
      if (bucket) running = running ? addExt(running, bucket) : bucket;
      if (running) sum = sum ? addExt(sum, running) : running;
    }
    if (sum) result = result ? addExt(result, sum) : sum;
  }
  return result;
}

/**
 * Straus (interleaved) with signed w-bit digits: a table of 1·P_i … 2^(w−1)·P_i per point (in
 * Niels form, one batch inversion for all), one shared chain of doublings, one mixed addition per
 * non-zero digit. Cheaper than buckets below a few dozen points.
 */
function msmStraus(pts: readonly EdwardsLike[], ks: readonly bigint[], bits: number, w: number): Ext | undefined {
  const n = pts.length;
  const h = 1 << (w - 1);
  const windows = Math.ceil((bits + 1) / w);
  const multiples: Ext[] = new Array(n * h);
  for (let i = 0; i < n; i++) {
    const Pi: Ext = { X: pts[i]!.X, Y: pts[i]!.Y, Z: pts[i]!.Z, T: pts[i]!.T };
    multiples[i * h] = Pi;
    if (h > 1) multiples[i * h + 1] = dblExt(Pi);
    for (let j = 2; j < h; j++) multiples[i * h + j] = addExt(multiples[i * h + j - 1]!, Pi);
  }
  const N = toNiels(multiples);
  const digits = new Int32Array(n * windows);
  for (let i = 0; i < n; i++) signedDigits(ks[i]!, w, windows, digits, i * windows);
  let result: Ext | undefined;
  for (let win = windows - 1; win >= 0; win--) {
    if (result) for (let j = 0; j < w; j++) result = dblExt(result);
    for (let i = 0; i < n; i++) {
      const d = digits[i * windows + win]!;
      if (d !== 0) result = addNiels(result, N, i * h + (d > 0 ? d : -d) - 1, d < 0);
    }
  }
  return result;
}

/** Which algorithm {@link msmEdwards} uses: chosen by the cost model, or forced (tests). */
export type MsmMethod = 'auto' | 'buckets' | 'straus';

function msmChunk(points: readonly EdwardsLike[], scalars: readonly bigint[], method: MsmMethod): Ext | undefined {
  // Drop zero scalars; find the longest scalar.
  const pts: EdwardsLike[] = [];
  const ks: bigint[] = [];
  let max = 0n;
  for (let i = 0; i < points.length; i++) {
    const k = scalars[i]!;
    if (k === 0n) continue;
    pts.push(points[i]!);
    ks.push(k);
    if (k > max) max = k;
  }
  const n = pts.length;
  if (n === 0) return undefined;
  const bits = max.toString(2).length;
  let bestC = 2;
  for (let c = 3; c <= 18; c++) if (bucketCost(n, bits, c) < bucketCost(n, bits, bestC)) bestC = c;
  let bestW = 2;
  for (let w = 3; w <= 7; w++) if (strausCost(n, bits, w) < strausCost(n, bits, bestW)) bestW = w;
  const straus = method === 'straus' || (method === 'auto' && strausCost(n, bits, bestW) < bucketCost(n, bits, bestC));
  return straus ? msmStraus(pts, ks, bits, bestW) : msmBuckets(pts, ks, bits, bestC);
}

/**
 * Σ k_i·P_i over Edwards points in extended coordinates, for public scalars 0 ≤ k_i (any
 * length). Returns the canonical extended coordinates of the sum (all in [0, p), Z ≠ 0), or
 * `undefined` when every scalar is 0 or there are no points (the caller returns the identity).
 * `chunk` bounds the points per pass (default {@link MSM_CHUNK}); `method` forces an algorithm
 * (tests and benchmarks; default: the cheaper by the cost model).
 */
export function msmEdwards(
  points: readonly EdwardsLike[],
  scalars: readonly bigint[],
  chunk = MSM_CHUNK,
  method: MsmMethod = 'auto',
): EdwardsLike | undefined {
  if (points.length !== scalars.length) throw new RangeError('msm: points and scalars differ in length');
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError('msm: chunk must be a positive integer');
  let total: Ext | undefined;
  for (let o = 0; o < points.length; o += chunk) {
    const part = msmChunk(points.slice(o, o + chunk), scalars.slice(o, o + chunk), method);
    if (part) total = total ? addExt(total, part) : part;
  }
  if (!total) return undefined;
  return { X: canon(total.X), Y: canon(total.Y), Z: canon(total.Z), T: canon(total.T) };
}
