/**
 * Chaum–Pedersen proof of equal discrete logs (DLEQ), commitment form:
 * knowledge of x with H₁ = x·G₁ and H₂ = x·G₂.
 *
 * Prover: w ← Z_q, A₁ = w·G₁, A₂ = w·G₂, c = H(ctx, G₁, H₁, G₂, H₂, A₁, A₂), z = w + c·x.
 * Verifier: z·G₁ = A₁ + c·H₁ and z·G₂ = A₂ + c·H₂.
 *
 * Uses: a decryption share D = s·α with verification key K = s·G is (G, K, α, D); a ciphertext
 * (α, β) encrypting exactly k under PK with randomness r is (G, α, PK, β − k·G).
 * Transcript kinds: `dleq` (generic), `decryption-share`, `encrypts-k` (each its own tag).
 * @module
 */
import type { FixedBase, Group } from '../group/group.js';
import { Transcript } from '../hash.js';
import type { Ciphertext, PublicKey } from '../elgamal.js';
import { checkEquation, type Equation } from './equation.js';
import { csprngNonces, type NonceSource, type ProveOptions } from './nonces.js';

/** A DLEQ proof in commitment form. */
export interface DleqProof<E> {
  readonly commitment1: E; // A₁
  readonly commitment2: E; // A₂
  readonly challenge: bigint;
  readonly response: bigint;
}

/** Statement: H₁ = x·G₁ and H₂ = x·G₂. */
export interface DleqStatement<E> {
  readonly g1: E;
  readonly h1: E;
  readonly g2: E;
  readonly h2: E;
}

function challenge<E>(
  group: Group<E>,
  kind: string,
  context: Uint8Array,
  st: DleqStatement<E>,
  A1: E,
  A2: E,
  extra?: (t: Transcript<E>) => void,
): bigint {
  const t = new Transcript(group, kind).bytes(context).element(st.g1).element(st.h1).element(st.g2).element(st.h2);
  extra?.(t);
  return t.element(A1).element(A2).challenge();
}

/** Options shared by DLEQ provers: fixed-base tables for G₁/G₂ when the prover has them. */
export interface DleqProveOptions<E> {
  /** @internal Deterministic nonces, for known-answer test vectors only: never in production (a repeated nonce reveals the secret). */
  nonces?: NonceSource;
  /** Fixed-base table of G₁ (used for A₁ = w·G₁). */
  table1?: FixedBase<E>;
  /** Fixed-base table of G₂ (used for A₂ = w·G₂). */
  table2?: FixedBase<E>;
  /** Transcript kind (domain separation per use); default `dleq`. */
  kind?: string;
}

/** Proves H₁ = x·G₁ ∧ H₂ = x·G₂ for the secret x. */
export function proveDleq<E>(
  group: Group<E>,
  st: DleqStatement<E>,
  x: bigint,
  context: Uint8Array,
  opts: DleqProveOptions<E> = {},
): DleqProof<E> {
  const w = (opts.nonces ?? csprngNonces(group))();
  const A1 = opts.table1 ? opts.table1.multiply(w) : group.multiply(st.g1, w);
  const A2 = opts.table2 ? opts.table2.multiply(w) : group.multiply(st.g2, w);
  const c = challenge(group, opts.kind ?? 'dleq', context, st, A1, A2);
  return { commitment1: A1, commitment2: A2, challenge: c, response: group.Fq.add(w, group.Fq.mul(c, x)) };
}

/** Verification equations, or null when the published challenge is wrong. */
export function dleqEquations<E>(
  group: Group<E>,
  st: DleqStatement<E>,
  proof: DleqProof<E>,
  context: Uint8Array,
  kind = 'dleq',
): Equation<E>[] | null {
  const c = challenge(group, kind, context, st, proof.commitment1, proof.commitment2);
  if (c !== proof.challenge) return null;
  const F = group.Fq;
  const m1 = F.neg(1n);
  return [
    [
      { scalar: proof.response, point: st.g1 },
      { scalar: m1, point: proof.commitment1 },
      { scalar: F.neg(c), point: st.h1 },
    ],
    [
      { scalar: proof.response, point: st.g2 },
      { scalar: m1, point: proof.commitment2 },
      { scalar: F.neg(c), point: st.h2 },
    ],
  ];
}

/** One-by-one DLEQ verification. */
export function verifyDleq<E>(
  group: Group<E>,
  st: DleqStatement<E>,
  proof: DleqProof<E>,
  context: Uint8Array,
  kind = 'dleq',
  tables: readonly FixedBase<E>[] = [],
): boolean {
  const eqs = dleqEquations(group, st, proof, context, kind);
  return eqs !== null && eqs.every((e) => checkEquation(group, e, tables));
}

// ---------------------------------------------------------------------------------------------
// "This ciphertext encrypts exactly k": DLEQ of r for (G, α, PK, β − k·G), kind `encrypts-k`.
// The statement (PK, α, β, k) is hashed whole: k is in the transcript as a scalar.

/** Statement of an exactly-k proof. */
export interface EncryptsKStatement<E> {
  readonly publicKey: E;
  readonly ciphertext: Ciphertext<E>;
  readonly k: bigint;
}

/** The Fiat–Shamir challenge of an exactly-k proof (transcript kind `encrypts-k`) with commitments A1, A2. */
export function encryptsKChallenge<E>(group: Group<E>, context: Uint8Array, st: EncryptsKStatement<E>, A1: E, A2: E): bigint {
  return new Transcript(group, 'encrypts-k')
    .bytes(context)
    .element(st.publicKey)
    .element(st.ciphertext.alpha)
    .element(st.ciphertext.beta)
    .scalar(st.k)
    .element(A1)
    .element(A2)
    .challenge();
}

/** Proves that `ct` (made with randomness r under pk) encrypts exactly k. */
export function proveEncryptsK<E>(
  pk: PublicKey<E>,
  ct: Ciphertext<E>,
  k: bigint,
  r: bigint,
  context: Uint8Array,
  opts: ProveOptions = {},
): DleqProof<E> {
  const group = pk.group;
  const w = (opts.nonces ?? csprngNonces(group))();
  const A1 = group.G.multiply(w);
  const A2 = pk.table.multiply(w);
  const c = encryptsKChallenge(group, context, { publicKey: pk.element, ciphertext: ct, k }, A1, A2);
  return { commitment1: A1, commitment2: A2, challenge: c, response: group.Fq.add(w, group.Fq.mul(c, r)) };
}

/** Equations of an exactly-k proof, or null on a challenge mismatch. */
export function encryptsKEquations<E>(
  group: Group<E>,
  st: EncryptsKStatement<E>,
  proof: DleqProof<E>,
  context: Uint8Array,
): Equation<E>[] | null {
  const c = encryptsKChallenge(group, context, st, proof.commitment1, proof.commitment2);
  if (c !== proof.challenge) return null;
  const F = group.Fq;
  // z·G − A₁ − c·α = 0 and z·PK − A₂ − c·β + (c·k)·G = 0 (β − k·G expanded, so no subtraction is needed).
  return [
    [
      { scalar: proof.response, point: group.generator },
      { scalar: F.neg(1n), point: proof.commitment1 },
      { scalar: F.neg(c), point: st.ciphertext.alpha },
    ],
    [
      { scalar: proof.response, point: st.publicKey },
      { scalar: F.neg(1n), point: proof.commitment2 },
      { scalar: F.neg(c), point: st.ciphertext.beta },
      { scalar: F.mul(c, st.k), point: group.generator },
    ],
  ];
}

/** One-by-one verification of an exactly-k proof. */
export function verifyEncryptsK<E>(
  group: Group<E>,
  st: EncryptsKStatement<E>,
  proof: DleqProof<E>,
  context: Uint8Array,
  tables: readonly FixedBase<E>[] = [],
): boolean {
  const eqs = encryptsKEquations(group, st, proof, context);
  return eqs !== null && eqs.every((e) => checkEquation(group, e, tables));
}
