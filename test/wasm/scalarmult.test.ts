/**
 * Scalar multiplication over WebAssembly against noble: variable base (constant-time and
 * variable-time), fixed base (the generator's table and a table for another base), and the
 * bucket MSM at sizes that exercise every window width, with edge scalars and short scalars.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255With, type RistrettoPoint } from '../../src/group/ristretto255.js';
import { wasmRuntime } from '../../src/wasm/runtime.js';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');
import { bigintIntoLE } from '../../src/bytes.js';

const q = N.order;
const EDGE = [
  0n,
  1n,
  2n,
  3n,
  7n,
  8n,
  9n,
  15n,
  16n,
  17n,
  255n,
  256n,
  2n ** 128n - 1n,
  2n ** 128n,
  2n ** 252n,
  q - 1n,
  q - 2n,
  (q - 1n) / 2n,
  q >> 4n,
];
const scalar = fc.oneof(fc.bigInt({ min: 0n, max: q - 1n }), fc.constantFrom(...EDGE), fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }));
const toW = (p: RistrettoPoint): RistrettoPoint => W.decode(N.encode(p), 'p', { allowIdentity: true });
const base = fc.oneof(fc.bigInt({ min: 1n, max: q - 1n }), fc.constantFrom(0n, 1n)).map((k) => N.G.multiplyUnsafe(k));

describe('wasm scalar multiplication agrees with noble', () => {
  it('multiply (constant time) and multiplyUnsafe, any base, edge scalars', () => {
    fc.assert(
      fc.property(base, scalar, (b, k) => {
        const expected = N.toHex(N.multiplyUnsafe(b, k));
        const wb = toW(b);
        expect(W.toHex(W.multiply(wb, k))).toBe(expected);
        expect(W.toHex(W.multiplyUnsafe(wb, k))).toBe(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('the generator table, constant time and variable time', () => {
    fc.assert(
      fc.property(scalar, (k) => {
        const expected = N.toHex(N.G.multiplyUnsafe(k));
        expect(W.toHex(W.G.multiply(k))).toBe(expected);
        expect(W.toHex(W.G.multiplyUnsafe(k))).toBe(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('a table for another base (e.g. an election key), and tables for the identity', () => {
    const b = N.G.multiplyUnsafe(N.randomScalar());
    const tb = W.precompute(toW(b));
    const t0 = W.precompute(W.identity);
    for (const k of [...EDGE, N.randomScalar(), N.randomScalar()]) {
      const expected = N.toHex(N.multiplyUnsafe(b, k));
      expect(W.toHex(tb.multiply(k))).toBe(expected);
      expect(W.toHex(tb.multiplyUnsafe(k))).toBe(expected);
      expect(W.isIdentity(t0.multiply(k))).toBe(true);
    }
    expect(W.equals(tb.base, toW(b))).toBe(true);
  });

  it('rejects scalars outside [0, q) and elements of another backend', () => {
    for (const k of [-1n, q, q + 1n, 2n ** 256n]) {
      expect(() => W.multiply(W.generator, k)).toThrow(RangeError);
      expect(() => W.multiplyUnsafe(W.generator, k)).toThrow(RangeError);
      expect(() => W.G.multiply(k)).toThrow(RangeError);
      expect(() => W.msm([W.generator, W.generator, W.generator], [1n, 2n, k])).toThrow(RangeError);
    }
    expect(() => W.add(N.generator as never, W.generator)).toThrow(TypeError);
  });
});

/** Runs f with the MSM's bucket phase forced to one lane, then to two (msm2.ts), then automatic. */
function eachLanes(f: (lanes: number) => void): void {
  const rt = wasmRuntime();
  try {
    for (const lanes of [1, 2]) {
      rt.x.setMsmLanes(lanes);
      f(lanes);
    }
  } finally {
    rt.x.setMsmLanes(0);
  }
}

describe('wasm msm agrees with noble', () => {
  /** Σ k_i·P_i with noble, one multiplication at a time (independent of any MSM code). */
  const naive = (pts: RistrettoPoint[], ks: bigint[]) => pts.reduce((acc, p, i) => N.add(acc, N.multiplyUnsafe(p, ks[i]!)), N.identity);

  it('small sizes with edge scalars, repeated points, the identity and cancelling pairs (one lane and two)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(base, scalar), { minLength: 0, maxLength: 12 }), fc.boolean(), (terms, cancel) => {
        const pts = terms.map(([b]) => b);
        const ks = terms.map(([, k]) => k);
        if (cancel && pts.length > 0) {
          pts.push(pts[0]!); // k·P + (q − k)·P = 0 added on top
          ks.push((q - ks[0]!) % q);
        }
        const expected = N.toHex(naive(pts, ks));
        eachLanes((lanes) => expect(W.toHex(W.msm(pts.map(toW), ks)), `lanes=${lanes}`).toBe(expected));
      }),
      { numRuns: 60 },
    );
  });

  it('every window width: sizes 1 … 2100, full and 128-bit scalars, against noble msm (one lane and two)', () => {
    const rt = wasmRuntime();
    const seen = new Set<number>();
    for (const n of [1, 3, 5, 9, 17, 33, 70, 130, 260, 600, 1200, 2100]) {
      // P_i = P_{i-1} + R: distinct points at the cost of one addition each
      const R = N.G.multiplyUnsafe(N.randomScalar());
      const pts: RistrettoPoint[] = [N.G.multiplyUnsafe(N.randomScalar())];
      for (let i = 1; i < n; i++) pts.push(N.add(pts[i - 1]!, R));
      const wp = W.decodeMany(pts.map((p) => N.encode(p)));
      for (const short of [false, true]) {
        const ks = pts.map((_, i) => (i % 17 === 5 ? 0n : i % 13 === 1 ? q - 1n : short ? N.randomScalar() >> 125n : N.randomScalar()));
        seen.add(rt.x.msmWindow(n, short ? 128 : 253));
        const expected = N.toHex(N.msm(pts, ks));
        eachLanes((lanes) => expect(W.toHex(W.msm(wp, ks)), `n=${n} short=${short} lanes=${lanes}`).toBe(expected));
        expect(W.toHex(W.msm(wp, ks)), `n=${n} short=${short} automatic`).toBe(expected);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(7);
  });

  it("msmWindowFor counts each scalar's length: full-size alone as msmWindow, a batch's mix of 128-bit weights narrower", () => {
    const rt = wasmRuntime();
    const window = (ks: bigint[], bits: number) => {
      const at = rt.scratch(32 * ks.length);
      ks.forEach((k, i) => bigintIntoLE(k, rt.u8, at + 32 * i, 32));
      return rt.x.msmWindowFor(at, ks.length, bits);
    };
    const top = 1n << 252n;
    for (const n of [2, 50, 1000, 29_000]) {
      // Every scalar exactly 253 bits long: the same estimate as msmWindow.
      expect(
        window(
          Array.from({ length: n }, (_, i) => top + BigInt(i)),
          253,
        ),
        `n=${n}`,
      ).toBe(rt.x.msmWindow(n, 253));
    }
    // msmWindow (every scalar taken as `bits` long) is the argmin of w·(7n + 9·2^c), w = ⌈(bits + 1)/c⌉.
    for (const n of [0, 1, 3, 64, 700, 4096, 29_000, 58_000, 1 << 20])
      for (const bits of [1, 64, 128, 200, 253, 256]) {
        let best = 1;
        let bestCost = Infinity;
        for (let c = 1; c <= 15; c++) {
          const cost = Math.ceil((bits + 1) / c) * (7 * n + 9 * 2 ** c);
          if (cost < bestCost) [best, bestCost] = [c, cost];
        }
        expect(rt.x.msmWindow(n, bits), `n=${n} bits=${bits}`).toBe(best);
      }
    // A chunk of 128 ballots: one scalar in three full-size, the rest 128-bit weights.
    const mix = Array.from({ length: 29_000 }, (_, i) => (i % 3 === 0 ? top + BigInt(i) : (1n << 127n) + BigInt(i)));
    expect(rt.x.msmWindow(29_000, 253)).toBe(12);
    expect(window(mix, 253)).toBe(11);
    // Zero scalars have no digits; only the widest window left counts the reduction.
    expect(window([0n, 0n, 0n, top], 253)).toBe(window([top], 253));
    rt.x.setMsmWindow(7);
    try {
      expect(window(mix, 253)).toBe(7);
    } finally {
      rt.x.setMsmWindow(0);
    }
  });

  it('two lanes: inputs that share buckets, points not in affine form, mixed signs', () => {
    // Equal scalars put every point of a window in the same bucket (each addition then waits
    // for no partner); scalars from a few values make frequent collisions of neighbours;
    // points computed by additions have Z ≠ 1 (the MSM normalises them first).
    const n = 150;
    const R = N.G.multiplyUnsafe(N.randomScalar());
    const pts: RistrettoPoint[] = [N.G.multiplyUnsafe(N.randomScalar())];
    for (let i = 1; i < n; i++) pts.push(N.add(pts[i - 1]!, R));
    const decoded = W.decodeMany(pts.map((p) => N.encode(p)));
    const wR = toW(R);
    const projective = decoded.map((p, i) => (i % 2 === 0 ? W.subtract(W.add(p, wR), wR) : p));
    const k = N.randomScalar();
    const few = [k, q - k, 1n, q - 1n, 2n ** 127n + 5n];
    const cases: [string, bigint[]][] = [
      ['equal scalars', pts.map(() => k)],
      ['equal and opposite', pts.map((_, i) => (i % 2 === 0 ? k : q - k))],
      ['a few values', pts.map((_, i) => few[(i * 7) % few.length]!)],
      ['random', pts.map(() => N.randomScalar())],
    ];
    for (const [name, ks] of cases) {
      const expected = N.toHex(N.msm(pts, ks));
      eachLanes((lanes) => {
        expect(W.toHex(W.msm(decoded, ks)), `${name} lanes=${lanes}`).toBe(expected);
        expect(W.toHex(W.msm(projective, ks)), `${name} (Z ≠ 1) lanes=${lanes}`).toBe(expected);
      });
    }
  });

  it('all-zero scalars give the identity; mismatched lengths throw', () => {
    const pts = [W.generator, W.generator, W.generator, W.generator];
    expect(W.isIdentity(W.msm(pts, [0n, 0n, 0n, 0n]))).toBe(true);
    expect(W.isIdentity(W.msm([], []))).toBe(true);
    expect(() => W.msm(pts, [1n])).toThrow(RangeError);
  });
});
