import { describe, expect, it } from 'vitest';
import { tinyGroup } from '../helpers/groups.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import type { Group } from '../../src/group/group.js';
import { encrypt, publicKey } from '../../src/elgamal.js';
import { proveSchnorr } from '../../src/proofs/schnorr.js';
import { CeremonyFailedError } from '../../src/ceremony/outcome.js';
import {
  coefficientContext,
  createComplaint,
  shareSignatureContext,
  type EncryptedShare,
  type RevealMessage,
} from '../../src/ceremony/messages.js';
import { encryptShare } from '../../src/ceremony/share-encryption.js';
import { evaluatePolynomial, randomPolynomial } from '../../src/ceremony/polynomial.js';
import { buildCeremonyTranscript, verifyCeremonyTranscript } from '../../src/ceremony/transcript.js';
import { beginCeremony, type TrusteeRound3 } from '../../src/ceremony/trustee.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
import { combineDecryptionShares } from '../../src/decrypt/combine.js';
import { params, runCeremony, secretsOf, type Run } from './harness.js';

const commKeyOf = <E>(states: Map<number, TrusteeRound3<E>>, i: number): E =>
  secretsOf([...states.values()][0]!).round1!.find((m) => m.trustee === i)!.communicationKey;

/** Trustee `sender` (a cheater) encrypts and signs `value` for `recipient` instead of its share. */
function forgeShare<E>(
  g: Group<E>,
  run: { p: ReturnType<typeof params<E>> },
  states: Map<number, TrusteeRound3<E>>,
  sender: number,
  recipient: number,
  value: (honest: bigint) => bigint,
): EncryptedShare<E> {
  const d = secretsOf(states.get(sender)!);
  const honest = evaluatePolynomial(g, d.coefficients, recipient);
  return encryptShare(run.p, sender, d.commSecret, commKeyOf(states, sender), recipient, commKeyOf(states, recipient), value(honest));
}

const replaceShare = <E>(shares: EncryptedShare<E>[], s: EncryptedShare<E>): EncryptedShare<E>[] =>
  shares.map((x) => (x.sender === s.sender && x.recipient === s.recipient ? s : x));

/** Decrypts with the qualified trustees and checks the joint key is Σ C_i,0 over them only. */
function decryptsWithQualified<E>(g: Group<E>, run: Run<E>): void {
  const r = run.transcript.result;
  const expected = r.qualified
    .map((i) => run.transcript.reveals.find((x) => x.trustee === i)!.coefficientCommitments[0]!)
    .reduce((a, b) => g.add(a, b), g.identity);
  expect(g.equals(r.jointPublicKey, expected)).toBe(true);
  const ct = encrypt(publicKey(g, r.jointPublicKey), 5).ciphertext;
  const ctx = new Uint8Array([1]);
  const msgs = [...run.keys.values()].map((k) => decryptionShares(g, k, [ct], ctx));
  expect(combineDecryptionShares(r, [ct], msgs, ctx, 10).plaintexts).toEqual([5n]);
  expect(verifyCeremonyTranscript(run.transcript).ok).toBe(true);
}

describe.each([
  ['insecure test group', tinyGroup],
  ['ristretto255', ristretto255],
] as [string, Group<any>][])('a wrong share to one trustee (%s)', (_name, g) => {
  it('the recipient complains, the complaint is upheld, the sender is disqualified; the rest decrypt', () => {
    const p = params(g, 4, 2);
    const run = runCeremony(p, {
      round2: (reveals, shares, states) => ({
        reveals,
        shares: replaceShare(
          shares,
          forgeShare(g, { p }, states, 2, 3, (f) => g.Fq.add(f, 1n)),
        ),
      }),
    });
    expect(run.complaints.map((c) => [c.complainer, c.accused])).toEqual([[3, 2]]);
    const r = run.transcript.result;
    expect(r.complaints).toMatchObject([{ complainer: 3, accused: 2, verdict: 'upheld' }]);
    expect(r.disqualified).toMatchObject([{ trustee: 2, code: 'bad-share', recipient: 3 }]);
    expect(r.qualified).toEqual([1, 3, 4]);
    expect([...r.verificationKeys.keys()]).toEqual([1, 3, 4]);
    decryptsWithQualified(g, run);
  });
});

describe('misbehaviour, each detected and attributed (insecure test group)', () => {
  const g = tinyGroup;

  it('a share ciphertext that does not decrypt (garbage under a valid signature) → complaint upheld', () => {
    const p = params(g, 3, 2);
    const run = runCeremony(p, {
      round2: (reveals, shares, states) => {
        const honest = shares.find((s) => s.sender === 1 && s.recipient === 2)!;
        const d = secretsOf(states.get(1)!);
        const ciphertext = honest.ciphertext.map((b, k) => (k === 0 ? b ^ 1 : b));
        // Re-sign the altered ciphertext with trustee 1's key, so that only the share itself is bad.
        const signed = {
          ...honest,
          ciphertext,
          signature: proveSchnorr(g, d.commSecret, shareSignatureContext(p, 1, 2, honest.nonce, ciphertext)).proof,
        };
        return { reveals, shares: replaceShare(shares, signed) };
      },
    });
    expect(run.transcript.result.complaints).toMatchObject([{ complainer: 2, accused: 1, verdict: 'upheld' }]);
    expect(run.transcript.result.complaints[0]!.reason).toMatch(/does not decrypt/);
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 1, code: 'bad-share', recipient: 2 }]);
    decryptsWithQualified(g, run);
  });

  it('a false complaint is rejected; the accused stays qualified and the complainer is not penalized', () => {
    const p = params(g, 4, 3);
    const run = runCeremony(p, {
      round3: (complaints, states) => {
        const d = secretsOf(states.get(4)!);
        const P1 = d.round1!.find((m) => m.trustee === 1)!.communicationKey;
        return [...complaints, createComplaint(p, 4, d.commSecret, 1, P1)];
      },
    });
    expect(run.transcript.result.complaints).toMatchObject([
      { complainer: 4, accused: 1, verdict: 'rejected', reason: 'the disputed share is valid' },
    ]);
    expect(run.transcript.result.qualified).toEqual([1, 2, 3, 4]);
    expect(run.transcript.result.disqualified).toEqual([]);
    decryptsWithQualified(g, run);
  });

  it('a complaint whose revealed secret is not the DH secret (bad DLEQ) is rejected', () => {
    const p = params(g, 3, 2);
    const run = runCeremony(p, {
      round3: (complaints, states) => {
        const d = secretsOf(states.get(3)!);
        const P1 = d.round1!.find((m) => m.trustee === 1)!.communicationKey;
        const c = createComplaint(p, 3, d.commSecret, 1, P1);
        return [...complaints, { ...c, sharedSecret: g.add(c.sharedSecret, g.generator) }];
      },
    });
    expect(run.transcript.result.complaints).toMatchObject([{ complainer: 3, accused: 1, verdict: 'rejected' }]);
    expect(run.transcript.result.complaints[0]!.reason).toMatch(/DLEQ/);
    expect(run.transcript.result.qualified).toEqual([1, 2, 3]);
  });

  it('revealed commitments that do not match the round-1 hash → reveal-mismatch, seen by every trustee', () => {
    const p = params(g, 4, 2);
    const run = runCeremony(p, {
      round2: (reveals, shares) => {
        // Trustee 3 switches to another polynomial after seeing the others' commitments (with valid PoKs).
        const a = randomPolynomial(g, p.t);
        const forged: RevealMessage<any> = {
          ...reveals.find((r) => r.trustee === 3)!,
          coefficientCommitments: a.map((x) => g.G.multiply(x)),
          proofs: a.map((x, l) => proveSchnorr(g, x, coefficientContext(p, 3, l)).proof),
        };
        return { reveals: reveals.map((r) => (r.trustee === 3 ? forged : r)), shares };
      },
    });
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 3, code: 'reveal-mismatch' }]);
    for (const j of [1, 2, 4]) expect(run.problems.get(j)).toMatchObject([{ trustee: 3, code: 'reveal-mismatch' }]);
    expect(run.transcript.result.qualified).toEqual([1, 2, 4]);
    decryptsWithQualified(g, run);
  });

  it('a bad proof of knowledge of a coefficient → invalid-coefficient-proof', () => {
    const p = params(g, 4, 3);
    const run = runCeremony(p, {
      round2: (reveals, shares) => ({
        reveals: reveals.map((r) =>
          r.trustee === 1 ? { ...r, proofs: r.proofs.map((x, l) => (l === 2 ? { ...x, response: g.Fq.add(x.response, 1n) } : x)) } : r,
        ),
        shares,
      }),
    });
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 1, code: 'invalid-coefficient-proof' }]);
    expect(run.transcript.result.qualified).toEqual([2, 3, 4]);
    decryptsWithQualified(g, run);
  });

  it("a copied C_1,0 with trustee 1's proof in trustee 2's reveal is caught", () => {
    // Trustee 2 copies trustee 1's C_1,0 and its proof, not knowing the discrete log.
    const p = params(g, 3, 2);
    const run = runCeremony(p, {
      round2: (reveals, shares) => {
        const r1 = reveals.find((r) => r.trustee === 1)!;
        const r2 = reveals.find((r) => r.trustee === 2)!;
        const forged = {
          ...r2,
          coefficientCommitments: [r1.coefficientCommitments[0]!, r2.coefficientCommitments[1]!],
          proofs: [r1.proofs[0]!, r2.proofs[1]!],
        };
        return { reveals: reveals.map((r) => (r.trustee === 2 ? forged : r)), shares };
      },
    });
    // The copy neither opens trustee 2's commitment nor carries a proof bound to index 2.
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 2, code: 'reveal-mismatch' }]);
  });

  it('a bad proof of knowledge of the communication key → excluded in round 1, owed no shares', () => {
    const p = params(g, 4, 2);
    const run = runCeremony(p, {
      round1: (msgs) =>
        msgs.map((m) => (m.trustee === 4 ? { ...m, proof: { ...m.proof, challenge: g.Fq.add(m.proof.challenge, 1n) } } : m)),
    });
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 4, code: 'invalid-communication-key' }]);
    expect(run.transcript.shares.some((s) => s.recipient === 4 || s.sender === 4)).toBe(false);
    expect(run.transcript.result.qualified).toEqual([1, 2, 3]);
    decryptsWithQualified(g, run);
  });

  it('a message of another election relabelled with this election id fails its proof', () => {
    const p = params(g, 3, 2);
    const other = params(g, 3, 2);
    const foreign = runCeremony(other).transcript.commitments.find((m) => m.trustee === 2)!;
    const run = runCeremony(p, { round1: (msgs) => msgs.map((m) => (m.trustee === 2 ? { ...foreign, ceremonyId: p.ceremonyId } : m)) });
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 2, code: 'invalid-communication-key' }]);
  });

  it('a share signed by someone else → invalid-share-signature; a missing share → missing-share', () => {
    const p = params(g, 4, 2);
    const run = runCeremony(p, {
      round2: (reveals, shares, states) => {
        const forged = forgeShare(g, { p }, states, 3, 2, (f) => f); // correct value, encrypted by trustee 3 …
        const relabelled = { ...forged, sender: 1 } as EncryptedShare<any>; // … but posted as trustee 1's
        return { reveals, shares: replaceShare(shares, relabelled).filter((s) => !(s.sender === 4 && s.recipient === 1)) };
      },
    });
    expect(run.transcript.result.disqualified).toMatchObject([
      { trustee: 1, code: 'invalid-share-signature', recipient: 2 },
      { trustee: 4, code: 'missing-share', recipient: 1 },
    ]);
    expect(run.problems.get(2)).toMatchObject([{ trustee: 1, code: 'invalid-share-signature' }]);
    expect(run.problems.get(1)).toMatchObject([{ trustee: 4, code: 'missing-share' }]);
    expect(run.transcript.result.qualified).toEqual([2, 3]);
    decryptsWithQualified(g, run);
  });

  it('an absent trustee → missing-commitment; the others complete when at least t remain', () => {
    const run = runCeremony(params(g, 5, 3), { absent: [5] });
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 5, code: 'missing-commitment' }]);
    expect(run.transcript.result.qualified).toEqual([1, 2, 3, 4]);
    decryptsWithQualified(g, run);
  });

  it('a trustee that withholds its reveal → missing-reveal', () => {
    const run = runCeremony(params(g, 3, 2), {
      round2: (reveals, shares) => ({ reveals: reveals.filter((r) => r.trustee !== 2), shares: shares.filter((s) => s.sender !== 2) }),
    });
    expect(run.transcript.result.disqualified).toMatchObject([{ trustee: 2, code: 'missing-reveal' }]);
  });

  it('too few trustees left: the ceremony fails with a typed error naming the cheaters', () => {
    const p = params(g, 4, 3);
    let error: unknown;
    try {
      runCeremony(p, {
        round2: (reveals, shares, states) => {
          let s = replaceShare(
            shares,
            forgeShare(g, { p }, states, 1, 2, (f) => g.Fq.add(f, 7n)),
          );
          s = replaceShare(
            s,
            forgeShare(g, { p }, states, 4, 3, () => 0n),
          );
          return { reveals, shares: s };
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CeremonyFailedError);
    const e = error as CeremonyFailedError;
    expect(e.code).toBe('ceremony-failed');
    expect(e.qualified).toEqual([2, 3]);
    expect(e.disqualified).toMatchObject([
      { trustee: 1, code: 'bad-share', recipient: 2 },
      { trustee: 4, code: 'bad-share', recipient: 3 },
    ]);
    expect(e.message).toMatch(/disqualified: 1, 4/);
  });

  it('a board that shows a trustee other messages than the transcript → inconsistent-board at finish, state not consumed', () => {
    const p = params(g, 3, 2);
    const r1 = [1, 2, 3].map((i) => beginCeremony(p, i).commit());
    const commitments = r1.map((x) => x.message);
    const r2 = r1.map((x) => x.next.reveal(commitments));
    const reveals = r2.map((x) => x.reveal);
    const shares = r2.flatMap((x) => x.shares);
    const r3 = r2.map((x) => x.next.check(reveals, shares));
    const complaints = r3.flatMap((x) => x.complaints);
    const honest = buildCeremonyTranscript(p, { commitments, reveals, shares, complaints });
    // Trustee 2's share to trustee 1 re-encrypted (a valid share, but not the ciphertext trustee 1 checked).
    const d2 = secretsOf(r3[1]!.next);
    const P = (i: number) => commitments[i - 1]!.communicationKey;
    const other = encryptShare(p, 2, d2.commSecret, P(2), 1, P(1), evaluatePolynomial(g, d2.coefficients, 1));
    const altered = buildCeremonyTranscript(p, { commitments, reveals, shares: replaceShare(shares, other), complaints });
    expect(() => r3[0]!.next.finish(altered)).toThrow(expect.objectContaining({ code: 'inconsistent-board' }));
    expect(r3[0]!.next.spent).toBe(false);
    expect(r3[0]!.next.finish(honest).key.trustee).toBe(1);
    expect(() => r3[0]!.next.finish(honest)).toThrow(expect.objectContaining({ code: 'state-spent' }));
    // Trustees 2 and 3 saw the same reveals and their own shares unchanged: they finish on either.
    expect(r3[2]!.next.finish(altered).key.trustee).toBe(3);
  });

  it("a transcript that drops a trustee's complaint is refused by that trustee", () => {
    const p = params(g, 3, 2);
    const r1 = [1, 2, 3].map((i) => beginCeremony(p, i).commit());
    const commitments = r1.map((x) => x.message);
    const r2 = r1.map((x) => x.next.reveal(commitments));
    const reveals = r2.map((x) => x.reveal);
    const d1 = secretsOf(r2[0]!.next);
    const bad = encryptShare(p, 1, d1.commSecret, commitments[0]!.communicationKey, 3, commitments[2]!.communicationKey, 42n);
    const shares = replaceShare(
      r2.flatMap((x) => x.shares),
      bad,
    );
    const r3 = r2.map((x) => x.next.check(reveals, shares));
    expect(r3[2]!.complaints.map((c) => c.accused)).toEqual([1]);
    const withoutComplaint = buildCeremonyTranscript(p, { commitments, reveals, shares, complaints: [] });
    expect(withoutComplaint.result.qualified).toEqual([1, 2, 3]);
    expect(() => r3[2]!.next.finish(withoutComplaint)).toThrow(expect.objectContaining({ code: 'inconsistent-board' }));
  });

  it('structural faults in a message set are protocol errors, not disqualifications', () => {
    const p = params(g, 3, 2);
    const s = beginCeremony(p, 1).commit();
    const others = [2, 3].map((i) => beginCeremony(p, i).commit().message);
    const msgs = [s.message, ...others];
    expect(() => s.next.reveal([...msgs, others[0]!])).toThrow(expect.objectContaining({ code: 'duplicate-message' }));
    expect(() => s.next.reveal([...msgs, { ...others[0]!, trustee: 4 }])).toThrow(expect.objectContaining({ code: 'bad-index' }));
    expect(() => s.next.reveal(msgs.map((m) => (m.trustee === 2 ? { ...m, ceremonyId: 'another-election' } : m)))).toThrow(
      expect.objectContaining({ code: 'wrong-ceremony' }),
    );
    expect(() => s.next.reveal(others)).toThrow(expect.objectContaining({ code: 'own-message' }));
    expect(s.next.spent).toBe(false); // refused calls do not consume the state
    expect(s.next.reveal(msgs).shares.map((x) => x.recipient)).toEqual([2, 3]);
  });
});
