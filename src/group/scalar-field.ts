/**
 * Z_q arithmetic and RFC 9380 hash-to-scalar, shared by every group family.
 * @module
 */
import { sha512 } from '../sha2.js';
import { FormatError } from '../errors.js';
import {
  concatBytes,
  randomBytes,
  bytesToBigintBE,
  utf8,
  fromHex,
  hexInto,
  toHex,
  bigintToBytesBE,
  bigintToBytesLE,
  bytesToBigintLE,
  abytes,
} from '../bytes.js';
import type { ScalarField } from './group.js';

/** Z_q arithmetic for a prime q. */
export function scalarField(q: bigint): ScalarField {
  const create = (a: bigint): bigint => {
    const r = a % q;
    return r < 0n ? r + q : r;
  };
  const q2 = 2n * q;
  const inv = (a: bigint): bigint => {
    let x = create(a);
    if (x === 0n) throw new RangeError('inverse of 0 mod q');
    // extended Euclid
    let [r0, r1] = [q, x];
    let [s0, s1] = [0n, 1n];
    while (r1 !== 0n) {
      const qt = r0 / r1;
      [r0, r1] = [r1, r0 - qt * r1];
      [s0, s1] = [s1, s0 - qt * s1];
    }
    x = create(s0);
    return x;
  };
  return Object.freeze({
    order: q,
    create,
    // Reduced inputs (the usual case) take a comparison and at most one subtraction, not a division.
    add: (a: bigint, b: bigint) => {
      const r = a + b;
      if (r >= 0n && r < q) return r;
      if (r >= q && r < q2) return r - q;
      return create(r);
    },
    sub: (a: bigint, b: bigint) => {
      const r = a - b;
      if (r >= 0n && r < q) return r;
      if (r < 0n && r >= -q) return r + q;
      return create(r);
    },
    mul: (a: bigint, b: bigint) => create(a * b),
    neg: (a: bigint) => (a > 0n && a < q ? q - a : create(-a)),
    inv,
  });
}

/** Z_pad of expand_message_xmd with SHA-512: one zero block (128 bytes). */
const SHA512_BLOCK = 128;
const SHA512_OUT = 64;
const dstPrimes = new Map<string, Uint8Array>();

/** DST_prime = DST ‖ I2OSP(len(DST), 1) (RFC 9380 §5.3.3: a DST over 255 bytes is first hashed), cached for string tags. */
export function dstPrime(dst: Uint8Array | string): Uint8Array {
  const key = typeof dst === 'string' ? dst : undefined;
  const cached = key !== undefined ? dstPrimes.get(key) : undefined;
  if (cached !== undefined) return cached;
  let d = typeof dst === 'string' ? utf8(dst) : dst;
  if (d.length > 255) d = sha512(concatBytes(utf8('H2C-OVERSIZE-DST-'), d));
  const out = new Uint8Array(d.length + 1);
  out.set(d);
  out[d.length] = d.length;
  if (key !== undefined && dstPrimes.size < 256) dstPrimes.set(key, out);
  return out;
}

/**
 * RFC 9380 §5.3.1 expand_message_xmd with SHA-512: `len` uniform bytes from `msg` under `dst`.
 * Written out (rather than @noble/curves' generic version) so that a challenge costs two
 * one-shot native hashes and three small allocations: Fiat–Shamir challenges are a hot path
 * of verification (43 per ballot). test/group/hash-to-scalar.test.ts checks it against noble.
 */
export function expandMessageXmdSha512(msg: Uint8Array, dst: Uint8Array | string, len: number): Uint8Array {
  const ell = Math.ceil(len / SHA512_OUT);
  if (!Number.isSafeInteger(len) || len < 1 || len > 65535 || ell > 255) throw new RangeError('expand_message_xmd: invalid length');
  const dp = dstPrime(dst);
  // msg_prime = Z_pad ‖ msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST_prime
  const m = new Uint8Array(SHA512_BLOCK + msg.length + 3 + dp.length);
  m.set(msg, SHA512_BLOCK);
  const o = SHA512_BLOCK + msg.length;
  m[o] = len >>> 8;
  m[o + 1] = len & 0xff;
  m.set(dp, o + 3);
  const b0 = sha512(m);
  // b_i = H(strxor(b_0, b_{i−1}) ‖ I2OSP(i, 1) ‖ DST_prime), b_1 = H(b_0 ‖ 1 ‖ DST_prime)
  const out = new Uint8Array(ell * SHA512_OUT);
  const t = new Uint8Array(SHA512_OUT + 1 + dp.length);
  t.set(dp, SHA512_OUT + 1);
  let prev: Uint8Array | null = null;
  for (let i = 1; i <= ell; i++) {
    for (let j = 0; j < SHA512_OUT; j++) t[j] = prev === null ? b0[j]! : b0[j]! ^ prev[j]!;
    t[SHA512_OUT] = i;
    prev = sha512(t);
    out.set(prev, (i - 1) * SHA512_OUT);
  }
  return ell * SHA512_OUT === len ? out : out.subarray(0, len);
}

const fieldLengths = new Map<bigint, number>();

/**
 * RFC 9380 §5.2 hash_to_field with count = 1, m = 1, L = ceil((ceil(log2 q) + 128) / 8),
 * expand_message_xmd with SHA-512. `dst` is the domain-separation tag.
 */
export function hashToScalarRfc9380(q: bigint, msg: Uint8Array, dst: Uint8Array | string): bigint {
  const L = hashToFieldLength(q);
  if (L > SHA512_OUT || L % 8 !== 0) return bytesToBigintBE(expandMessageXmdSha512(msg, dst, L)) % q;
  return xmdOneBlockToScalar(q, msg, dst, L);
}

/** L = ceil((ceil(log2 q) + 128) / 8): the bytes hash_to_field draws per element of Z_q. */
export function hashToFieldLength(q: bigint): number {
  let L = fieldLengths.get(q);
  if (L === undefined) fieldLengths.set(q, (L = Math.ceil((q.toString(2).length + 128) / 8)));
  return L;
}

/** The big-endian integer of the len bytes at view[at …] (len a multiple of 8, ≤ 64), mod q. */
export function uniformBytesModQ(view: DataView, at: number, len: number, q: bigint): bigint {
  let v = 0n;
  let j = 0;
  // 128 bits at a time: fewer operations on the growing integer than 64-bit steps.
  for (; j + 16 <= len; j += 16) v = (v << 128n) | (view.getBigUint64(at + j, false) << 64n) | view.getBigUint64(at + j + 8, false);
  for (; j < len; j += 8) v = (v << 64n) | view.getBigUint64(at + j, false);
  return v % q;
}

// hashToScalarRfc9380's buffers, reused across calls (the function is synchronous and calls no
// user code, so no two calls overlap). xmdMsg[0, 128) is Z_pad and is never written.
let xmdMsg = new Uint8Array(1024);
const xmdT = new Uint8Array(SHA512_OUT + 1 + 256);
const xmdOut = new Uint8Array(SHA512_OUT);
const xmdOutView = new DataView(xmdOut.buffer);

/**
 * expand_message_xmd (SHA-512) for len ≤ 64, len a multiple of 8 (so ell = 1: b_1 is the
 * output), read as a big-endian integer mod q: the same steps as {@link expandMessageXmdSha512}
 * in reused buffers, without allocating (43 challenges per ballot; see the module notes there).
 */
function xmdOneBlockToScalar(q: bigint, msg: Uint8Array, dst: Uint8Array | string, len: number): bigint {
  const dp = dstPrime(dst);
  // msg_prime = Z_pad ‖ msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST_prime
  const need = SHA512_BLOCK + msg.length + 3 + dp.length;
  if (need > xmdMsg.length) xmdMsg = new Uint8Array(Math.max(need, 2 * xmdMsg.length));
  const m = xmdMsg;
  writeXmdTail(m, SHA512_BLOCK, msg, len, dp);
  const b0 = sha512(m.subarray(0, need));
  // b_1 = H(b_0 ‖ I2OSP(1, 1) ‖ DST_prime)
  const t = xmdT;
  for (let j = 0; j < SHA512_OUT; j++) t[j] = b0[j]!;
  t[SHA512_OUT] = 1;
  t.set(dp, SHA512_OUT + 1);
  const b1 = sha512(t.subarray(0, SHA512_OUT + 1 + dp.length));
  for (let j = 0; j < len; j++) xmdOut[j] = b1[j]!;
  return uniformBytesModQ(xmdOutView, 0, len, q);
}

/**
 * Writes msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST′ (expand_message_xmd's msg_prime after Z_pad) at
 * out[at …]; returns the index just after it.
 */
export function writeXmdTail(out: Uint8Array, at: number, msg: Uint8Array, len: number, dp: Uint8Array): number {
  out.set(msg, at);
  const o = at + msg.length;
  out[o] = len >>> 8;
  out[o + 1] = len & 0xff;
  out[o + 2] = 0;
  out.set(dp, o + 3);
  return o + 3 + dp.length;
}

/** Uniform scalar in [1, q) by rejection sampling from the platform CSPRNG. */
export function randomScalarMod(q: bigint): bigint {
  const bits = q.toString(2).length;
  const len = Math.ceil(bits / 8);
  const excess = BigInt(len * 8 - bits);
  for (;;) {
    const k = bytesToBigintBE(randomBytes(len)) >> excess;
    if (k > 0n && k < q) return k;
  }
}

/**
 * The 32-byte unsigned integer at `view[at]`, little- or big-endian, assembled from two 128-bit
 * halves and one shift (≈ 1.8× faster than a chain of four 64-bit steps): the hot read of a
 * scalar's bytes.
 */
export function uint256At(view: DataView, at: number, littleEndian: boolean): bigint {
  const lo = littleEndian
    ? view.getBigUint64(at, true) | (view.getBigUint64(at + 8, true) << 64n)
    : view.getBigUint64(at + 24, false) | (view.getBigUint64(at + 16, false) << 64n);
  const hi = littleEndian
    ? view.getBigUint64(at + 16, true) | (view.getBigUint64(at + 24, true) << 64n)
    : view.getBigUint64(at + 8, false) | (view.getBigUint64(at, false) << 64n);
  return lo | (hi << 128n);
}

/** Scalar codec for a group: fixed length, endianness, range check with labelled errors. */
export function scalarCodec(q: bigint, len: number, littleEndian: boolean) {
  const encode = (k: bigint): Uint8Array => {
    if (k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
    return littleEndian ? bigintToBytesLE(k, len) : bigintToBytesBE(k, len);
  };
  const decode = (bytes: Uint8Array, label = 'scalar'): bigint => {
    abytes(bytes, label, len);
    const k = littleEndian ? bytesToBigintLE(bytes) : bytesToBigintBE(bytes);
    if (k >= q) throw new FormatError(label, 'scalar is not reduced modulo the group order (k ≥ q)');
    return k;
  };
  // fromHex's fast path (scalars are a hot path of parsing ballots: ≈ 160 per 7 × 5 ballot):
  // the digits go into one reused buffer and are read 64 bits at a time, with no allocation
  // but the result. Anything the fast path does not accept (wrong type or length, not
  // lowercase hex, k ≥ q) goes through the checking path, which names the error.
  const words = len % 8 === 0 && len > 0 ? len / 8 : 0;
  const scratch = new Uint8Array(words * 8);
  const view = new DataView(scratch.buffer);
  const fromHexFast = (hex: unknown, label = 'scalar'): bigint => {
    if (words > 0 && hexInto(hex, scratch, 0, len)) {
      let k: bigint;
      if (words === 4) k = uint256At(view, 0, littleEndian);
      else {
        k = 0n;
        if (littleEndian) for (let w = words - 1; w >= 0; w--) k = (k << 64n) | view.getBigUint64(8 * w, true);
        else for (let w = 0; w < words; w++) k = (k << 64n) | view.getBigUint64(8 * w, false);
      }
      if (k < q) return k;
    }
    return decode(fromHex(hex, label, len), label);
  };
  return {
    encode,
    decode,
    toHex: (k: bigint) => toHex(encode(k)),
    fromHex: fromHexFast,
  };
}

/**
 * The scalar half of a {@link Group}: random scalars, the scalar codec and hash-to-scalar for
 * order q, scalars encoded in `len` bytes. Spread into a group object.
 */
export function scalarMethods(q: bigint, len: number, littleEndian: boolean) {
  const codec = scalarCodec(q, len, littleEndian);
  return {
    randomScalar: (): bigint => randomScalarMod(q),
    encodeScalar: codec.encode,
    decodeScalar: codec.decode,
    scalarToHex: codec.toHex,
    scalarFromHex: codec.fromHex,
    hashToScalar: (msg: Uint8Array, dst: Uint8Array | string): bigint => hashToScalarRfc9380(q, msg, dst),
  };
}
