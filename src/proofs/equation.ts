/**
 * Verification equations. Every proof in mjvote verifies by checking that some linear
 * combinations of group elements are the identity: Σ sᵢ·Pᵢ = 0. A proof's `*Equations`
 * function returns them, so that the same equations are checked one by one (`checkEquation`)
 * or merged into one random-linear-combination MSM by the {@link BatchVerifier}.
 *
 * Convention: commitments enter their equation with the scalar −1, so that the batch
 * verifier can give them a short (128-bit) weight.
 * @module
 */
import type { FixedBase, Group } from '../group/group.js';

/** One term s·P of an equation. */
export interface Term<E> {
  readonly scalar: bigint;
  readonly point: E;
}

/** Σ terms = identity. */
export type Equation<E> = readonly Term<E>[];

/**
 * Checks one equation directly (variable time: public data only). Bases with a fixed-base
 * table in `tables` (matched by object identity; the generator always) use it; scalars ±1
 * cost an addition, not a multiplication.
 */
export function checkEquation<E>(group: Group<E>, eq: Equation<E>, tables: readonly FixedBase<E>[] = []): boolean {
  const q1 = group.order - 1n;
  let acc = group.identity;
  for (const t of eq) {
    const s = group.Fq.create(t.scalar);
    let P: E;
    if (s === 0n) continue;
    else if (s === 1n) P = t.point;
    else if (s === q1) P = group.negate(t.point);
    else if (t.point === group.generator) P = group.G.multiplyUnsafe(s);
    else {
      const table = tables.find((x) => x.base === t.point);
      P = table ? table.multiplyUnsafe(s) : group.multiplyUnsafe(t.point, s);
    }
    acc = group.add(acc, P);
  }
  return group.isIdentity(acc);
}
