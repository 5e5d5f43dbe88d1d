/**
 * Multi-scalar multiplication Σ k_i·P_i for ristretto255 (public scalars, variable time): a
 * signed-digit bucket method (Pippenger) over the Edwards representatives of noble's ristretto
 * points, with its own field arithmetic on raw BigInt coordinates.
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

/** Largest number of points handled in one bucket pass; larger inputs are chunked. */
export const MSM_CHUNK = 1 << 16;

import { ed25519 } from '@noble/curves/ed25519.js';

const Fp = ed25519.Point.Fp;
const P = Fp.ORDER; // 2^255 − 19
const MASK255 = (1n << 255n) - 1n;
/** 2d, with d = −121665/121666 mod p the Edwards curve constant of Curve25519. */
const D2 = (2n * ed25519.Point.CURVE().d) % P;

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

/** Window width minimising the estimated field multiplications for n points of `bits` bits. */
function chooseWindow(n: number, bits: number): number {
  let best = 2;
  let bestCost = Infinity;
  for (let c = 2; c <= 18; c++) {
    const windows = Math.ceil((bits + 1) / c);
    const buckets = 1 << (c - 1);
    const cost = windows * (n * 7 + 2 * buckets * 9 + c * 8);
    if (cost < bestCost) [best, bestCost] = [c, cost];
  }
  return best;
}

function msmChunk(points: readonly EdwardsLike[], scalars: readonly bigint[]): Ext | undefined {
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
  const c = chooseWindow(n, bits);
  const windows = Math.ceil((bits + 1) / c);

  // Affine Niels form by one batch inversion of the Z coordinates.
  const prefix: bigint[] = new Array(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    acc = (acc * pts[i]!.Z) % P;
  }
  let inv = Fp.inv(canon(acc));
  const yp: bigint[] = new Array(n);
  const ym: bigint[] = new Array(n);
  const t2d: bigint[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const zi = (inv * prefix[i]!) % P;
    inv = (inv * pts[i]!.Z) % P;
    const x = red(pts[i]!.X * zi);
    const y = red(pts[i]!.Y * zi);
    yp[i] = y + x;
    ym[i] = y - x;
    t2d[i] = red(red(x * y) * D2);
  }

  const digits = new Int32Array(n * windows);
  for (let i = 0; i < n; i++) signedDigits(ks[i]!, c, windows, digits, i * windows);

  const nb = 1 << (c - 1);
  const bX: bigint[] = new Array(nb);
  const bY: bigint[] = new Array(nb);
  const bZ: bigint[] = new Array(nb);
  const bT: bigint[] = new Array(nb);
  const used = new Uint8Array(nb);
  let result: Ext | undefined;
  for (let w = windows - 1; w >= 0; w--) {
    if (result) for (let j = 0; j < c; j++) result = dblExt(result);
    used.fill(0);
    for (let i = 0; i < n; i++) {
      const d = digits[i * windows + w]!;
      if (d === 0) continue;
      const b = (d > 0 ? d : -d) - 1;
      // the point or its negation, in Niels form
      const pp = d > 0 ? yp[i]! : ym[i]!;
      const pm = d > 0 ? ym[i]! : yp[i]!;
      const pt = d > 0 ? t2d[i]! : -t2d[i]!;
      if (!used[b]) {
        // (x, y) from y+x, y−x: store 2x, 2y, Z = 2, T = 2xy (= 2·(2d·xy)/(2d)) — avoid the division
        // by keeping the projective factor 2: X = yp − ym = 2x, Y = yp + ym = 2y, Z = 2, T = XY/Z = 2xy.
        const X = pp - pm;
        const Y = pp + pm;
        bX[b] = X;
        bY[b] = Y;
        bZ[b] = 2n;
        bT[b] = red(red(X * Y) * HALF);
        used[b] = 1;
        continue;
      }
      // mixed addition, bucket (extended) + point (Niels): 7M
      const X1 = bX[b]!;
      const Y1 = bY[b]!;
      const A = red((Y1 - X1) * pm);
      const B = red((Y1 + X1) * pp);
      const C = red(bT[b]! * pt);
      const Dd = 2n * bZ[b]!;
      const E = B - A;
      const F = Dd - C;
      const G = Dd + C;
      const H = B + A;
      bX[b] = red(E * F);
      bY[b] = red(G * H);
      bZ[b] = red(F * G);
      bT[b] = red(E * H);
    }
    // Σ_b (b+1)·bucket[b] by running sums from the top.
    let running: Ext | undefined;
    let sum: Ext | undefined;
    for (let b = nb - 1; b >= 0; b--) {
      if (used[b]) {
        const bucket = { X: bX[b]!, Y: bY[b]!, Z: bZ[b]!, T: bT[b]! };
        running = running ? addExt(running, bucket) : bucket;
      }
      if (running) sum = sum ? addExt(sum, running) : running;
    }
    if (sum) result = result ? addExt(result, sum) : sum;
  }
  return result;
}

/** 1/2 mod p, used to form T = XY/Z with Z = 2. */
const HALF = (P + 1n) / 2n;

/**
 * Σ k_i·P_i over Edwards points in extended coordinates, for public scalars 0 ≤ k_i (any
 * length). Returns the canonical extended coordinates of the sum (all in [0, p), Z ≠ 0), or
 * `undefined` when every scalar is 0 or there are no points (the caller returns the identity).
 * `chunk` bounds the points per bucket pass (default {@link MSM_CHUNK}).
 */
export function msmEdwards(points: readonly EdwardsLike[], scalars: readonly bigint[], chunk = MSM_CHUNK): EdwardsLike | undefined {
  if (points.length !== scalars.length) throw new RangeError('msm: points and scalars differ in length');
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError('msm: chunk must be a positive integer');
  let total: Ext | undefined;
  for (let o = 0; o < points.length; o += chunk) {
    const part = msmChunk(points.slice(o, o + chunk), scalars.slice(o, o + chunk));
    if (part) total = total ? addExt(total, part) : part;
  }
  if (!total) return undefined;
  return { X: canon(total.X), Y: canon(total.Y), Z: canon(total.Z), T: canon(total.T) };
}
