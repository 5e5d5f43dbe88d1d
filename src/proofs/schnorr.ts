/**
 * Schnorr proof of knowledge of a discrete log x with X = x·B (commitment form).
 *
 * Prover: w ← Z_q, R = w·B, c = H(ctx, B, X, R), z = w + c·x.
 * Verifier: z·B = R + c·X, i.e. the equation z·B − R − c·X = 0, with c recomputed.
 * Transcript kind: `schnorr` (layout in docs/protocol.md).
 * @module
 */
import type { FixedBase, Group } from '../group/group.js';
import { Transcript } from '../hash.js';
import { checkEquation, type Equation } from './equation.js';
import { csprngNonces, type ProveOptions } from './nonces.js';

/** A Schnorr proof in commitment form. */
export interface SchnorrProof<E> {
  readonly commitment: E; // R
  readonly challenge: bigint; // c
  readonly response: bigint; // z
}

/** Statement: X = x·B for a public base B (default: the generator). */
export interface SchnorrStatement<E> {
  readonly base?: E;
  readonly publicKey: E;
}

function challenge<E>(group: Group<E>, context: Uint8Array, B: E, X: E, R: E): bigint {
  return new Transcript(group, 'schnorr').bytes(context).element(B).element(X).element(R).challenge();
}

/**
 * Proves knowledge of x with X = x·B. `baseTable` is the fixed-base table of B (defaults to
 * the generator's).
 */
export function proveSchnorr<E>(
  group: Group<E>,
  secret: bigint,
  context: Uint8Array,
  opts: ProveOptions & { base?: FixedBase<E> } = {},
): { statement: SchnorrStatement<E>; proof: SchnorrProof<E> } {
  const table = opts.base ?? group.G;
  const B = table.base;
  const X = table.multiply(secret);
  const w = (opts.nonces ?? csprngNonces(group))();
  const R = table.multiply(w);
  const c = challenge(group, context, B, X, R);
  const z = group.Fq.add(w, group.Fq.mul(c, secret));
  return { statement: { base: B, publicKey: X }, proof: { commitment: R, challenge: c, response: z } };
}

/** The verification equations, or null if the published challenge is not the transcript's. */
export function schnorrEquations<E>(
  group: Group<E>,
  st: SchnorrStatement<E>,
  proof: SchnorrProof<E>,
  context: Uint8Array,
): Equation<E>[] | null {
  const B = st.base ?? group.generator;
  const c = challenge(group, context, B, st.publicKey, proof.commitment);
  if (c !== proof.challenge) return null;
  const F = group.Fq;
  return [
    [
      { scalar: proof.response, point: B },
      { scalar: F.neg(1n), point: proof.commitment },
      { scalar: F.neg(c), point: st.publicKey },
    ],
  ];
}

/** One-by-one verification. */
export function verifySchnorr<E>(
  group: Group<E>,
  st: SchnorrStatement<E>,
  proof: SchnorrProof<E>,
  context: Uint8Array,
  tables: readonly FixedBase<E>[] = [],
): boolean {
  const eqs = schnorrEquations(group, st, proof, context);
  return eqs !== null && eqs.every((e) => checkEquation(group, e, tables));
}
