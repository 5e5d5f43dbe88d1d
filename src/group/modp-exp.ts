/**
 * Exponentiation algorithms in Z_p^* over native BigInt: windowed single exponentiation,
 * fixed-base tables (Brickell–Gordon–McCurley–Wilson fixed windows) and multi-exponentiation
 * (Straus interleaving for few bases, the bucket method of Pippenger for many).
 *
 * Written multiplicatively: "power" here is what {@link Group.multiply} calls a scalar
 * multiplication. Nothing in this file is constant-time: JavaScript BigInt arithmetic gives no
 * timing guarantee at all (operand-dependent lengths, allocation, early exits in V8's
 * multiplication and division). The `*Regular` functions only avoid branches and operation
 * counts that depend on the exponent; see `docs/groups.md`.
 * @module
 */

/** Number of bits of a non-negative bigint (0 for 0). */
export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * b^e mod p for a PUBLIC exponent e ≥ 0, left-to-right sliding window over odd powers.
 * Cost ≈ bits(e) squarings + bits(e)/(w+1) multiplications.
 */
export function powUnsafe(b: bigint, e: bigint, p: bigint): bigint {
  if (e === 0n) return 1n;
  const bits = e.toString(2);
  const n = bits.length;
  const w = n > 512 ? 6 : n > 160 ? 5 : n > 48 ? 4 : n > 16 ? 3 : 1;
  const base = b % p;
  // odd[i] = base^(2i+1)
  const odd: bigint[] = [base];
  if (w > 1) {
    const b2 = (base * base) % p;
    for (let i = 1; i < 1 << (w - 1); i++) odd.push((odd[i - 1]! * b2) % p);
  }
  let r = 1n;
  let started = false;
  let j = 0;
  while (j < n) {
    if (bits.charCodeAt(j) === 48 /* '0' */) {
      if (started) r = (r * r) % p;
      j++;
      continue;
    }
    let l = Math.min(w, n - j);
    while (bits.charCodeAt(j + l - 1) === 48) l--;
    const v = parseInt(bits.substring(j, j + l), 2);
    if (started) for (let k = 0; k < l; k++) r = (r * r) % p;
    r = started ? (r * odd[(v - 1) >> 1]!) % p : odd[(v - 1) >> 1]!;
    started = true;
    j += l;
  }
  return r;
}

/**
 * b^e mod p for a SECRET exponent 0 ≤ e < 2^bits: fixed 4-bit windows over exactly `bits` bits,
 * so the sequence of squarings and table multiplications does not depend on e (a multiplication
 * by the table entry 1 happens for zero digits). Still not constant-time: see the module note.
 */
export function powRegular(b: bigint, e: bigint, p: bigint, bits: number): bigint {
  const W = 4;
  const table: bigint[] = [1n, b % p];
  for (let i = 2; i < 1 << W; i++) table.push((table[i - 1]! * table[1]!) % p);
  const windows = Math.ceil(bits / W);
  let r = 1n;
  for (let i = windows - 1; i >= 0; i--) {
    for (let k = 0; k < W; k++) r = (r * r) % p;
    const digit = Number((e >> BigInt(i * W)) & 15n);
    r = (r * table[digit]!) % p;
  }
  return r;
}

/**
 * A fixed-base table for base B: T[i][j] = B^(j·2^(w·i)) for i < ⌈bits/w⌉ and j < 2^w, so that
 * B^k = Π_i T[i][digit_i(k)] costs ⌈bits/w⌉ multiplications and no squaring.
 * Memory: ⌈bits/w⌉·2^w elements (w = 8, 256-bit q: 8,192 elements, 2 MiB for a 2048-bit p).
 */
export interface PowTable {
  readonly window: number;
  readonly windows: number;
  /** Flat table, entry (i, j) at i·2^w + j. */
  readonly entries: readonly bigint[];
}

/** Build the fixed-base table of `base` for exponents below 2^bits with w-bit windows. */
export function buildPowTable(base: bigint, p: bigint, bits: number, window: number): PowTable {
  if (!Number.isInteger(window) || window < 1 || window > 12) throw new RangeError('fixed-base window must be 1..12');
  const size = 1 << window;
  const windows = Math.ceil(bits / window);
  const entries: bigint[] = new Array(windows * size);
  let bi = base % p; // B^(2^(w·i))
  for (let i = 0; i < windows; i++) {
    const o = i * size;
    entries[o] = 1n;
    entries[o + 1] = bi;
    for (let j = 2; j < size; j++) entries[o + j] = (entries[o + j - 1]! * bi) % p;
    bi = (entries[o + size - 1]! * bi) % p;
  }
  return Object.freeze({ window, windows, entries: Object.freeze(entries) });
}

/**
 * B^k from a fixed-base table. `regular`: multiply for every window (by 1 for a zero digit), so
 * the operation count does not depend on k; otherwise zero digits are skipped (public k only).
 */
export function powFromTable(t: PowTable, k: bigint, p: bigint, regular: boolean): bigint {
  const { window: w, windows, entries } = t;
  const mask = BigInt((1 << w) - 1);
  const W = BigInt(w);
  let r = 1n;
  let e = k;
  for (let i = 0; i < windows; i++) {
    const d = Number(e & mask);
    e >>= W;
    if (d !== 0 || regular) r = (r * entries[i * (1 << w) + d]!) % p;
  }
  return r;
}

/** Straus / interleaved multi-exponentiation with 4-bit fixed windows: Π b_i^e_i mod p. */
function multiExpStraus(bases: readonly bigint[], exps: readonly bigint[], p: bigint, bits: number): bigint {
  const W = 4;
  const tables = bases.map((b) => {
    const t: bigint[] = [1n, b];
    for (let j = 2; j < 1 << W; j++) t.push((t[j - 1]! * b) % p);
    return t;
  });
  const windows = Math.ceil(bits / W);
  let r = 1n;
  for (let i = windows - 1; i >= 0; i--) {
    if (r !== 1n) for (let k = 0; k < W; k++) r = (r * r) % p;
    const shift = BigInt(i * W);
    for (let j = 0; j < bases.length; j++) {
      const d = Number((exps[j]! >> shift) & 15n);
      if (d !== 0) r = (r * tables[j]![d]!) % p;
    }
  }
  return r;
}

/**
 * Bucket method (Pippenger) with c-bit windows: for each window, bucket[d] = Π of the bases whose
 * digit is d, then Π_d bucket[d]^d by running products (2·2^c multiplications), windows joined
 * by c squarings each.
 */
function multiExpBuckets(bases: readonly bigint[], exps: readonly bigint[], p: bigint, bits: number, c: number): bigint {
  const windows = Math.ceil(bits / c);
  const mask = BigInt((1 << c) - 1);
  const buckets: bigint[] = new Array(1 << c);
  let r = 1n;
  for (let i = windows - 1; i >= 0; i--) {
    if (r !== 1n) for (let k = 0; k < c; k++) r = (r * r) % p;
    buckets.fill(1n);
    const shift = BigInt(i * c);
    for (let j = 0; j < bases.length; j++) {
      const d = Number((exps[j]! >> shift) & mask);
      if (d !== 0) buckets[d] = buckets[d] === 1n ? bases[j]! : (buckets[d]! * bases[j]!) % p;
    }
    // Π_d bucket[d]^d = Π_{d} (Π_{d' ≥ d} bucket[d'])
    let running = 1n;
    let acc = 1n;
    for (let d = buckets.length - 1; d > 0; d--) {
      if (buckets[d] !== 1n) running = running === 1n ? buckets[d]! : (running * buckets[d]!) % p;
      if (running !== 1n) acc = acc === 1n ? running : (acc * running) % p;
    }
    if (acc !== 1n) r = (r * acc) % p;
  }
  return r;
}

/**
 * Π bases[i]^exps[i] mod p for PUBLIC exponents (variable time), choosing Straus or the bucket
 * method by a multiplication-count model. Exponents must be ≥ 0.
 */
export function multiExpUnsafe(bases: readonly bigint[], exps: readonly bigint[], p: bigint): bigint {
  const n = bases.length;
  if (n === 0) return 1n;
  let max = 0n;
  for (const e of exps) if (e > max) max = e;
  const bits = bitLength(max);
  if (bits === 0) return 1n;
  if (n === 1) return powUnsafe(bases[0]!, exps[0]!, p);
  // Straus, w = 4: 14 table multiplications per base, bits/4·(15/16) digit multiplications per base, bits squarings.
  const straus = n * 14 + n * Math.ceil(bits / 4) * (15 / 16) + bits;
  let bestC = 1;
  let bestCost = Infinity;
  for (let c = 1; c <= 16; c++) {
    const cost = Math.ceil(bits / c) * (n + 2 * (1 << c)) + bits;
    if (cost < bestCost) [bestC, bestCost] = [c, cost];
  }
  return straus <= bestCost ? multiExpStraus(bases, exps, p, bits) : multiExpBuckets(bases, exps, p, bits, bestC);
}
