import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testGroups } from './helpers/groups.js';
import {
  addCiphertexts,
  decrypt,
  decryptToElement,
  discreteLog,
  DiscreteLogTable,
  encrypt,
  generateKeyPair,
  publicKey,
  rerandomize,
  sumCiphertexts,
} from '../src/elgamal.js';
import { BoundError } from '../src/errors.js';

for (const { group: g, runs } of testGroups) {
  describe(`ElGamal over ${g.id}`, () => {
    const kp = generateKeyPair(g);
    const pk = publicKey(g, kp.publicKey);

    it('decrypt(encrypt(m)) = m', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1000 }), (m) => {
          expect(decrypt(g, kp.secretKey, encrypt(pk, m).ciphertext, 1000)).toBe(BigInt(m));
        }),
        { numRuns: runs },
      );
    });

    it('Enc(a) + Enc(b) decrypts to a + b; sums and re-randomization keep the plaintext', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), (a, b) => {
          const ca = encrypt(pk, a).ciphertext;
          const cb = encrypt(pk, b).ciphertext;
          const s = addCiphertexts(g, ca, cb);
          expect(decrypt(g, kp.secretKey, s, 1000)).toBe(BigInt(a + b));
          const r = rerandomize(pk, s);
          expect(g.equals(r.alpha, s.alpha)).toBe(false);
          expect(decrypt(g, kp.secretKey, r, 1000)).toBe(BigInt(a + b));
          expect(decrypt(g, kp.secretKey, sumCiphertexts(g, [ca, cb, ca]), 2000)).toBe(BigInt(2 * a + b));
        }),
        { numRuns: Math.max(5, runs >> 1) },
      );
    });

    it('explicit randomness is deterministic; the vote 0 encrypts to r·K', () => {
      const r = g.randomScalar();
      const c0 = encrypt(pk, 0, r).ciphertext;
      expect(g.equals(c0.beta, g.multiply(kp.publicKey, r))).toBe(true);
      expect(g.equals(encrypt(pk, 1, r).ciphertext.beta, g.add(c0.beta, g.generator))).toBe(true);
      expect(() => encrypt(pk, -1)).toThrow(RangeError);
      expect(() => encrypt(pk, 0, g.order)).toThrow(RangeError);
    });

    it('bounded discrete log at 0, N and N+1 (error), and with a reused table', () => {
      const N = 3000;
      expect(discreteLog(g, g.identity, N)).toBe(0n);
      expect(discreteLog(g, g.G.multiply(BigInt(N)), N)).toBe(BigInt(N));
      expect(() => discreteLog(g, g.G.multiply(BigInt(N + 1)), N)).toThrow(BoundError);
      expect(() => discreteLog(g, g.G.multiply(g.order - 1n), N)).toThrow(BoundError);
      const t = new DiscreteLogTable(g, N, 16);
      for (const m of [0, 1, 2, 777, N - 1, N]) expect(t.solve(g.G.multiply(BigInt(m)))).toBe(BigInt(m));
      expect(() => t.solve(g.G.multiply(BigInt(N + 1)))).toThrow(/not in \[0, 3000\]/);
      expect(discreteLog(g, g.identity, 0)).toBe(0n);
      expect(() => discreteLog(g, g.generator, 0)).toThrow(BoundError);
    });

    it('decryption to an element, and the secret key never reaches JSON', () => {
      const M = decryptToElement(g, kp.secretKey, encrypt(pk, 5).ciphertext);
      expect(g.equals(M, g.G.multiply(5n))).toBe(true);
      const json = JSON.stringify(kp);
      expect(json).not.toContain(kp.secretKey.toString());
      expect(json).not.toContain(g.scalarToHex(kp.secretKey));
    });
  });
}
