/**
 * Group operation costs for every production group: fixed-base and variable-base multiply,
 * decode (validating) and encode, and multi-scalar multiplication of 2^10 points (per point:
 * divide the mean by 1,024); for ristretto255 also 2^14 points, this MSM against noble's
 * `pippenger`, with full and 128-bit scalars.
 * Run: `npx vitest bench --run bench/group.bench.ts` (numbers in docs/groups.md, "Measured").
 */
import { bench, describe } from 'vitest';
import { modPow } from 'bigint-crypto-utils';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { ristretto255 as noble } from '@noble/curves/ed25519.js';
import type { Group } from '../src/group/group.js';
import { listGroups } from '../src/group/index.js';
import { ristretto255 } from '../src/group/ristretto255.js';
import type { ModpGroup } from '../src/group/modp.js';

/** Few iterations for slow operations: the box has 2 shared cores. */
const opts = (iterations: number) => ({ iterations, time: 0, warmupIterations: Math.max(1, Math.ceil(iterations / 10)) });

function inputs<E>(g: Group<E>, n: number, short = false) {
  const points = Array.from({ length: n }, () => g.G.multiplyUnsafe(g.randomScalar()));
  const scalars = points.map(() => (short ? g.randomScalar() >> BigInt(g.order.toString(2).length - 128) : g.randomScalar()));
  return { points, scalars };
}

for (const g of listGroups() as Group<unknown>[]) {
  const big = g.elementBytes >= 384;
  const k = g.randomScalar();
  const P = g.G.multiplyUnsafe(g.randomScalar());
  const bytes = g.encode(P);
  const table = g.precompute(P);
  const few = opts(big ? 20 : 60);
  const msmN = 1 << 10;
  const msmIn = inputs(g, msmN);

  describe(`${g.id}`, () => {
    bench('fixed-base multiply (G table, secret-scalar path)', () => void g.G.multiply(k), opts(200));
    bench('fixed-base multiplyUnsafe (G table)', () => void g.G.multiplyUnsafe(k), opts(200));
    bench('fixed-base multiply (table of another base)', () => void table.multiply(k), opts(200));
    bench('variable-base multiply (secret-scalar path)', () => void g.multiply(P, k), few);
    bench('variable-base multiplyUnsafe', () => void g.multiplyUnsafe(P, k), few);
    if ('p' in g) {
      const m = g as unknown as ModpGroup;
      bench('reference: bigint-crypto-utils modPow', () => void modPow(P as bigint, k, m.p), few);
    }
    bench('decode (validating)', () => void g.decode(bytes, 'P'), few);
    bench('encode', () => void g.encode(P), opts(500));
    bench('precompute a base (build the table)', () => void g.precompute(P), opts(big ? 3 : 10));
    bench(`msm ${msmN} points`, () => void g.msm(msmIn.points, msmIn.scalars), opts(big ? 2 : 3));
  });
}

describe('ristretto255 msm: this bucket method vs noble pippenger', () => {
  for (const logN of [10, 14]) {
    const n = 1 << logN;
    for (const short of [false, true]) {
      const { points, scalars } = inputs(ristretto255, n, short);
      const label = `${n} points, ${short ? '128' : '253'}-bit scalars`;
      const it = opts(logN === 10 ? 8 : 2);
      bench(`mjvote msm, ${label}`, () => void ristretto255.msm(points, scalars), it);
      bench(`noble pippenger, ${label}`, () => void pippenger(noble.Point as never, points as never[], scalars), it);
    }
  }
});
