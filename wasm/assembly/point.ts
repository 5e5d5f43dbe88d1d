/**
 * Edwards25519 (−x² + y² = 1 + d·x²·y²) point arithmetic in ref10's coordinate systems.
 *
 * Layouts (each coordinate a 40-byte field element, see field.ts):
 * - P3 "extended" (X : Y : Z : T), x = X/Z, y = Y/Z, x·y = T/Z: 160 bytes.
 * - P1P1 "completed" ((X : Z), (Y : T)): output of add/double, 160 bytes.
 * - P2 "projective" (X : Y : Z): the first 120 bytes of a P3 or a P1P1 converted.
 * - CACHED (Y+X, Y−X, Z, 2d·T): a P3 ready to be added, 160 bytes.
 * - NIELS (y+x, y−x, 2d·x·y) with Z = 1: an affine point ready to be added, 120 bytes.
 *
 * Formulas and limb bounds follow ref10 (every mul input is a sum or difference of at most
 * three carried elements). Functions taking an output P1P1 and input points require the
 * output not to alias an input unless stated.
 */
import {
  FE, feAdd, feSub, feMul, feSq, feSq2, feNeg, feCopy, feZero, feOne, feCmov, feCarry, feFromBytes,
  feInvert,
} from './field';

/** Bytes of a P3, P1P1 or CACHED point. */
export const PT: usize = 160;
/** Bytes of a NIELS point. */
export const NIELS: usize = 120;

// Coordinate offsets.
const X: usize = 0;
const Y: usize = 40;
const Z: usize = 80;
const T: usize = 120;

// Curve constants, decoded from their little-endian bytes at start.
/** d = −121665/121666. */
export const D: usize = memory.data(40, 8);
/** 2d. */
export const D2: usize = memory.data(40, 8);
/** 1/d. */
export const INV_D: usize = memory.data(40, 8);
/** √−1 (the non-negative root). */
export const SQRT_M1: usize = memory.data(40, 8);
/** 1/√(a − d) with a = −1 (RFC 9496 INVSQRT_A_MINUS_D). */
export const INVSQRT_A_MINUS_D: usize = memory.data(40, 8);
/** The field element 1. */
export const ONE: usize = memory.data(40, 8);

feFromBytes(D, memory.data<u8>([163, 120, 89, 19, 202, 77, 235, 117, 171, 216, 65, 65, 77, 10, 112, 0, 152, 232, 121, 119, 121, 64, 199, 140, 115, 254, 111, 43, 238, 108, 3, 82]));
feFromBytes(D2, memory.data<u8>([89, 241, 178, 38, 148, 155, 214, 235, 86, 177, 131, 130, 154, 20, 224, 0, 48, 209, 243, 238, 242, 128, 142, 25, 231, 252, 223, 86, 220, 217, 6, 36]));
feFromBytes(INV_D, memory.data<u8>([67, 248, 201, 205, 118, 242, 224, 37, 46, 84, 121, 66, 152, 214, 93, 11, 102, 207, 185, 205, 20, 33, 22, 43, 67, 206, 213, 20, 210, 126, 144, 64]));
feFromBytes(SQRT_M1, memory.data<u8>([176, 160, 14, 74, 39, 27, 238, 196, 120, 228, 47, 173, 6, 24, 67, 47, 167, 215, 251, 61, 153, 0, 77, 43, 11, 223, 193, 79, 128, 36, 131, 43]));
feFromBytes(INVSQRT_A_MINUS_D, memory.data<u8>([234, 64, 93, 128, 170, 253, 200, 153, 190, 114, 65, 90, 23, 22, 47, 157, 64, 216, 1, 254, 145, 123, 194, 22, 162, 252, 175, 207, 5, 137, 108, 120]));
feOne(ONE);

// Scratch.
const F0: usize = memory.data(40, 8);
const Q1: usize = memory.data(160, 8); // P1P1
const QC: usize = memory.data(160, 8); // CACHED
const QN: usize = memory.data(160, 8); // NIELS / CACHED (negated selections)

/** p = the identity (0 : 1 : 1 : 0). */
export function p3Identity(p: usize): void {
  feZero(p + X);
  feOne(p + Y);
  feOne(p + Z);
  feZero(p + T);
}

/** r = p (P3 or CACHED). */
@inline export function ptCopy(r: usize, p: usize): void {
  memory.copy(r, p, 160);
}

/** r = (Y+X, Y−X, Z, 2d·T) of the P3 p (r may alias p). */
export function p3ToCached(r: usize, p: usize): void {
  feAdd(F0, p + Y, p + X);
  feSub(r + Y, p + Y, p + X);
  feCopy(r + X, F0);
  feCopy(r + Z, p + Z);
  feMul(r + T, p + T, D2);
}

/** r (P3) = p (P1P1); r ≠ p. */
export function p1p1ToP3(r: usize, p: usize): void {
  feMul(r + X, p + X, p + T);
  feMul(r + Y, p + Y, p + Z);
  feMul(r + Z, p + Z, p + T);
  feMul(r + T, p + X, p + Y);
}

/** r (P2) = p (P1P1); r ≠ p. */
export function p1p1ToP2(r: usize, p: usize): void {
  feMul(r + X, p + X, p + T);
  feMul(r + Y, p + Y, p + Z);
  feMul(r + Z, p + Z, p + T);
}

/** r (P1P1) = 2·p for a P2 or P3 p. */
export function p2Dbl(r: usize, p: usize): void {
  feSq(r + X, p + X);
  feSq(r + Z, p + Y);
  feSq2(r + T, p + Z);
  feAdd(r + Y, p + X, p + Y);
  feSq(F0, r + Y);
  feAdd(r + Y, r + Z, r + X);
  feSub(r + Z, r + Z, r + X);
  feSub(r + X, F0, r + Y);
  feSub(r + T, r + T, r + Z);
}

/** r (P1P1) = p (P3) + q (CACHED). */
export function pAdd(r: usize, p: usize, q: usize): void {
  feAdd(r + X, p + Y, p + X);
  feSub(r + Y, p + Y, p + X);
  feMul(r + Z, r + X, q + X);
  feMul(r + Y, r + Y, q + Y);
  feMul(r + T, q + T, p + T);
  feMul(r + X, p + Z, q + Z);
  feAdd(F0, r + X, r + X);
  feSub(r + X, r + Z, r + Y);
  feAdd(r + Y, r + Z, r + Y);
  feAdd(r + Z, F0, r + T);
  feSub(r + T, F0, r + T);
}

/** r (P1P1) = p (P3) − q (CACHED). */
export function pSub(r: usize, p: usize, q: usize): void {
  feAdd(r + X, p + Y, p + X);
  feSub(r + Y, p + Y, p + X);
  feMul(r + Z, r + X, q + Y);
  feMul(r + Y, r + Y, q + X);
  feMul(r + T, q + T, p + T);
  feMul(r + X, p + Z, q + Z);
  feAdd(F0, r + X, r + X);
  feSub(r + X, r + Z, r + Y);
  feAdd(r + Y, r + Z, r + Y);
  feSub(r + Z, F0, r + T);
  feAdd(r + T, F0, r + T);
}

/** r (P1P1) = p (P3) + q (NIELS). */
export function pMadd(r: usize, p: usize, q: usize): void {
  feAdd(r + X, p + Y, p + X);
  feSub(r + Y, p + Y, p + X);
  feMul(r + Z, r + X, q + X);
  feMul(r + Y, r + Y, q + Y);
  feMul(r + T, q + Z, p + T);
  feAdd(F0, p + Z, p + Z);
  feSub(r + X, r + Z, r + Y);
  feAdd(r + Y, r + Z, r + Y);
  feAdd(r + Z, F0, r + T);
  feSub(r + T, F0, r + T);
}

/** r (P1P1) = p (P3) − q (NIELS). */
export function pMsub(r: usize, p: usize, q: usize): void {
  feAdd(r + X, p + Y, p + X);
  feSub(r + Y, p + Y, p + X);
  feMul(r + Z, r + X, q + Y);
  feMul(r + Y, r + Y, q + X);
  feMul(r + T, q + Z, p + T);
  feAdd(F0, p + Z, p + Z);
  feSub(r + X, r + Z, r + Y);
  feAdd(r + Y, r + Z, r + Y);
  feSub(r + Z, F0, r + T);
  feAdd(r + T, F0, r + T);
}

/** r = a + b for P3 points (any aliasing). */
export function p3Add(r: usize, a: usize, b: usize): void {
  p3ToCached(QC, b);
  pAdd(Q1, a, QC);
  p1p1ToP3(r, Q1);
}

/** r = a − b for P3 points (any aliasing). */
export function p3Sub(r: usize, a: usize, b: usize): void {
  p3ToCached(QC, b);
  pSub(Q1, a, QC);
  p1p1ToP3(r, Q1);
}

/** r += c for a P3 r and a CACHED c. */
@inline export function p3AddCached(r: usize, c: usize): void {
  pAdd(Q1, r, c);
  p1p1ToP3(r, Q1);
}

/** r −= c for a P3 r and a CACHED c. */
@inline export function p3SubCached(r: usize, c: usize): void {
  pSub(Q1, r, c);
  p1p1ToP3(r, Q1);
}

/** r += n for a P3 r and a NIELS n. */
@inline export function p3AddNiels(r: usize, n: usize): void {
  pMadd(Q1, r, n);
  p1p1ToP3(r, Q1);
}

/** r −= n for a P3 r and a NIELS n. */
@inline export function p3SubNiels(r: usize, n: usize): void {
  pMsub(Q1, r, n);
  p1p1ToP3(r, Q1);
}

/** r = −a (P3, r may alias a). */
export function p3Neg(r: usize, a: usize): void {
  feNeg(r + X, a + X);
  feCopy(r + Y, a + Y);
  feCopy(r + Z, a + Z);
  feNeg(r + T, a + T);
}

/** r = 2·a (P3, r may alias a). */
export function p3Dbl(r: usize, a: usize): void {
  p2Dbl(Q1, a);
  p1p1ToP3(r, Q1);
}

/** r = 2^n · r (P3), n ≥ 1. */
export function p3DblN(r: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    p2Dbl(Q1, r);
    p1p1ToP2(r, Q1);
  }
  p2Dbl(Q1, r);
  p1p1ToP3(r, Q1);
}

/**
 * Converts n P3 points at `pts` (stride 160) to affine NIELS points at `out` (stride 120) with one
 * field inversion (Montgomery's trick); `prefix` is scratch for n field elements. Public data only
 * (variable time in n, constant time in the values).
 */
export function toNielsBatch(out: usize, pts: usize, n: i32, prefix: usize): void {
  if (n <= 0) return;
  const acc = F0;
  feOne(acc);
  for (let i = 0; i < n; i++) {
    const pi = prefix + <usize>i * FE;
    feCopy(pi, acc);
    // Points with Z = 1 exactly (all freshly decoded points) need no inversion.
    if (!zIsOne(pts + <usize>i * PT)) feMul(acc, acc, pts + <usize>i * PT + Z);
  }
  const inv = NI_INV;
  feInvert(inv, acc);
  for (let i = n - 1; i >= 0; i--) {
    const p = pts + <usize>i * PT;
    const o = out + <usize>i * NIELS;
    if (zIsOne(p)) {
      feCopy(NI_X, p + X);
      feCopy(NI_Y, p + Y);
    } else {
      feMul(NI_ZINV, inv, prefix + <usize>i * FE);
      feMul(inv, inv, p + Z);
      feMul(NI_X, p + X, NI_ZINV);
      feMul(NI_Y, p + Y, NI_ZINV);
    }
    feAdd(o + X, NI_Y, NI_X);
    feCarry(o + X);
    feSub(o + Y, NI_Y, NI_X);
    feCarry(o + Y);
    feMul(o + Z, NI_X, NI_Y);
    feMul(o + Z, o + Z, D2);
  }
}
const NI_INV: usize = memory.data(40, 8);

/** 1 if the Z limbs of the P3 point p are exactly (1, 0, …, 0). */
@inline function zIsOne(p: usize): bool {
  return (load<i32>(p + Z) ^ 1 | load<i32>(p + Z, 4) | load<i32>(p + Z, 8) | load<i32>(p + Z, 12) | load<i32>(p + Z, 16) |
    load<i32>(p + Z, 20) | load<i32>(p + Z, 24) | load<i32>(p + Z, 28) | load<i32>(p + Z, 32) | load<i32>(p + Z, 36)) == 0;
}
const NI_ZINV: usize = memory.data(40, 8);
const NI_X: usize = memory.data(40, 8);
const NI_Y: usize = memory.data(40, 8);

/**
 * r (P3) = the affine NIELS point n, or its negation if neg = 1, as (2x : 2y : 2 : 2xy).
 * Used to start an empty bucket without an addition (variable time: public data).
 */
export function p3FromNiels(r: usize, n: usize, neg: i32): void {
  if (neg) {
    feSub(r + X, n + Y, n + X);
  } else {
    feSub(r + X, n + X, n + Y);
  }
  feCarry(r + X);
  feAdd(r + Y, n + X, n + Y);
  feCarry(r + Y);
  feZero(r + Z);
  store<i32>(r + Z, 2);
  feMul(r + T, n + Z, INV_D);
  if (neg) feNeg(r + T, r + T);
}

/** t (CACHED) = the identity (1, 1, 1, 0). */
export function cachedIdentity(t: usize): void {
  feOne(t + X);
  feOne(t + Y);
  feOne(t + Z);
  feZero(t + T);
}

/** t (NIELS) = the identity (1, 1, 0). */
export function nielsIdentity(t: usize): void {
  feOne(t + X);
  feOne(t + Y);
  feZero(t + Z);
}

// Constant-time helpers: equality to mask without branches.
@inline function eqMask(a: i32, b: i32): i32 {
  // 1 if a == b else 0, for small non-negative a, b.
  return <i32>((<u32>(a ^ b) - 1) >>> 31);
}

/**
 * t (CACHED) = e · table[·] for a signed digit e ∈ [−8, 8], where table holds 1P..8P as CACHED
 * (stride 160). Scans every entry with masks: no branch or index depends on e.
 */
export function selectCached(t: usize, table: usize, e: i32): void {
  const neg = (e >> 31) & 1;
  const abs = e - ((-neg & e) << 1);
  cachedIdentity(t);
  for (let i = 0; i < 8; i++) {
    const b = eqMask(abs, i + 1);
    const src = table + <usize>i * PT;
    feCmov(t + X, src + X, b);
    feCmov(t + Y, src + Y, b);
    feCmov(t + Z, src + Z, b);
    feCmov(t + T, src + T, b);
  }
  // −(Y+X, Y−X, Z, 2dT) = (Y−X, Y+X, Z, −2dT)
  feCopy(QN + X, t + Y);
  feCopy(QN + Y, t + X);
  feNeg(QN + T, t + T);
  feCmov(t + X, QN + X, neg);
  feCmov(t + Y, QN + Y, neg);
  feCmov(t + T, QN + T, neg);
}

/** Like {@link selectCached} for a NIELS table (stride 120). */
export function selectNiels(t: usize, table: usize, e: i32): void {
  const neg = (e >> 31) & 1;
  const abs = e - ((-neg & e) << 1);
  nielsIdentity(t);
  for (let i = 0; i < 8; i++) {
    const b = eqMask(abs, i + 1);
    const src = table + <usize>i * NIELS;
    feCmov(t + X, src + X, b);
    feCmov(t + Y, src + Y, b);
    feCmov(t + Z, src + Z, b);
  }
  feCopy(QN + X, t + Y);
  feCopy(QN + Y, t + X);
  feNeg(QN + Z, t + Z);
  feCmov(t + X, QN + X, neg);
  feCmov(t + Y, QN + Y, neg);
  feCmov(t + Z, QN + Z, neg);
}
