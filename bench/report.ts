/**
 * Measures the figures of docs/BENCHMARKS.md in one run and prints them as markdown:
 *
 *   npx tsx bench/report.ts [--quick] > bench/results/report-YYYY-MM-DD.md
 *
 * Every table's cases run interleaved; ratios are against the table's first row, measured in
 * the same run (see bench/harness.ts).
 */
import os from 'node:os';
import type { Group } from '../src/group/group.js';
import { ristretto255With } from '../src/group/ristretto255.js';
import { belenios2048 } from '../src/group/index.js';

const ristretto255 = ristretto255With('noble');
const ristretto255Wasm = ristretto255With('wasm');
import { encrypt, generateKeyPair, publicKey } from '../src/elgamal.js';
import { proveRange, proveZeroOne, rangeEquations, verifyRange } from '../src/proofs/disjunctive.js';
import { proveSchnorr, verifySchnorr } from '../src/proofs/schnorr.js';
import { proveDleq, proveEncryptsK, verifyDleq, verifyEncryptsK } from '../src/proofs/chaum-pedersen.js';
import { BatchVerifier } from '../src/proofs/batch.js';
import { encryptBallot } from '../src/ballot/encrypt.js';
import { checkBallot } from '../src/ballot/check.js';
import { generateCredential } from '../src/election/credential.js';
import { createElection } from '../src/election/election.js';
import { demoManifest, runCeremony } from '../src/demo/simulate.js';
import { decryptionShares } from '../src/decrypt/shares.js';
import { combineDecryptionShares } from '../src/decrypt/combine.js';
import { measure, table, type Case } from './harness.js';

const quick = process.argv.includes('--quick');
const R = (n: number) => (quick ? Math.max(3, Math.ceil(n / 4)) : n);
const out: string[] = [];
const say = (s: string) => {
  out.push(s);
  console.error(s.split('\n')[0]);
};

say(
  `### Run of ${new Date().toISOString().slice(0, 10)}\n\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; load average at start ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}.\n`,
);

// --- Groups ---------------------------------------------------------------------------------
function groupCases<E>(label: string, g: Group<E>): Record<string, Case> {
  const k = g.randomScalar();
  const P = g.G.multiply(g.randomScalar());
  const Q = g.G.multiply(g.randomScalar());
  const bytes = g.encode(P);
  const table = g.precompute(P);
  const pts = Array.from({ length: 1024 }, () => g.G.multiply(g.randomScalar()));
  const ks = pts.map(() => g.randomScalar());
  return {
    decode: { name: `${label}: decode (validating)`, fn: () => g.decode(bytes) },
    encode: { name: `${label}: encode`, fn: () => g.encode(P) },
    add: {
      name: `${label}: add`,
      units: 100,
      fn: () => {
        let x = P;
        for (let i = 0; i < 100; i++) x = g.add(x, Q);
        return x;
      },
    },
    varCT: { name: `${label}: variable-base multiply (constant-time)`, fn: () => g.multiply(P, k) },
    varUnsafe: { name: `${label}: variable-base multiply (public scalar)`, fn: () => g.multiplyUnsafe(P, k) },
    fixedCT: { name: `${label}: fixed-base multiply (constant-time, table)`, fn: () => table.multiply(k) },
    fixedUnsafe: { name: `${label}: fixed-base multiply (public scalar, table)`, fn: () => table.multiplyUnsafe(k) },
    msm: { name: `${label}: MSM of 1,024 points`, units: 1024, fn: () => g.msm(pts, ks) },
  };
}
const gr = {
  noble: groupCases('noble', ristretto255),
  wasm: groupCases('wasm', ristretto255Wasm),
  belenios: groupCases('BELENIOS-2048', belenios2048),
};
out.push('### Group operations (ristretto255: noble vs WebAssembly; BELENIOS-2048 for scale)\n');
for (const op of ['decode', 'encode', 'add', 'varCT', 'varUnsafe', 'fixedCT', 'fixedUnsafe', 'msm'] as const) {
  const rows = measure([gr.noble[op]!, gr.wasm[op]!, gr.belenios[op]!], op === 'msm' ? R(7) : R(41), 3);
  say(table(op, rows, op === 'msm' ? 'point' : op === 'add' ? 'add' : 'op'));
}

// --- Proofs: batch vs one by one ------------------------------------------------------------
function proofCases<E>(label: string, g: Group<E>, n: number) {
  const pk = publicKey(g, generateKeyPair(g).publicKey);
  const ctx = new TextEncoder().encode('bench');
  const items = Array.from({ length: n }, (_, i) => {
    const bit = (i & 1) as 0 | 1;
    const { ciphertext, randomness } = encrypt(pk, bit);
    return { st: { publicKey: pk.element, ciphertext, max: 1 }, proof: proveZeroOne(pk, ciphertext, bit, randomness, ctx) };
  });
  const one: Case = {
    name: `${label}: ${n} 0/1 proofs one by one`,
    units: n,
    fn: () =>
      items.forEach((it) => {
        if (!verifyRange(g, it.st, it.proof, ctx, [pk.table])) throw new Error('bad');
      }),
  };
  const batch: Case = {
    name: `${label}: ${n} 0/1 proofs in one batch`,
    units: n,
    fn: () => {
      const b = new BatchVerifier<E, number>(g);
      items.forEach((it, i) => b.add(i, rangeEquations(g, it.st, it.proof, ctx)));
      if (!b.verify().ok) throw new Error('bad');
    },
  };
  const enc: Case = {
    name: `${label}: encrypt + prove one 0/1 ciphertext`,
    fn: () => {
      const { ciphertext, randomness } = encrypt(pk, 1);
      return proveZeroOne(pk, ciphertext, 1, randomness, ctx);
    },
  };
  return { one, batch, enc };
}
out.push('### Proofs: 1,000 disjunctive 0/1 proofs, batched vs one by one (same proofs, same run)\n');
const pn = proofCases('noble', ristretto255, 1000);
const pw = proofCases('wasm', ristretto255Wasm, 1000);
say(table('ristretto255, noble', measure([pn.one, pn.batch], R(5), 1), 'proof'));
say(table('ristretto255, WebAssembly', measure([pw.one, pw.batch], R(5), 1), 'proof'));
const pb = proofCases('BELENIOS-2048', belenios2048, 200);
say(table('BELENIOS-2048 (200 proofs)', measure([pb.one, pb.batch], R(3), 1), 'proof'));
say(table('encrypt and prove one 0/1 cell', measure([pn.enc, pw.enc, pb.enc], R(41), 3)));

// --- Every proof kind, prove and verify (one by one) ------------------------------------------
function kindCases<E>(label: string, g: Group<E>): Case[] {
  const kp = generateKeyPair(g);
  const pk = publicKey(g, kp.publicKey);
  const ctx = new TextEncoder().encode('bench');
  const { ciphertext, randomness } = encrypt(pk, 1);
  const st01 = { publicKey: pk.element, ciphertext, max: 1 };
  const p01 = proveZeroOne(pk, ciphertext, 1, randomness, ctx);
  const st4 = { ...st01, max: 4 };
  const p4 = proveRange(pk, ciphertext, 1, randomness, 4, ctx);
  const sch = proveSchnorr(g, kp.secretKey, ctx);
  const dst = { g1: g.generator, h1: kp.publicKey, g2: ciphertext.alpha, h2: g.multiply(ciphertext.alpha, kp.secretKey) };
  const dp = proveDleq(g, dst, kp.secretKey, ctx, { table1: g.G, kind: 'decryption-share' });
  const ekst = { publicKey: pk.element, ciphertext, k: 1n };
  const ek = proveEncryptsK(pk, ciphertext, 1n, randomness, ctx);
  return [
    { name: `${label}: encrypt`, fn: () => encrypt(pk, 1) },
    { name: `${label}: prove Schnorr`, fn: () => proveSchnorr(g, kp.secretKey, ctx) },
    { name: `${label}: verify Schnorr`, fn: () => verifySchnorr(g, sch.statement, sch.proof, ctx) },
    {
      name: `${label}: prove Chaum–Pedersen (decryption share)`,
      fn: () => proveDleq(g, dst, kp.secretKey, ctx, { table1: g.G, kind: 'decryption-share' }),
    },
    { name: `${label}: verify Chaum–Pedersen`, fn: () => verifyDleq(g, dst, dp, ctx, 'decryption-share') },
    { name: `${label}: prove encrypts-exactly-1`, fn: () => proveEncryptsK(pk, ciphertext, 1n, randomness, ctx) },
    { name: `${label}: verify encrypts-exactly-1`, fn: () => verifyEncryptsK(g, ekst, ek, ctx, [pk.table]) },
    { name: `${label}: prove 0/1`, fn: () => proveZeroOne(pk, ciphertext, 1, randomness, ctx) },
    { name: `${label}: verify 0/1`, fn: () => verifyRange(g, st01, p01, ctx, [pk.table]) },
    { name: `${label}: prove range 0..4`, fn: () => proveRange(pk, ciphertext, 1, randomness, 4, ctx) },
    { name: `${label}: verify range 0..4`, fn: () => verifyRange(g, st4, p4, ctx, [pk.table]) },
  ];
}
out.push('### ElGamal and every proof kind, one at a time (ratios: against encryption in the same group)\n');
say(table('ristretto255, noble', measure(kindCases('noble', ristretto255), R(21), 2)));
say(table('ristretto255, WebAssembly', measure(kindCases('wasm', ristretto255Wasm), R(21), 2)));
say(table('BELENIOS-2048', measure(kindCases('BELENIOS-2048', belenios2048), R(9), 1)));

// --- One 7 × 5 ballot ----------------------------------------------------------------------
function ballotCases<E>(label: string, g: Group<E>) {
  const manifest = demoManifest({ candidates: 7, grades: 5, trustees: 1, threshold: 1 });
  const { transcript } = runCeremony(g, manifest.electionId, 1, 1);
  const election = createElection(
    manifest,
    { coefficientCommitments: [transcript.reveals[0]!.coefficientCommitments], jointPublicKey: transcript.result.jointPublicKey },
    { group: g },
  );
  const cred = generateCredential(g, manifest.electionId);
  const grades = [0, 1, 2, 3, 4, 0, 1];
  const ballot = encryptBallot(election, cred, grades).cast();
  return {
    enc: {
      name: `${label}: encrypt and prove a 7 × 5 ballot (42 proofs, signature)`,
      fn: () => encryptBallot(election, cred, grades).cast(),
    } as Case,
    one: {
      name: `${label}: check a 7 × 5 ballot, proofs one by one`,
      fn: () => {
        if (!checkBallot(election, ballot, { batch: false }).ok) throw new Error('bad');
      },
    } as Case,
    batch: {
      name: `${label}: check a 7 × 5 ballot, proofs batched`,
      fn: () => {
        if (!checkBallot(election, ballot, { batch: true }).ok) throw new Error('bad');
      },
    } as Case,
  };
}
out.push('### One 7-candidate × 5-grade ballot\n');
const bn = ballotCases('noble', ristretto255);
const bw = ballotCases('wasm', ristretto255Wasm);
say(table('encrypt and prove', measure([bn.enc, bw.enc], R(15), 2), 'ballot'));
say(table('check', measure([bn.one, bn.batch, bw.one, bw.batch], R(11), 2), 'ballot'));

// --- Ceremony and decryption -----------------------------------------------------------------
out.push('### Key ceremony and tally decryption (ristretto255, noble)\n');
say(
  table(
    'whole ceremony, all trustees on one machine',
    measure(
      [
        { name: '(n, t) = (3, 2)', fn: () => runCeremony(ristretto255, 'bench', 3, 2) },
        { name: '(n, t) = (5, 3)', fn: () => runCeremony(ristretto255, 'bench', 5, 3) },
        { name: '(n, t) = (10, 6)', fn: () => runCeremony(ristretto255, 'bench', 10, 6) },
      ],
      R(3),
      1,
    ),
    'ceremony',
  ),
);
{
  const { transcript, keys } = runCeremony(ristretto255, 'bench', 5, 3);
  const pk = publicKey(ristretto255, transcript.result.jointPublicKey);
  const cts = Array.from({ length: 35 }, (_, i) => encrypt(pk, i * 1000).ciphertext);
  const ctx = new TextEncoder().encode('tally');
  const msgs = [1, 2, 3, 4, 5].map((j) => decryptionShares(ristretto255, keys.get(j)!, cts, ctx));
  say(
    table(
      '35 tally ciphertexts (a 7 × 5 election), 5 trustees, counts up to 392,738',
      measure(
        [
          { name: "one trustee's 35 decryption shares with proofs", fn: () => decryptionShares(ristretto255, keys.get(1)!, cts, ctx) },
          {
            name: 'combine 5 messages (batch-verify 175 proofs, Lagrange, discrete logs)',
            fn: () => combineDecryptionShares(transcript.result, cts, msgs, ctx, 392_738),
          },
        ],
        R(5),
        1,
      ),
      'call',
    ),
  );
}

console.log(out.join('\n'));
