/**
 * scalarFromHex's fast path (one reused buffer, 64-bit reads) against the checking path it
 * falls back to (`decodeScalar(fromHex(…))`): the same scalar, or the same FormatError (path
 * and reason), for every group and for valid, out-of-range, mis-cased, non-hex and mis-sized
 * strings and non-strings.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/bytes.js';
import { ALL_GROUPS } from './all-groups.js';

function outcome(f: () => bigint): { ok: bigint } | { path: string; reason: string } {
  try {
    return { ok: f() };
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    return { path: e.path, reason: e.reason };
  }
}

for (const { name, group: g } of ALL_GROUPS) {
  describe(`${name}: scalarFromHex`, () => {
    const len = g.scalarBytes;
    const reference = (hex: unknown) => outcome(() => g.decodeScalar(fromHex(hex, 'k', len), 'k'));
    const fast = (hex: unknown) => outcome(() => g.scalarFromHex(hex, 'k'));
    const le = toHex(g.encodeScalar(1n)).startsWith('01');
    const encodeRaw = (x: bigint): string => {
      // x < 2^(8·len) in the group's byte order, without the range check of encodeScalar
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i++) b[le ? i : len - 1 - i] = Number((x >> BigInt(8 * i)) & 0xffn);
      return toHex(b);
    };

    it('agrees with decodeScalar(fromHex(…)) on edge values', () => {
      const q = g.order;
      const top = (1n << BigInt(8 * len)) - 1n;
      for (const x of [0n, 1n, 2n, q - 2n, q - 1n, q, q + 1n, top, 1n << 64n, (1n << 64n) - 1n, q >> 64n]) {
        if (x > top) continue;
        const h = encodeRaw(x);
        expect(fast(h)).toEqual(reference(h));
        if (x < q) expect(fast(h)).toEqual({ ok: x });
        expect(fast(h.toUpperCase())).toEqual(reference(h.toUpperCase()));
      }
      for (const v of [
        undefined,
        null,
        7,
        7n,
        {},
        [],
        '',
        'zz',
        '0'.repeat(2 * len - 1),
        '0'.repeat(2 * len + 2),
        ` ${'0'.repeat(2 * len - 1)}`,
      ])
        expect(fast(v)).toEqual(reference(v));
    });

    it('agrees on random strings (fast-check)', () => {
      const digit = fc.constantFrom(...'0123456789abcdefABCDEFgz '.split(''));
      const arb = fc.oneof(
        fc.bigInt({ min: 0n, max: (1n << BigInt(8 * len)) - 1n }).map(encodeRaw),
        fc.bigInt({ min: 0n, max: g.order - 1n }).map(encodeRaw),
        fc.array(digit, { minLength: 2 * len, maxLength: 2 * len }).map((d) => d.join('')),
        fc.array(digit, { minLength: 0, maxLength: 2 * len + 4 }).map((d) => d.join('')),
      );
      fc.assert(
        fc.property(arb, (h) => {
          expect(fast(h)).toEqual(reference(h));
        }),
        { numRuns: 400 },
      );
    });

    it('keeps no state between calls (a failing call does not change the next result)', () => {
      const a = encodeRaw(g.order - 1n);
      const b = encodeRaw(12345n);
      expect(fast(a)).toEqual({ ok: g.order - 1n });
      expect(fast(`${b.slice(0, -1)}g`)).toEqual(reference(`${b.slice(0, -1)}g`));
      expect(fast(b)).toEqual({ ok: 12345n });
    });
  });
}
