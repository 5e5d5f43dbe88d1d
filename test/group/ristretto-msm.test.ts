/**
 * The ristretto255 bucket MSM against the naive sum Σ k_i·P_i and against noble's `pippenger`:
 * same results for full and short scalars, zero scalars, repeated points, P with −P (buckets that
 * cancel to the identity), identity inputs, non-canonical Edwards representatives and chunking.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { ristretto255 as noble } from '@noble/curves/ed25519.js';
import { ristretto255With, type RistrettoPoint } from '../../src/group/ristretto255.js';
import { edwardsOf, fromEdwards } from '../../src/group/ristretto255-noble.js';
import { msmEdwards, type MsmMethod } from '../../src/group/ristretto-msm.js';

const g = ristretto255With('noble');

const q = g.order;
const naive = (pts: readonly RistrettoPoint[], ks: readonly bigint[]) =>
  pts.reduce((acc, P, i) => g.add(acc, g.multiplyUnsafe(P, ks[i]!)), g.identity);

// Points reached in different ways, so that their Edwards representatives differ (a decoded point,
// a sum, a negation, the identity).
const point = fc.oneof(
  fc.bigInt({ min: 1n, max: q - 1n }).map((k) => g.G.multiplyUnsafe(k)),
  fc.bigInt({ min: 1n, max: q - 1n }).map((k) => g.decode(g.encode(g.multiplyUnsafe(g.generator, k)))),
  fc
    .tuple(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n }))
    .map(([a, b]) => g.add(g.G.multiplyUnsafe(a), g.negate(g.G.multiplyUnsafe(b)))),
  fc.constant(g.identity),
);
const scalar = fc.oneof(
  fc.bigInt({ min: 0n, max: q - 1n }),
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), // batch-verification weights
  fc.bigInt({ min: 0n, max: 40n }),
  fc.constantFrom(0n, 1n, q - 1n, q - 2n, (q - 1n) / 2n),
);

/** Σ k_i·P_i via msmEdwards with a given chunk size and method, wrapped back into a ristretto point. */
function msmWith(pts: readonly RistrettoPoint[], ks: readonly bigint[], chunk: number, method: MsmMethod = 'auto'): RistrettoPoint {
  const s = msmEdwards(pts.map(edwardsOf), ks, chunk, method);
  return s ? fromEdwards(s) : g.identity;
}

describe('ristretto255 msm (signed-digit buckets and Straus)', () => {
  it('equals the naive sum on random inputs with zeros, duplicates and cancelling pairs', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(point, scalar), { maxLength: 24 }), fc.boolean(), fc.boolean(), (items, dup, cancel) => {
        const pts = items.map(([P]) => P);
        const ks = items.map(([, k]) => k);
        if (dup && pts.length > 2) [pts[2], ks[2]] = [pts[0]!, ks[0]!];
        if (cancel && pts.length > 1) [pts[1], ks[1]] = [g.negate(pts[0]!), ks[0]!];
        const want = naive(pts, ks);
        expect(g.toHex(g.msm(pts, ks))).toBe(g.toHex(want));
        expect(g.toHex(msmWith(pts, ks, 3))).toBe(g.toHex(want));
        expect(g.toHex(msmWith(pts, ks, 1000, 'buckets'))).toBe(g.toHex(want));
        expect(g.toHex(msmWith(pts, ks, 1000, 'straus'))).toBe(g.toHex(want));
      }),
      { numRuns: 150 },
    );
  });

  it('equals noble pippenger on a few hundred points (large windows), full and 128-bit scalars', () => {
    for (const short of [false, true]) {
      const n = 300;
      const pts = Array.from({ length: n }, (_, i) => (i % 50 === 7 ? g.identity : g.G.multiplyUnsafe(g.randomScalar())));
      const ks = pts.map((_, i) => (i % 13 === 0 ? 0n : short ? g.randomScalar() >> 125n : g.randomScalar()));
      const want = pippenger(
        noble.Point,
        pts.map((p) => noble.Point.fromBytes(g.encode(p))),
        ks,
      ).toHex();
      expect(g.toHex(g.msm(pts, ks))).toBe(want);
      expect(g.toHex(msmWith(pts, ks, 64))).toBe(want);
      expect(g.toHex(msmWith(pts.slice(0, 60), ks.slice(0, 60), 1000, 'straus'))).toBe(g.toHex(naive(pts.slice(0, 60), ks.slice(0, 60))));
    }
  });

  it('the same point with every scalar that produces a carry into the top window', () => {
    // scalars of the form 2^j − 1, 2^j, and q − 1 exercise the signed-digit recoding carries
    const ks: bigint[] = [];
    for (let j = 1n; j < 253n; j += 7n) ks.push((1n << j) - 1n, 1n << j);
    ks.push(q - 1n);
    const P = g.G.multiplyUnsafe(123456789n);
    for (const k of ks) {
      const want = g.toHex(g.multiplyUnsafe(P, k));
      expect(g.toHex(g.msm([P, g.generator], [k, 0n]))).toBe(want);
      expect(g.toHex(msmWith([P], [k], 1, 'buckets'))).toBe(want);
      expect(g.toHex(msmWith([P], [k], 1, 'straus'))).toBe(want);
    }
    expect(
      g.toHex(
        g.msm(
          ks.map(() => P),
          ks,
        ),
      ),
    ).toBe(
      g.toHex(
        g.multiplyUnsafe(
          P,
          ks.reduce((a, b) => g.Fq.add(a, b), 0n),
        ),
      ),
    );
  });

  it('all-zero scalars, empty input and a sum that is the identity give the identity', () => {
    const P = g.G.multiplyUnsafe(5n);
    expect(g.isIdentity(g.msm([P, P], [0n, 0n]))).toBe(true);
    expect(g.isIdentity(g.msm([], []))).toBe(true);
    expect(g.isIdentity(g.msm([P, g.negate(P), P], [7n, 7n, 0n]))).toBe(true);
    expect(g.isIdentity(g.msm([P, P], [1n, q - 1n]))).toBe(true);
    expect(msmEdwards([], [])).toBeUndefined();
    expect(() => msmEdwards([], [], 0)).toThrow(RangeError);
    expect(() => g.msm([P], [q])).toThrow(RangeError);
    expect(() => g.msm([P], [-1n])).toThrow(RangeError);
  });
});
