import { describe, expect, it } from 'vitest';
import { ristretto255 as g } from '../../src/group/ristretto255.js';
import { encrypt, generateKeyPair, publicKey } from '../../src/elgamal.js';
import { proveRange, proveZeroOne, rangeEquations, verifyRange } from '../../src/proofs/disjunctive.js';
import { proveEncryptsK, verifyEncryptsK } from '../../src/proofs/chaum-pedersen.js';
import { BatchVerifier } from '../../src/proofs/batch.js';
import { contextBytes } from '../../src/hash.js';

const pk = publicKey(g, generateKeyPair(g).publicKey);
const ctx = contextBytes(['election', 3, 4]);

describe('0/1 proofs cannot prove a ciphertext of 2 or of −1', () => {
  for (const m of [2n, g.order - 1n, 3n]) {
    it(`plaintext ${m === g.order - 1n ? '−1' : m}`, () => {
      const { ciphertext, randomness } = encrypt(pk, m);
      const st = { publicKey: pk.element, ciphertext, max: 1 };
      // A cheating prover runs the honest algorithm claiming either branch.
      for (const claim of [0, 1] as const) {
        const proof = proveZeroOne(pk, ciphertext, claim, randomness, ctx);
        expect(verifyRange(g, st, proof, ctx)).toBe(false);
      }
      // The same proof transplanted from a real 0/1 ciphertext with the same randomness fails too.
      const honest = encrypt(pk, 1, randomness).ciphertext;
      const p1 = proveZeroOne(pk, honest, 1, randomness, ctx);
      expect(verifyRange(g, { ...st, ciphertext: honest }, p1, ctx)).toBe(true);
      expect(verifyRange(g, st, p1, ctx)).toBe(false);
      // The honest prover refuses outright.
      expect(() => proveRange(pk, ciphertext, Number(m > 100n ? -1n : m), randomness, 1, ctx)).toThrow(RangeError);
    });
  }
  it('an exactly-k proof for k = 1 does not verify for a ciphertext of 2', () => {
    const { ciphertext, randomness } = encrypt(pk, 2);
    const proof = proveEncryptsK(pk, ciphertext, 1n, randomness, ctx);
    expect(verifyEncryptsK(g, { publicKey: pk.element, ciphertext, k: 1n }, proof, ctx)).toBe(false);
    expect(verifyEncryptsK(g, { publicKey: pk.element, ciphertext, k: 2n }, proveEncryptsK(pk, ciphertext, 2n, randomness, ctx), ctx)).toBe(
      true,
    );
  });
});

describe('batch verification', () => {
  it('one bad 0/1 proof among 1,000 good ones fails the batch and is named', () => {
    const batch = new BatchVerifier<any, number>(g);
    const badIndex = 613;
    for (let i = 0; i < 1000; i++) {
      const bit = (i % 2) as 0 | 1;
      const { ciphertext, randomness } = encrypt(pk, i === badIndex ? 2 : bit);
      const proof = proveZeroOne(pk, ciphertext, bit, randomness, ctx);
      batch.add(i, rangeEquations(g, { publicKey: pk.element, ciphertext, max: 1 }, proof, ctx));
    }
    const r = batch.verify();
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual([badIndex]);
    expect(r.count).toBe(1000);
  });

  it('several bad items across chunk boundaries are all named; structural failures too', () => {
    const batch = new BatchVerifier<any, number>(g, { maxPoints: 64 });
    const bad = new Set([0, 7, 8, 29]);
    for (let i = 0; i < 30; i++) {
      const { ciphertext, randomness } = encrypt(pk, bad.has(i) ? 2 : 1);
      const proof = proveZeroOne(pk, ciphertext, 1, randomness, ctx);
      batch.add(i, rangeEquations(g, { publicKey: pk.element, ciphertext, max: 1 }, proof, ctx));
    }
    batch.add(30, null);
    const r = batch.verify();
    expect(r.failed.sort((a, b) => a - b)).toEqual([0, 7, 8, 29, 30]);
    expect(batch.size).toBe(0);
    expect(batch.verify()).toMatchObject({ ok: true, count: 0 });
  });

  it('a proof with the wrong number of branches has no equations', () => {
    const { ciphertext, randomness } = encrypt(pk, 1);
    const proof = proveZeroOne(pk, ciphertext, 1, randomness, ctx);
    expect(rangeEquations(g, { publicKey: pk.element, ciphertext, max: 1 }, [...proof, proof[0]!], ctx)).toBeNull();
    expect(rangeEquations(g, { publicKey: pk.element, ciphertext, max: 1 }, [], ctx)).toBeNull();
  });
});
