/**
 * The exports of mjvote's ristretto255 WebAssembly module. Every function takes pointers into
 * linear memory; the layouts are described in field.ts and point.ts. The JavaScript side
 * (src/wasm/) owns every address from heapBase() up.
 */
import { FE, feMul, feSq, feAdd, feSub, feNeg, feInvert, fePow22523, feFromBytes, feToBytes, feCarry } from './field';
import { PT, p3Add, p3Sub, p3Neg, p3Dbl, p3Identity } from './point';
import { decode, decode2, encode, encode2, equals, isIdentity, sqrtRatioM1 } from './ristretto';
import { FE2, fe2Mul, fe2Sq, fe2Carry, fe2SetLane, fe2GetLane, fe2LaneFromFe, fe2LaneToFe, fe2Pow22523 } from './fe2';
import {
  scalarMulCT, scalarMulVartime, fixedTable, fixedMulCT, fixedMulVartime, FIXED_TABLE_BYTES, FIXED_SCRATCH_BYTES,
} from './scalarmult';
import { msm, msmC, msmScratchBytes, msmScratchBytesC, msmWindow, msmWindowFor, setMsmWindow, setMsmLanes } from './msm';
import { sha512, xmdSha512 } from './sha512';
import { hex32Many } from './hex';

export {
  feMul, feSq, feInvert, fePow22523, feFromBytes, feToBytes, feCarry, sqrtRatioM1,
  p3Add, p3Sub, p3Neg, p3Dbl, p3Identity,
  decode, decode2, encode, encode2, equals, isIdentity,
  fe2Mul, fe2Sq, fe2Carry, fe2SetLane, fe2GetLane, fe2LaneFromFe, fe2LaneToFe, fe2Pow22523,
  scalarMulCT, scalarMulVartime, fixedTable, fixedMulCT, fixedMulVartime,
  msm, msmC, msmScratchBytes, msmScratchBytesC, msmWindow, msmWindowFor, setMsmWindow, setMsmLanes,
  sha512, xmdSha512, hex32Many,
};

/** First free byte of linear memory (8-aligned): everything below is static data. */
export function heapBase(): usize {
  return (__heap_base + 7) & ~(<usize>7);
}

/** Bytes of a fixed-base table. */
export function fixedTableBytes(): usize {
  return FIXED_TABLE_BYTES;
}

/** Scratch bytes fixedTable needs. */
export function fixedScratchBytes(): usize {
  return FIXED_SCRATCH_BYTES;
}

/** h = f + g, carried (for tests). */
export function feAddCarried(h: usize, f: usize, g: usize): void {
  feAdd(h, f, g);
  feCarry(h);
}

/** h = f − g, carried (for tests). */
export function feSubCarried(h: usize, f: usize, g: usize): void {
  feSub(h, f, g);
  feCarry(h);
}

/** h = −f (for tests). */
export function feNegate(h: usize, f: usize): void {
  feNeg(h, f);
}

/**
 * Decodes n encodings at `bytes` (stride 32) into P3 points at `pts` (stride 160) and writes
 * 1 (valid) or 0 (rejected) to ok[i]. Returns the number of valid encodings.
 */
export function decodeBatch(pts: usize, bytes: usize, n: i32, ok: usize): i32 {
  let good = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r = decode2(pts + <usize>i * PT, bytes + <usize>i * 32, pts + <usize>(i + 1) * PT, bytes + <usize>(i + 1) * 32);
    store<u8>(ok + <usize>i, <u8>(r & 1));
    store<u8>(ok + <usize>(i + 1), <u8>(r >> 1));
    good += (r & 1) + (r >> 1);
  }
  if (i < n) {
    const r = decode(pts + <usize>i * PT, bytes + <usize>i * 32);
    store<u8>(ok + <usize>i, <u8>r);
    good += r;
  }
  return good;
}

/**
 * out (P3) = Σ_{i<n} of the P3 points at `pts` (stride 160); the identity for n = 0. Each point
 * is added with one P3 + CACHED addition (8M + 1M). Variable time in n only.
 */
export function sumPoints(out: usize, pts: usize, n: i32): void {
  if (n <= 0) {
    p3Identity(out);
    return;
  }
  memory.copy(out, pts, PT);
  for (let i = 1; i < n; i++) p3Add(out, out, pts + <usize>i * PT);
}

/**
 * Encodes n P3 points at `pts` (stride 160) to `bytes` (stride 32), two at a time (encode2: the
 * two exponentiations share f64x2 vectors). For public points (see encode2).
 */
export function encodeBatch(bytes: usize, pts: usize, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2)
    encode2(bytes + <usize>i * 32, pts + <usize>i * PT, bytes + <usize>(i + 1) * 32, pts + <usize>(i + 1) * PT);
  if (i < n) encode(bytes + <usize>i * 32, pts + <usize>i * PT);
}

/** Bytes of a field element and of a point (for the loader's layout checks). */
export function layout(): i32 {
  return <i32>(FE << 16) | <i32>PT;
}
