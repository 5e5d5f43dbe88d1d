import {
  ristretto255 as group,
  generateKeyPair,
  publicKey,
  encrypt,
  sumCiphertexts,
  decrypt,
  proveZeroOne,
  rangeEquations,
  BatchVerifier,
  contextBytes,
  rank,
} from 'mjvote';

// An election key (in a real election: the trustees' joint key from the t-of-n ceremony).
const keys = generateKeyPair(group);
const pk = publicKey(group, keys.publicKey); // precomputes a fixed-base table once

// Three voters say "yes" (1) or "no" (0) to "Très bien" for one candidate, each with a
// zero-knowledge proof that the ciphertext holds 0 or 1, bound to a context.
const context = contextBytes(['my-election', 'candidate-0', 'grade-0']);
const votes = [1, 0, 1] as const;
const cast = votes.map((v) => {
  const { ciphertext, randomness } = encrypt(pk, v);
  return { ciphertext, proof: proveZeroOne(pk, ciphertext, v, randomness, context) };
});

// Anyone checks every proof in one batch (one multi-scalar multiplication)…
const batch = new BatchVerifier(group);
cast.forEach((b, i) =>
  batch.add(`ballot ${i}`, rangeEquations(group, { publicKey: pk.element, ciphertext: b.ciphertext, max: 1 }, b.proof, context)),
);
const check = batch.verify();
console.log('proofs valid:', check.ok, check.failed);

// …adds the ciphertexts homomorphically, and only the sum is decrypted.
const total = decrypt(
  group,
  keys.secretKey,
  sumCiphertexts(
    group,
    cast.map((b) => b.ciphertext),
  ),
  votes.length,
);
console.log('"Très bien" votes:', total); // 2n

// Merit profiles (counts per grade, best first) give the majority-judgment ranking.
const result = rank(
  [
    { candidate: 'Ada', profile: [total, 1n, 0n] },
    { candidate: 'Alan', profile: [1n, 1n, 1n] },
  ],
  ['Très bien', 'Bien', 'Passable'],
);
console.log(result.ranking.map((c) => `${c.rank}. ${c.candidate}: ${c.majorityGrade.label}${c.mention}`).join('\n'));
