/**
 * Scalar multiplication: variable base (constant-time radix-16 and variable-time sliding
 * window) and fixed base (64 × 8 affine table, constant-time and variable-time).
 *
 * Scalars are 32 little-endian bytes, k < 2^253 (every reduced scalar mod ℓ).
 */
import { FE } from './field';
import {
  PT, NIELS, p3Identity, p3ToCached, p3Dbl, p1p1ToP2, p1p1ToP3, p2Dbl, pAdd, pSub,
  selectCached, selectNiels, toNielsBatch, ptCopy, p3AddNiels, p3SubNiels, p3AddCached,
} from './point';

const Q1: usize = memory.data(160, 8); // P1P1
const Q2: usize = memory.data(160, 8); // P2/P3
const TC: usize = memory.data(160, 8); // CACHED
const TN: usize = memory.data(120, 8); // NIELS
const TABLE: usize = memory.data(8 * 160, 8); // 8 CACHED points
const E: usize = memory.data(64, 8); // signed radix-16 digits (i8)
const SLIDE: usize = memory.data(256, 8); // sliding-window digits (i8)

/** Signed radix-16 digits e_0..e_63 ∈ [−8, 8] of the scalar at k: k = Σ e_i·16^i. No branches. */
function radix16(k: usize): void {
  for (let i = 0; i < 32; i++) {
    const b = <i32>load<u8>(k + i);
    store<i8>(E + 2 * i, <i8>(b & 15));
    store<i8>(E + 2 * i + 1, <i8>((b >> 4) & 15));
  }
  let carry: i32 = 0;
  for (let i = 0; i < 63; i++) {
    let e = <i32>load<i8>(E + i) + carry;
    carry = (e + 8) >> 4;
    e -= carry << 4;
    store<i8>(E + i, <i8>e);
  }
  store<i8>(E + 63, <i8>(<i32>load<i8>(E + 63) + carry));
}

/**
 * r = k·p for the P3 point p, constant time: fixed radix-16 window, 64 additions of a table
 * entry selected by masked scans, no branch or memory index depending on k (libsodium's
 * ge25519_scalarmult). r may alias p.
 */
export function scalarMulCT(r: usize, p: usize, k: usize): void {
  radix16(k);
  // TABLE[j] = (j+1)·p as CACHED
  ptCopy(Q2, p);
  p3ToCached(TABLE, Q2);
  for (let j = 1; j < 8; j++) {
    pAdd(Q1, p, TABLE + <usize>(j - 1) * PT);
    p1p1ToP3(Q2, Q1);
    p3ToCached(TABLE + <usize>j * PT, Q2);
  }
  p3Identity(r);
  for (let i = 63; i > 0; i--) {
    selectCached(TC, TABLE, <i32>load<i8>(E + i));
    pAdd(Q1, r, TC);
    p1p1ToP2(Q2, Q1);
    p2Dbl(Q1, Q2);
    p1p1ToP2(Q2, Q1);
    p2Dbl(Q1, Q2);
    p1p1ToP2(Q2, Q1);
    p2Dbl(Q1, Q2);
    p1p1ToP2(Q2, Q1);
    p2Dbl(Q1, Q2);
    p1p1ToP3(r, Q1);
  }
  selectCached(TC, TABLE, <i32>load<i8>(E));
  pAdd(Q1, r, TC);
  p1p1ToP3(r, Q1);
}

/** Width-5 sliding-window digits (odd, in [−15, 15]) of the scalar at k (ref10 slide). */
function slide(k: usize): void {
  for (let i = 0; i < 256; i++) store<i8>(SLIDE + i, <i8>((<i32>load<u8>(k + (i >> 3)) >> (i & 7)) & 1));
  for (let i = 0; i < 256; i++) {
    let ri = <i32>load<i8>(SLIDE + i);
    if (ri == 0) continue;
    for (let b = 1; b <= 6 && i + b < 256; b++) {
      const rb = <i32>load<i8>(SLIDE + i + b);
      if (rb == 0) continue;
      if (ri + (rb << b) <= 15) {
        ri += rb << b;
        store<i8>(SLIDE + i, <i8>ri);
        store<i8>(SLIDE + i + b, 0);
      } else if (ri - (rb << b) >= -15) {
        ri -= rb << b;
        store<i8>(SLIDE + i, <i8>ri);
        for (let j = i + b; j < 256; j++) {
          if (load<i8>(SLIDE + j) == 0) {
            store<i8>(SLIDE + j, 1);
            break;
          }
          store<i8>(SLIDE + j, 0);
        }
      } else break;
    }
  }
}

/** r = k·p, variable time (public k only): sliding window over 1p, 3p, …, 15p. r may alias p. */
export function scalarMulVartime(r: usize, p: usize, k: usize): void {
  slide(k);
  // TABLE[j] = (2j+1)·p as CACHED; TC = 2p
  p3Dbl(Q2, p);
  p3ToCached(TC, Q2);
  p3ToCached(TABLE, p);
  ptCopy(Q2, p);
  for (let j = 1; j < 8; j++) {
    pAdd(Q1, Q2, TC);
    p1p1ToP3(Q2, Q1);
    p3ToCached(TABLE + <usize>j * PT, Q2);
  }
  let i = 255;
  while (i >= 0 && load<i8>(SLIDE + i) == 0) i--;
  p3Identity(r);
  if (i < 0) return;
  // r is kept as P2 between doublings and made P3 only before an addition and at the end.
  for (; i >= 0; i--) {
    const d = <i32>load<i8>(SLIDE + i);
    p2Dbl(Q1, r);
    if (d > 0) {
      p1p1ToP3(Q2, Q1);
      pAdd(Q1, Q2, TABLE + <usize>(d >> 1) * PT);
    } else if (d < 0) {
      p1p1ToP3(Q2, Q1);
      pSub(Q1, Q2, TABLE + <usize>((-d) >> 1) * PT);
    }
    if (i > 0) p1p1ToP2(r, Q1);
    else p1p1ToP3(r, Q1);
  }
}

/** Bytes of a fixed-base table: 64 positions × 8 NIELS points. */
export const FIXED_TABLE_BYTES: usize = 64 * 8 * NIELS;
/** Scratch bytes needed by {@link fixedTable}. */
export const FIXED_SCRATCH_BYTES: usize = 64 * 8 * (PT + FE);

/**
 * Builds at `table` the affine NIELS points table[i][j] = (j+1)·16^i·B for i < 64, j < 8.
 * `scratch` must hold FIXED_SCRATCH_BYTES. B is public (a generator or an election key).
 */
export function fixedTable(table: usize, base: usize, scratch: usize): void {
  const pts = scratch;
  const prefix = scratch + 64 * 8 * PT;
  ptCopy(Q2, base); // Q2 = 16^i·B
  for (let i = 0; i < 64; i++) {
    const row = pts + <usize>i * 8 * PT;
    ptCopy(row, Q2);
    p3ToCached(TC, Q2);
    for (let j = 1; j < 8; j++) {
      p3AddCached(ptCopyRet(row + <usize>j * PT, row + <usize>(j - 1) * PT), TC);
    }
    p3Dbl(Q2, row + 7 * PT); // 16^(i+1)·B = 2·(8·16^i·B)
  }
  toNielsBatch(table, pts, 64 * 8, prefix);
}

@inline function ptCopyRet(r: usize, p: usize): usize {
  ptCopy(r, p);
  return r;
}

/** r = k·B from B's table, constant time (masked scans of each row, no doublings). */
export function fixedMulCT(r: usize, table: usize, k: usize): void {
  radix16(k);
  p3Identity(r);
  for (let i = 0; i < 64; i++) {
    selectNiels(TN, table + <usize>i * 8 * NIELS, <i32>load<i8>(E + i));
    p3AddNiels(r, TN);
  }
}

/** r = k·B from B's table, variable time (public k only). */
export function fixedMulVartime(r: usize, table: usize, k: usize): void {
  radix16(k);
  p3Identity(r);
  for (let i = 0; i < 64; i++) {
    const e = <i32>load<i8>(E + i);
    if (e > 0) p3AddNiels(r, table + (<usize>i * 8 + <usize>(e - 1)) * NIELS);
    else if (e < 0) p3SubNiels(r, table + (<usize>i * 8 + <usize>(-e - 1)) * NIELS);
  }
}
