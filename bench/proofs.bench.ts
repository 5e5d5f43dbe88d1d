/**
 * ElGamal and proof costs per group, and batch vs one-by-one verification of 1,000 0/1 proofs
 * measured in the same run (vitest prints the ratio). `npm run bench -- bench/proofs.bench.ts`
 */
import { bench, describe } from 'vitest';
import type { Group } from '../src/group/group.js';
import { ristretto255 } from '../src/group/ristretto255.js';
import { belenios2048 } from '../src/group/index.js';
import { encrypt, generateKeyPair, publicKey } from '../src/elgamal.js';
import { proveSchnorr, verifySchnorr } from '../src/proofs/schnorr.js';
import { proveDleq, proveEncryptsK, verifyDleq, verifyEncryptsK } from '../src/proofs/chaum-pedersen.js';
import { proveZeroOne, rangeEquations, verifyRange, proveRange } from '../src/proofs/disjunctive.js';
import { BatchVerifier } from '../src/proofs/batch.js';

const ctx = new TextEncoder().encode('bench');
const few = { iterations: 20, time: 0, warmupIterations: 2 };

function suite<E>(g: Group<E>) {
  const kp = generateKeyPair(g);
  const pk = publicKey(g, kp.publicKey);
  const { ciphertext, randomness } = encrypt(pk, 1);
  const st01 = { publicKey: pk.element, ciphertext, max: 1 };
  const p01 = proveZeroOne(pk, ciphertext, 1, randomness, ctx);
  const p4 = proveRange(pk, ciphertext, 1, randomness, 4, ctx);
  const st4 = { ...st01, max: 4 };
  const sch = proveSchnorr(g, kp.secretKey, ctx);
  const alpha = ciphertext.alpha;
  const dst = { g1: g.generator, h1: kp.publicKey, g2: alpha, h2: g.multiply(alpha, kp.secretKey) };
  const dp = proveDleq(g, dst, kp.secretKey, ctx, { table1: g.G });
  const ek = proveEncryptsK(pk, ciphertext, 1n, randomness, ctx);
  const ekst = { publicKey: pk.element, ciphertext, k: 1n };

  describe(`${g.id}: ElGamal and single proofs`, () => {
    bench('encrypt (fixed-base G and K)', () => void encrypt(pk, 1), few);
    bench('prove 0/1', () => void proveZeroOne(pk, ciphertext, 1, randomness, ctx), few);
    bench('verify 0/1 (one by one)', () => void verifyRange(g, st01, p01, ctx, [pk.table]), few);
    bench('prove range 0..4', () => void proveRange(pk, ciphertext, 1, randomness, 4, ctx), few);
    bench('verify range 0..4', () => void verifyRange(g, st4, p4, ctx, [pk.table]), few);
    bench('prove Schnorr', () => void proveSchnorr(g, kp.secretKey, ctx), few);
    bench('verify Schnorr', () => void verifySchnorr(g, sch.statement, sch.proof, ctx), few);
    bench('prove Chaum–Pedersen (decryption share)', () => void proveDleq(g, dst, kp.secretKey, ctx, { table1: g.G }), few);
    bench('verify Chaum–Pedersen', () => void verifyDleq(g, dst, dp, ctx), few);
    bench('prove encrypts-exactly-1', () => void proveEncryptsK(pk, ciphertext, 1n, randomness, ctx), few);
    bench('verify encrypts-exactly-1', () => void verifyEncryptsK(g, ekst, ek, ctx, [pk.table]), few);
  });
}

function batchSuite<E>(g: Group<E>, n: number) {
  const pk = publicKey(g, generateKeyPair(g).publicKey);
  const items = Array.from({ length: n }, (_, i) => {
    const bit = (i & 1) as 0 | 1;
    const { ciphertext, randomness } = encrypt(pk, bit);
    return { st: { publicKey: pk.element, ciphertext, max: 1 }, proof: proveZeroOne(pk, ciphertext, bit, randomness, ctx) };
  });
  describe(`${g.id}: ${n} 0/1 proofs, batch vs one by one`, () => {
    bench(
      `one by one (${n} proofs)`,
      () => {
        for (const it of items) if (!verifyRange(g, it.st, it.proof, ctx, [pk.table])) throw new Error('bad');
      },
      { iterations: 3, time: 0, warmupIterations: 1 },
    );
    bench(
      `batched (${n} proofs, one MSM)`,
      () => {
        const b = new BatchVerifier<E, number>(g);
        items.forEach((it, i) => b.add(i, rangeEquations(g, it.st, it.proof, ctx)));
        if (!b.verify().ok) throw new Error('bad');
      },
      { iterations: 3, time: 0, warmupIterations: 1 },
    );
  });
}

suite(ristretto255);
suite(belenios2048);
batchSuite(ristretto255, 1000);
batchSuite(belenios2048, 1000);
