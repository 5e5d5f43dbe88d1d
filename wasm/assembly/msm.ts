/**
 * Multi-scalar multiplication Σ k_i·P_i for public scalars: the signed-digit bucket method
 * (Pippenger) over Edwards25519.
 *
 * 1. The points are made affine (NIELS) with one shared inversion, so each bucket addition is
 *    a mixed addition (7 field multiplications instead of 8 or 9).
 * 2. Each scalar (< 2^bits) is recoded into W = ⌈(bits + 1)/c⌉ signed digits in
 *    [−2^(c−1) + 1, 2^(c−1)], so there are 2^(c−1) buckets per window and a negative digit
 *    subtracts the point (negating an affine point is free).
 * 3. For each window from the top: double the running sum c times, drop every point into the
 *    bucket of its digit (the first point into an empty bucket is copied, not added), then
 *    reduce the buckets with the running-sum trick Σ_b b·B_b = Σ_b (Σ_{b' ≥ b} B_b').
 *
 * The window c minimises W·(7n + 9·2^c), the estimated number of field multiplications;
 * short scalars (e.g. 128-bit random weights) get fewer windows through `bits`.
 * Variable time: public data only.
 */
import { FE } from './field';
import {
  PT, NIELS, p3Identity, p3ToCached, p3DblN, ptCopy, p3AddNiels, p3SubNiels, p3FromNiels,
  toNielsBatch, p3AddCached, p3Add,
} from './point';
import { LP, inputsToLanes, fillBuckets2, reduceBuckets2 } from './msm2';

const SB: usize = memory.data(48, 8); // one scalar, zero-padded for 64-bit reads past its end
const HIST: usize = memory.data(257 * 4, 4); // how many scalars have each length in bits (0 ..= 256)
const SUM: usize = memory.data(160, 8);
const ACC: usize = memory.data(160, 8);
const TC: usize = memory.data(160, 8);

let windowOverride = 0;
let lanesOverride = 0;

/** Points from which the bucket phase runs two lanes at a time (msm2.ts) by default. */
const LANES_FROM = 64;

/**
 * Forces the bucket phase to one lane (1, the radix-2^25.5 code below) or two (2, msm2.ts) for
 * tests and benchmarks; 0 restores the automatic choice (two lanes from LANES_FROM points).
 */
export function setMsmLanes(l: i32): void {
  lanesOverride = l;
}

/** Whether an MSM of n points with window c runs its buckets two lanes at a time. */
function useLanes(n: i32, c: i32): bool {
  if (c < 2) return false; // the two-lane reduction splits the buckets in halves
  return lanesOverride == 2 || (lanesOverride == 0 && n >= LANES_FROM);
}

/** Forces the window width (1..15) for benchmarks; 0 restores the automatic choice. */
export function setMsmWindow(c: i32): void {
  windowOverride = c;
}

/** The window width c ∈ [1, 15] for n points and scalars below 2^bits (taken as all that long). */
export function msmWindow(n: i32, bits: i32): i32 {
  if (windowOverride > 0) return windowOverride;
  memory.fill(HIST, 0, 257 * 4);
  store<i32>(HIST + <usize>(4 * bits), n);
  return windowForHistogram(bits);
}

/**
 * The window width c ∈ [1, 15] for the n scalars at `scalars` (stride 32, each below 2^bits),
 * looking at each one's length: a scalar of L bits has digits in ⌈(L + 1)/c⌉ windows only (a
 * batch's 128-bit weights skip the top half), so the estimate is
 * 7·Σ_i ⌈(L_i + 1)/c⌉ + 9·2^c·⌈(bits + 1)/c⌉ field multiplications. This favours a narrower
 * window than {@link msmWindow} when most scalars are short. Scalars are public.
 */
export function msmWindowFor(scalars: usize, n: i32, bits: i32): i32 {
  if (windowOverride > 0) return windowOverride;
  const hist = HIST;
  memory.fill(hist, 0, 257 * 4);
  for (let i = 0; i < n; i++) {
    const s = scalars + <usize>i * 32;
    let len = 0;
    for (let w = 3; w >= 0; w--) {
      const v = load<u64>(s + <usize>(8 * w));
      if (v != 0) {
        len = 64 * w + 64 - <i32>clz<u64>(v);
        break;
      }
    }
    const h = hist + <usize>(4 * len);
    store<i32>(h, load<i32>(h) + 1);
  }
  return windowForHistogram(bits);
}

/**
 * The c ∈ [1, 15] of least estimated cost, 7·Σ_i ⌈(L_i + 1)/c⌉ + 9·2^c·⌈(bits + 1)/c⌉ field
 * multiplications (bucket additions, then the buckets' reduction), for the scalar lengths L_i
 * counted in HIST (scalars below 2^bits).
 */
function windowForHistogram(bits: i32): i32 {
  const hist = HIST;
  let best = 1;
  let bestCost: f64 = Infinity;
  for (let c = 1; c <= 15; c++) {
    let digits: f64 = 0;
    for (let len = 1; len <= 256; len++) {
      const k = load<i32>(hist + <usize>(4 * len));
      if (k != 0) digits += <f64>k * <f64>((len + c) / c);
    }
    const cost = 7.0 * digits + 9.0 * <f64>(1 << c) * <f64>((bits + c) / c);
    if (cost < bestCost) {
      bestCost = cost;
      best = c;
    }
  }
  return best;
}

@inline function align8(x: usize): usize {
  return (x + 7) & ~(<usize>7);
}

/** Scratch bytes {@link msm} needs for n points and scalars below 2^bits. */
export function msmScratchBytes(n: i32, bits: i32): usize {
  return msmScratchBytesC(n, bits, msmWindow(n, bits));
}

/** Scratch bytes {@link msmC} needs for n points, scalars below 2^bits and window c. */
export function msmScratchBytesC(n: i32, bits: i32, c: i32): usize {
  const w = (bits + c) / c;
  const nb = <usize>1 << (c - 1);
  const common = align8(<usize>n * NIELS + <usize>n * FE + <usize>n * <usize>w * 2);
  const one = common + nb * PT + nb + 8;
  const two = common + 8 + <usize>n * LP + nb * LP + nb + 8;
  return one > two ? one : two;
}

/**
 * out (P3) = Σ_{i<n} k_i·P_i for the P3 points at `pts` (stride 160) and the 32-byte
 * little-endian scalars at `scalars` (stride 32, each < 2^bits, bits ≤ 256).
 * `scratch` must hold msmScratchBytes(n, bits) bytes.
 */
export function msm(out: usize, pts: usize, scalars: usize, n: i32, bits: i32, scratch: usize): void {
  msmC(out, pts, scalars, n, bits, n > 0 ? msmWindow(n, bits) : 1, scratch);
}

/**
 * {@link msm} with the window width c ∈ [1, 15] given (e.g. by {@link msmWindowFor}); `scratch`
 * must hold msmScratchBytesC(n, bits, c) bytes.
 */
export function msmC(out: usize, pts: usize, scalars: usize, n: i32, bits: i32, c: i32, scratch: usize): void {
  p3Identity(out);
  if (n <= 0) return;
  if (c < 1 || c > 15) unreachable();
  const W = (bits + c) / c;
  const nb = 1 << (c - 1);
  const niels = scratch;
  const prefix = niels + <usize>n * NIELS;
  const digits = prefix + <usize>n * FE;
  const buckets = align8(digits + <usize>n * <usize>W * 2);
  const full = buckets + <usize>nb * PT;

  toNielsBatch(niels, pts, n, prefix);
  const lanes = useLanes(n, c);
  // Two lanes: the inputs as doubles (16-aligned) and the buckets as lane points after them.
  const inputs = (digits + <usize>n * <usize>W * 2 + 15) & ~(<usize>15);
  const buckets2 = inputs + <usize>n * LP;
  const full2 = buckets2 + <usize>nb * LP;
  if (lanes) inputsToLanes(inputs, niels, n);

  // Signed digits, window-major: digits[w·n + i].
  const mask: u64 = (<u64>1 << c) - 1;
  const half = 1 << (c - 1);
  memory.fill(SB, 0, 48);
  for (let i = 0; i < n; i++) {
    memory.copy(SB, scalars + <usize>i * 32, 32);
    let carry = 0;
    for (let w = 0; w < W; w++) {
      const bit = w * c;
      const v = <i32>((load<u64>(SB + <usize>(bit >> 3)) >> <u64>(bit & 7)) & mask);
      let d = v + carry;
      carry = (d + half - 1) >> c;
      d -= carry << c;
      store<i16>(digits + (<usize>w * <usize>n + <usize>i) * 2, <i16>d);
    }
  }

  for (let w = W - 1; w >= 0; w--) {
    if (w != W - 1) p3DblN(out, c);
    const row = digits + <usize>w * <usize>n * 2;
    if (lanes) {
      memory.fill(full2, 0, nb);
      fillBuckets2(row, n, inputs, buckets2, full2);
      // Σ (b+1)·bucket_b = s0 + (nb/2)·t0 + s1
      reduceBuckets2(buckets2, full2, nb, SUM, TC, ACC);
      if (c > 2) p3DblN(TC, c - 2);
      p3Add(SUM, SUM, TC);
      p3Add(SUM, SUM, ACC);
      p3Add(out, out, SUM);
      continue;
    }
    memory.fill(full, 0, nb);
    for (let i = 0; i < n; i++) {
      const d = <i32>load<i16>(row + <usize>i * 2);
      if (d == 0) continue;
      const neg = d < 0;
      const b = <usize>((neg ? -d : d) - 1);
      const bp = buckets + b * PT;
      const np = niels + <usize>i * NIELS;
      if (load<u8>(full + b) == 0) {
        p3FromNiels(bp, np, neg ? 1 : 0);
        store<u8>(full + b, 1);
      } else if (neg) {
        p3SubNiels(bp, np);
      } else {
        p3AddNiels(bp, np);
      }
    }
    // Σ_b (b+1)·bucket_b by running sums, from the top bucket down.
    let sumEmpty = true;
    let accEmpty = true;
    for (let b = nb - 1; b >= 0; b--) {
      if (load<u8>(full + <usize>b)) {
        const bp = buckets + <usize>b * PT;
        if (sumEmpty) {
          ptCopy(SUM, bp);
          sumEmpty = false;
        } else {
          p3ToCached(TC, bp);
          p3AddCached(SUM, TC);
        }
      }
      if (!sumEmpty) {
        if (accEmpty) {
          ptCopy(ACC, SUM);
          accEmpty = false;
        } else {
          p3ToCached(TC, SUM);
          p3AddCached(ACC, TC);
        }
      }
    }
    if (!accEmpty) {
      p3ToCached(TC, ACC);
      p3AddCached(out, TC);
    }
  }
}
