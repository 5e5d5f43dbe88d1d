import { describe, expect, it } from 'vitest';
import { ristretto255 as g } from '../../src/group/ristretto255.js';

describe('ristretto255 smoke', () => {
  it('multiply agrees with the fixed-base table, including 0 and q-1', () => {
    for (const k of [0n, 1n, 2n, g.order - 1n, g.randomScalar()]) {
      expect(g.equals(g.multiply(g.generator, k), g.G.multiply(k))).toBe(true);
      expect(g.equals(g.multiplyUnsafe(g.generator, k), g.G.multiplyUnsafe(k))).toBe(true);
    }
    expect(g.isIdentity(g.multiply(g.generator, 0n))).toBe(true);
  });
});
