/**
 * Exponential ElGamal over any {@link Group}.
 *
 * Key pair: secret s, public K = s·G. A message m (a small integer: a 0/1 vote, a count) is
 * encrypted with randomness r as (α, β) = (r·G, m·G + r·K). Ciphertexts add homomorphically:
 * (α₁+α₂, β₁+β₂) encrypts m₁+m₂. Decryption gives the element M = β − s·α = m·G, and m is
 * recovered by a bounded discrete logarithm (baby-step giant-step over [0, N]).
 *
 * Timing: encryption computes m·G and r·K with the constant-time fixed-base paths for every
 * m and r (including m = 0: see `Group.multiply`), so encrypting a 0 and a 1 run the same code.
 * @module
 */
import { BoundError } from './errors.js';
import type { FixedBase, Group } from './group/group.js';

/** An ElGamal ciphertext (α, β) = (r·G, m·G + r·K). */
export interface Ciphertext<E> {
  readonly alpha: E;
  readonly beta: E;
}

/** A key pair. The secret never reaches JSON: `toJSON` is overridden to hide it. */
export interface KeyPair<E> {
  readonly secretKey: bigint;
  readonly publicKey: E;
}

/** An election public key with its fixed-base table, built once and reused by every encryption. */
export interface PublicKey<E> {
  readonly group: Group<E>;
  readonly element: E;
  readonly table: FixedBase<E>;
}

/** Wraps a public key element with its fixed-base table (precomputation happens here, once). */
export function publicKey<E>(group: Group<E>, element: E): PublicKey<E> {
  return Object.freeze({ group, element, table: group.precompute(element) });
}

/** Fresh key pair from the platform CSPRNG. */
export function generateKeyPair<E>(group: Group<E>): KeyPair<E> {
  const secretKey = group.randomScalar();
  const kp = { secretKey, publicKey: group.G.multiply(secretKey) };
  Object.defineProperty(kp, 'toJSON', { value: () => ({ publicKey: group.toHex(kp.publicKey) }), enumerable: false });
  return Object.freeze(kp);
}

function toScalar<E>(group: Group<E>, m: bigint | number): bigint {
  const b = typeof m === 'number' ? BigInt(m) : m;
  if (b < 0n || b >= group.order) throw new RangeError('plaintext out of range [0, q)');
  return b;
}

/**
 * Encrypts m with randomness r (fresh if omitted). Returns the ciphertext and the randomness
 * (needed for proofs and Benaloh audits; it is secret: never log or serialize it casually).
 */
export function encrypt<E>(pk: PublicKey<E>, m: bigint | number, r?: bigint): { ciphertext: Ciphertext<E>; randomness: bigint } {
  const g = pk.group;
  const rr = r ?? g.randomScalar();
  if (rr < 0n || rr >= g.order) throw new RangeError('randomness out of range [0, q)');
  const alpha = g.G.multiply(rr);
  const beta = g.add(g.G.multiply(toScalar(g, m)), pk.table.multiply(rr));
  return { ciphertext: { alpha, beta }, randomness: rr };
}

/** Homomorphic addition: encrypts m₁ + m₂ with randomness r₁ + r₂. */
export function addCiphertexts<E>(group: Group<E>, a: Ciphertext<E>, b: Ciphertext<E>): Ciphertext<E> {
  return { alpha: group.add(a.alpha, b.alpha), beta: group.add(a.beta, b.beta) };
}

/** Homomorphic sum of any number of ciphertexts (the encryption of 0 with r = 0 for none). */
export function sumCiphertexts<E>(group: Group<E>, cts: Iterable<Ciphertext<E>>): Ciphertext<E> {
  const list = Array.from(cts);
  return { alpha: group.sumMany(list.map((c) => c.alpha)), beta: group.sumMany(list.map((c) => c.beta)) };
}

/** Re-randomization: the same plaintext under fresh randomness r' (adds an encryption of 0). */
export function rerandomize<E>(pk: PublicKey<E>, ct: Ciphertext<E>, r?: bigint): Ciphertext<E> {
  const zero = encrypt(pk, 0n, r).ciphertext;
  return addCiphertexts(pk.group, ct, zero);
}

/** Decryption to the group element M = β − s·α = m·G. */
export function decryptToElement<E>(group: Group<E>, secretKey: bigint, ct: Ciphertext<E>): E {
  return group.subtract(ct.beta, group.multiply(ct.alpha, secretKey));
}

/** Full decryption with a bounded discrete log over [0, bound]. */
export function decrypt<E>(group: Group<E>, secretKey: bigint, ct: Ciphertext<E>, bound: bigint | number): bigint {
  return discreteLog(group, decryptToElement(group, secretKey, ct), bound);
}

/**
 * Baby-step giant-step table for m·G with m ∈ [0, bound]. Build once and reuse it for every
 * ciphertext of a tally: the baby-step table costs `babySteps` encodings, each search at most
 * ⌈(bound+1)/babySteps⌉ encodings.
 */
export class DiscreteLogTable<E> {
  readonly bound: bigint;
  readonly babySteps: number;
  private readonly table = new Map<string, number>();
  private readonly giant: E; // −m·G

  constructor(
    readonly group: Group<E>,
    bound: bigint | number,
    expectedSearches = 1,
  ) {
    const N = BigInt(bound);
    if (N < 0n) throw new RangeError('bound must be ≥ 0');
    this.bound = N;
    // m ≈ sqrt(searches · (N+1)) balances table building against searching; capped at 2^16.
    const ideal = Math.ceil(Math.sqrt(Math.max(1, expectedSearches) * (Number(N) + 1)));
    const m = Math.max(1, Math.min(1 << 16, ideal, Number(N) + 1));
    this.babySteps = m;
    let P = group.identity;
    for (let j = 0; j < m; j++) {
      this.table.set(group.toHex(P), j);
      P = group.add(P, group.generator);
    }
    this.giant = group.negate(P); // P = m·G here
  }

  /** m with m·G = M and 0 ≤ m ≤ bound, or a {@link BoundError}. */
  solve(M: E): bigint {
    const g = this.group;
    const m = BigInt(this.babySteps);
    let gamma = M;
    for (let i = 0n; i * m <= this.bound; i++) {
      const j = this.table.get(g.toHex(gamma));
      if (j !== undefined) {
        const x = i * m + BigInt(j);
        if (x <= this.bound) return x;
        break;
      }
      gamma = g.add(gamma, this.giant);
    }
    throw new BoundError(this.bound);
  }
}

/** Bounded discrete log of M to base G over [0, bound] (builds a one-off table). */
export function discreteLog<E>(group: Group<E>, M: E, bound: bigint | number): bigint {
  return new DiscreteLogTable(group, bound).solve(M);
}
