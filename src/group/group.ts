/**
 * The prime-order group abstraction every protocol in mjvote is written against.
 *
 * A {@link Group} is a frozen object describing a cyclic group of prime order q with a
 * generator G, written additively (`add`, `multiply`) whatever the family: for ristretto255
 * elements are curve points, for Schnorr subgroups of Z_p* "add" is modular multiplication and
 * "multiply" is modular exponentiation. Generic code takes the group as a parameter
 * and never looks inside elements.
 *
 * Scalars are `bigint`s in [0, q). Elements are opaque values of type `E`.
 *
 * Time behaviour: methods named `*Unsafe` are variable-time and must only see public scalars
 * (proof verification, tallies), as must `msm`, `decodeMany`, `encodeMany` and `sumMany`.
 * `multiply` and `FixedBase.multiply` are the paths for secret scalars (keys, ballot randomness,
 * votes): for ristretto255 they are constant-time on both backends, including for the scalar 0
 * (docs/groups.md, SECURITY.md).
 *
 * Batch capabilities (`decodeMany`, `encodeMany`, `sumMany`, `msm`) are members of every group:
 * callers use them without asking whether the backend has a fast path. {@link batchByLoop} gives
 * a group without one the plain loops.
 * @module
 */
import { FormatError } from '../errors.js';

/** Options for decoding an element from untrusted bytes. */
export interface DecodeOptions {
  /** Accept the identity element (default: false — most protocol fields forbid it). */
  allowIdentity?: boolean;
}

/** A precomputed table for repeated multiplication of one long-lived base (G, an election key). */
export interface FixedBase<E> {
  /** The base point B. */
  readonly base: E;
  /** k·B for a secret k in [0, q) (constant-time path where the backend has one). */
  multiply(k: bigint): E;
  /** k·B for a public k in [0, q) (variable time, faster). */
  multiplyUnsafe(k: bigint): E;
}

/** Arithmetic in the scalar field Z_q. All inputs and outputs are in [0, q). */
export interface ScalarField {
  readonly order: bigint;
  /** Reduce any integer into [0, q). */
  create(a: bigint): bigint;
  add(a: bigint, b: bigint): bigint;
  sub(a: bigint, b: bigint): bigint;
  mul(a: bigint, b: bigint): bigint;
  neg(a: bigint): bigint;
  /** Multiplicative inverse; throws RangeError for 0. */
  inv(a: bigint): bigint;
}

/** A cyclic group of prime order q, with canonical encodings and hashing to scalars. */
export interface Group<E = unknown> {
  /** Stable identifier used in records and domain-separation tags, e.g. `ristretto255`. */
  readonly id: string;
  /** Human-readable description. */
  readonly description: string;
  /** The prime order q. */
  readonly order: bigint;
  /** Z_q arithmetic. */
  readonly Fq: ScalarField;
  /** Bytes of a canonical element encoding. */
  readonly elementBytes: number;
  /** Bytes of a canonical scalar encoding. */
  readonly scalarBytes: number;
  /** The generator G. */
  readonly generator: E;
  /** The identity element (0·G). */
  readonly identity: E;
  /** True only for the tiny insecure group used by property tests. */
  readonly insecureTestOnly: boolean;

  add(a: E, b: E): E;
  subtract(a: E, b: E): E;
  negate(a: E): E;
  /** k·a for a secret scalar k in [0, q): the constant-time path. */
  multiply(a: E, k: bigint): E;
  /** k·a for a public scalar k in [0, q): variable time. */
  multiplyUnsafe(a: E, k: bigint): E;
  equals(a: E, b: E): boolean;
  isIdentity(a: E): boolean;
  /** Σ k_i·P_i for public scalars (variable time). Lengths must match. */
  msm(points: readonly E[], scalars: readonly bigint[]): E;
  /** Fixed-base table for any long-lived base; build once, reuse on hot paths. */
  precompute(base: E): FixedBase<E>;
  /** The generator's fixed-base table (built lazily, shared). */
  readonly G: FixedBase<E>;

  /** Canonical encoding (ristretto255: 32 bytes; Z_p*: big-endian, |p| bytes). */
  encode(a: E): Uint8Array;
  /** Validating decode of untrusted bytes; throws FormatError naming `label`. */
  decode(bytes: Uint8Array, label?: string, opts?: DecodeOptions): E;
  /**
   * Validating decode of many encodings at once, each checked exactly as {@link decode} would:
   * a list of encodings, or one array of n·`elementBytes` bytes. The first invalid one throws a
   * FormatError naming `${label}[i]`. Batch capability: where a backend has a faster path (the
   * WebAssembly one decodes in SIMD lanes) it takes it; elsewhere it is a loop over `decode`.
   */
  decodeMany(encodings: Uint8Array | readonly Uint8Array[], label?: string, opts?: DecodeOptions): E[];
  /** The canonical encodings of many elements, concatenated (n·`elementBytes` bytes). Public elements only: not written for constant time. */
  encodeMany(points: readonly E[]): Uint8Array;
  /** Σ points (the identity for none) in one call: a batch capability like {@link decodeMany}. */
  sumMany(points: readonly E[]): E;
  /** Lowercase hex of the canonical encoding. */
  toHex(a: E): string;
  /** Validating decode of lowercase hex; throws FormatError naming `label`. */
  fromHex(hex: unknown, label?: string, opts?: DecodeOptions): E;

  /** Uniform scalar in [1, q) from the platform CSPRNG. */
  randomScalar(): bigint;
  /** Canonical scalar encoding (ristretto255: 32 bytes little-endian as RFC 9496; Z_p*: big-endian). */
  encodeScalar(k: bigint): Uint8Array;
  /** Validating scalar decode: wrong length or k ≥ q → FormatError naming `label`. */
  decodeScalar(bytes: Uint8Array, label?: string): bigint;
  scalarToHex(k: bigint): string;
  scalarFromHex(hex: unknown, label?: string): bigint;
  /** RFC 9380 hash_to_field over Z_q (expand_message_xmd, SHA-512), one scalar. */
  hashToScalar(msg: Uint8Array, dst: Uint8Array | string): bigint;
}

/**
 * The batch capabilities as plain loops over a group's single-element operations: for a group
 * (or backend) without faster ones.
 */
export function batchByLoop<E>(
  g: Pick<Group<E>, 'decode' | 'encode' | 'add' | 'identity' | 'elementBytes'>,
): Pick<Group<E>, 'decodeMany' | 'encodeMany' | 'sumMany'> {
  return {
    decodeMany(encodings: Uint8Array | readonly Uint8Array[], label = 'elements', opts?: DecodeOptions): E[] {
      const n = g.elementBytes;
      if (encodings instanceof Uint8Array) {
        if (encodings.length % n !== 0) throw new FormatError(label, `expected a multiple of ${n} bytes, got ${encodings.length} bytes`);
        return Array.from({ length: encodings.length / n }, (_, i) =>
          g.decode(encodings.subarray(n * i, n * i + n), `${label}[${i}]`, opts),
        );
      }
      return encodings.map((e, i) => g.decode(e, `${label}[${i}]`, opts));
    },
    encodeMany(points: readonly E[]): Uint8Array {
      const n = g.elementBytes;
      const out = new Uint8Array(n * points.length);
      points.forEach((p, i) => out.set(g.encode(p), n * i));
      return out;
    },
    sumMany(points: readonly E[]): E {
      let acc = g.identity;
      for (const p of points) acc = g.add(acc, p);
      return acc;
    },
  };
}
