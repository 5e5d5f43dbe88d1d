/**
 * Disjunctive (OR) Chaum–Pedersen proof that a ciphertext (α, β) under PK encrypts a value in
 * {0, …, L} — L = 1 is the 0/1 proof of every MJ ballot cell (CDS94 / CGS97, commitment form).
 *
 * For each branch j ∈ [0, L] the statement is "α = r·G ∧ β − j·G = r·PK". With m the true
 * value, the prover draws tⱼ and, for j ≠ m, cⱼ at random, and publishes for every j
 *
 *     Aⱼ = tⱼ·G,   Bⱼ = uⱼ·G + tⱼ·PK   with uⱼ = −cⱼ·(m − j)   (so u_m = 0),
 *
 * then c = H(ctx, PK, α, β, L, A₀, B₀, …, A_L, B_L), c_m = c − Σ_{j≠m} cⱼ and zⱼ = tⱼ + cⱼ·r.
 * For j ≠ m this equals the classic simulation (Aⱼ = zⱼ·G − cⱼ·α, Bⱼ = zⱼ·PK − cⱼ·(β − j·G));
 * for j = m it is the honest commitment (w = t_m). Every branch is computed with the same
 * fixed-base constant-time multiplications whatever m is: the point arithmetic does not
 * branch on the vote.
 *
 * Verifier: Σ cⱼ = c and, for every j, zⱼ·G = Aⱼ + cⱼ·α and zⱼ·PK = Bⱼ + cⱼ·(β − j·G).
 * Transcript kind: `disjunctive` with L in the statement (`disjunctive01` has its own tag when L = 1).
 * @module
 */
import type { FixedBase, Group } from '../group/group.js';
import { Transcript } from '../hash.js';
import type { Ciphertext, PublicKey } from '../elgamal.js';
import { checkEquation, type Equation, type Term } from './equation.js';
import { csprngNonces, type ProveOptions } from './nonces.js';

/** One branch of a disjunctive proof. */
export interface DisjunctiveBranch<E> {
  readonly commitmentA: E; // Aⱼ
  readonly commitmentB: E; // Bⱼ
  readonly challenge: bigint; // cⱼ
  readonly response: bigint; // zⱼ
}

/** A disjunctive range proof: L+1 branches. */
export type DisjunctiveProof<E> = readonly DisjunctiveBranch<E>[];

/** Statement: ct encrypts a value in [0, max] under publicKey. */
export interface RangeStatement<E> {
  readonly publicKey: E;
  readonly ciphertext: Ciphertext<E>;
  readonly max: number; // L
}

/** The transcript kind: `disjunctive01` for L = 1, `disjunctive` otherwise. */
function kindOf(max: number): string {
  return max === 1 ? 'disjunctive01' : 'disjunctive';
}

function challenge<E>(
  group: Group<E>,
  context: Uint8Array,
  st: RangeStatement<E>,
  branches: readonly { commitmentA: E; commitmentB: E }[],
): bigint {
  const t = new Transcript(group, kindOf(st.max))
    .bytes(context)
    .element(st.publicKey)
    .element(st.ciphertext.alpha)
    .element(st.ciphertext.beta)
    .u32(st.max);
  for (const b of branches) t.element(b.commitmentA).element(b.commitmentB);
  return t.challenge();
}

/**
 * Proves that `ct` = Enc(m; r) under pk with 0 ≤ m ≤ max. Throws RangeError if m is out of range
 * (a prover cannot make a valid proof for it anyway).
 */
export function proveRange<E>(
  pk: PublicKey<E>,
  ct: Ciphertext<E>,
  m: number,
  r: bigint,
  max: number,
  context: Uint8Array,
  opts: ProveOptions = {},
): DisjunctiveProof<E> {
  if (!Number.isInteger(max) || max < 1 || max > 0xffffffff) throw new RangeError('max must be an integer ≥ 1');
  if (!Number.isInteger(m) || m < 0 || m > max) throw new RangeError('plaintext out of the proven range');
  const group = pk.group;
  const F = group.Fq;
  const nonce = opts.nonces ?? csprngNonces(group);
  const t: bigint[] = [];
  const c: bigint[] = [];
  const commits: { commitmentA: E; commitmentB: E }[] = [];
  const mq = BigInt(m);
  for (let j = 0; j <= max; j++) {
    t.push(nonce());
    c.push(nonce());
    const u = F.neg(F.mul(c[j]!, F.create(mq - BigInt(j)))); // zero for the real branch
    commits.push({ commitmentA: group.G.multiply(t[j]!), commitmentB: group.add(group.G.multiply(u), pk.table.multiply(t[j]!)) });
  }
  const cAll = challenge(group, context, { publicKey: pk.element, ciphertext: ct, max }, commits);
  let sum = 0n;
  for (let j = 0; j <= max; j++) sum = F.add(sum, c[j]!);
  c[m] = F.sub(cAll, F.sub(sum, c[m]!)); // c_m = c − Σ_{j≠m} cⱼ
  return commits.map((cm, j) => ({ ...cm, challenge: c[j]!, response: F.add(t[j]!, F.mul(c[j]!, r)) }));
}

/** Convenience: the 0/1 proof (L = 1). */
export function proveZeroOne<E>(
  pk: PublicKey<E>,
  ct: Ciphertext<E>,
  bit: 0 | 1,
  r: bigint,
  context: Uint8Array,
  opts: ProveOptions = {},
): DisjunctiveProof<E> {
  return proveRange(pk, ct, bit, r, 1, context, opts);
}

/**
 * Whether a range proof has the statement's shape (L+1 branches) and its branches' challenges
 * sum to the transcript's challenge: the check {@link rangeEquations} makes before its equations.
 */
export function rangeChallengeOk<E>(group: Group<E>, st: RangeStatement<E>, proof: DisjunctiveProof<E>, context: Uint8Array): boolean {
  if (proof.length !== st.max + 1) return false;
  const F = group.Fq;
  const c = challenge(group, context, st, proof);
  let sum = 0n;
  for (const b of proof) sum = F.add(sum, b.challenge);
  return sum === c;
}

/** Equations of a range proof, or null when its shape or challenge sum is wrong. */
export function rangeEquations<E>(
  group: Group<E>,
  st: RangeStatement<E>,
  proof: DisjunctiveProof<E>,
  context: Uint8Array,
): Equation<E>[] | null {
  if (!rangeChallengeOk(group, st, proof, context)) return null;
  const F = group.Fq;
  const eqs: Equation<E>[] = [];
  const m1 = F.neg(1n);
  proof.forEach((b, j) => {
    const nc = F.neg(b.challenge);
    eqs.push([
      { scalar: b.response, point: group.generator },
      { scalar: m1, point: b.commitmentA },
      { scalar: nc, point: st.ciphertext.alpha },
    ]);
    // zⱼ·PK − Bⱼ − cⱼ·β + (cⱼ·j)·G = 0 (the last term is absent for j = 0)
    const eq: Term<E>[] = [
      { scalar: b.response, point: st.publicKey },
      { scalar: m1, point: b.commitmentB },
      { scalar: nc, point: st.ciphertext.beta },
    ];
    if (j > 0) eq.push({ scalar: j === 1 ? b.challenge : F.mul(b.challenge, BigInt(j)), point: group.generator });
    eqs.push(eq);
  });
  return eqs;
}

/** One-by-one verification of a range (or 0/1) proof. */
export function verifyRange<E>(
  group: Group<E>,
  st: RangeStatement<E>,
  proof: DisjunctiveProof<E>,
  context: Uint8Array,
  tables: readonly FixedBase<E>[] = [],
): boolean {
  const eqs = rangeEquations(group, st, proof, context);
  return eqs !== null && eqs.every((e) => checkEquation(group, e, tables));
}
