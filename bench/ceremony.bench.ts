/**
 * Key ceremony and threshold decryption on ristretto255. Run once:
 *   npx vitest bench --run bench/ceremony.bench.ts
 * A "ceremony" is every trustee's every round in one process (commit, reveal with encrypted
 * shares, check, adjudicate and finish) plus building the public transcript: divide by n for
 * one trustee's share of the work.
 */
import { bench, describe } from 'vitest';
import { ristretto255 } from '../src/group/ristretto255.js';
import { DiscreteLogTable, encrypt, publicKey } from '../src/elgamal.js';
import { ceremonyParams } from '../src/ceremony/params.js';
import { beginCeremony } from '../src/ceremony/trustee.js';
import { buildCeremonyTranscript, verifyCeremonyTranscript } from '../src/ceremony/transcript.js';
import { decryptionShares } from '../src/decrypt/shares.js';
import { combineDecryptionShares } from '../src/decrypt/combine.js';

const g = ristretto255;
let id = 0;

function ceremony(n: number, t: number) {
  const p = ceremonyParams(g, { ceremonyId: `bench-${n}-${t}-${++id}`, n, t });
  const r1 = Array.from({ length: n }, (_, k) => beginCeremony(p, k + 1).commit());
  const commitments = r1.map((x) => x.message);
  const r2 = r1.map((x) => x.next.reveal(commitments));
  const reveals = r2.map((x) => x.reveal);
  const shares = r2.flatMap((x) => x.shares);
  const r3 = r2.map((x) => x.next.check(reveals, shares));
  const transcript = buildCeremonyTranscript(p, { commitments, reveals, shares, complaints: r3.flatMap((x) => x.complaints) });
  const keys = r3.map((x) => x.next.finish(transcript).key);
  return { transcript, keys };
}

const once = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 };

describe('ceremony (all trustees, all rounds) on ristretto255', () => {
  bench('(n, t) = (3, 2)', () => void ceremony(3, 2), once);
  bench('(n, t) = (5, 3)', () => void ceremony(5, 3), once);
  bench('(n, t) = (10, 6)', () => void ceremony(10, 6), { ...once, iterations: 2 });
});

describe('transcript verification on ristretto255', () => {
  const t10 = ceremony(10, 6).transcript;
  bench('verifyCeremonyTranscript, (n, t) = (10, 6)', () => void verifyCeremonyTranscript(t10), once);
});

describe('threshold decryption of a 7 × 5 tally (35 ciphertexts), 5 trustees, t = 3, ristretto255', () => {
  const { transcript, keys } = ceremony(5, 3);
  const result = transcript.result;
  const pk = publicKey(g, result.jointPublicKey);
  const counts = Array.from({ length: 35 }, (_, k) => (k * 11_213) % 392_739); // counts up to the Primaire Populaire's 392,738 ballots
  const cts = counts.map((m) => encrypt(pk, m).ciphertext);
  const ctx = new TextEncoder().encode('bench-tally');
  const messages = keys.map((k) => decryptionShares(g, k, cts, ctx));
  const table = new DiscreteLogTable(g, 392_738, 35);
  bench('one trustee: 35 decryption shares with proofs', () => void decryptionShares(g, keys[0]!, cts, ctx), { ...once, iterations: 5 });
  bench(
    'combine 5 share messages (batch-verify 175 proofs, Lagrange over 3, 35 dlogs ≤ 392,738; shared table)',
    () => {
      const out = combineDecryptionShares(result, cts, messages, ctx, table);
      if (out.plaintexts.some((m, k) => m !== BigInt(counts[k]!))) throw new Error('wrong plaintext');
    },
    { ...once, iterations: 5 },
  );
});
