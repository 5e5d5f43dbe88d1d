import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scalarField } from '../../src/group/scalar-field.js';

const q = 2n ** 252n + 27742317777372353535851937790883648493n;
const F = scalarField(q);
const mod = (x: bigint) => ((x % q) + q) % q;

describe('Z_q arithmetic (fast paths for reduced inputs, exact for any input)', () => {
  const near = fc.constantFrom(0n, 1n, q - 1n, q, q + 1n, 2n * q - 1n, 2n * q, -1n, -q, -q - 1n, -2n * q);
  const any = fc.oneof(fc.bigInt({ min: 0n, max: q - 1n }), fc.bigInt({ min: -3n * q, max: 3n * q }), near);
  it('add, sub, neg, mul agree with the reference reduction', () => {
    fc.assert(
      fc.property(any, any, (a, b) => {
        expect(F.add(a, b)).toBe(mod(a + b));
        expect(F.sub(a, b)).toBe(mod(a - b));
        expect(F.neg(a)).toBe(mod(-a));
        expect(F.mul(a, b)).toBe(mod(a * b));
        expect(F.create(a)).toBe(mod(a));
      }),
      { numRuns: 3000 },
    );
  });
  it('inverse', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: q - 1n }), (a) => {
        expect(F.mul(a, F.inv(a))).toBe(1n);
      }),
      { numRuns: 200 },
    );
    expect(() => F.inv(q)).toThrow(RangeError);
  });
});
