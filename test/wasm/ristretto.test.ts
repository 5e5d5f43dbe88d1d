/**
 * ristretto255 over WebAssembly against noble: RFC 9496 vectors, decoding of arbitrary bytes
 * (same accept/reject decision, same re-encoding), encoding of every representative of a class
 * (torsion translates), and the group operations.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255With } from '../../src/group/ristretto255.js';
import { WasmPoint } from '../../src/group/ristretto255-wasm.js';
import type { RistrettoPoint } from '../../src/group/ristretto255.js';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');
import { FormatError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/bytes.js';
import { BAD_ENCODINGS, SMALL_MULTIPLES } from './vectors.js';
import { FieldHarness, P, limbsValue, mod, powMod } from './helpers.js';

const q = N.order;
const scalar = fc.bigInt({ min: 0n, max: q - 1n });
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

function nobleDecodes(b: Uint8Array): boolean {
  try {
    N.decode(b, 'x', { allowIdentity: true });
    return true;
  } catch {
    return false;
  }
}
function wasmDecodes(b: Uint8Array): boolean {
  try {
    W.decode(b, 'x', { allowIdentity: true });
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return false;
  }
}
/** A random element as (noble point, wasm point) through its encoding. */
const pair = scalar.map((k) => {
  const n = N.G.multiplyUnsafe(k);
  return { n, w: W.decode(N.encode(n), 'x', { allowIdentity: true }), k };
});

describe('wasm ristretto255: RFC 9496 vectors', () => {
  it('A.1: encodings of 0·B … 15·B, by repeated addition, by multiplication and by decoding', () => {
    let acc = W.identity;
    for (let i = 0; i < 16; i++) {
      expect(W.toHex(acc)).toBe(SMALL_MULTIPLES[i]);
      expect(W.toHex(W.multiply(W.generator, BigInt(i)))).toBe(SMALL_MULTIPLES[i]);
      expect(W.toHex(W.G.multiplyUnsafe(BigInt(i)))).toBe(SMALL_MULTIPLES[i]);
      const d = W.fromHex(SMALL_MULTIPLES[i], 'v', { allowIdentity: true });
      expect(W.equals(d, acc)).toBe(true);
      expect(N.toHex(N.G.multiplyUnsafe(BigInt(i)))).toBe(SMALL_MULTIPLES[i]); // the list is noble's too
      acc = W.add(acc, W.generator);
    }
  });

  for (const [why, list] of Object.entries(BAD_ENCODINGS)) {
    it(`A.2: rejects every ${why}, as noble does, with the same error`, () => {
      for (const hex of list) {
        let wasmErr: unknown;
        let nobleErr: unknown;
        try {
          W.fromHex(hex, 'ballot.alpha', { allowIdentity: true });
        } catch (e) {
          wasmErr = e;
        }
        try {
          N.fromHex(hex, 'ballot.alpha', { allowIdentity: true });
        } catch (e) {
          nobleErr = e;
        }
        expect(wasmErr, hex).toBeInstanceOf(FormatError);
        expect((wasmErr as FormatError).message).toBe((nobleErr as FormatError).message);
        expect(() => W.decodeMany([fromHex(hex)], 'list', { allowIdentity: true })).toThrow(/list\[0\]/);
      }
    });
  }
});

describe('wasm ristretto255: decoding agrees with noble', () => {
  it('on arbitrary 32-byte strings (mostly invalid)', () => {
    fc.assert(
      fc.property(bytes32, (b) => {
        const ok = wasmDecodes(b);
        expect(ok).toBe(nobleDecodes(b));
        if (ok) expect(toHex(W.encode(W.decode(b, 'x', { allowIdentity: true })))).toBe(toHex(b));
      }),
      { numRuns: 1500 },
    );
  });

  it('on valid encodings and their one-bit mutations', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 255 }), ({ n, w }, bit) => {
        const enc = N.encode(n);
        expect(toHex(W.encode(w))).toBe(toHex(enc));
        const m = Uint8Array.from(enc);
        m[bit >> 3]! ^= 1 << (bit & 7);
        expect(wasmDecodes(m)).toBe(nobleDecodes(m));
      }),
      { numRuns: 150 },
    );
  });

  it('on field elements at the edges (s = 0, 1, p − 1, p, p + 1, 2^255 − 1, non-canonical s + p)', () => {
    const le = (v: bigint) => {
      const b = new Uint8Array(32);
      for (let i = 0; i < 32; i++) b[i] = Number((v >> BigInt(8 * i)) & 255n);
      return b;
    };
    for (const s of [0n, 1n, 2n, 4n, P - 1n, P - 2n, P, P + 1n, P + 2n, 2n ** 255n - 1n, 2n ** 255n, 2n ** 256n - 1n]) {
      const b = le(s % 2n ** 256n);
      expect(wasmDecodes(b), s.toString(16)).toBe(nobleDecodes(b));
    }
    // Just below and above p byte by byte: top byte 0x7f or 0x7e, bytes 1…30 all 0xff or one of
    // them 0xfe, every low byte. Decoding reads canonicity and sign off these bytes.
    let accepted = 0;
    for (const top of [0x7f, 0x7e, 0xff])
      for (const dent of [0, 1, 15, 30])
        for (let low = 0; low < 256; low++) {
          const b = new Uint8Array(32).fill(0xff);
          b[31] = top;
          if (dent > 0) b[dent] = 0xfe;
          b[0] = low;
          const ok = wasmDecodes(b);
          expect(ok, toHex(b)).toBe(nobleDecodes(b));
          if (ok) accepted++;
        }
    expect(accepted).toBeGreaterThan(100); // the family holds valid encodings, not only refusals
    for (let i = 2; i < 16; i++) {
      // s + p (non-canonical, same field element) must be rejected when it fits in 255 bits
      const s = BigInt('0x' + toHex(fromHex(SMALL_MULTIPLES[i]!).reverse()));
      if (s + P < 2n ** 255n) expect(wasmDecodes(le(s + P))).toBe(false);
    }
  });
});

describe('wasm ristretto255: encoding of every representative', () => {
  const H = new FieldHarness();
  const SQRT_M1 = powMod(2n, (P - 1n) / 4n);
  /** Builds a wasm element from coordinate values (any representative of the class). */
  function fromCoords(X: bigint, Y: bigint, Z: bigint, T: bigint): WasmPoint {
    const limbs = new Int32Array(40);
    [X, Y, Z, T].forEach((v, i) => {
      H.load(H.f, mod(v));
      limbs.set(H.rt.i32.subarray(H.f >> 2, (H.f >> 2) + 10), 10 * i);
    });
    return new WasmPoint(limbs);
  }
  const coords = (p: RistrettoPoint) => {
    const w = p as WasmPoint;
    return [0, 1, 2, 3].map((i) => mod(limbsValue(Array.from(w.limbs.subarray(10 * i, 10 * i + 10))))) as [bigint, bigint, bigint, bigint];
  };

  it('P, P + T2, P ± T4 and projective rescalings encode identically and compare equal', () => {
    fc.assert(
      fc.property(pair, fc.bigInt({ min: 1n, max: P - 1n }), ({ n, w }, lambda) => {
        const [X, Y, Z, T] = coords(w);
        const reps = [
          fromCoords(X, Y, Z, T),
          fromCoords(-X, -Y, Z, T), // + (0, −1)
          fromCoords(SQRT_M1 * Y, SQRT_M1 * X, Z, -T), // + (i, 0)
          fromCoords(-SQRT_M1 * Y, -SQRT_M1 * X, Z, -T), // + (−i, 0)
          fromCoords(lambda * X, lambda * Y, lambda * Z, lambda * T),
        ];
        for (const r of reps) {
          expect(W.toHex(r)).toBe(N.toHex(n));
          expect(W.equals(r, w)).toBe(true);
          expect(W.isIdentity(r)).toBe(N.isIdentity(n));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('encodeMany (two exponentiations per f64x2 vector) encodes every representative as noble does', () => {
    // Lists of any length (odd ones end with a lone encode), mixing torsion translates,
    // projective rescalings, the identity and small multiples, in both lanes.
    const rep = fc.tuple(pair, fc.bigInt({ min: 1n, max: P - 1n }), fc.integer({ min: 0, max: 4 })).map(([{ n, w }, lambda, which]) => {
      const [X, Y, Z, T] = coords(w);
      const r = [
        () => w,
        () => fromCoords(-X, -Y, Z, T),
        () => fromCoords(SQRT_M1 * Y, SQRT_M1 * X, Z, -T),
        () => fromCoords(-SQRT_M1 * Y, -SQRT_M1 * X, Z, -T),
        () => fromCoords(lambda * X, lambda * Y, lambda * Z, lambda * T),
      ][which]!();
      return { n, w: r };
    });
    const small = fc.integer({ min: 0, max: 15 }).map((i) => ({ n: N.G.multiplyUnsafe(BigInt(i)), w: W.G.multiplyUnsafe(BigInt(i)) }));
    fc.assert(
      fc.property(fc.array(fc.oneof(rep, small), { maxLength: 9 }), (list) => {
        const got = W.encodeMany(list.map((x) => x.w));
        expect(toHex(got)).toBe(list.map((x) => N.toHex(x.n)).join(''));
      }),
      { numRuns: 120 },
    );
  });
});

describe('wasm ristretto255: group operations agree with noble', () => {
  const edgePair = fc.oneof(
    pair,
    fc.constantFrom(0n, 1n, 2n, q - 1n).map((k) => {
      const n = N.G.multiplyUnsafe(k);
      return { n, w: W.decode(N.encode(n), 'x', { allowIdentity: true }), k };
    }),
  );

  it('add, subtract, negate, equals, isIdentity', () => {
    fc.assert(
      fc.property(edgePair, edgePair, (a, b) => {
        expect(W.toHex(W.add(a.w, b.w))).toBe(N.toHex(N.add(a.n, b.n)));
        expect(W.toHex(W.subtract(a.w, b.w))).toBe(N.toHex(N.subtract(a.n, b.n)));
        expect(W.toHex(W.negate(a.w))).toBe(N.toHex(N.negate(a.n)));
        expect(W.equals(a.w, b.w)).toBe(N.equals(a.n, b.n));
        expect(W.isIdentity(W.subtract(a.w, a.w))).toBe(true);
        expect(W.isIdentity(W.add(a.w, W.negate(a.w)))).toBe(true);
        expect(W.isIdentity(a.w)).toBe(N.isIdentity(a.n));
        expect(W.equals(W.add(a.w, b.w), W.add(b.w, a.w))).toBe(true);
        expect(W.equals(W.add(a.w, a.w), W.multiplyUnsafe(a.w, 2n))).toBe(true);
      }),
      { numRuns: 120 },
    );
  });

  it('long chains of additions stay exact (limb bounds hold over many operations)', () => {
    let w = W.generator;
    let n = N.generator;
    for (let i = 0; i < 300; i++) {
      w = W.add(w, i % 3 === 0 ? w : W.generator);
      n = N.add(n, i % 3 === 0 ? n : N.generator);
    }
    expect(W.toHex(w)).toBe(N.toHex(n));
  });
});
