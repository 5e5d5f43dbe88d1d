/**
 * The WebAssembly backend of ristretto255: mjvote's own field and point arithmetic compiled from
 * `wasm/assembly/` (docs/wasm.md), the default wherever it instantiates. The same encodings,
 * errors and results as the noble backend (differentially tested), several times faster.
 *
 * Time behaviour: `multiply` and `FixedBase.multiply` run constant-time WebAssembly code (fixed
 * radix-16 windows, masked table scans, no branch or memory index on the scalar); `*Unsafe`,
 * `msm`, decoding and the batch operations are variable time and for public data only.
 * @module
 */
import { FormatError } from '../errors.js';
import { bigintIntoLE, fromHex, isZeroAt, toHex, typeName } from '../bytes.js';
import type { DecodeOptions, FixedBase } from './group.js';
import { dstPrime, hashToFieldLength, hashToScalarRfc9380, uniformBytesModQ, writeXmdTail } from './scalar-field.js';
import { POINT_BYTES, POINT_LIMBS, wasmRuntime, type WasmRuntime } from '../wasm/runtime.js';
import {
  INVALID_ENCODING as INVALID,
  NO_IDENTITY,
  RISTRETTO255_BASE_HEX,
  RISTRETTO255_ORDER as q,
  RISTRETTO255_SCALARS,
  RistrettoPoint,
  type Ristretto255Implementation,
} from './ristretto255-common.js';

/** A ristretto255 element of the WebAssembly backend: extended Edwards coordinates (X, Y, Z, T), 10 limbs each. */
export class WasmPoint extends RistrettoPoint {
  /**
   * The 40 signed 32-bit limbs of X, Y, Z, T (radix 2^25.5) are `buf[at … at + 40)`. Points
   * decoded together share one buffer (one object per point, not two: a 7 × 5 ballot has 226).
   * Not a canonical form: compare elements with `equals`, serialise them with `encode`.
   */
  readonly buf: Int32Array;
  readonly at: number;
  constructor(buf: Int32Array, at = 0) {
    super();
    this.buf = buf;
    this.at = at;
  }
  /** The 40 limbs (a view). */
  get limbs(): Int32Array {
    return this.buf.subarray(this.at, this.at + POINT_LIMBS);
  }
}

let rtCache: WasmRuntime | undefined;
const rt = (): WasmRuntime => (rtCache ??= wasmRuntime());

function check(a: unknown, what = 'element'): WasmPoint {
  if (!(a instanceof WasmPoint)) throw new TypeError(`ristretto255 (wasm): ${what} is not an element of this backend (got ${typeName(a)})`);
  return a;
}

function put(r: WasmRuntime, ptr: number, a: unknown): void {
  const p = check(a);
  const src = p.buf;
  const dst = r.i32;
  for (let k = 0, i = p.at, j = ptr >> 2; k < POINT_LIMBS; k++) dst[j + k] = src[i + k]!;
}

function get(r: WasmRuntime, ptr: number): WasmPoint {
  return new WasmPoint(r.i32.slice(ptr >> 2, (ptr >> 2) + POINT_LIMBS));
}

function checkScalar(k: bigint): void {
  if (typeof k !== 'bigint' || k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
}

/** Writes k ∈ [0, q) as 32 little-endian bytes at ptr. */
function putScalar(r: WasmRuntime, ptr: number, k: bigint): void {
  checkScalar(k);
  bigintIntoLE(k, r.u8, ptr, 32);
}

const IDENTITY_LIMBS = new Int32Array(POINT_LIMBS);
IDENTITY_LIMBS[10] = 1; // Y = 1
IDENTITY_LIMBS[20] = 1; // Z = 1
const identity = new WasmPoint(IDENTITY_LIMBS);
let generator: WasmPoint | undefined;
let generatorTable: FixedBase<RistrettoPoint> | undefined;

function binary(op: 'p3Add' | 'p3Sub', a: RistrettoPoint, b: RistrettoPoint): WasmPoint {
  const r = rt();
  put(r, r.A, a);
  put(r, r.B, b);
  r.x[op](r.R, r.A, r.B);
  return get(r, r.R);
}

function multiplyWith(op: 'scalarMulCT' | 'scalarMulVartime', a: RistrettoPoint, k: bigint): WasmPoint {
  const r = rt();
  put(r, r.A, a);
  putScalar(r, r.K, k);
  r.x[op](r.R, r.A, r.K);
  return get(r, r.R);
}

function decode(bytes: Uint8Array, label = 'element', opts?: DecodeOptions): WasmPoint {
  if (!(bytes instanceof Uint8Array)) throw new FormatError(label, `expected bytes, got ${typeName(bytes)}`);
  if (bytes.length !== 32) throw new FormatError(label, `expected a 32-byte ristretto255 encoding, got ${bytes.length} bytes`);
  const r = rt();
  r.u8.set(bytes, r.S);
  if (r.x.decode(r.A, r.S) !== 1) throw new FormatError(label, INVALID);
  // The identity's only canonical encoding is 32 zero bytes.
  if (!opts?.allowIdentity && isZeroAt(bytes, 0, 32)) throw new FormatError(label, NO_IDENTITY);
  return get(r, r.A);
}

function decodeMany(encodings: readonly Uint8Array[] | Uint8Array, label = 'elements', opts?: DecodeOptions): WasmPoint[] {
  const flat = encodings instanceof Uint8Array;
  if (flat && encodings.length % 32 !== 0) throw new FormatError(label, `expected a multiple of 32 bytes, got ${encodings.length} bytes`);
  const n = flat ? encodings.length / 32 : encodings.length;
  if (n === 0) return [];
  const r = rt();
  const base = r.scratch(n * (32 + POINT_BYTES + 1));
  const bytesAt = base;
  const ptsAt = base + 32 * n;
  const okAt = ptsAt + POINT_BYTES * n;
  if (flat) r.u8.set(encodings, bytesAt);
  else {
    for (let i = 0; i < n; i++) {
      const e = encodings[i];
      if (!(e instanceof Uint8Array)) throw new FormatError(`${label}[${i}]`, `expected bytes, got ${typeName(e)}`);
      if (e.length !== 32) throw new FormatError(`${label}[${i}]`, `expected a 32-byte ristretto255 encoding, got ${e.length} bytes`);
      r.u8.set(e, bytesAt + 32 * i);
    }
  }
  const good = r.x.decodeBatch(ptsAt, bytesAt, n, okAt);
  const u8 = r.u8;
  if (good !== n) {
    for (let i = 0; i < n; i++) if (u8[okAt + i] !== 1) throw new FormatError(`${label}[${i}]`, INVALID);
  }
  if (!opts?.allowIdentity)
    for (let i = 0; i < n; i++) if (isZeroAt(u8, bytesAt + 32 * i, 32)) throw new FormatError(`${label}[${i}]`, NO_IDENTITY);
  // One copy out of WebAssembly memory for all n points, each point an offset into it (one
  // buffer and n small objects: less for the garbage collector).
  const all = r.i32.slice(ptsAt >> 2, (ptsAt >> 2) + POINT_LIMBS * n);
  const out = new Array<WasmPoint>(n);
  for (let i = 0; i < n; i++) out[i] = new WasmPoint(all, POINT_LIMBS * i);
  return out;
}

function encode(a: RistrettoPoint): Uint8Array {
  const r = rt();
  put(r, r.A, a);
  r.x.encode(r.S, r.A);
  return r.u8.slice(r.S, r.S + 32);
}

function encodeMany(points: readonly RistrettoPoint[]): Uint8Array {
  const n = points.length;
  if (n === 0) return new Uint8Array(0);
  const r = rt();
  const base = r.scratch(n * (POINT_BYTES + 32));
  const bytesAt = base + n * POINT_BYTES;
  for (let i = 0; i < n; i++) put(r, base + i * POINT_BYTES, points[i]);
  r.x.encodeBatch(bytesAt, base, n);
  return r.u8.slice(bytesAt, bytesAt + 32 * n);
}

function sumMany(points: readonly RistrettoPoint[]): WasmPoint {
  const n = points.length;
  if (n === 0) return identity;
  if (n === 1) return check(points[0]);
  const r = rt();
  const base = r.scratch(n * POINT_BYTES);
  for (let i = 0; i < n; i++) put(r, base + i * POINT_BYTES, points[i]);
  r.x.sumPoints(r.R, base, n);
  return get(r, r.R);
}

/** Point counts at or below this use separate variable-time multiplications instead of the bucket method. */
const MSM_SMALL = 2;

function msm(points: readonly RistrettoPoint[], ks: readonly bigint[]): WasmPoint {
  if (points.length !== ks.length) throw new RangeError('msm: points and scalars differ in length');
  const n = points.length;
  if (n === 0) return identity;
  if (n <= MSM_SMALL) {
    let acc = multiplyWith('scalarMulVartime', points[0]!, ks[0]!);
    for (let i = 1; i < n; i++) acc = binary('p3Add', acc, multiplyWith('scalarMulVartime', points[i]!, ks[i]!));
    return acc;
  }
  const r = rt();
  // Inputs first (the AssemblyScript scratch size depends on the scalars' bit length).
  let base = r.scratch(n * (POINT_BYTES + 32));
  const ksAt = base + n * POINT_BYTES;
  for (let i = 0; i < n; i++) {
    put(r, base + i * POINT_BYTES, points[i]);
    putScalar(r, ksAt + 32 * i, ks[i]!);
  }
  let bits = 0;
  const u32 = r.u32;
  for (let w = 7; w >= 0 && bits === 0; w--) {
    let or = 0;
    for (let i = 0, j = (ksAt >> 2) + w; i < n; i++, j += 8) or |= u32[j]!;
    if (or !== 0) bits = 32 * w + 32 - Math.clz32(or);
  }
  if (bits === 0) return identity;
  const c = r.x.msmWindowFor(ksAt, n, bits);
  const need = n * (POINT_BYTES + 32) + r.x.msmScratchBytesC(n, bits, c);
  base = r.scratch(need); // same start; only grows memory
  r.x.msmC(r.R, base, ksAt, n, bits, c, base + n * (POINT_BYTES + 32));
  return get(r, r.R);
}

/**
 * RFC 9380 hash_to_field into Z_q, as hashToScalarRfc9380(q, msg, dst), with expand_message_xmd's
 * two SHA-512 calls in WebAssembly (sha512.ts; Z_pad's block precomputed): the Fiat–Shamir
 * challenges of batch verification, 43 per ballot. msg ‖ I2OSP(L, 2) ‖ I2OSP(0, 1) ‖ DST′ is
 * written once into linear memory; DST′ is read from there again for b_1.
 */
function hashToScalar(msg: Uint8Array, dst: Uint8Array | string): bigint {
  const L = hashToFieldLength(q);
  if (!(msg instanceof Uint8Array) || L > 64 || L % 8 !== 0) return hashToScalarRfc9380(q, msg, dst);
  const dp = dstPrime(dst);
  const r = rt();
  const n = msg.length + 3 + dp.length;
  const tail = r.scratch(n + 64);
  const out = writeXmdTail(r.u8, tail, msg, L, dp);
  r.x.xmdSha512(out, tail, n, out - dp.length, dp.length, L);
  return uniformBytesModQ(r.dv, out, L, q);
}

/** Frees a table's memory slot once its FixedBase is garbage-collected. */
const tableRegistry =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<number>((slot) => rt().freeTable(slot)) : undefined;

function precompute(base: RistrettoPoint): FixedBase<RistrettoPoint> {
  const r = rt();
  check(base, 'base');
  const slot = r.allocTable();
  const scratch = r.scratch(r.x.fixedScratchBytes());
  put(r, r.A, base);
  r.x.fixedTable(slot, r.A, scratch);
  const mul = (op: 'fixedMulCT' | 'fixedMulVartime', k: bigint): WasmPoint => {
    const rr = rt();
    putScalar(rr, rr.K, k);
    rr.x[op](rr.R, slot, rr.K);
    return get(rr, rr.R);
  };
  const fb: FixedBase<RistrettoPoint> = Object.freeze({
    base,
    multiply: (k: bigint) => mul('fixedMulCT', k),
    multiplyUnsafe: (k: bigint) => mul('fixedMulVartime', k),
  });
  tableRegistry?.register(fb, slot);
  return fb;
}

function getGenerator(): WasmPoint {
  return (generator ??= decode(fromHex(RISTRETTO255_BASE_HEX), 'generator'));
}

/** ristretto255 on mjvote's WebAssembly (the thread's shared instance, compiled at first use). */
export const wasmRistretto255: Ristretto255Implementation = Object.freeze({
  ...RISTRETTO255_SCALARS,
  get generator(): RistrettoPoint {
    return getGenerator();
  },
  identity,
  add: (a: RistrettoPoint, b: RistrettoPoint) => binary('p3Add', a, b),
  sumMany,
  subtract: (a: RistrettoPoint, b: RistrettoPoint) => binary('p3Sub', a, b),
  negate(a: RistrettoPoint): RistrettoPoint {
    const r = rt();
    put(r, r.A, a);
    r.x.p3Neg(r.R, r.A);
    return get(r, r.R);
  },
  multiply: (a: RistrettoPoint, k: bigint) => multiplyWith('scalarMulCT', a, k),
  multiplyUnsafe: (a: RistrettoPoint, k: bigint) => multiplyWith('scalarMulVartime', a, k),
  equals(a: RistrettoPoint, b: RistrettoPoint): boolean {
    const r = rt();
    put(r, r.A, a);
    put(r, r.B, b);
    return r.x.equals(r.A, r.B) === 1;
  },
  isIdentity(a: RistrettoPoint): boolean {
    const r = rt();
    put(r, r.A, a);
    return r.x.isIdentity(r.A) === 1;
  },
  msm,
  precompute,
  get G(): FixedBase<RistrettoPoint> {
    return (generatorTable ??= precompute(getGenerator()));
  },
  encode,
  decode,
  decodeMany,
  encodeMany,
  toHex: (a: RistrettoPoint) => toHex(encode(a)),
  fromHex: (hex: unknown, label = 'element', opts?: DecodeOptions) => decode(fromHex(hex, label, 32), label, opts),
  hashToScalar,
});
