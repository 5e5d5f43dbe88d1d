/**
 * ristretto255 (RFC 9496) over `@noble/curves`: the default group.
 *
 * Encodings are the canonical 32-byte RFC 9496 encodings; decoding validates (non-canonical
 * field elements, negative s, non-square, points with t < 0 or y = 0 are rejected by noble's
 * RFC 9496 decode, reported here as {@link FormatError}). Scalars are 32-byte little-endian.
 * @module
 */
import { ristretto255 as nobleRistretto } from '@noble/curves/ed25519.js';
import type { EdwardsPoint, PrimeEdwardsPoint } from '@noble/curves/abstract/edwards.js';
import { FormatError } from '../errors.js';
import { fromHex, toHex, typeName } from '../bytes.js';
import type { DecodeOptions, FixedBase, Group } from './group.js';
import { scalarField, scalarMethods } from './scalar-field.js';
import { msmEdwards } from './ristretto-msm.js';

/** A ristretto255 element (noble's RistrettoPoint, typed through its exported base class). */
export type RistrettoPoint = PrimeEdwardsPoint<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Point = nobleRistretto.Point as any as {
  new (ep: EdwardsPoint): RistrettoPoint;
  BASE: RistrettoPoint;
  ZERO: RistrettoPoint;
  Fn: { ORDER: bigint };
  fromBytes(b: Uint8Array): RistrettoPoint;
};

const q = Point.Fn.ORDER;
/** noble's Edwards point class (the representatives inside ristretto points). */
const EdPoint = (Point.BASE as any).ep.constructor as new (X: bigint, Y: bigint, Z: bigint, T: bigint) => EdwardsPoint;

/**
 * Σ k_i·P_i for public scalars in [0, q): signed-digit bucket method of `ristretto-msm.ts` over the
 * Edwards representatives (noble keeps them in the protected field `ep`).
 */
function msm(points: readonly RistrettoPoint[], ks: readonly bigint[]): RistrettoPoint {
  if (points.length !== ks.length) throw new RangeError('msm: points and scalars differ in length');
  for (const k of ks) if (typeof k !== 'bigint' || k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
  if (points.length === 1) return points[0]!.multiplyUnsafe(ks[0]!);
  const eps = points.map((P) => (P as any).ep as EdwardsPoint);
  const sum = msmEdwards(eps, ks);
  if (!sum) return Point.ZERO;
  return new Point(new EdPoint(sum.X, sum.Y, sum.Z, sum.T));
}
const Fq = scalarField(q);

/**
 * k·P on noble's constant-time path for every k in [0, q): noble refuses k = 0, so compute
 * (k+1)·P − P; the only other case, k = q−1, is −P. Neither branch depends on a secret except
 * with probability 1/q.
 */
function ctMultiply(P: RistrettoPoint, k: bigint): RistrettoPoint {
  if (k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
  if (k === q - 1n) return P.negate();
  return P.multiply(k + 1n).subtract(P);
}

function unsafeMultiply(P: RistrettoPoint, k: bigint): RistrettoPoint {
  if (k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
  return P.multiplyUnsafe(k);
}

function makeFixedBase(base: RistrettoPoint, window = 8): FixedBase<RistrettoPoint> {
  // A private copy: noble caches window tables per point instance.
  const B = Point.fromBytes(base.toBytes());
  B.precompute(window, false);
  return Object.freeze({
    base,
    multiply: (k: bigint) => ctMultiply(B, k),
    multiplyUnsafe: (k: bigint) => unsafeMultiply(B, k),
  });
}

let generatorTable: FixedBase<RistrettoPoint> | undefined;

function decode(bytes: Uint8Array, label = 'element', opts?: DecodeOptions): RistrettoPoint {
  if (!(bytes instanceof Uint8Array)) throw new FormatError(label, `expected bytes, got ${typeName(bytes)}`);
  if (bytes.length !== 32) throw new FormatError(label, `expected a 32-byte ristretto255 encoding, got ${bytes.length} bytes`);
  let P: RistrettoPoint;
  try {
    P = Point.fromBytes(bytes);
  } catch {
    throw new FormatError(label, 'not a canonical ristretto255 encoding (RFC 9496 decode failed)');
  }
  if (!opts?.allowIdentity && P.is0()) throw new FormatError(label, 'the identity element is not allowed here');
  return P;
}

/** The ristretto255 group (default). */
export const ristretto255: Group<RistrettoPoint> = Object.freeze({
  id: 'ristretto255',
  description: 'ristretto255 (RFC 9496) prime-order group over Curve25519, via @noble/curves',
  order: q,
  Fq,
  elementBytes: 32,
  scalarBytes: 32,
  generator: Point.BASE,
  identity: Point.ZERO,
  insecureTestOnly: false,
  add: (a: RistrettoPoint, b: RistrettoPoint) => a.add(b),
  subtract: (a: RistrettoPoint, b: RistrettoPoint) => a.subtract(b),
  negate: (a: RistrettoPoint) => a.negate(),
  multiply: ctMultiply,
  multiplyUnsafe: unsafeMultiply,
  equals: (a: RistrettoPoint, b: RistrettoPoint) => a.equals(b),
  isIdentity: (a: RistrettoPoint) => a.is0(),
  msm,
  precompute: (base: RistrettoPoint) => makeFixedBase(base),
  get G(): FixedBase<RistrettoPoint> {
    return (generatorTable ??= makeFixedBase(Point.BASE));
  },
  encode: (a: RistrettoPoint) => a.toBytes(),
  decode,
  toHex: (a: RistrettoPoint) => toHex(a.toBytes()),
  fromHex: (hex: unknown, label = 'element', opts?: DecodeOptions) => decode(fromHex(hex, label, 32), label, opts),
  ...scalarMethods(q, 32, true),
});
