/**
 * GF(2^255 − 19) arithmetic of the WebAssembly module against bigint arithmetic: random and
 * edge values (0, 1, p − 1, p, p + 1, 2^255 − 1, unreduced encodings), and limbs at the bounds
 * the point formulas rely on (sums and differences of up to three carried elements).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FieldHarness, P, fromLe, le32, limbsValue, mod, powMod } from './helpers.js';

const H = new FieldHarness();
const x = H.rt.x;
const RUNS = 400;
const EDGE = [0n, 1n, 2n, 19n, P - 1n, P - 2n, P, P + 1n, P + 18n, 2n ** 255n - 1n, 2n ** 254n, 2n ** 128n - 1n, (P - 1n) / 2n];
/** Any 255-bit integer (the module ignores bit 255), edge values included. */
const raw = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 255n - 1n }), fc.constantFrom(...EDGE));

/**
 * Limbs of a sum or difference of three carried elements (|even limb| ≤ 3·1.01·2^25, |odd| ≤
 * 3·1.01·2^24): the largest inputs feMul/feSq see in the point formulas (ref10's bound is 1.65·2^26).
 */
const threeCarried = fc.tuple(
  ...Array.from({ length: 10 }, (_, i) => {
    const m = Math.floor(3 * 1.01 * 2 ** (i % 2 === 0 ? 25 : 24));
    return fc.oneof(fc.integer({ min: -m, max: m }), fc.constantFrom(-m, m));
  }),
);

describe('wasm field: encoding', () => {
  it('feFromBytes/feToBytes reduce every 255-bit integer mod p and ignore bit 255', () => {
    fc.assert(
      fc.property(raw, fc.boolean(), (v, top) => {
        const bytes = le32(v);
        if (top) bytes[31]! |= 0x80;
        H.rt.u8.set(bytes, H.rt.S);
        x.feFromBytes(H.f, H.rt.S);
        expect(H.value(H.f)).toBe(mod(v));
      }),
      { numRuns: RUNS },
    );
  });

  it('feToBytes is canonical for every edge value', () => {
    for (const v of EDGE) {
      H.load(H.f, v);
      expect(fromLe(H.bytes(H.f))).toBe(mod(v));
    }
  });
});

describe('wasm field: arithmetic agrees with bigint', () => {
  it('mul, sq, add, sub, neg', () => {
    fc.assert(
      fc.property(raw, raw, (a, b) => {
        H.load(H.f, a);
        H.load(H.g, b);
        x.feMul(H.h, H.f, H.g);
        expect(H.value(H.h)).toBe(mod(a * b));
        x.feSq(H.h, H.f);
        expect(H.value(H.h)).toBe(mod(a * a));
        x.feAddCarried(H.h, H.f, H.g);
        expect(H.value(H.h)).toBe(mod(a + b));
        x.feSubCarried(H.h, H.f, H.g);
        expect(H.value(H.h)).toBe(mod(a - b));
        x.feNegate(H.h, H.f);
        expect(H.value(H.h)).toBe(mod(-a));
        // aliasing: h = f·f in place
        x.feMul(H.f, H.f, H.f);
        expect(H.value(H.f)).toBe(mod(a * a));
      }),
      { numRuns: RUNS },
    );
  });

  it('invert and pow22523 (fixed addition chains)', () => {
    fc.assert(
      fc.property(raw, (a) => {
        H.load(H.f, a);
        x.feInvert(H.h, H.f);
        expect(H.value(H.h)).toBe(mod(a) === 0n ? 0n : powMod(a, P - 2n));
        x.fePow22523(H.h, H.f);
        expect(H.value(H.h)).toBe(powMod(a, (P - 5n) / 8n));
      }),
      { numRuns: 60 },
    );
  });

  it('mul and sq are exact on limbs at the bounds used by the point formulas', () => {
    fc.assert(
      fc.property(threeCarried, threeCarried, (fl, gl) => {
        H.setLimbs(H.f, fl);
        H.setLimbs(H.g, gl);
        const a = limbsValue(fl);
        const b = limbsValue(gl);
        x.feMul(H.h, H.f, H.g);
        expect(H.value(H.h)).toBe(mod(a * b));
        x.feSq(H.h, H.f);
        expect(H.value(H.h)).toBe(mod(a * a));
        // the output is carried: limbs within the bounds feToBytes and the next mul assume
        const out = Array.from(H.rt.i32.subarray(H.h >> 2, (H.h >> 2) + 10));
        out.forEach((v, i) => expect(Math.abs(v)).toBeLessThanOrEqual(i % 2 === 0 ? 2 ** 25 * 1.01 : 2 ** 24 * 1.01 + 2 ** 20));
      }),
      { numRuns: RUNS },
    );
  });

  it('sqrtRatioM1 follows RFC 9496 §4.2 (root, sign, was_square)', () => {
    const SQRT_M1 = powMod(2n, (P - 1n) / 4n);
    fc.assert(
      fc.property(raw, raw, (u0, v0) => {
        const u = mod(u0);
        const v = mod(v0);
        H.load(H.f, u);
        H.load(H.g, v);
        const wasSquare = x.sqrtRatioM1(H.h, H.f, H.g);
        const r = H.value(H.h);
        expect(r % 2n).toBe(0n); // non-negative
        const check = mod(v * r * r);
        if (u === 0n) {
          expect([wasSquare, r]).toEqual([1, 0n]);
        } else if (v === 0n) {
          expect([wasSquare, r]).toEqual([0, 0n]);
        } else if (wasSquare === 1) {
          expect(check).toBe(u);
        } else {
          expect(check).toBe(mod(SQRT_M1 * u));
        }
      }),
      { numRuns: 100 },
    );
  });
});
