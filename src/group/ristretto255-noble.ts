/**
 * The noble backend of ristretto255: `@noble/curves`' RFC 9496 implementation, read through its
 * public API only. The fallback where mjvote's WebAssembly cannot run (no WebAssembly SIMD, or a
 * Content-Security-Policy that forbids compiling it), and the reference the WebAssembly backend
 * is tested against.
 *
 * Time behaviour: `multiply` and `FixedBase.multiply` use noble's constant-time ladder (blinded
 * windows), including for the scalar 0, which noble's own `multiply` refuses: k·P is computed as
 * (k+1)·P − P. Everything else (`*Unsafe`, `msm`, decoding, encoding) is for public data.
 * @module
 */
import { ed25519, ristretto255 as nobleRistretto } from '@noble/curves/ed25519.js';
import { invert } from '@noble/curves/abstract/modular.js';
import { FormatError } from '../errors.js';
import { fromHex, toHex, typeName } from '../bytes.js';
import { batchByLoop, type DecodeOptions, type FixedBase } from './group.js';
import { hashToScalarRfc9380 } from './scalar-field.js';
import { msmEdwards, type EdwardsLike } from './ristretto-msm.js';
import {
  INVALID_ENCODING,
  NO_IDENTITY,
  RISTRETTO255_ORDER as q,
  RISTRETTO255_SCALARS,
  RistrettoPoint,
  type Ristretto255Implementation,
} from './ristretto255-common.js';

const NobleRistretto = nobleRistretto.Point;
type NobleRistrettoPoint = InstanceType<typeof NobleRistretto>;
const P = ed25519.Point.Fp.ORDER; // 2^255 − 19

/** A ristretto255 element of the noble backend: one of noble's points. */
class NoblePoint extends RistrettoPoint {
  constructor(readonly p: NobleRistrettoPoint) {
    super();
  }
}

function el(a: unknown, what = 'element'): NobleRistrettoPoint {
  if (!(a instanceof NoblePoint))
    throw new TypeError(`ristretto255 (noble): ${what} is not an element of this backend (got ${typeName(a)})`);
  return a.p;
}
const wrap = (p: NobleRistrettoPoint): NoblePoint => new NoblePoint(p);

function checkScalar(k: bigint): void {
  if (typeof k !== 'bigint' || k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
}

/**
 * k·P on noble's constant-time path for every k in [0, q): noble refuses k = 0, so compute
 * (k+1)·P − P; the only other case, k = q−1, is −P. Neither branch depends on a secret except
 * with probability 1/q.
 */
function ctMultiply(p: NobleRistrettoPoint, k: bigint): NobleRistrettoPoint {
  checkScalar(k);
  if (k === q - 1n) return p.negate();
  return p.multiply(k + 1n).subtract(p);
}

function unsafeMultiply(p: NobleRistrettoPoint, k: bigint): NobleRistrettoPoint {
  checkScalar(k);
  return p.multiplyUnsafe(k);
}

function fixedBase(base: RistrettoPoint): FixedBase<RistrettoPoint> {
  // A private copy: noble caches window tables per point instance.
  const B = NobleRistretto.fromBytes(el(base, 'base').toBytes());
  B.precompute(8, false);
  return Object.freeze({
    base,
    multiply: (k: bigint) => wrap(ctMultiply(B, k)),
    multiplyUnsafe: (k: bigint) => wrap(unsafeMultiply(B, k)),
  });
}

/** The Edwards representative of an element, in extended coordinates with Z = 1 (noble's public `toAffine`). */
export function edwardsOf(a: RistrettoPoint): EdwardsLike {
  const { x, y } = el(a).toAffine();
  return { X: x, Y: y, Z: 1n, T: (x * y) % P };
}

/** The element whose Edwards representative is (X : Y : Z : T) (noble's public `fromAffine`). */
export function fromEdwards(e: EdwardsLike): RistrettoPoint {
  const zInv = invert(((e.Z % P) + P) % P, P);
  const affine = (v: bigint) => (((v * zInv) % P) + P) % P;
  return wrap(NobleRistretto.fromAffine({ x: affine(e.X), y: affine(e.Y) }));
}

/**
 * Σ k_i·P_i for public scalars: the signed-digit bucket method of `ristretto-msm.ts` over the
 * Edwards representatives of the points.
 */
function msm(points: readonly RistrettoPoint[], ks: readonly bigint[]): RistrettoPoint {
  if (points.length !== ks.length) throw new RangeError('msm: points and scalars differ in length');
  for (const k of ks) checkScalar(k);
  if (points.length === 0) return identity;
  if (points.length === 1) return wrap(el(points[0]).multiplyUnsafe(ks[0]!));
  const sum = msmEdwards(points.map(edwardsOf), ks);
  return sum ? fromEdwards(sum) : identity;
}

function decode(bytes: Uint8Array, label = 'element', opts?: DecodeOptions): RistrettoPoint {
  if (!(bytes instanceof Uint8Array)) throw new FormatError(label, `expected bytes, got ${typeName(bytes)}`);
  if (bytes.length !== 32) throw new FormatError(label, `expected a 32-byte ristretto255 encoding, got ${bytes.length} bytes`);
  let p: NobleRistrettoPoint;
  try {
    p = NobleRistretto.fromBytes(bytes);
  } catch {
    throw new FormatError(label, INVALID_ENCODING);
  }
  if (!opts?.allowIdentity && p.is0()) throw new FormatError(label, NO_IDENTITY);
  return wrap(p);
}

const encode = (a: RistrettoPoint): Uint8Array => el(a).toBytes();
const add = (a: RistrettoPoint, b: RistrettoPoint): RistrettoPoint => wrap(el(a).add(el(b)));
const identity: RistrettoPoint = wrap(NobleRistretto.ZERO);
const generator: RistrettoPoint = wrap(NobleRistretto.BASE);
let generatorTable: FixedBase<RistrettoPoint> | undefined;

/** ristretto255 on noble. */
export const nobleRistretto255: Ristretto255Implementation = Object.freeze({
  ...RISTRETTO255_SCALARS,
  generator,
  identity,
  add,
  subtract: (a: RistrettoPoint, b: RistrettoPoint) => wrap(el(a).subtract(el(b))),
  negate: (a: RistrettoPoint) => wrap(el(a).negate()),
  multiply: (a: RistrettoPoint, k: bigint) => wrap(ctMultiply(el(a), k)),
  multiplyUnsafe: (a: RistrettoPoint, k: bigint) => wrap(unsafeMultiply(el(a), k)),
  equals: (a: RistrettoPoint, b: RistrettoPoint) => el(a).equals(el(b)),
  isIdentity: (a: RistrettoPoint) => el(a).is0(),
  msm,
  precompute: fixedBase,
  get G(): FixedBase<RistrettoPoint> {
    return (generatorTable ??= fixedBase(generator));
  },
  encode,
  decode,
  ...batchByLoop({ decode, encode, add, identity, elementBytes: 32 }),
  toHex: (a: RistrettoPoint) => toHex(encode(a)),
  fromHex: (hex: unknown, label = 'element', opts?: DecodeOptions) => decode(fromHex(hex, label, 32), label, opts),
  hashToScalar: (msg: Uint8Array, dst: Uint8Array | string) => hashToScalarRfc9380(q, msg, dst),
});
