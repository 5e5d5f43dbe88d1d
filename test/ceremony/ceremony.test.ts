import { describe, expect, it } from 'vitest';
import { tinyGroup } from '../helpers/groups.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import type { Group } from '../../src/group/group.js';
import { encrypt, publicKey, type Ciphertext } from '../../src/elgamal.js';
import { trusteeSecretShare } from '../../src/ceremony/trustee-key.js';
import { electionKeysFromTranscript, verifyCeremonyTranscript } from '../../src/ceremony/transcript.js';
import { lagrangeAtZero } from '../../src/decrypt/lagrange.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
import { combineDecryptionShares } from '../../src/decrypt/combine.js';
import { params, randomSubset, runCeremony, type Run } from './harness.js';

const ctx = new TextEncoder().encode('tally-context');

/** Checks the keys of a finished ceremony and decrypts with the given trustee subsets. */
function checkRun<E>(g: Group<E>, run: Run<E>, subsets: number[][]): void {
  const { transcript, keys, params: p } = run;
  const r = transcript.result;
  expect(verifyCeremonyTranscript(transcript)).toMatchObject({ ok: true, failures: [] });
  const ek = electionKeysFromTranscript(transcript);
  expect(ek.coefficientCommitments.length).toBe(r.qualified.length);
  expect(
    g.equals(
      ek.coefficientCommitments.map((c) => c[0]!).reduce((a, b) => g.add(a, b), g.identity),
      r.jointPublicKey,
    ),
  ).toBe(true);
  // K_j = s_j·G and Lagrange over any t-subset of secret shares gives the joint secret.
  for (const [j, key] of keys) {
    expect(g.equals(g.G.multiply(trusteeSecretShare(key)), r.verificationKeys.get(j)!)).toBe(true);
    expect(g.equals(key.jointPublicKey, r.jointPublicKey)).toBe(true);
  }
  const pk = publicKey(g, r.jointPublicKey);
  const values = [0, 1, 7, 20];
  const cts: Ciphertext<E>[] = values.map((m) => encrypt(pk, m).ciphertext);
  const msgs = new Map([...keys].map(([j, k]) => [j, decryptionShares(g, k, cts, ctx)]));
  for (const S of subsets) {
    const lambda = lagrangeAtZero(g, S);
    const sum = S.reduce((acc, j) => g.Fq.add(acc, g.Fq.mul(lambda.get(j)!, trusteeSecretShare(keys.get(j)!))), 0n);
    expect(g.equals(g.G.multiply(sum), r.jointPublicKey)).toBe(true);
    const out = combineDecryptionShares(
      r,
      cts,
      S.map((j) => msgs.get(j)!),
      ctx,
      20,
    );
    expect(out.plaintexts).toEqual(values.map(BigInt));
    expect(out.invalid).toEqual([]);
    expect(out.used).toEqual([...S].sort((a, b) => a - b).slice(0, p.t));
  }
}

describe('ceremony and threshold decryption for every n in 1..7 and t in 1..n (insecure test group)', () => {
  for (let n = 1; n <= 7; n++)
    for (let t = 1; t <= n; t++)
      it(`n = ${n}, t = ${t}: all qualified, any t decrypt, all n decrypt`, () => {
        const run = runCeremony(params(tinyGroup, n, t));
        const all = Array.from({ length: n }, (_, k) => k + 1);
        expect(run.transcript.result.qualified).toEqual(all);
        expect(run.transcript.result.disqualified).toEqual([]);
        expect(run.complaints).toEqual([]);
        expect([...run.problems.values()].flat()).toEqual([]);
        checkRun(tinyGroup, run, [randomSubset(all, t), randomSubset(all, t), all]);
      });
});

describe('ceremony on ristretto255 (representative)', () => {
  for (const [n, t] of [
    [1, 1],
    [3, 2],
    [4, 4],
  ] as const)
    it(`n = ${n}, t = ${t}`, () => {
      const run = runCeremony(params(ristretto255, n, t));
      const all = Array.from({ length: n }, (_, k) => k + 1);
      checkRun(ristretto255, run, [randomSubset(all, t), all]);
    });
});

describe('fewer than t trustees cannot decrypt', () => {
  it('t − 1 shares of a 5-of-3 ceremony give no key (Lagrange over t − 1 shares misses PK)', () => {
    const g = tinyGroup;
    const run = runCeremony(params(g, 5, 3));
    const S = [2, 5];
    const lambda = lagrangeAtZero(g, S);
    const sum = S.reduce((acc, j) => g.Fq.add(acc, g.Fq.mul(lambda.get(j)!, trusteeSecretShare(run.keys.get(j)!))), 0n);
    expect(g.equals(g.G.multiply(sum), run.transcript.result.jointPublicKey)).toBe(false);
  });
});
