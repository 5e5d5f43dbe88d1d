/**
 * ristretto255 (RFC 9496) over mjvote's WebAssembly backend: the same {@link Group} as
 * `ristretto255` (noble), with the same group id, encodings, errors and results, several
 * times faster. Elements are {@link WasmRistrettoPoint}s (extended Edwards coordinates copied
 * out of WebAssembly memory); they do not mix with noble's points, but their encodings do.
 *
 * Time behaviour: `multiply` and `FixedBase.multiply` run constant-time WebAssembly code (fixed
 * radix-16 windows, masked table scans, no branch or memory index on the scalar); `*Unsafe`,
 * `msm` and decoding are variable time and for public data only, as is `encodeMany`. See docs/wasm.md.
 * @module
 */
import { FormatError } from '../errors.js';
import { bigintIntoLE, fromHex, isZeroAt, toHex, typeName } from '../bytes.js';
import type { DecodeOptions, FixedBase, Group } from '../group/group.js';
import { dstPrime, hashToFieldLength, hashToScalarRfc9380, randomScalarMod, scalarCodec, scalarField, uniformBytesModQ, writeXmdTail } from '../group/scalar-field.js';
import { POINT_BYTES, POINT_LIMBS, wasmRuntime, type WasmRuntime } from './loader.js';

/** A ristretto255 element held as extended Edwards coordinates (X, Y, Z, T), 10 limbs each. */
export class WasmRistrettoPoint {
  /**
   * @internal The 40 signed 32-bit limbs of X, Y, Z, T (radix 2^25.5) are `buf[at … at + 40)`.
   * Points decoded together share one buffer (one object per point, not two: a 7 × 5 ballot has
   * 226). Not a canonical form: compare elements with `group.equals`, serialise them with
   * `group.encode`.
   */
  readonly buf: Int32Array;
  /** @internal */
  readonly at: number;
  /** @internal Use the group's `decode`, `add`, `multiply`… to make elements. */
  constructor(buf: Int32Array, at = 0) {
    this.buf = buf;
    this.at = at;
  }
  /** @internal The 40 limbs (a view). */
  get limbs(): Int32Array {
    return this.buf.subarray(this.at, this.at + POINT_LIMBS);
  }
}

/** The order ℓ of ristretto255 (2^252 + 27742317777372353535851937790883648493). */
const q = 2n ** 252n + 27742317777372353535851937790883648493n;
const Fq = scalarField(q);
const scalars = scalarCodec(q, 32, true);
const BASE_ENCODING = fromHex('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');

/** The order-ℓ group over the WebAssembly backend, with batch decoding and encoding. */
export interface Ristretto255WasmGroup extends Group<WasmRistrettoPoint> {
  /**
   * Decodes many encodings in one call into WebAssembly (each validated exactly as `decode`).
   * `encodings` is a list of 32-byte arrays or one array of 32·n bytes. The first invalid
   * encoding throws a FormatError naming `${label}[i]`.
   */
  decodeMany(encodings: readonly Uint8Array[] | Uint8Array, label?: string, opts?: DecodeOptions): WasmRistrettoPoint[];
  /** Encodes many elements in one call, two exponentiations at a time; returns one array of 32·n bytes. For public elements only (two-lane code, not written for constant time). */
  encodeMany(points: readonly WasmRistrettoPoint[]): Uint8Array;
  /** See {@link hex32Many}. */
  hex32Many(text: string, at: Int32Array, n: number, out: Uint8Array, outOffset?: number): boolean;
}

let rtCache: WasmRuntime | undefined;
const rt = (): WasmRuntime => (rtCache ??= wasmRuntime());

function check(a: unknown, what = 'element'): WasmRistrettoPoint {
  if (!(a instanceof WasmRistrettoPoint))
    throw new TypeError(`ristretto255 (wasm): ${what} is not an element of this backend (got ${typeName(a)})`);
  return a;
}

function put(r: WasmRuntime, ptr: number, a: unknown): void {
  const p = check(a);
  const src = p.buf;
  const dst = r.i32;
  for (let k = 0, i = p.at, j = ptr >> 2; k < POINT_LIMBS; k++) dst[j + k] = src[i + k]!;
}

function get(r: WasmRuntime, ptr: number): WasmRistrettoPoint {
  return new WasmRistrettoPoint(r.i32.slice(ptr >> 2, (ptr >> 2) + POINT_LIMBS));
}

function checkScalar(k: bigint): void {
  if (typeof k !== 'bigint' || k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
}

/** Writes k ∈ [0, q) as 32 little-endian bytes at ptr. */
function putScalar(r: WasmRuntime, ptr: number, k: bigint): void {
  checkScalar(k);
  // Through one native toString(16): about twice as fast as four shifts, masks and 64-bit stores.
  bigintIntoLE(k, r.u8, ptr, 32);
}

const IDENTITY_LIMBS = new Int32Array(POINT_LIMBS);
IDENTITY_LIMBS[10] = 1; // Y = 1
IDENTITY_LIMBS[20] = 1; // Z = 1
const identity = new WasmRistrettoPoint(IDENTITY_LIMBS);
let generator: WasmRistrettoPoint | undefined;
let generatorTable: FixedBase<WasmRistrettoPoint> | undefined;

function binary(op: 'p3Add' | 'p3Sub', a: WasmRistrettoPoint, b: WasmRistrettoPoint): WasmRistrettoPoint {
  const r = rt();
  put(r, r.A, a);
  put(r, r.B, b);
  r.x[op](r.R, r.A, r.B);
  return get(r, r.R);
}

function multiplyWith(op: 'scalarMulCT' | 'scalarMulVartime', a: WasmRistrettoPoint, k: bigint): WasmRistrettoPoint {
  const r = rt();
  put(r, r.A, a);
  putScalar(r, r.K, k);
  r.x[op](r.R, r.A, r.K);
  return get(r, r.R);
}

const INVALID = 'not a canonical ristretto255 encoding (RFC 9496 decode failed)';
const NO_IDENTITY = 'the identity element is not allowed here';

function decode(bytes: Uint8Array, label = 'element', opts?: DecodeOptions): WasmRistrettoPoint {
  if (!(bytes instanceof Uint8Array)) throw new FormatError(label, `expected bytes, got ${typeName(bytes)}`);
  if (bytes.length !== 32) throw new FormatError(label, `expected a 32-byte ristretto255 encoding, got ${bytes.length} bytes`);
  const r = rt();
  r.u8.set(bytes, r.S);
  if (r.x.decode(r.A, r.S) !== 1) throw new FormatError(label, INVALID);
  // The identity's only canonical encoding is 32 zero bytes.
  if (!opts?.allowIdentity && isZeroAt(bytes, 0, 32)) throw new FormatError(label, NO_IDENTITY);
  return get(r, r.A);
}

const ASCII = new TextEncoder();

/**
 * Decodes n values of 64 lowercase hex digits, the i-th at `text[at[i] … at[i] + 64)`, into
 * `out[outOffset + 32·i …)`, in one WebAssembly call (SIMD): what `hexIntoAt` does per value.
 * Returns false, never throws, when a digit is not lowercase hex (upper case included) or a
 * value is out of the text; `out` is then partly written. A character outside ASCII anywhere
 * between the first and the last value also gives false: the caller is expected to know that
 * the text between its values is ASCII (the canonical ballot text, whose other characters are
 * JSON punctuation, keys and an election id of [A-Za-z0-9._-]).
 */
export function hex32Many(text: string, at: Int32Array, n: number, out: Uint8Array, outOffset = 0): boolean {
  if (!Number.isSafeInteger(n) || n < 0 || n > at.length || !Number.isSafeInteger(outOffset) || outOffset < 0 || outOffset + 32 * n > out.length)
    throw new RangeError('hex32Many: n values need n positions and 32·n bytes of output');
  if (n === 0) return true;
  let lo = at[0]!;
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const p = at[i]!;
    if (p < lo) lo = p;
    else if (p > hi) hi = p;
  }
  const len = hi + 64 - lo;
  if (lo < 0 || hi + 64 > text.length) return false;
  const r = rt();
  const textAt = r.scratch(len + 8 + 4 * n + 32 * n);
  const atAt = (textAt + len + 7) & ~7;
  const outAt = atAt + 4 * n;
  const { read, written } = ASCII.encodeInto(text.substring(lo, hi + 64), r.u8.subarray(textAt, textAt + len));
  if (read !== len || written !== len) return false; // a character outside ASCII: not hex
  const i32 = r.i32;
  for (let i = 0; i < n; i++) i32[(atAt >> 2) + i] = at[i]! - lo;
  if (r.x.hex32Many(textAt, atAt, n, outAt) !== 1) return false;
  out.set(r.u8.subarray(outAt, outAt + 32 * n), outOffset);
  return true;
}

function decodeMany(encodings: readonly Uint8Array[] | Uint8Array, label = 'elements', opts?: DecodeOptions): WasmRistrettoPoint[] {
  const flat = encodings instanceof Uint8Array;
  if (flat && encodings.length % 32 !== 0)
    throw new FormatError(label, `expected a multiple of 32 bytes, got ${encodings.length} bytes`);
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
      if (e.length !== 32)
        throw new FormatError(`${label}[${i}]`, `expected a 32-byte ristretto255 encoding, got ${e.length} bytes`);
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
  const out = new Array<WasmRistrettoPoint>(n);
  for (let i = 0; i < n; i++) out[i] = new WasmRistrettoPoint(all, POINT_LIMBS * i);
  return out;
}

function encode(a: WasmRistrettoPoint): Uint8Array {
  const r = rt();
  put(r, r.A, a);
  r.x.encode(r.S, r.A);
  return r.u8.slice(r.S, r.S + 32);
}

function encodeMany(points: readonly WasmRistrettoPoint[]): Uint8Array {
  const n = points.length;
  if (n === 0) return new Uint8Array(0);
  const r = rt();
  const base = r.scratch(n * (POINT_BYTES + 32));
  const bytesAt = base + n * POINT_BYTES;
  for (let i = 0; i < n; i++) put(r, base + i * POINT_BYTES, points[i]);
  r.x.encodeBatch(bytesAt, base, n);
  return r.u8.slice(bytesAt, bytesAt + 32 * n);
}

function sumMany(points: readonly WasmRistrettoPoint[]): WasmRistrettoPoint {
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

function msm(points: readonly WasmRistrettoPoint[], ks: readonly bigint[]): WasmRistrettoPoint {
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

function precompute(base: WasmRistrettoPoint): FixedBase<WasmRistrettoPoint> {
  const r = rt();
  check(base, 'base');
  const slot = r.allocTable();
  const scratch = r.scratch(r.x.fixedScratchBytes());
  put(r, r.A, base);
  r.x.fixedTable(slot, r.A, scratch);
  const mul = (op: 'fixedMulCT' | 'fixedMulVartime', k: bigint): WasmRistrettoPoint => {
    const rr = rt();
    putScalar(rr, rr.K, k);
    rr.x[op](rr.R, slot, rr.K);
    return get(rr, rr.R);
  };
  const fb: FixedBase<WasmRistrettoPoint> = Object.freeze({
    base,
    multiply: (k: bigint) => mul('fixedMulCT', k),
    multiplyUnsafe: (k: bigint) => mul('fixedMulVartime', k),
  });
  tableRegistry?.register(fb, slot);
  return fb;
}

function getGenerator(): WasmRistrettoPoint {
  return (generator ??= decode(BASE_ENCODING, 'generator'));
}

/**
 * ristretto255 over the WebAssembly backend. Interchangeable with `ristretto255` (noble):
 * same `id`, encodings, scalar codec, hash-to-scalar and error messages.
 */
export const ristretto255Wasm: Ristretto255WasmGroup = Object.freeze({
  id: 'ristretto255',
  description: 'ristretto255 (RFC 9496) prime-order group over Curve25519, via mjvote\'s WebAssembly backend',
  order: q,
  Fq,
  elementBytes: 32,
  scalarBytes: 32,
  get generator(): WasmRistrettoPoint {
    return getGenerator();
  },
  identity,
  insecureTestOnly: false,
  add: (a: WasmRistrettoPoint, b: WasmRistrettoPoint) => binary('p3Add', a, b),
  sumMany,
  subtract: (a: WasmRistrettoPoint, b: WasmRistrettoPoint) => binary('p3Sub', a, b),
  negate(a: WasmRistrettoPoint): WasmRistrettoPoint {
    const r = rt();
    put(r, r.A, a);
    r.x.p3Neg(r.R, r.A);
    return get(r, r.R);
  },
  multiply: (a: WasmRistrettoPoint, k: bigint) => multiplyWith('scalarMulCT', a, k),
  multiplyUnsafe: (a: WasmRistrettoPoint, k: bigint) => multiplyWith('scalarMulVartime', a, k),
  equals(a: WasmRistrettoPoint, b: WasmRistrettoPoint): boolean {
    const r = rt();
    put(r, r.A, a);
    put(r, r.B, b);
    return r.x.equals(r.A, r.B) === 1;
  },
  isIdentity(a: WasmRistrettoPoint): boolean {
    const r = rt();
    put(r, r.A, a);
    return r.x.isIdentity(r.A) === 1;
  },
  msm,
  precompute,
  get G(): FixedBase<WasmRistrettoPoint> {
    return (generatorTable ??= precompute(getGenerator()));
  },
  encode,
  decode,
  decodeMany,
  encodeMany,
  hex32Many,
  toHex: (a: WasmRistrettoPoint) => toHex(encode(a)),
  fromHex: (hex: unknown, label = 'element', opts?: DecodeOptions) => decode(fromHex(hex, label, 32), label, opts),
  randomScalar: () => randomScalarMod(q),
  encodeScalar: scalars.encode,
  decodeScalar: scalars.decode,
  scalarToHex: scalars.toHex,
  scalarFromHex: scalars.fromHex,
  hashToScalar,
});
