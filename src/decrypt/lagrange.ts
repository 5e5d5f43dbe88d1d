/**
 * Lagrange interpolation at 0 over Z_q: for a set S of distinct trustee indices,
 * λ_j = Π_{m∈S, m≠j} m / (m − j), so that Σ_{j∈S} λ_j·f(j) = f(0) for any f of degree < |S|.
 * @module
 */
import type { Group } from '../group/group.js';

/** λ_j for every j in `indices` (distinct, nonzero mod q). @throws RangeError for repeated or zero indices */
export function lagrangeAtZero(group: Group<any>, indices: readonly number[]): Map<number, bigint> {
  const F = group.Fq;
  if (new Set(indices).size !== indices.length) throw new RangeError('Lagrange: repeated index');
  const out = new Map<number, bigint>();
  for (const j of indices) {
    if (F.create(BigInt(j)) === 0n) throw new RangeError('Lagrange: index 0');
    let num = 1n;
    let den = 1n;
    for (const m of indices) {
      if (m === j) continue;
      num = F.mul(num, BigInt(m));
      den = F.mul(den, F.sub(BigInt(m), BigInt(j)));
    }
    out.set(j, F.mul(num, F.inv(den)));
  }
  return out;
}
