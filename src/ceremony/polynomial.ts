/**
 * Feldman VSS polynomials over Z_q.
 *
 * A trustee i draws f_i(x) = a_i,0 + a_i,1·x + … + a_i,t−1·x^(t−1) with uniform coefficients,
 * publishes the coefficient commitments C_i,l = a_i,l·G, and gives trustee j the share f_i(j).
 * Anyone checks a share against the commitments: f_i(j)·G = Σ_l j^l·C_i,l.
 * @module
 */
import type { Group } from '../group/group.js';

/** t uniform coefficients a_0..a_{t−1} in [1, q) (secret). */
export function randomPolynomial(group: Group<any>, t: number): bigint[] {
  return Array.from({ length: t }, () => group.randomScalar());
}

/** f(x) = Σ_l a_l·x^l mod q, by Horner's rule. */
export function evaluatePolynomial(group: Group<any>, coefficients: readonly bigint[], x: number): bigint {
  const F = group.Fq;
  const X = F.create(BigInt(x));
  let acc = 0n;
  for (let l = coefficients.length - 1; l >= 0; l--) acc = F.add(F.mul(acc, X), coefficients[l]!);
  return acc;
}

/** The powers 1, j, j², …, j^(t−1) mod q. */
export function powersOf(group: Group<any>, j: number, t: number): bigint[] {
  const F = group.Fq;
  const out: bigint[] = [];
  let p = 1n;
  for (let l = 0; l < t; l++) {
    out.push(p);
    p = F.mul(p, BigInt(j));
  }
  return out;
}

/** Σ_l j^l·C_l: the element f(j)·G that the share for trustee j must match (public data, variable time). */
export function evaluateCommitments<E>(group: Group<E>, commitments: readonly E[], j: number): E {
  return group.msm(commitments, powersOf(group, j, commitments.length));
}
