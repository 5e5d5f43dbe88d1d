/**
 * One conformance suite, looped over every group: ristretto255 (the default group, and each of its
 * two backends by name), the four finite-field groups and the insecure test group.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../../src/errors.js';
import { toHex } from '../../src/bytes.js';
import { ALL_GROUPS } from './all-groups.js';

/** Expect `f` to throw a FormatError whose path is `label` and whose reason matches `reason`. */
function expectFormatError(f: () => unknown, label: string, reason: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(FormatError);
  expect((caught as FormatError).path).toBe(label);
  expect((caught as FormatError).reason).toMatch(reason);
}

for (const { name, group: g, runs } of ALL_GROUPS) {
  describe(`group conformance: ${name}`, () => {
    const q = g.order;
    const scalar = fc.bigInt({ min: 0n, max: q - 1n });
    const nonZero = fc.bigInt({ min: 1n, max: q - 1n });
    // Elements as k·G through the (fast) generator table; k = 0 gives the identity.
    const element = scalar.map((k) => g.G.multiplyUnsafe(k));
    const opts = { numRuns: runs };
    const eq = (a: unknown, b: unknown) => expect(g.equals(a, b)).toBe(true);

    it('describes itself consistently', () => {
      expect(g.id).toMatch(/^[a-z0-9-]+$/);
      expect(g.Fq.order).toBe(q);
      expect(g.insecureTestOnly).toBe(g.id === 'insecure-test-group');
      expect(g.isIdentity(g.identity)).toBe(true);
      expect(g.isIdentity(g.generator)).toBe(false);
      expect(g.encode(g.generator).length).toBe(g.elementBytes);
      expect(g.encodeScalar(q - 1n).length).toBe(g.scalarBytes);
      expect(Object.isFrozen(g)).toBe(true);
    });

    it('group laws: associativity, commutativity, identity, inverse', () => {
      fc.assert(
        fc.property(element, element, element, (a, b, c) => {
          eq(g.add(g.add(a, b), c), g.add(a, g.add(b, c)));
          eq(g.add(a, b), g.add(b, a));
          eq(g.add(a, g.identity), a);
          expect(g.isIdentity(g.add(a, g.negate(a)))).toBe(true);
          eq(g.subtract(a, b), g.add(a, g.negate(b)));
          eq(g.add(g.subtract(a, b), b), a);
        }),
        opts,
      );
    });

    it('scalar multiplication: k·(A+B) = k·A + k·B, (a+b)·P = a·P + b·P, (ab)·P = a·(b·P)', () => {
      fc.assert(
        fc.property(element, element, scalar, scalar, (A, B, a, b) => {
          eq(g.multiply(g.add(A, B), a), g.add(g.multiply(A, a), g.multiply(B, a)));
          eq(g.multiplyUnsafe(A, g.Fq.add(a, b)), g.add(g.multiplyUnsafe(A, a), g.multiplyUnsafe(A, b)));
          eq(g.multiplyUnsafe(A, g.Fq.mul(a, b)), g.multiplyUnsafe(g.multiplyUnsafe(A, b), a));
          eq(g.multiply(A, g.Fq.neg(a)), g.negate(g.multiply(A, a)));
        }),
        opts,
      );
    });

    it('q·P = 0: (q−1)·P + P is the identity; 0·P, 1·P and (q−1)·P on both paths', () => {
      fc.assert(
        fc.property(element, (P) => {
          expect(g.isIdentity(g.add(g.multiply(P, q - 1n), P))).toBe(true);
          expect(g.isIdentity(g.add(g.multiplyUnsafe(P, q - 1n), P))).toBe(true);
          expect(g.isIdentity(g.multiply(P, 0n))).toBe(true);
          expect(g.isIdentity(g.multiplyUnsafe(P, 0n))).toBe(true);
          eq(g.multiply(P, 1n), P);
          eq(g.multiply(P, q - 1n), g.negate(P));
        }),
        opts,
      );
    });

    it('multiply and multiplyUnsafe agree; scalars outside [0, q) are refused', () => {
      fc.assert(
        fc.property(element, scalar, (P, k) => {
          eq(g.multiply(P, k), g.multiplyUnsafe(P, k));
        }),
        opts,
      );
      expect(() => g.multiply(g.generator, q)).toThrow(RangeError);
      expect(() => g.multiply(g.generator, -1n)).toThrow(RangeError);
      expect(() => g.multiplyUnsafe(g.generator, q)).toThrow(RangeError);
      expect(() => g.G.multiply(q)).toThrow(RangeError);
    });

    it('fixed-base tables equal variable-base multiplication (generator and any base)', () => {
      fc.assert(
        fc.property(element, scalar, (B, k) => {
          const T = g.precompute(B);
          expect(T.base).toBe(B);
          eq(T.multiply(k), g.multiply(B, k));
          eq(T.multiplyUnsafe(k), g.multiply(B, k));
          eq(g.G.multiply(k), g.multiply(g.generator, k));
          eq(g.G.multiplyUnsafe(k), g.multiply(g.generator, k));
        }),
        { numRuns: Math.max(2, Math.ceil(runs / 4)) },
      );
      for (const k of [0n, 1n, 2n, q - 2n, q - 1n]) eq(g.G.multiply(k), g.multiplyUnsafe(g.generator, k));
      expect(g.G).toBe(g.G); // built once
    });

    it('msm equals the naive sum (zero scalars, repeated points and the identity included)', () => {
      const item = fc.tuple(element, fc.oneof(scalar, fc.constant(0n), fc.constant(q - 1n), fc.bigInt({ min: 0n, max: (1n << 20n) - 1n })));
      fc.assert(
        fc.property(fc.array(item, { minLength: 0, maxLength: 12 }), fc.boolean(), (items, dup) => {
          const pts = items.map(([P]) => P);
          const ks = items.map(([, k]) => (k < q ? k : k % q));
          if (dup && pts.length > 1) pts[1] = pts[0]; // a repeated point
          let naive = g.identity;
          for (let i = 0; i < pts.length; i++) naive = g.add(naive, g.multiplyUnsafe(pts[i], ks[i]!));
          eq(g.msm(pts, ks), naive);
        }),
        { numRuns: Math.max(3, Math.ceil(runs / 2)) },
      );
      expect(g.isIdentity(g.msm([], []))).toBe(true);
      expect(() => g.msm([g.generator], [])).toThrow(RangeError);
      expect(() => g.msm([g.generator], [q])).toThrow(RangeError);
    });

    it('encode/decode and hex round trips; canonical lowercase hex', () => {
      fc.assert(
        fc.property(element, (A) => {
          const bytes = g.encode(A);
          expect(bytes.length).toBe(g.elementBytes);
          const allowIdentity = g.isIdentity(A);
          eq(g.decode(bytes, 'x', { allowIdentity }), A);
          const hex = g.toHex(A);
          expect(hex).toBe(toHex(bytes));
          expect(hex).toMatch(/^[0-9a-f]+$/);
          eq(g.fromHex(hex, 'x', { allowIdentity }), A);
          // canonical: re-encoding the decoded element gives the same bytes
          expect(toHex(g.encode(g.decode(bytes, 'x', { allowIdentity })))).toBe(hex);
        }),
        opts,
      );
    });

    it('decode rejects the identity unless allowed, wrong lengths, non-bytes and bad hex — FormatError with the label', () => {
      const id = g.encode(g.identity);
      expectFormatError(() => g.decode(id, 'ballot.alpha'), 'ballot.alpha', /identity/);
      expect(g.isIdentity(g.decode(id, 'ballot.alpha', { allowIdentity: true }))).toBe(true);
      expectFormatError(() => g.fromHex(toHex(id), 'pk'), 'pk', /identity/);
      const G = g.encode(g.generator);
      expectFormatError(() => g.decode(G.subarray(1), 'e'), 'e', /bytes/);
      expectFormatError(() => g.decode(new Uint8Array(g.elementBytes + 1), 'e'), 'e', /bytes/);
      expectFormatError(() => g.decode(new Uint8Array(0), 'e'), 'e', /bytes/);
      expectFormatError(() => g.decode('00' as unknown as Uint8Array, 'e'), 'e', /expected bytes/);
      expectFormatError(() => g.fromHex(g.toHex(g.generator).toUpperCase(), 'h'), 'h', /lowercase hex/);
      expectFormatError(() => g.fromHex(g.toHex(g.generator).slice(1), 'h'), 'h', /hex/);
      expectFormatError(() => g.fromHex(g.toHex(g.generator) + '00', 'h'), 'h', /bytes/);
      expectFormatError(() => g.fromHex(42, 'h'), 'h', /hex string/);
      expectFormatError(() => g.decode(G.subarray(1)), 'element', /bytes/); // default label
    });

    it('batch capabilities: decodeMany, encodeMany and sumMany equal the single operations', () => {
      fc.assert(
        fc.property(fc.array(element, { maxLength: 9 }), (pts) => {
          const encs = pts.map((p) => g.encode(p));
          expect(toHex(g.encodeMany(pts))).toBe(encs.map(toHex).join(''));
          const flat = g.encodeMany(pts);
          for (const input of [encs, flat]) {
            const back = g.decodeMany(input, 'cts', { allowIdentity: true });
            expect(back.length).toBe(pts.length);
            back.forEach((p, i) => eq(p, pts[i]));
          }
          let sum = g.identity;
          for (const p of pts) sum = g.add(sum, p);
          eq(g.sumMany(pts), sum);
        }),
        { numRuns: Math.max(3, Math.ceil(runs / 2)) },
      );
      expect(g.decodeMany([], 'cts')).toEqual([]);
      expect(g.encodeMany([]).length).toBe(0);
      expect(g.isIdentity(g.sumMany([]))).toBe(true);
    });

    it('decodeMany names the first bad entry and refuses the identity unless allowed', () => {
      const good = [1n, 2n, 3n, 4n].map((k) => g.encode(g.G.multiplyUnsafe(k)));
      const id = g.encode(g.identity);
      expectFormatError(() => g.decodeMany([good[0]!, id, good[1]!], 'cts'), 'cts[1]', /identity/);
      expect(g.isIdentity(g.decodeMany([good[0]!, id], 'cts', { allowIdentity: true })[1])).toBe(true);
      const bad = new Uint8Array(g.elementBytes).fill(0xff);
      expectFormatError(() => g.decodeMany([good[0]!, good[1]!, bad, bad], 'cts'), 'cts[2]', /./);
      expectFormatError(() => g.decodeMany([good[0]!, good[1]!.subarray(1)], 'l'), 'l[1]', /bytes/);
      expectFormatError(() => g.decodeMany(new Uint8Array(g.elementBytes + 1), 'flat'), 'flat', /bytes/);
    });

    it('scalar codec: round trips; q, 2^(8·len)−1, wrong lengths and bad hex rejected with the label', () => {
      fc.assert(
        fc.property(scalar, (k) => {
          const b = g.encodeScalar(k);
          expect(b.length).toBe(g.scalarBytes);
          expect(g.decodeScalar(b, 's')).toBe(k);
          expect(g.scalarFromHex(g.scalarToHex(k), 's')).toBe(k);
        }),
        { numRuns: 200 },
      );
      expect(g.decodeScalar(g.encodeScalar(q - 1n))).toBe(q - 1n);
      // q itself, in the group's byte order (encode q − 1 and add one at the least significant end)
      const qMinus1 = g.encodeScalar(q - 1n);
      const isLE = g.encodeScalar(1n)[0] === 1;
      const qBytes = Uint8Array.from(qMinus1);
      const lsb = isLE ? 0 : qBytes.length - 1;
      expect(qBytes[lsb]).toBeLessThan(255); // q − 1 is even and q is odd, so no carry
      qBytes[lsb]! += 1;
      expectFormatError(() => g.decodeScalar(qBytes, 'proof.response'), 'proof.response', /k ≥ q/);
      expectFormatError(() => g.decodeScalar(new Uint8Array(g.scalarBytes).fill(255), 'r'), 'r', /k ≥ q/);
      expectFormatError(() => g.decodeScalar(new Uint8Array(g.scalarBytes - 1), 'r'), 'r', /bytes/);
      expectFormatError(() => g.decodeScalar(new Uint8Array(g.scalarBytes + 1), 'r'), 'r', /bytes/);
      expectFormatError(() => g.scalarFromHex('zz', 'r'), 'r', /hex/);
      expectFormatError(() => g.scalarFromHex(toHex(qBytes), 'r'), 'r', /k ≥ q/);
      expect(() => g.encodeScalar(q)).toThrow(RangeError);
      expect(() => g.encodeScalar(-1n)).toThrow(RangeError);
    });

    it('hashToScalar is deterministic, in [0, q), and separated by message and DST', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 80 }), fc.string({ minLength: 1, maxLength: 40 }), (msg, dst) => {
          const h = g.hashToScalar(msg, dst);
          expect(h >= 0n && h < q).toBe(true);
          expect(g.hashToScalar(Uint8Array.from(msg), dst)).toBe(h);
          expect(g.hashToScalar(msg, dst + '!')).not.toBe(h);
          const msg2 = Uint8Array.from([...msg, 0]);
          expect(g.hashToScalar(msg2, dst)).not.toBe(h);
        }),
        { numRuns: 100 },
      );
      // the DST may be given as bytes or as a string
      expect(g.hashToScalar(new Uint8Array([1, 2]), new TextEncoder().encode('mjvote-test'))).toBe(
        g.hashToScalar(new Uint8Array([1, 2]), 'mjvote-test'),
      );
    });

    it('randomScalar is in [1, q) and not constant', () => {
      const seen = new Set<bigint>();
      for (let i = 0; i < 50; i++) {
        const k = g.randomScalar();
        expect(k >= 1n && k < q).toBe(true);
        seen.add(k);
      }
      expect(seen.size).toBe(50);
    });

    it('scalar field Z_q: inverse, negation, subtraction', () => {
      fc.assert(
        fc.property(nonZero, scalar, (a, b) => {
          expect(g.Fq.mul(a, g.Fq.inv(a))).toBe(1n);
          expect(g.Fq.add(b, g.Fq.neg(b))).toBe(0n);
          expect(g.Fq.add(g.Fq.sub(b, a), a)).toBe(b);
          expect(g.Fq.create(b - q)).toBe(b);
        }),
        { numRuns: 200 },
      );
      expect(() => g.Fq.inv(0n)).toThrow(RangeError);
    });
  });
}
