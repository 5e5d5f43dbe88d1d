/**
 * Arithmetic in GF(2^255 - 19), radix 2^25.5 (ref10 layout).
 *
 * A field element is a pointer to 10 signed 32-bit limbs h0..h9 (40 bytes) with value
 * Σ h_i · 2^⌈25.5·i⌉; even limbs carry 26 bits, odd limbs 25. "Carried" elements (outputs of
 * mul/sq/carry/frombytes) have |h_i| ≤ ~2^25 (even) / 2^24 (odd). feMul/feSq accept inputs whose
 * limbs are up to 1.65× 2^26 / 2^25, i.e. a sum or difference of at most three carried
 * elements; feAdd/feSub do not carry, so callers keep to that budget (as ref10 does).
 *
 * Products are computed in i64: limb i times limb j lands in limb (i + j) mod 10 with a factor
 * 2 when both i and j are odd (the half bits add up) and 19 when i + j ≥ 10 (2^255 ≡ 19).
 * The bodies of feMul/feSq/feSq2 were generated from that rule.
 *
 * No function here branches on or indexes memory by the value of an element.
 */

/** Bytes of a field element. */
export const FE: usize = 40;

// Scratch space for the functions of this file (single-threaded, no recursion).
const T0: usize = memory.data(40, 8);
const T1: usize = memory.data(40, 8);
const T2: usize = memory.data(40, 8);
const T3: usize = memory.data(40, 8);
const TB: usize = memory.data(32, 8);
const TB2: usize = memory.data(32, 8);

/** h = f · g (h may alias f or g). */
export function feMul(h: usize, f: usize, g: usize): void {
  const f0 = <i64>load<i32>(f, 0);
  const f1 = <i64>load<i32>(f, 4);
  const f2 = <i64>load<i32>(f, 8);
  const f3 = <i64>load<i32>(f, 12);
  const f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20);
  const f6 = <i64>load<i32>(f, 24);
  const f7 = <i64>load<i32>(f, 28);
  const f8 = <i64>load<i32>(f, 32);
  const f9 = <i64>load<i32>(f, 36);
  const g0 = <i64>load<i32>(g, 0);
  const g1 = <i64>load<i32>(g, 4);
  const g2 = <i64>load<i32>(g, 8);
  const g3 = <i64>load<i32>(g, 12);
  const g4 = <i64>load<i32>(g, 16);
  const g5 = <i64>load<i32>(g, 20);
  const g6 = <i64>load<i32>(g, 24);
  const g7 = <i64>load<i32>(g, 28);
  const g8 = <i64>load<i32>(g, 32);
  const g9 = <i64>load<i32>(g, 36);
  const g1_19 = g1 * 19;
  const g2_19 = g2 * 19;
  const g3_19 = g3 * 19;
  const g4_19 = g4 * 19;
  const g5_19 = g5 * 19;
  const g6_19 = g6 * 19;
  const g7_19 = g7 * 19;
  const g8_19 = g8 * 19;
  const g9_19 = g9 * 19;
  const f1_2 = f1 << 1;
  const f3_2 = f3 << 1;
  const f5_2 = f5 << 1;
  const f7_2 = f7 << 1;
  const f9_2 = f9 << 1;
  let h0 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  let h1 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  let h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  let h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  let h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  let h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  let h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  let h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  let c: i64;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + 16777216) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + 16777216) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + 33554432) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + 33554432) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + 16777216) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + 16777216) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + 33554432) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + 16777216) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = f² (h may alias f). */
export function feSq(h: usize, f: usize): void {
  const f0 = <i64>load<i32>(f, 0);
  const f1 = <i64>load<i32>(f, 4);
  const f2 = <i64>load<i32>(f, 8);
  const f3 = <i64>load<i32>(f, 12);
  const f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20);
  const f6 = <i64>load<i32>(f, 24);
  const f7 = <i64>load<i32>(f, 28);
  const f8 = <i64>load<i32>(f, 32);
  const f9 = <i64>load<i32>(f, 36);
  const f0_2 = f0 * 2;
  const f1_2 = f1 * 2;
  const f1_4 = f1 * 4;
  const f2_2 = f2 * 2;
  const f3_2 = f3 * 2;
  const f3_4 = f3 * 4;
  const f4_2 = f4 * 2;
  const f5_19 = f5 * 19;
  const f5_2 = f5 * 2;
  const f5_4 = f5 * 4;
  const f6_19 = f6 * 19;
  const f6_2 = f6 * 2;
  const f7_19 = f7 * 19;
  const f7_2 = f7 * 2;
  const f7_4 = f7 * 4;
  const f8_19 = f8 * 19;
  const f8_2 = f8 * 2;
  const f9_19 = f9 * 19;
  const f9_2 = f9 * 2;
  let h0 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
  let h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  let h2 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
  let h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  let h4 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
  let h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  let h6 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
  let h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  let h8 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
  let h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  let c: i64;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + 16777216) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + 16777216) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + 33554432) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + 33554432) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + 16777216) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + 16777216) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + 33554432) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + 16777216) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = 2 · f² (h may alias f). */
export function feSq2(h: usize, f: usize): void {
  const f0 = <i64>load<i32>(f, 0);
  const f1 = <i64>load<i32>(f, 4);
  const f2 = <i64>load<i32>(f, 8);
  const f3 = <i64>load<i32>(f, 12);
  const f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20);
  const f6 = <i64>load<i32>(f, 24);
  const f7 = <i64>load<i32>(f, 28);
  const f8 = <i64>load<i32>(f, 32);
  const f9 = <i64>load<i32>(f, 36);
  const f0_2 = f0 * 2;
  const f1_2 = f1 * 2;
  const f1_4 = f1 * 4;
  const f2_2 = f2 * 2;
  const f3_2 = f3 * 2;
  const f3_4 = f3 * 4;
  const f4_2 = f4 * 2;
  const f5_19 = f5 * 19;
  const f5_2 = f5 * 2;
  const f5_4 = f5 * 4;
  const f6_19 = f6 * 19;
  const f6_2 = f6 * 2;
  const f7_19 = f7 * 19;
  const f7_2 = f7 * 2;
  const f7_4 = f7 * 4;
  const f8_19 = f8 * 19;
  const f8_2 = f8 * 2;
  const f9_19 = f9 * 19;
  const f9_2 = f9 * 2;
  let h0 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
  let h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  let h2 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
  let h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  let h4 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
  let h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  let h6 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
  let h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  let h8 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
  let h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  h0 += h0;
  h1 += h1;
  h2 += h2;
  h3 += h3;
  h4 += h4;
  h5 += h5;
  h6 += h6;
  h7 += h7;
  h8 += h8;
  h9 += h9;
  let c: i64;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + 16777216) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + 16777216) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + 33554432) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + 33554432) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + 16777216) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + 16777216) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + 33554432) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + 16777216) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = f^(2^n) for n ≥ 1 (h may alias f). */
export function feSqN(h: usize, f: usize, n: i32): void {
  feSq(h, f);
  for (let i = 1; i < n; i++) feSq(h, h);
}

/** h = f + g, no carry. */
@inline export function feAdd(h: usize, f: usize, g: usize): void {
  store<i32>(h, load<i32>(f, 0) + load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) + load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) + load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) + load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) + load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) + load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) + load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) + load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) + load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) + load<i32>(g, 36), 36);
}

/** h = f − g, no carry. */
@inline export function feSub(h: usize, f: usize, g: usize): void {
  store<i32>(h, load<i32>(f, 0) - load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) - load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) - load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) - load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) - load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) - load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) - load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) - load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) - load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) - load<i32>(g, 36), 36);
}

/** h = −f. */
@inline export function feNeg(h: usize, f: usize): void {
  for (let i: usize = 0; i < 40; i += 4) store<i32>(h + i, -load<i32>(f + i));
}

/** h = f. */
@inline export function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, 40);
}

/** h = 0. */
@inline export function feZero(h: usize): void {
  memory.fill(h, 0, 40);
}

/** h = 1. */
@inline export function feOne(h: usize): void {
  memory.fill(h, 0, 40);
  store<i32>(h, 1);
}

/** f = b ? g : f for b ∈ {0, 1}, without a branch. */
export function feCmov(f: usize, g: usize, b: i32): void {
  const mask = -(<i64>b);
  let x = load<i64>(f, 0);
  store<i64>(f, x ^ ((x ^ load<i64>(g, 0)) & mask), 0);
  x = load<i64>(f, 8);
  store<i64>(f, x ^ ((x ^ load<i64>(g, 8)) & mask), 8);
  x = load<i64>(f, 16);
  store<i64>(f, x ^ ((x ^ load<i64>(g, 16)) & mask), 16);
  x = load<i64>(f, 24);
  store<i64>(f, x ^ ((x ^ load<i64>(g, 24)) & mask), 24);
  x = load<i64>(f, 32);
  store<i64>(f, x ^ ((x ^ load<i64>(g, 32)) & mask), 32);
}

/** Carry h in place so that it is a carried element again (any limbs below ~2^61 in i64 sums). */
export function feCarry(h: usize): void {
  feCarryStore(
    h,
    <i64>load<i32>(h, 0), <i64>load<i32>(h, 4), <i64>load<i32>(h, 8), <i64>load<i32>(h, 12), <i64>load<i32>(h, 16),
    <i64>load<i32>(h, 20), <i64>load<i32>(h, 24), <i64>load<i32>(h, 28), <i64>load<i32>(h, 32), <i64>load<i32>(h, 36),
  );
}

/**
 * h = the carried element of the 64-bit limb sums h0 … h9 (each below ~2^61 in magnitude): the
 * carry chain of feMul, then the ten limbs stored as i32.
 */
@inline export function feCarryStore(h: usize, h0: i64, h1: i64, h2: i64, h3: i64, h4: i64, h5: i64, h6: i64, h7: i64, h8: i64, h9: i64): void {
  let c: i64;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + 16777216) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + 16777216) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + 33554432) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + 33554432) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + 16777216) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + 16777216) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + 33554432) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + 16777216) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = the element encoded by the 32 little-endian bytes at s, ignoring bit 255 (not reduced). */
export function feFromBytes(h: usize, s: usize): void {
  const w0 = load<u64>(s, 0);
  const w1 = load<u64>(s, 8);
  const w2 = load<u64>(s, 16);
  const w3 = load<u64>(s, 24);
  const m26: u64 = (1 << 26) - 1;
  const m25: u64 = (1 << 25) - 1;
  let h0 = <i64>(w0 & m26);
  let h1 = <i64>((w0 >> 26) & m25);
  let h2 = <i64>(((w0 >> 51) | (w1 << 13)) & m26);
  let h3 = <i64>((w1 >> 13) & m25);
  let h4 = <i64>((w1 >> 38) & m26);
  let h5 = <i64>(w2 & m25);
  let h6 = <i64>((w2 >> 25) & m26);
  let h7 = <i64>(((w2 >> 51) | (w3 << 13)) & m25);
  let h8 = <i64>((w3 >> 12) & m26);
  let h9 = <i64>((w3 >> 38) & m25);
  let c: i64;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + 16777216) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + 16777216) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + 33554432) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + 33554432) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + 16777216) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + 16777216) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + 33554432) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + 33554432) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + 16777216) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + 33554432) >> 26; h1 += c; h0 -= c << 26;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** Writes the canonical 32-byte little-endian encoding of f (fully reduced mod p) at s. */
export function feToBytes(s: usize, f: usize): void {
  feCopy(T3, f);
  feCarry(T3);
  let h0 = <i64>load<i32>(T3, 0);
  let h1 = <i64>load<i32>(T3, 4);
  let h2 = <i64>load<i32>(T3, 8);
  let h3 = <i64>load<i32>(T3, 12);
  let h4 = <i64>load<i32>(T3, 16);
  let h5 = <i64>load<i32>(T3, 20);
  let h6 = <i64>load<i32>(T3, 24);
  let h7 = <i64>load<i32>(T3, 28);
  let h8 = <i64>load<i32>(T3, 32);
  let h9 = <i64>load<i32>(T3, 36);
  // q = floor(h / p) ∈ {0, 1} for a carried h (ref10 fe_tobytes).
  let q: i64 = (19 * h9 + (1 << 24)) >> 25;
  q = (h0 + q) >> 26;
  q = (h1 + q) >> 25;
  q = (h2 + q) >> 26;
  q = (h3 + q) >> 25;
  q = (h4 + q) >> 26;
  q = (h5 + q) >> 25;
  q = (h6 + q) >> 26;
  q = (h7 + q) >> 25;
  q = (h8 + q) >> 26;
  q = (h9 + q) >> 25;
  h0 += 19 * q;
  let c: i64;
  c = h0 >> 26; h1 += c; h0 -= c << 26;
  c = h1 >> 25; h2 += c; h1 -= c << 25;
  c = h2 >> 26; h3 += c; h2 -= c << 26;
  c = h3 >> 25; h4 += c; h3 -= c << 25;
  c = h4 >> 26; h5 += c; h4 -= c << 26;
  c = h5 >> 25; h6 += c; h5 -= c << 25;
  c = h6 >> 26; h7 += c; h6 -= c << 26;
  c = h7 >> 25; h8 += c; h7 -= c << 25;
  c = h8 >> 26; h9 += c; h8 -= c << 26;
  c = h9 >> 25; h9 -= c << 25;
  const u0 = <u64>h0, u1 = <u64>h1, u2 = <u64>h2, u3 = <u64>h3, u4 = <u64>h4;
  const u5 = <u64>h5, u6 = <u64>h6, u7 = <u64>h7, u8 = <u64>h8, u9 = <u64>h9;
  store<u64>(s, u0 | (u1 << 26) | (u2 << 51), 0);
  store<u64>(s, (u2 >> 13) | (u3 << 13) | (u4 << 38), 8);
  store<u64>(s, u5 | (u6 << 25) | (u7 << 51), 16);
  store<u64>(s, (u7 >> 13) | (u8 << 12) | (u9 << 38), 24);
}

/** 1 if f mod p is odd ("negative" in RFC 9496), else 0. */
export function feIsNegative(f: usize): i32 {
  feToBytes(TB, f);
  return load<u8>(TB) & 1;
}

/** 1 if f ≡ 0 mod p, else 0 (no branch on f). */
export function feIsZero(f: usize): i32 {
  feToBytes(TB, f);
  const x = load<u64>(TB, 0) | load<u64>(TB, 8) | load<u64>(TB, 16) | load<u64>(TB, 24);
  return <i32>(((x | (0 - x)) >> 63) ^ 1);
}

/** 1 if f ≡ g mod p, else 0 (f and g carried or sums of two carried elements). */
export function feEq(f: usize, g: usize): i32 {
  feSub(T2, f, g);
  return feIsZero(T2);
}

/** 1 if the canonical encoding of f equals the 32 bytes at s, else 0. */
export function feEqBytes(f: usize, s: usize): i32 {
  feToBytes(TB2, f);
  return bytesEq32(TB2, s);
}

/** 1 if the 32 bytes at a and b are equal, else 0 (no branch on them). */
export function bytesEq32(a: usize, b: usize): i32 {
  const x = (load<u64>(a, 0) ^ load<u64>(b, 0)) | (load<u64>(a, 8) ^ load<u64>(b, 8)) |
    (load<u64>(a, 16) ^ load<u64>(b, 16)) | (load<u64>(a, 24) ^ load<u64>(b, 24));
  return <i32>(((x | (0 - x)) >> 63) ^ 1);
}

/** h = |f|: f or −f, whichever is non-negative (even). */
export function feAbs(h: usize, f: usize): void {
  const neg = feIsNegative(f);
  feNeg(T2, f);
  feCopy(h, f);
  feCmov(h, T2, neg);
}

/** out = z^(p − 2) = 1/z (0 for z = 0). Fixed addition chain (ref10 fe_invert). */
export function feInvert(out: usize, z: usize): void {
  feSq(T0, z); // 2
  feSqN(T1, T0, 2); // 8
  feMul(T1, z, T1); // 9
  feMul(T0, T0, T1); // 11
  feSq(T2, T0); // 22
  feMul(T1, T1, T2); // 2^5 - 1
  feSqN(T2, T1, 5);
  feMul(T1, T2, T1); // 2^10 - 1
  feSqN(T2, T1, 10);
  feMul(T2, T2, T1); // 2^20 - 1
  feSqN(T3, T2, 20);
  feMul(T2, T3, T2); // 2^40 - 1
  feSqN(T2, T2, 10);
  feMul(T1, T2, T1); // 2^50 - 1
  feSqN(T2, T1, 50);
  feMul(T2, T2, T1); // 2^100 - 1
  feSqN(T3, T2, 100);
  feMul(T2, T3, T2); // 2^200 - 1
  feSqN(T2, T2, 50);
  feMul(T1, T2, T1); // 2^250 - 1
  feSqN(T1, T1, 5); // 2^255 - 2^5
  feMul(out, T1, T0); // 2^255 - 21
}

/** out = z^((p − 5) / 8) = z^(2^252 − 3). Fixed addition chain (ref10 fe_pow22523). */
export function fePow22523(out: usize, z: usize): void {
  feSq(T0, z); // 2
  feSqN(T1, T0, 2); // 8
  feMul(T1, z, T1); // 9
  feMul(T0, T0, T1); // 11
  feSq(T0, T0); // 22
  feMul(T0, T1, T0); // 2^5 - 1
  feSqN(T1, T0, 5);
  feMul(T0, T1, T0); // 2^10 - 1
  feSqN(T1, T0, 10);
  feMul(T1, T1, T0); // 2^20 - 1
  feSqN(T2, T1, 20);
  feMul(T1, T2, T1); // 2^40 - 1
  feSqN(T1, T1, 10);
  feMul(T0, T1, T0); // 2^50 - 1
  feSqN(T1, T0, 50);
  feMul(T1, T1, T0); // 2^100 - 1
  feSqN(T2, T1, 100);
  feMul(T1, T2, T1); // 2^200 - 1
  feSqN(T1, T1, 50);
  feMul(T0, T1, T0); // 2^250 - 1
  feSqN(T0, T0, 2); // 2^252 - 4
  feMul(out, T0, z); // 2^252 - 3
}
