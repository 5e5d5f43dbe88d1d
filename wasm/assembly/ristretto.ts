/**
 * ristretto255 (RFC 9496 §4.3) decoding, encoding and equality over Edwards25519 P3 points.
 */
import {
  feAdd, feSub, feMul, feSq, feNeg, feCopy, feOne, feCmov, feCarry, feFromBytes, feToBytes,
  feIsNegative, feIsZero, feEq, feEqBytes, feAbs, fePow22523,
} from './field';
import { D, SQRT_M1, INVSQRT_A_MINUS_D, ONE } from './point';

const X: usize = 0;
const Y: usize = 40;
const Z: usize = 80;
const T: usize = 120;

const V3: usize = memory.data(40, 8);
const V7: usize = memory.data(40, 8);
const R: usize = memory.data(40, 8);
const CHECK: usize = memory.data(40, 8);
const NU: usize = memory.data(40, 8);
const NUI: usize = memory.data(40, 8);
const RP: usize = memory.data(40, 8);
const S: usize = memory.data(40, 8);
const SS: usize = memory.data(40, 8);
const U1: usize = memory.data(40, 8);
const U2: usize = memory.data(40, 8);
const U2SQ: usize = memory.data(40, 8);
const V: usize = memory.data(40, 8);
const TMP: usize = memory.data(40, 8);
const INVSQRT: usize = memory.data(40, 8);
const DENX: usize = memory.data(40, 8);
const DENY: usize = memory.data(40, 8);
const PX: usize = memory.data(40, 8);
const PY: usize = memory.data(40, 8);
const PT_: usize = memory.data(40, 8);
const A: usize = memory.data(40, 8);
const B: usize = memory.data(40, 8);
const DEN1: usize = memory.data(40, 8);
const DEN2: usize = memory.data(40, 8);
const ZINV: usize = memory.data(40, 8);
const IX0: usize = memory.data(40, 8);
const IY0: usize = memory.data(40, 8);
const ENCH: usize = memory.data(40, 8);
const EX: usize = memory.data(40, 8);
const EY: usize = memory.data(40, 8);
const DENINV: usize = memory.data(40, 8);
const NY: usize = memory.data(40, 8);

/**
 * RFC 9496 §4.2 SQRT_RATIO_M1(u, v): r = √(u/v) or √(i·u/v), non-negative; returns was_square.
 * Constant time (no branch on u, v).
 */
export function sqrtRatioM1(r: usize, u: usize, v: usize): i32 {
  feSq(V3, v);
  feMul(V3, V3, v); // v³
  feSq(V7, V3);
  feMul(V7, V7, v); // v⁷
  feMul(R, u, V7);
  fePow22523(R, R); // (u·v⁷)^((p−5)/8)
  feMul(R, R, V3);
  feMul(R, R, u); // r = u·v³·(u·v⁷)^((p−5)/8)
  feSq(CHECK, R);
  feMul(CHECK, CHECK, v);
  const correct = feEq(CHECK, u);
  feNeg(NU, u);
  const flipped = feEq(CHECK, NU);
  feMul(NUI, NU, SQRT_M1);
  const flippedI = feEq(CHECK, NUI);
  feMul(RP, R, SQRT_M1);
  feCmov(R, RP, flipped | flippedI);
  feAbs(r, R);
  return correct | flipped;
}

/**
 * Decodes the 32 bytes at s (RFC 9496 §4.3.1) into the P3 point p. Returns 1 on success and 0
 * if the encoding is rejected (non-canonical, negative s, not a square, t negative or y = 0);
 * p is then unspecified. Variable time: decoding handles public data.
 */
export function decode(p: usize, s: usize): i32 {
  feFromBytes(S, s);
  if (!feEqBytes(S, s)) return 0; // s ≥ p or bit 255 set
  if (feIsNegative(S)) return 0;
  feSq(SS, S);
  feSub(U1, ONE, SS); // u1 = 1 − s²
  feAdd(U2, ONE, SS); // u2 = 1 + s²
  feSq(U2SQ, U2);
  feSq(V, U1);
  feMul(V, D, V);
  feNeg(V, V);
  feSub(V, V, U2SQ); // v = −(d·u1²) − u2²
  feMul(TMP, V, U2SQ);
  const wasSquare = sqrtRatioM1(INVSQRT, ONE, TMP);
  feMul(DENX, INVSQRT, U2);
  feMul(DENY, INVSQRT, DENX);
  feMul(DENY, DENY, V);
  feMul(PX, S, DENX);
  feAdd(PX, PX, PX);
  feCarry(PX);
  feAbs(PX, PX); // x = |2·s·den_x|
  feMul(PY, U1, DENY); // y = u1·den_y
  feMul(PT_, PX, PY); // t = x·y
  if (!wasSquare || feIsNegative(PT_) || feIsZero(PY)) return 0;
  feCopy(p + X, PX);
  feCopy(p + Y, PY);
  feOne(p + Z);
  feCopy(p + T, PT_);
  return 1;
}

/** Writes the canonical 32-byte encoding of the P3 point p at s (RFC 9496 §4.3.2). Constant time. */
export function encode(s: usize, p: usize): void {
  feAdd(A, p + Z, p + Y);
  feSub(B, p + Z, p + Y);
  feMul(U1, A, B); // u1 = (z0 + y0)(z0 − y0)
  feMul(U2, p + X, p + Y); // u2 = x0·y0
  feSq(TMP, U2);
  feMul(TMP, TMP, U1);
  sqrtRatioM1(INVSQRT, ONE, TMP);
  feMul(DEN1, INVSQRT, U1);
  feMul(DEN2, INVSQRT, U2);
  feMul(ZINV, DEN1, DEN2);
  feMul(ZINV, ZINV, p + T);
  feMul(IX0, p + X, SQRT_M1);
  feMul(IY0, p + Y, SQRT_M1);
  feMul(ENCH, DEN1, INVSQRT_A_MINUS_D);
  feMul(TMP, p + T, ZINV);
  const rotate = feIsNegative(TMP);
  feCopy(EX, p + X);
  feCmov(EX, IY0, rotate);
  feCopy(EY, p + Y);
  feCmov(EY, IX0, rotate);
  feCopy(DENINV, DEN2);
  feCmov(DENINV, ENCH, rotate);
  feMul(TMP, EX, ZINV);
  const negY = feIsNegative(TMP);
  feNeg(NY, EY);
  feCmov(EY, NY, negY);
  feSub(TMP, p + Z, EY);
  feMul(TMP, DENINV, TMP);
  feAbs(TMP, TMP);
  feToBytes(s, TMP);
}

/** 1 if the P3 points a and b are the same ristretto255 element (RFC 9496 §4.3.3), else 0. */
export function equals(a: usize, b: usize): i32 {
  feMul(A, a + X, b + Y);
  feMul(B, a + Y, b + X);
  const e1 = feEq(A, B);
  feMul(A, a + Y, b + Y);
  feMul(B, a + X, b + X);
  const e2 = feEq(A, B);
  return e1 | e2;
}

/** 1 if the P3 point a is the ristretto255 identity (X = 0 or Y = 0), else 0. */
export function isIdentity(a: usize): i32 {
  return feIsZero(a + X) | feIsZero(a + Y);
}

