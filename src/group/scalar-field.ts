/**
 * Z_q arithmetic and RFC 9380 hash-to-scalar, shared by every group family.
 * @module
 */
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '../sha2.js';
import { FormatError } from '../errors.js';
import { randomBytes, bytesToBigintBE, utf8, fromHex, toHex, bigintToBytesBE, bigintToBytesLE, bytesToBigintLE, abytes } from '../bytes.js';
import type { ScalarField } from './group.js';

/** Z_q arithmetic for a prime q. */
export function scalarField(q: bigint): ScalarField {
  const create = (a: bigint): bigint => {
    const r = a % q;
    return r < 0n ? r + q : r;
  };
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
    add: (a: bigint, b: bigint) => create(a + b),
    sub: (a: bigint, b: bigint) => create(a - b),
    mul: (a: bigint, b: bigint) => create(a * b),
    neg: (a: bigint) => create(-a),
    inv,
  });
}

/**
 * RFC 9380 §5.2 hash_to_field with count = 1, m = 1, L = ceil((ceil(log2 q) + 128) / 8),
 * expand_message_xmd with SHA-512. `dst` is the domain-separation tag (≤ 255 bytes).
 */
export function hashToScalarRfc9380(q: bigint, msg: Uint8Array, dst: Uint8Array | string): bigint {
  const DST = typeof dst === 'string' ? utf8(dst) : dst;
  const [[u]] = hash_to_field(msg, 1, { DST, p: q, m: 1, k: 128, expand: 'xmd', hash: sha512 }) as bigint[][];
  return u!;
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
  return {
    encode,
    decode,
    toHex: (k: bigint) => toHex(encode(k)),
    fromHex: (hex: unknown, label = 'scalar') => decode(fromHex(hex, label, len), label),
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
