import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bigintIntoLE,
  bigintToBytesBE,
  bigintToBytesLE,
  bytesToBigintBE,
  bytesToBigintLE,
  fromHex,
  randomBytes,
  toHex,
} from '../src/bytes.js';
import { FormatError } from '../src/errors.js';

describe('byte helpers', () => {
  it('hex round trip, and the same as Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(toHex(b)).toBe(Buffer.from(b).toString('hex'));
        expect(fromHex(toHex(b))).toEqual(b);
      }),
    );
  });
  it('strict hex: odd length, upper case, non-hex, non-ASCII and wrong length are FormatErrors naming the field', () => {
    for (const bad of ['a', 'AB', '0g', 'zz', '0x00', ' 00', '00 ', 'é0', '٠٠', '\u0000\u0000']) {
      expect(() => fromHex(bad, 'field.x')).toThrow(FormatError);
      expect(() => fromHex(bad, 'field.x')).toThrow(/field\.x/);
    }
    expect(() => fromHex(7, 'n')).toThrow(/expected a hex string, got number/);
    expect(() => fromHex('0011', 'k', 3)).toThrow(/expected 3 bytes/);
    expect(fromHex('', 'e')).toEqual(new Uint8Array());
  });
  it('integers: big- and little-endian round trips, overflow refused', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (n) => {
        expect(bytesToBigintBE(bigintToBytesBE(n, 32))).toBe(n);
        expect(bytesToBigintLE(bigintToBytesLE(n, 32))).toBe(n);
        expect(bigintToBytesBE(n, 32)).toEqual(Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex')));
      }),
    );
    expect(() => bigintToBytesBE(256n, 1)).toThrow(RangeError);
    expect(() => bigintToBytesBE(-1n, 4)).toThrow(RangeError);
    expect(bytesToBigintBE(new Uint8Array())).toBe(0n);
  });
});

describe('randomBytes (platform CSPRNG, small requests from an erased pool)', () => {
  it('gives the asked length, never the same bytes twice, across pool refills and large requests', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const n = [16, 32, 704, 1024, 1025, 70000][i % 6]!;
      const b = randomBytes(n);
      expect(b.length).toBe(n);
      const h = toHex(b.subarray(0, 16));
      expect(seen.has(h)).toBe(false);
      seen.add(h);
    }
    expect(randomBytes(0).length).toBe(0);
  });
  it('bytes look uniform (each bit set about half the time)', () => {
    const b = randomBytes(1000);
    let ones = 0;
    for (let i = 0; i < 200; i++) ones += randomBytes(1000).reduce((s, x) => s + ((x >> (i % 8)) & 1), 0);
    expect(ones / 200000).toBeGreaterThan(0.48);
    expect(ones / 200000).toBeLessThan(0.52);
    expect(b.some((x) => x !== 0)).toBe(true);
  });
});

describe('bytes → bigint, 64 bits at a time', () => {
  it('agrees with the hex reference for every length and offset (views into larger buffers too)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(7), (bytes, pad) => {
        const big = new Uint8Array(bytes.length + 2 * pad);
        big.set(bytes, pad);
        const view = big.subarray(pad, pad + bytes.length);
        const be = bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).toString('hex'));
        const le = bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).reverse().toString('hex'));
        expect(bytesToBigintBE(view)).toBe(be);
        expect(bytesToBigintLE(view)).toBe(le);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bigintIntoLE', () => {
  it('writes the same bytes as bigintToBytesLE, at any offset, leaving the rest untouched', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.nat(8), (n, off) => {
        const out = new Uint8Array(32 + 2 * off).fill(0xaa);
        bigintIntoLE(n, out, off, 32);
        expect(out.subarray(off, off + 32)).toEqual(bigintToBytesLE(n, 32));
        expect([...out.subarray(0, off), ...out.subarray(off + 32)].every((x) => x === 0xaa)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('other lengths (multiples of 8 or not), views with a byte offset, and buffers taking turns', () => {
    const backing = [new ArrayBuffer(96), new ArrayBuffer(96)];
    fc.assert(
      fc.property(
        fc.constantFrom(1, 5, 8, 16, 20, 24, 32, 40),
        fc.nat(16),
        fc.nat(8),
        fc.nat(1),
        fc.bigInt({ min: 0n, max: (1n << 320n) - 1n }),
        (len, viewAt, off, which, big) => {
          const n = big & ((1n << BigInt(8 * len)) - 1n);
          const out = new Uint8Array(backing[which]!, viewAt, 48 + off).fill(0x55);
          bigintIntoLE(n, out, off, len);
          expect(out.subarray(off, off + len)).toEqual(bigintToBytesLE(n, len));
          expect([...out.subarray(0, off), ...out.subarray(off + len)].every((x) => x === 0x55)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
