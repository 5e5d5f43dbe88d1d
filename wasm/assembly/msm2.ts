/**
 * The bucket phase of the MSM (msm.ts) two points at a time: one per f64 lane of WebAssembly
 * SIMD vectors, with the field arithmetic of fe2-arith.ts (12 limbs, limb k a double holding
 * v_k·2^P_k; see wasm/gen-fe2.mjs for the representation and the exactness bound).
 *
 * Layouts (doubles, one lane):
 * - a "lane element" is 12 doubles (96 bytes), limb k at 8k: the same limbs as one lane of a
 *   pair (FE2, limb k at 16k + 8·lane);
 * - a lane point is X, Y, Z, T as four lane elements (384 bytes), in extended coordinates;
 * - an input point is y+x, y−x, 2d·x·y (its NIELS form) and 2·x·y, four lane elements (384 bytes).
 *
 * Buckets live as lane points; two bucket additions with different buckets run side by side,
 * reading each bucket's limbs into pairs as they are needed and writing the sums' limbs straight
 * back to the two buckets (fe2MulSplit), without a gathered copy of the pair. The running-sum
 * reduction also runs in two lanes: the top half of the buckets in lane 0, the bottom half in
 * lane 1.
 *
 * Limb bounds (B = 2^21 + 2^14, the bound of a carried limb): every mul input below is carried,
 * or a sum or difference of two elements each within 2B, or of four within B on one side with
 * the other side carried. fe2Mul is exact for inputs up to 2B on both sides (columns below
 * 2^52.6 units, under 2^53) and its output is carried (see gen-fe2.mjs). Each use is annotated.
 *
 * Variable time: public data only (batch verification).
 */
import { FE, feToBytes } from './field';
import { fe2Mul, fe2MulSplit, fe2Carry } from './fe2-arith';
import { fe2SetLane, fe2LaneFromFe, fe2LaneToFe } from './fe2';
import { D2, INV_D, NIELS } from './point';

/** Bytes of a lane element (12 doubles). */
export const LE: usize = 96;
/** Bytes of a lane point or an input point (4 lane elements). */
export const LP: usize = 384;

// Pair scratch (each FE2 = 12 × f64x2 = 192 bytes), 16-aligned.
const PX: usize = memory.data(192 * 4, 16); // a gathered pair of points: X, Y, Z, T
const PN: usize = memory.data(192 * 4, 16); // a gathered pair of inputs: y+x, y−x, 2dxy, (unused)
const TA: usize = memory.data(192, 16);
const TB: usize = memory.data(192, 16);
const TC: usize = memory.data(192, 16);
const TD: usize = memory.data(192, 16);
const TE: usize = memory.data(192, 16);
const TF: usize = memory.data(192, 16);
const TG: usize = memory.data(192, 16);
const TH: usize = memory.data(192, 16);
const SUM2: usize = memory.data(192 * 4, 16);
const SPARE: usize = memory.data(<i32>LP, 8); // addAlone's discarded lane 1
const ACC2: usize = memory.data(192 * 4, 16);
const BYTES: usize = memory.data(32, 8);

/** 2d and 1/d in both lanes (carried), and the identity as a lane point. */
const D2_2: usize = memory.data(192, 16);
const INVD_2: usize = memory.data(192, 16);
const IDENT: usize = memory.data(384, 8);

feToBytes(BYTES, D2);
fe2SetLane(D2_2, 0, BYTES);
fe2SetLane(D2_2, 1, BYTES);
fe2Carry(D2_2, D2_2);
feToBytes(BYTES, INV_D);
fe2SetLane(INVD_2, 0, BYTES);
fe2SetLane(INVD_2, 1, BYTES);
fe2Carry(INVD_2, INVD_2);
store<f64>(IDENT + LE, 1.0); // Y = 1
store<f64>(IDENT + 2 * LE, 1.0); // Z = 1

/** Copies `n` elements' limbs (12 each) of the pair at src, lane `lane`, to the lane elements at dst. */
@inline function scatterLane(dst: usize, src: usize, lane: i32, n: i32): void {
  const s = src + <usize>(8 * lane);
  for (let m = 0; m < 12 * n; m++) store<f64>(dst + <usize>(8 * m), load<f64>(s + <usize>(16 * m)));
}

/**
 * The NIELS inputs at `niels` (stride 120, radix 2^25.5) as input points at `out` (stride LP),
 * two at a time: y+x, y−x and 2d·x·y carried, and 2·x·y = (2d·x·y)·(1/d).
 */
export function inputsToLanes(out: usize, niels: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const a = niels + <usize>i * NIELS;
    const b = i + 1 < n ? a + NIELS : a;
    for (let c = 0; c < 3; c++) {
      const pc = PN + <usize>(192 * c);
      fe2LaneFromFe(pc, 0, a + <usize>c * FE);
      fe2LaneFromFe(pc, 1, b + <usize>c * FE);
      fe2Carry(pc, pc);
    }
    fe2Mul(PN + 576, PN + 384, INVD_2); // carried × carried
    const o = out + <usize>i * LP;
    scatterLane(o, PN, 0, 4);
    if (i + 1 < n) scatterLane(o + LP, PN, 1, 4);
  }
}

/** The vector (lane 0 from p, lane 1 from q). */
@inline function pairOf(p: usize, q: usize): v128 {
  return v128.load64_lane(q, v128.load64_zero(p), 1);
}

/** Pair at dst (n elements) = lane point/elements at p (lane 0) and q (lane 1). */
@inline function gather(dst: usize, p: usize, q: usize, n: i32): void {
  for (let m = 0; m < 12 * n; m++)
    v128.store(dst + <usize>(16 * m), pairOf(p + <usize>(8 * m), q + <usize>(8 * m)));
}

/**
 * PN = the NIELS parts of inputs p (lane 0) and q (lane 1), each negated when its flag is set:
 * −(y+x, y−x, 2dxy) = (y−x, y+x, −2dxy). Built in vector registers and stored whole (writing
 * the lanes separately and reading them back as vectors would defeat store forwarding).
 */
@inline function gatherInputs(p: usize, negP: bool, q: usize, negQ: bool): void {
  const pp = negP ? p + LE : p;
  const pm = negP ? p : p + LE;
  const qp = negQ ? q + LE : q;
  const qm = negQ ? q : q + LE;
  const s = f64x2.replace_lane(f64x2.splat(negP ? -1.0 : 1.0), 1, negQ ? -1.0 : 1.0);
  for (let k = 0; k < 12; k++) {
    const o = <usize>(8 * k);
    const d = <usize>(16 * k);
    v128.store(PN + d, pairOf(pp + o, qp + o));
    v128.store(PN + 192 + d, pairOf(pm + o, qm + o));
    v128.store(PN + 384 + d, f64x2.mul(s, pairOf(p + 2 * LE + o, q + 2 * LE + o)));
  }
}

/**
 * Lane points w0 := p + PN's lane 0 and w1 := q + PN's lane 1, where p and q are lane points
 * (X and Y within 2B, Z and T carried) and PN a pair of NIELS inputs (carried): the mixed
 * addition (add-2008-hwcd-3 with Z2 = 1), 7 multiplications and a carry. The results are
 * carried. Every limb of p and q is read before w0 and w1 are written (w0 = p, w1 = q adds in
 * place; addAlone reads one bucket in both lanes and keeps lane 0).
 */
function madd2(p: usize, q: usize, w0: usize, w1: usize): void {
  for (let k = 0; k < 12; k++) {
    const o = <usize>(8 * k);
    const d = <usize>(16 * k);
    const x = pairOf(p + o, q + o);
    const y = pairOf(p + LE + o, q + LE + o);
    v128.store(TA + d, f64x2.add(y, x)); // 4B
    v128.store(TB + d, f64x2.sub(y, x)); // 4B
    const z = pairOf(p + 2 * LE + o, q + 2 * LE + o);
    v128.store(TD + d, f64x2.add(z, z));
    v128.store(PX + d, pairOf(p + 3 * LE + o, q + 3 * LE + o)); // T1
  }
  fe2Mul(TA, TA, PN); // (Y1+X1)(y2+x2): 4B × carried
  fe2Mul(TB, TB, PN + 192); // (Y1−X1)(y2−x2)
  fe2Mul(TC, PX, PN + 384); // T1·2d·x2·y2: carried × carried
  fe2Carry(TD, TD); // D = 2·Z1
  // E = P − M, H = P + M, F = D − C, G = D + C (each within 2B)
  finishTerms(TA, TB);
  fe2MulSplit(w0, w1, TE, TF); // X3 = E·F: 2B × 2B
  fe2MulSplit(w0 + LE, w1 + LE, TG, TH); // Y3 = G·H
  fe2MulSplit(w0 + 3 * LE, w1 + 3 * LE, TE, TH); // T3 = E·H
  fe2MulSplit(w0 + 2 * LE, w1 + 2 * LE, TF, TG); // Z3 = F·G
}

/**
 * r (a pair of points, carried) += q (a pair of points: X and Y within 2B when `carryQ`, else
 * carried; Z within 2B; T carried): add-2008-hwcd-3, 9 multiplications. The result is carried.
 */
function add2(r: usize, q: usize, carryQ: bool): void {
  for (let k = 0; k < 12; k++) {
    const o = <usize>(16 * k);
    const x1 = v128.load(r + o);
    const y1 = v128.load(r + 192 + o);
    const x2 = v128.load(q + o);
    const y2 = v128.load(q + 192 + o);
    const z2 = v128.load(q + 384 + o);
    v128.store(TA + o, f64x2.sub(y1, x1)); // 2B
    v128.store(TB + o, f64x2.add(y1, x1));
    v128.store(TC + o, f64x2.sub(y2, x2)); // 4B, or 2B when q is carried
    v128.store(TD + o, f64x2.add(y2, x2));
    v128.store(TE + o, f64x2.add(z2, z2)); // 2B
  }
  if (carryQ) {
    fe2Carry(TC, TC);
    fe2Carry(TD, TD);
  }
  fe2Mul(TA, TA, TC); // A = (Y1−X1)(Y2−X2): 2B × 2B
  fe2Mul(TB, TB, TD); // B = (Y1+X1)(Y2+X2)
  fe2Mul(TD, r + 384, TE); // D = Z1·2Z2: carried × 2B
  fe2Mul(TC, r + 576, q + 576); // T1·T2: carried × carried
  fe2Mul(TC, TC, D2_2); // C = T1·2d·T2
  finishAdd(r, TB, TA);
}

/**
 * The end of add-2008-hwcd-3: from the products P = (Y1+X1)·(Y2+X2) at p, M = (Y1−X1)·(Y2−X2)
 * at m, C at TC and D at TD (all carried), E = P − M, H = P + M, F = D − C, G = D + C (each
 * within 2B), and dst (a pair of points, carried) = (E·F : G·H : F·G : E·H).
 */
function finishAdd(dst: usize, p: usize, m: usize): void {
  finishTerms(p, m);
  fe2Mul(dst, TE, TF); // 2B × 2B
  fe2Mul(dst + 192, TG, TH);
  fe2Mul(dst + 576, TE, TH);
  fe2Mul(dst + 384, TF, TG);
}

/** TE = P − M, TH = P + M, TF = D − C, TG = D + C (pairs; P at p, M at m, C at TC, D at TD). */
@inline function finishTerms(p: usize, m: usize): void {
  for (let k = 0; k < 12; k++) {
    const o = <usize>(16 * k);
    const a = v128.load(p + o);
    const b = v128.load(m + o);
    const c = v128.load(TC + o);
    const d = v128.load(TD + o);
    v128.store(TE + o, f64x2.sub(a, b));
    v128.store(TH + o, f64x2.add(a, b));
    v128.store(TF + o, f64x2.sub(d, c));
    v128.store(TG + o, f64x2.add(d, c));
  }
}

/**
 * Bucket b (a lane point) = input `pt` or its negation, as (2x : 2y : 2 : 2xy): X and Y are
 * within 2B, Z and T carried.
 */
function bucketStart(b: usize, pt: usize, neg: bool): void {
  const s: f64 = neg ? -1.0 : 1.0;
  for (let k = 0; k < 12; k++) {
    const o = <usize>(8 * k);
    const p = load<f64>(pt + o);
    const m = load<f64>(pt + LE + o);
    store<f64>(b + o, s * (p - m)); // ±2x (exact: both are multiples of 2^P_k below 2^53 units)
    store<f64>(b + LE + o, p + m); // 2y
    store<f64>(b + 2 * LE + o, 0.0);
    store<f64>(b + 3 * LE + o, s * load<f64>(pt + 3 * LE + o)); // ±2xy
  }
  store<f64>(b + 2 * LE, 2.0);
}

/**
 * Adds the inputs of one window to their buckets, two different buckets at a time.
 * `row` holds the window's signed digits (i16, one per input), `inputs` the input points,
 * `buckets` nb lane points, `full` one byte per bucket (cleared by the caller).
 */
export function fillBuckets2(row: usize, n: i32, inputs: usize, buckets: usize, full: usize): void {
  let pend: i32 = -1; // index of the input waiting for a partner, its bucket and sign
  let pendB: usize = 0;
  let pendNeg = false;
  for (let i = 0; i < n; i++) {
    const d = <i32>load<i16>(row + <usize>i * 2);
    if (d == 0) continue;
    const neg = d < 0;
    const b = <usize>((neg ? -d : d) - 1);
    const pt = inputs + <usize>i * LP;
    if (load<u8>(full + b) == 0) {
      bucketStart(buckets + b * LP, pt, neg);
      store<u8>(full + b, 1);
      continue;
    }
    if (pend < 0) {
      pend = i;
      pendB = b;
      pendNeg = neg;
      continue;
    }
    const pb = buckets + pendB * LP;
    if (pendB == b) {
      // Same bucket: add the waiting input alone, keep this one waiting.
      addAlone(pb, inputs + <usize>pend * LP, pendNeg);
      pend = i;
      pendNeg = neg;
      continue;
    }
    const bb = buckets + b * LP;
    gatherInputs(inputs + <usize>pend * LP, pendNeg, pt, neg);
    madd2(pb, bb, pb, bb);
    pend = -1;
  }
  if (pend >= 0) addAlone(buckets + pendB * LP, inputs + <usize>pend * LP, pendNeg);
}

/** Bucket b (a lane point) += input pt (negated when `neg`), alone: both lanes alike, lane 0 kept. */
function addAlone(b: usize, pt: usize, neg: bool): void {
  gatherInputs(pt, neg, pt, neg);
  madd2(b, b, b, SPARE);
}

/**
 * Σ_{b<nb} (b+1)·bucket_b (empty buckets, where full[b] = 0, count as the identity) into the
 * three P3 points (radix 2^25.5) s0 = Σ_{b≥h} (b−h+1)·bucket_b, t0 = Σ_{b≥h} bucket_b and
 * s1 = Σ_{b<h} (b+1)·bucket_b, h = nb/2: the total is s0 + h·t0 + s1. Lane 0 runs the
 * running sums over the top half, lane 1 over the bottom half. nb must be even.
 */
export function reduceBuckets2(buckets: usize, full: usize, nb: i32, s0: usize, t0: usize, s1: usize): void {
  const h = nb >> 1;
  gather(SUM2, IDENT, IDENT, 4);
  gather(ACC2, IDENT, IDENT, 4);
  for (let b = h - 1; b >= 0; b--) {
    const hi = <usize>(h + b);
    const lo = <usize>b;
    const fh = load<u8>(full + hi) != 0;
    const fl = load<u8>(full + lo) != 0;
    if (fh || fl) {
      gather(PX, fh ? buckets + hi * LP : IDENT, fl ? buckets + lo * LP : IDENT, 4);
      add2(SUM2, PX, true);
    }
    add2(ACC2, SUM2, false);
  }
  for (let c = 0; c < 4; c++) {
    const o = <usize>(192 * c);
    fe2LaneToFe(s0 + <usize>c * FE, ACC2 + o, 0);
    fe2LaneToFe(t0 + <usize>c * FE, SUM2 + o, 0);
    fe2LaneToFe(s1 + <usize>c * FE, ACC2 + o, 1);
  }
}

