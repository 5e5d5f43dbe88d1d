/**
 * Finite-field Schnorr groups: the subgroup of prime order q of Z_p^*, written additively as
 * every {@link Group}: `add` is multiplication mod p, `multiply(a, k)` is a^k mod p, the identity
 * is 1. Exponentiation uses the windowed algorithms of `modp-exp.ts` and inversion noble's
 * extended Euclid (`invert`), both differentially tested against `bigint-crypto-utils`' `modPow`
 * and `modInv` (noble's inversion measured 1.4–1.8× faster than `modInv` at 2048–4096 bits).
 *
 * Encodings: elements are big-endian in exactly ⌈bits(p)/8⌉ bytes; decoding checks the length,
 * 1 < x < p (1 only where the identity is allowed) and x^q ≡ 1 (mod p). Scalars are big-endian in
 * ⌈bits(q)/8⌉ bytes, < q.
 *
 * **Timing.** JavaScript BigInt offers no constant-time arithmetic: `multiply` and
 * `FixedBase.multiply` here use exponent-independent operation sequences, but the engine's
 * multiplication and reduction time still depends on the operands. Secret exponents (keys,
 * ballot randomness) in these groups may leak through timing to a local attacker. This is why
 * ristretto255 (noble's constant-time ladder) is mjvote's default group; the finite-field groups
 * exist for interoperability with ElectionGuard, Belenios and Helios parameters.
 * @module
 */
import { invert } from '@noble/curves/abstract/modular.js';
import { FormatError } from '../errors.js';
import { bigintToBytesBE, bytesToBigintBE, fromHex, toHex, typeName } from '../bytes.js';
import { batchByLoop, type DecodeOptions, type FixedBase, type Group } from './group.js';
import { scalarField, scalarMethods } from './scalar-field.js';
import { bitLength, buildPowTable, multiExpUnsafe, powFromTable, powRegular, powUnsafe } from './modp-exp.js';
import type { ModpParams } from './params.js';

/** A finite-field Schnorr group: a {@link Group} over bigint elements, with its parameters. */
export interface ModpGroup extends Group<bigint> {
  /** The prime modulus p. */
  readonly p: bigint;
  /** The parameters the group was built from. */
  readonly params: ModpParams;
  /**
   * Fixed-base table with an explicit window width w (table of ⌈bits(q)/w⌉·2^w elements;
   * `precompute` uses w = 8). Larger w: fewer multiplications, more memory and build time.
   */
  precomputeWindow(base: bigint, window: number): FixedBase<bigint>;
}

/** Options of {@link modpGroup}. */
export interface ModpGroupOptions {
  /** Mark the group as insecure, for tests only (see `test-group.ts`). */
  insecureTestOnly?: boolean;
  /**
   * Skip the g^q ≡ 1 (mod p) check at construction. Only for the built-in named sets, whose
   * parameters are verified by the test suite; never for parameters from outside.
   */
  trustedParams?: boolean;
}

/** Default fixed-base window: 32 multiplications per exponentiation with a 256-bit q. */
const DEFAULT_WINDOW = 8;

/**
 * Build a finite-field Schnorr group from (p, q, g). Checks the structure it relies on:
 * p odd, q < p, q | p − 1, 1 < g < p and (unless `trustedParams`) g^q ≡ 1 (mod p). It does not
 * test p and q for primality (expensive and asynchronous); callers with parameters of their own
 * must check primality themselves, as the test suite does for the named sets.
 * @throws RangeError for parameters that fail a check.
 */
export function modpGroup(params: ModpParams, opts: ModpGroupOptions = {}): ModpGroup {
  const { p, q, g } = params;
  if (typeof p !== 'bigint' || typeof q !== 'bigint' || typeof g !== 'bigint') throw new RangeError('modp params: p, q, g must be bigints');
  if (p < 5n || (p & 1n) === 0n) throw new RangeError(`modp params ${params.id}: p must be an odd prime`);
  if (q < 3n || q >= p || (p - 1n) % q !== 0n) throw new RangeError(`modp params ${params.id}: q must divide p − 1`);
  if (g <= 1n || g >= p) throw new RangeError(`modp params ${params.id}: need 1 < g < p`);
  if (!opts.trustedParams && powUnsafe(g, q, p) !== 1n) throw new RangeError(`modp params ${params.id}: g^q ≠ 1 (mod p)`);

  const qBits = bitLength(q);
  const elementBytes = Math.ceil(bitLength(p) / 8);
  const scalarBytes = Math.ceil(qBits / 8);
  const Fq = scalarField(q);

  const checkScalar = (k: bigint): void => {
    if (typeof k !== 'bigint' || k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
  };

  const makeFixedBase = (base: bigint, window: number): FixedBase<bigint> => {
    const table = buildPowTable(base, p, qBits, window);
    return Object.freeze({
      base,
      multiply(k: bigint): bigint {
        checkScalar(k);
        return powFromTable(table, k, p, true);
      },
      multiplyUnsafe(k: bigint): bigint {
        checkScalar(k);
        return powFromTable(table, k, p, false);
      },
    });
  };

  let generatorTable: FixedBase<bigint> | undefined;

  const decode = (bytes: Uint8Array, label = 'element', decodeOpts?: DecodeOptions): bigint => {
    if (!(bytes instanceof Uint8Array)) throw new FormatError(label, `expected bytes, got ${typeName(bytes)}`);
    if (bytes.length !== elementBytes)
      throw new FormatError(label, `expected a ${elementBytes}-byte ${params.id} element, got ${bytes.length} bytes`);
    const x = bytesToBigintBE(bytes);
    if (x >= p) throw new FormatError(label, 'not reduced modulo p (x ≥ p)');
    if (x === 0n) throw new FormatError(label, '0 is not an element of Z_p^*');
    if (x === 1n) {
      if (decodeOpts?.allowIdentity) return x;
      throw new FormatError(label, 'the identity element is not allowed here');
    }
    if (powUnsafe(x, q, p) !== 1n) throw new FormatError(label, 'not in the order-q subgroup (x^q ≢ 1 mod p)');
    return x;
  };

  const add = (a: bigint, b: bigint): bigint => (a * b) % p;
  const encode = (a: bigint): Uint8Array => bigintToBytesBE(a, elementBytes);

  const group: ModpGroup = {
    id: params.id,
    description: params.description,
    order: q,
    Fq,
    elementBytes,
    scalarBytes,
    generator: g,
    identity: 1n,
    insecureTestOnly: opts.insecureTestOnly === true,
    p,
    params,
    add,
    subtract: (a: bigint, b: bigint) => (a * invert(b, p)) % p,
    negate: (a: bigint) => invert(a, p),
    multiply(a: bigint, k: bigint): bigint {
      checkScalar(k);
      return powRegular(a, k, p, qBits);
    },
    multiplyUnsafe(a: bigint, k: bigint): bigint {
      checkScalar(k);
      return powUnsafe(a, k, p);
    },
    equals: (a: bigint, b: bigint) => a === b,
    isIdentity: (a: bigint) => a === 1n,
    msm(points: readonly bigint[], ks: readonly bigint[]): bigint {
      if (points.length !== ks.length) throw new RangeError('msm: points and scalars differ in length');
      for (const k of ks) checkScalar(k);
      return multiExpUnsafe(points, ks, p);
    },
    precompute: (base: bigint) => makeFixedBase(base, DEFAULT_WINDOW),
    precomputeWindow: makeFixedBase,
    get G(): FixedBase<bigint> {
      return (generatorTable ??= makeFixedBase(g, DEFAULT_WINDOW));
    },
    encode,
    decode,
    ...batchByLoop({ decode, encode, add, identity: 1n, elementBytes }),
    toHex: (a: bigint) => toHex(bigintToBytesBE(a, elementBytes)),
    fromHex: (hex: unknown, label = 'element', decodeOpts?: DecodeOptions) => decode(fromHex(hex, label, elementBytes), label, decodeOpts),
    ...scalarMethods(q, scalarBytes, false),
  };
  return Object.freeze(group);
}
