/**
 * RFC 9496 Appendix A test vectors for ristretto255: A.1 (encodings of 0·G … 15·G) and A.2
 * (invalid encodings), hex exactly as printed in the RFC, from the shared vector file
 * `test/wasm/vectors.ts` (the same lists appear in noble-curves' test/rfc9496-ristretto-decaf.test.ts,
 * libsodium's and curve25519-dalek's tests; that file adds libsodium's bit-255 encoding).
 * Every invalid encoding must be refused by `decode`/`fromHex` with a FormatError naming the label.
 */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { fromHex } from '../../src/bytes.js';
import { ristretto255 as g } from '../../src/group/ristretto255.js';
import { BAD_ENCODINGS, SMALL_MULTIPLES } from '../wasm/vectors.js';

describe('ristretto255: RFC 9496 A.1 multiples of the generator', () => {
  it('k·G encodes to the RFC bytes for k = 0..15, on every multiplication path and by repeated addition', () => {
    let P = g.identity;
    SMALL_MULTIPLES.forEach((hex, k) => {
      expect(g.toHex(P)).toBe(hex);
      const K = BigInt(k);
      expect(g.toHex(g.multiply(g.generator, K))).toBe(hex);
      expect(g.toHex(g.multiplyUnsafe(g.generator, K))).toBe(hex);
      expect(g.toHex(g.G.multiply(K))).toBe(hex);
      expect(g.toHex(g.G.multiplyUnsafe(K))).toBe(hex);
      expect(g.toHex(g.msm([g.generator, g.generator], [K, 0n]))).toBe(hex);
      const decoded = g.fromHex(hex, 'A.1', { allowIdentity: k === 0 });
      expect(g.equals(decoded, P)).toBe(true);
      expect(g.toHex(decoded)).toBe(hex);
      P = g.add(P, g.generator);
    });
    // −k·G encodes differently from k·G but decodes and round-trips
    const minus3 = g.negate(g.fromHex(SMALL_MULTIPLES[3]!));
    expect(g.toHex(minus3)).not.toBe(SMALL_MULTIPLES[3]);
    expect(g.toHex(g.add(minus3, g.fromHex(SMALL_MULTIPLES[5]!)))).toBe(SMALL_MULTIPLES[2]);
  });
});

describe('ristretto255: RFC 9496 A.2 invalid encodings', () => {
  for (const [reason, list] of Object.entries(BAD_ENCODINGS)) {
    it(`refuses ${reason} with a FormatError naming the field`, () => {
      for (const hex of list) {
        for (const f of [
          () => g.decode(fromHex(hex), 'ballot.alpha'),
          () => g.fromHex(hex, 'ballot.alpha'),
          () => g.decode(fromHex(hex), 'ballot.alpha', { allowIdentity: true }),
        ]) {
          let caught: unknown;
          try {
            f();
          } catch (e) {
            caught = e;
          }
          expect(caught, hex).toBeInstanceOf(FormatError);
          expect((caught as FormatError).path).toBe('ballot.alpha');
          expect((caught as FormatError).reason).toMatch(/not a canonical ristretto255 encoding/);
        }
      }
    });
  }
  it('the list holds at least the 29 RFC encodings, in its five groups', () => {
    expect(Object.values(BAD_ENCODINGS).flat().length).toBeGreaterThanOrEqual(29);
    expect(Object.keys(BAD_ENCODINGS).length).toBe(5);
    expect(SMALL_MULTIPLES.length).toBe(16);
  });
});
