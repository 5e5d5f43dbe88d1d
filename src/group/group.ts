/**
 * The prime-order group abstraction every protocol in mjvote is written against.
 *
 * A {@link Group} is a frozen object describing a cyclic group of prime order q with a
 * generator G, written additively (`add`, `multiply`) whatever the family: for ristretto255
 * elements are curve points, for Schnorr subgroups of Z_p* "add" is modular multiplication and
 * "multiply" is modular exponentiation. Generic code takes the group as a parameter
 * (STYLE habit 4) and never looks inside elements.
 *
 * Scalars are `bigint`s in [0, q). Elements are opaque values of type `E`.
 *
 * Time behaviour: methods named `*Unsafe` are variable-time and must only see public scalars
 * (proof verification, tallies). `multiply` and `FixedBase.multiply` are the paths for secret
 * scalars (keys, ballot randomness, votes): for ristretto255 they use noble's constant-time
 * ladder, including for the scalar 0 (which noble's own `multiply` refuses).
 * @module
 */

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
  /**
   * Σ points (the identity for none) in one call, where a backend can do it faster than a chain
   * of `add` (the WebAssembly one: one call into WebAssembly). Absent elsewhere: fold with `add`.
   */
  sumMany?(points: readonly E[]): E;
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
