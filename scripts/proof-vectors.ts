/**
 * Known-answer vectors for every proof kind: deterministic inputs (secrets and nonces from
 * `deterministicTestNonces`), the resulting statement and proof in wire form, and for the
 * Schnorr proof the exact transcript message. `npx tsx scripts/proof-vectors.ts` rewrites
 * `test/vectors/proofs-<group>.json`; `test/proofs/vectors.test.ts` recomputes them and checks
 * they are byte-for-byte identical, so any change to a transcript or encoding is caught.
 */
import { writeFileSync } from 'node:fs';
import { toHex } from '../src/bytes.js';
import type { Group } from '../src/group/group.js';
import { ristretto255 } from '../src/group/ristretto255.js';
import { belenios2048 } from '../src/group/index.js';
import { contextBytes, Transcript } from '../src/hash.js';
import { encrypt, publicKey } from '../src/elgamal.js';
import { deterministicTestNonces } from '../src/proofs/nonces.js';
import { proveSchnorr } from '../src/proofs/schnorr.js';
import { proveDleq, proveEncryptsK } from '../src/proofs/chaum-pedersen.js';
import { proveRange } from '../src/proofs/disjunctive.js';
import { ciphertextToJson, disjunctiveProofToJson, dleqProofToJson, schnorrProofToJson } from '../src/proofs/wire.js';

export function proofVectors<E>(g: Group<E>) {
  const secrets = deterministicTestNonces(g, 'mjvote-kat-secrets');
  const nonces = (name: string) => deterministicTestNonces(g, `mjvote-kat-nonces-${name}`);
  const ctx = contextBytes(['mjvote-kat-election', new Uint8Array([1, 2, 3]), 2, 4]);
  const out: Record<string, unknown>[] = [];

  const x = secrets();
  const s = proveSchnorr(g, x, ctx, { nonces: nonces('schnorr') });
  out.push({
    kind: 'schnorr',
    dst: `mjvote-v1-schnorr-${g.id}`,
    context: toHex(ctx),
    secret: g.scalarToHex(x),
    statement: { base: g.toHex(s.statement.base!), publicKey: g.toHex(s.statement.publicKey) },
    transcript: toHex(
      new Transcript(g, 'schnorr')
        .bytes(ctx)
        .element(s.statement.base!)
        .element(s.statement.publicKey)
        .element(s.proof.commitment)
        .message(),
    ),
    proof: schnorrProofToJson(g, s.proof),
  });

  const sk = secrets();
  const K = g.G.multiply(sk);
  const alpha = g.G.multiply(secrets());
  const st = { g1: g.generator, h1: K, g2: alpha, h2: g.multiply(alpha, sk) };
  out.push({
    kind: 'decryption-share',
    dst: `mjvote-v1-decryption-share-${g.id}`,
    context: toHex(ctx),
    secret: g.scalarToHex(sk),
    statement: { g1: g.toHex(st.g1), h1: g.toHex(st.h1), g2: g.toHex(st.g2), h2: g.toHex(st.h2) },
    proof: dleqProofToJson(g, proveDleq(g, st, sk, ctx, { kind: 'decryption-share', table1: g.G, nonces: nonces('dleq') })),
  });

  const pk = publicKey(g, K);
  for (const [kind, m, max] of [
    ['disjunctive01', 0, 1],
    ['disjunctive01', 1, 1],
    ['disjunctive', 3, 4],
  ] as const) {
    const r = secrets();
    const { ciphertext } = encrypt(pk, m, r);
    out.push({
      kind,
      dst: `mjvote-v1-${kind}-${g.id}`,
      context: toHex(ctx),
      plaintext: m,
      randomness: g.scalarToHex(r),
      statement: { publicKey: g.toHex(K), ciphertext: ciphertextToJson(g, ciphertext), max },
      proof: disjunctiveProofToJson(g, proveRange(pk, ciphertext, m, r, max, ctx, { nonces: nonces(`${kind}-${m}`) })),
    });
  }

  const r = secrets();
  const { ciphertext } = encrypt(pk, 1, r);
  out.push({
    kind: 'encrypts-k',
    dst: `mjvote-v1-encrypts-k-${g.id}`,
    context: toHex(ctx),
    plaintext: 1,
    randomness: g.scalarToHex(r),
    statement: { publicKey: g.toHex(K), ciphertext: ciphertextToJson(g, ciphertext), k: 1 },
    proof: dleqProofToJson(g, proveEncryptsK(pk, ciphertext, 1n, r, ctx, { nonces: nonces('encrypts-k') })),
  });
  return {
    group: g.id,
    description: 'mjvote v1 proof known-answer vectors (deterministic test nonces: never use such nonces for real proofs)',
    vectors: out,
  };
}

export const VECTOR_GROUPS: Group<any>[] = [ristretto255, belenios2048];

if (process.argv[1]?.endsWith('proof-vectors.ts')) {
  for (const g of VECTOR_GROUPS) {
    writeFileSync(`test/vectors/proofs-${g.id}.json`, JSON.stringify(proofVectors(g), null, 1) + '\n');
    console.log(`wrote test/vectors/proofs-${g.id}.json`);
  }
}
