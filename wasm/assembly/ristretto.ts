/**
 * ristretto255 (RFC 9496 §4.3) decoding, encoding and equality over Edwards25519 P3 points.
 */
import {
  feAdd, feSub, feMul, feSq, feNeg, feCopy, feOne, feCmov, feCarry, feFromBytes, feToBytes,
  feIsNegative, feIsZero, feEq, feAbs, fePow22523, bytesEq32,
} from './field';
import { D, SQRT_M1, INVSQRT_A_MINUS_D, ONE } from './point';
import { FE2, fe2LaneFromFe, fe2LaneToFe, fe2Carry, fe2Pow22523, fe2Mul, fe2Sq, fe2SetLane } from './fe2';

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
  return sqrtRatioM1Finish(r, R, u, v);
}

/** The end of SQRT_RATIO_M1(u, v) from the candidate root cand = u·v³·(u·v⁷)^((p−5)/8). */
function sqrtRatioM1Finish(r: usize, cand: usize, u: usize, v: usize): i32 {
  feCopy(R, cand);
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

// SQRT_RATIO_M1(1, v), as decoding and encoding take it: u = 1, so the three values the check
// is compared with (u, −u, −u·i) are constants, compared as canonical bytes.
const CHECK_B: usize = memory.data(32, 8);
const ONE_B: usize = memory.data(32, 8);
const MINUS_ONE_B: usize = memory.data(32, 8);
const MINUS_I_B: usize = memory.data(32, 8);
feToBytes(ONE_B, ONE);
feNeg(NU, ONE);
feToBytes(MINUS_ONE_B, NU);
feMul(NUI, NU, SQRT_M1);
feToBytes(MINUS_I_B, NUI);

/**
 * sqrtRatioM1Finish(r, cand, ONE, v) up to sign: r = ±1/√v (or ±√(i/v)) and the same flag (no
 * branch on cand or v). Decoding and encoding need no particular sign of the root: decoding
 * uses it in den_x (x = |2·s·den_x| drops the sign) and twice in den_y (the signs cancel);
 * encoding uses it twice in z_inv (they cancel) and once in the result, which is |·| too. So
 * the CT_ABS of RFC 9496's SQRT_RATIO_M1, a canonical encoding for its sign, is left out.
 */
function sqrtRatioM1FinishOne(r: usize, cand: usize, v: usize): i32 {
  feCopy(R, cand);
  feSq(CHECK, R);
  feMul(CHECK, CHECK, v);
  feToBytes(CHECK_B, CHECK);
  const correct = bytesEq32(CHECK_B, ONE_B);
  const flipped = bytesEq32(CHECK_B, MINUS_ONE_B);
  const flippedI = bytesEq32(CHECK_B, MINUS_I_B);
  feMul(r, R, SQRT_M1);
  feCmov(r, R, 1 - (flipped | flippedI));
  return correct | flipped;
}

/**
 * 1 if the 32 bytes at s are a canonical encoding of a non-negative field element (bit 255
 * clear, value below p = 2^255 − 19, even), else 0: RFC 9496's first decoding checks on the
 * bytes themselves. Variable time (decoding handles public data).
 */
function canonicalNonNegative(s: usize): i32 {
  if (load<u8>(s) & 1) return 0; // odd: negative (a canonical value's low bit is its first byte's)
  const top = load<u8>(s, 31);
  if (top & 0x80) return 0; // bit 255 set
  if (top != 0x7f) return 1;
  // s ≥ p iff bytes 1…30 are all 0xff and byte 0 ≥ 0xed (p = 0x7fff…ffed)
  for (let i = 1; i < 31; i++) if (load<u8>(s + <usize>i) != 0xff) return 1;
  return load<u8>(s) < 0xed ? 1 : 0;
}

// A single decode, around its one exponentiation: decodeBegin, fePow22523, decodeEnd (a pair
// that passes the byte checks is decoded in the lanes instead, decode2Lanes below). The state
// of one decode between the two halves (public data: the encoding being decoded):
const DS_S: usize = 0; // s
const DS_U1: usize = 40; // 1 − s²
const DS_U2: usize = 80; // 1 + s²
const DS_V: usize = 120; // −d·u1² − u2²
const DS_W: usize = 160; // w = v·u2²: decoding takes SQRT_RATIO_M1(1, w)
const DS_W3: usize = 200; // w³
const DS_POW: usize = 240; // w⁷, the exponentiation's input
const DS_BYTES: usize = 280;
const DS0: usize = memory.data(<i32>DS_BYTES, 8);
const PAIR: usize = memory.data(<i32>FE2, 16);

/**
 * First half of decoding the 32 bytes at s into the state at st: 0 if the encoding is rejected
 * already (non-canonical or negative s), else 1 with st + DS_POW the input of the exponentiation.
 */
function decodeBegin(st: usize, s: usize): i32 {
  if (!canonicalNonNegative(s)) return 0; // s ≥ p, bit 255 set, or s negative
  const S = st + DS_S;
  feFromBytes(S, s);
  const U1 = st + DS_U1, U2 = st + DS_U2, V = st + DS_V, W = st + DS_W, W3 = st + DS_W3, W7 = st + DS_POW;
  feSq(SS, S);
  feSub(U1, ONE, SS); // u1 = 1 − s²
  feAdd(U2, ONE, SS); // u2 = 1 + s²
  feSq(U2SQ, U2);
  feSq(V, U1);
  feMul(V, D, V);
  feNeg(V, V);
  feSub(V, V, U2SQ); // v = −(d·u1²) − u2²
  feMul(W, V, U2SQ);
  // SQRT_RATIO_M1(1, w) up to its exponentiation: w³, w⁷
  feSq(W3, W);
  feMul(W3, W3, W);
  feSq(W7, W3);
  feMul(W7, W7, W);
  return 1;
}

/**
 * Second half: from pw = (w⁷)^((p−5)/8), finishes the decode of the state at st into the P3
 * point p. Returns 1 on success, 0 if the encoding is rejected (not a square, t negative or y = 0).
 */
function decodeEnd(p: usize, st: usize, pw: usize): i32 {
  const S = st + DS_S, U1 = st + DS_U1, U2 = st + DS_U2, V = st + DS_V;
  feMul(TMP, pw, st + DS_W3); // candidate root 1·w³·(1·w⁷)^((p−5)/8)
  const wasSquare = sqrtRatioM1FinishOne(INVSQRT, TMP, st + DS_W);
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

/**
 * Decodes the 32 bytes at s (RFC 9496 §4.3.1) into the P3 point p. Returns 1 on success and 0
 * if the encoding is rejected (non-canonical, negative s, not a square, t negative or y = 0);
 * p is then unspecified. Variable time: decoding handles public data.
 */
export function decode(p: usize, s: usize): i32 {
  if (!decodeBegin(DS0, s)) return 0;
  fePow22523(R, DS0 + DS_POW);
  return decodeEnd(p, DS0, R);
}

/** z0 = z0^((p−5)/8) and z1 = z1^((p−5)/8), side by side in the two lanes of fe2Pow22523. */
function powPair(z0: usize, z1: usize): void {
  fe2LaneFromFe(PAIR, 0, z0);
  fe2LaneFromFe(PAIR, 1, z1);
  fe2Carry(PAIR, PAIR);
  fe2Pow22523(PAIR, PAIR);
  fe2LaneToFe(z0, PAIR, 0);
  fe2LaneToFe(z1, PAIR, 1);
}

// Two decodes entirely in the two lanes of fe2 pairs (12 f64 limbs each, fe2-arith.ts): the
// same formulas as decodeBegin, sqrtRatioM1FinishOne and decodeEnd, two points per operation.
// Limb bounds (B: a carried limb; see gen-fe2.mjs): products of carried elements are carried;
// the sums and differences below stay within 2B (two carried terms), which fe2Mul and fe2Sq
// take on both sides. Each line notes its inputs.
const Q_S: usize = memory.data(<i32>FE2, 16);
const Q_SS: usize = memory.data(<i32>FE2, 16);
const Q_U1: usize = memory.data(<i32>FE2, 16);
const Q_U2: usize = memory.data(<i32>FE2, 16);
const Q_U2SQ: usize = memory.data(<i32>FE2, 16);
const Q_V: usize = memory.data(<i32>FE2, 16);
const Q_W: usize = memory.data(<i32>FE2, 16);
const Q_W3: usize = memory.data(<i32>FE2, 16);
const Q_P: usize = memory.data(<i32>FE2, 16);
const Q_C: usize = memory.data(<i32>FE2, 16);
const Q_CI: usize = memory.data(<i32>FE2, 16);
const Q_X: usize = memory.data(<i32>FE2, 16);
const Q_Y: usize = memory.data(<i32>FE2, 16);
const Q_T: usize = memory.data(<i32>FE2, 16);
// 1, d and √−1 in both lanes (carried)
const ONE_2: usize = memory.data(<i32>FE2, 16);
const D_2: usize = memory.data(<i32>FE2, 16);
const SQRT_M1_2: usize = memory.data(<i32>FE2, 16);
const LANE_FE: usize = memory.data(40, 8);
const LANE_B: usize = memory.data(32, 8);

function pairConstant(h: usize, f: usize): void {
  feToBytes(LANE_B, f);
  fe2SetLane(h, 0, LANE_B);
  fe2SetLane(h, 1, LANE_B);
  fe2Carry(h, h);
}
pairConstant(ONE_2, ONE);
pairConstant(D_2, D);
pairConstant(SQRT_M1_2, SQRT_M1);

/** h = sa·a + sb·b limb by limb, in both lanes (sa, sb small integers: every limb stays exact). */
@inline function fe2Lin(h: usize, a: usize, sa: f64, b: usize, sb: f64): void {
  const va = f64x2.splat(sa);
  const vb = f64x2.splat(sb);
  for (let k = 0; k < 12; k++) {
    const o = <usize>(16 * k);
    v128.store(h + o, f64x2.add(f64x2.mul(v128.load(a + o), va), f64x2.mul(v128.load(b + o), vb)));
  }
}

/** The canonical bytes of lane `lane` of the carried pair at h, at LANE_B. */
@inline function laneBytes(h: usize, lane: i32): void {
  fe2LaneToFe(LANE_FE, h, lane);
  feToBytes(LANE_B, LANE_FE);
}

/** 1 if lane `lane` of the carried pair at h is ≡ 0 mod p. */
function laneIsZero(h: usize, lane: i32): i32 {
  laneBytes(h, lane);
  return <i32>((load<u64>(LANE_B, 0) | load<u64>(LANE_B, 8) | load<u64>(LANE_B, 16) | load<u64>(LANE_B, 24)) == 0);
}

/** 1 if lane `lane` of the carried pair at h is negative (its canonical value is odd). */
function laneIsNegative(h: usize, lane: i32): i32 {
  laneBytes(h, lane);
  return load<u8>(LANE_B) & 1;
}

/** −1.0 where `neg` is set, else 1.0. */
@inline function sign(neg: i32): f64 {
  return neg ? -1.0 : 1.0;
}

/**
 * Decodes the encodings at s0 and s1, both already known canonical and non-negative, into p0
 * and p1 with every field operation on both at once. Returns bit 0 = p0 valid, bit 1 = p1 valid.
 */
function decode2Lanes(p0: usize, s0: usize, p1: usize, s1: usize): i32 {
  fe2SetLane(Q_S, 0, s0);
  fe2SetLane(Q_S, 1, s1);
  fe2Carry(Q_S, Q_S);
  fe2Sq(Q_SS, Q_S); // s²
  fe2Lin(Q_U1, ONE_2, 1.0, Q_SS, -1.0); // u1 = 1 − s² (2B)
  fe2Lin(Q_U2, ONE_2, 1.0, Q_SS, 1.0); // u2 = 1 + s² (2B)
  fe2Sq(Q_U2SQ, Q_U2); // u2²: 2B
  fe2Sq(Q_V, Q_U1); // u1²: 2B
  fe2Mul(Q_V, Q_V, D_2); // d·u1²: carried × carried
  fe2Lin(Q_V, Q_V, -1.0, Q_U2SQ, -1.0); // v = −(d·u1²) − u2² (2B)
  fe2Mul(Q_W, Q_V, Q_U2SQ); // w = v·u2²: 2B × carried
  fe2Sq(Q_W3, Q_W);
  fe2Mul(Q_W3, Q_W3, Q_W); // w³
  fe2Sq(Q_P, Q_W3);
  fe2Mul(Q_P, Q_P, Q_W); // w⁷
  fe2Pow22523(Q_P, Q_P);
  // SQRT_RATIO_M1(1, w) up to sign, as sqrtRatioM1FinishOne: cand = w³·(w⁷)^((p−5)/8)
  fe2Mul(Q_C, Q_P, Q_W3);
  fe2Sq(Q_T, Q_C);
  fe2Mul(Q_T, Q_T, Q_W); // check = w·cand²
  fe2Mul(Q_CI, Q_C, SQRT_M1_2); // cand·√−1
  let ok = 0;
  let useI = 0;
  for (let lane = 0; lane < 2; lane++) {
    laneBytes(Q_T, lane);
    const correct = bytesEq32(LANE_B, ONE_B);
    const flipped = bytesEq32(LANE_B, MINUS_ONE_B);
    const flippedI = bytesEq32(LANE_B, MINUS_I_B);
    ok |= (correct | flipped) << lane;
    useI |= (flipped | flippedI) << lane;
  }
  // r = cand·√−1 in the lanes that flipped, else cand (Q_C)
  const mask = i64x2.replace_lane(i64x2.splat(-<i64>(useI & 1)), 1, -<i64>((useI >> 1) & 1));
  for (let k = 0; k < 12; k++) {
    const o = <usize>(16 * k);
    v128.store(Q_C + o, v128.bitselect(v128.load(Q_CI + o), v128.load(Q_C + o), mask));
  }
  fe2Mul(Q_X, Q_C, Q_U2); // den_x = r·u2: carried × 2B
  fe2Mul(Q_Y, Q_C, Q_X); // r·den_x
  fe2Mul(Q_Y, Q_Y, Q_V); // den_y = r·den_x·v: carried × 2B
  fe2Lin(Q_SS, Q_S, 1.0, Q_S, 1.0); // 2s (2B)
  fe2Mul(Q_X, Q_SS, Q_X); // 2·s·den_x: 2B × carried
  // x = |2·s·den_x|: negate the lanes that are negative (exact, and still carried)
  const sx = f64x2.replace_lane(f64x2.splat(sign(laneIsNegative(Q_X, 0))), 1, sign(laneIsNegative(Q_X, 1)));
  for (let k = 0; k < 12; k++) v128.store(Q_X + <usize>(16 * k), f64x2.mul(v128.load(Q_X + <usize>(16 * k)), sx));
  fe2Mul(Q_Y, Q_U1, Q_Y); // y = u1·den_y: 2B × carried
  fe2Mul(Q_T, Q_X, Q_Y); // t = x·y
  let r = 0;
  for (let lane = 0; lane < 2; lane++) {
    if (!((ok >> lane) & 1) || laneIsNegative(Q_T, lane) || laneIsZero(Q_Y, lane)) continue;
    const p = lane == 0 ? p0 : p1;
    fe2LaneToFe(p + X, Q_X, lane);
    fe2LaneToFe(p + Y, Q_Y, lane);
    feOne(p + Z);
    fe2LaneToFe(p + T, Q_T, lane);
    r |= 1 << lane;
  }
  return r;
}

/**
 * Decodes the two encodings at s0 and s1 into p0 and p1 (as {@link decode}), two points per
 * field operation (decode2Lanes) when both pass the byte checks. Otherwise at least one is
 * rejected by its bytes at once, and each goes through {@link decode} alone. Returns bit 0 =
 * p0 valid, bit 1 = p1 valid.
 */
export function decode2(p0: usize, s0: usize, p1: usize, s1: usize): i32 {
  if (canonicalNonNegative(s0) && canonicalNonNegative(s1)) return decode2Lanes(p0, s0, p1, s1);
  return decode(p0, s0) | (decode(p1, s1) << 1);
}

// An encode is split around its one exponentiation too (encodeBegin, fePow22523, encodeEnd),
// so that encodeBatch can run two side by side. The state of one encode between the halves:
const ES_U1: usize = 0; // u1 = (z0 + y0)(z0 − y0)
const ES_U2: usize = 40; // u2 = x0·y0
const ES_W: usize = 80; // w = u1·u2²: encoding takes SQRT_RATIO_M1(1, w)
const ES_W3: usize = 120; // w³
const ES_POW: usize = 160; // w⁷, the exponentiation's input
const ES_BYTES = 200;
const ES0: usize = memory.data(ES_BYTES, 8);
const ES1: usize = memory.data(ES_BYTES, 8);

/** First half of encoding the P3 point p into the state at st (no branch on p). */
function encodeBegin(st: usize, p: usize): void {
  const U1 = st + ES_U1, U2 = st + ES_U2, W = st + ES_W, W3 = st + ES_W3, W7 = st + ES_POW;
  feAdd(A, p + Z, p + Y);
  feSub(B, p + Z, p + Y);
  feMul(U1, A, B); // u1 = (z0 + y0)(z0 − y0)
  feMul(U2, p + X, p + Y); // u2 = x0·y0
  feSq(TMP, U2);
  feMul(W, TMP, U1);
  // SQRT_RATIO_M1(1, w) up to its exponentiation: w³, w⁷
  feSq(W3, W);
  feMul(W3, W3, W);
  feSq(W7, W3);
  feMul(W7, W7, W);
}

/** Second half: from pw = (w⁷)^((p−5)/8), writes the encoding of p (state at st) at s (no branch on p). */
function encodeEnd(s: usize, p: usize, st: usize, pw: usize): void {
  feMul(TMP, pw, st + ES_W3); // candidate root 1·w³·(1·w⁷)^((p−5)/8)
  sqrtRatioM1FinishOne(INVSQRT, TMP, st + ES_W);
  feMul(DEN1, INVSQRT, st + ES_U1);
  feMul(DEN2, INVSQRT, st + ES_U2);
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

/** Writes the canonical 32-byte encoding of the P3 point p at s (RFC 9496 §4.3.2). Constant time. */
export function encode(s: usize, p: usize): void {
  encodeBegin(ES0, p);
  fePow22523(R, ES0 + ES_POW);
  encodeEnd(s, p, ES0, R);
}

/**
 * Encodes the P3 points p0 and p1 at s0 and s1 (as {@link encode}), running both
 * exponentiations at once in the two lanes of fe2Pow22523. No branch on the points, but for
 * public points only, as all two-lane code (fe2.ts); the single encode is the scalar path.
 */
export function encode2(s0: usize, p0: usize, s1: usize, p1: usize): void {
  encodeBegin(ES0, p0);
  encodeBegin(ES1, p1);
  powPair(ES0 + ES_POW, ES1 + ES_POW);
  encodeEnd(s0, p0, ES0, ES0 + ES_POW);
  encodeEnd(s1, p1, ES1, ES1 + ES_POW);
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

