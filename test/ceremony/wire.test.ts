import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tinyGroup } from '../helpers/groups.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import type { Group } from '../../src/group/group.js';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { createComplaint } from '../../src/ceremony/messages.js';
import {
  commitmentMessageToJson,
  complaintToJson,
  encryptedShareToJson,
  parseCommitmentMessage,
  parseComplaint,
  parseEncryptedShare,
  parseRevealMessage,
  revealMessageToJson,
} from '../../src/ceremony/wire.js';
import { parseCeremonyTranscript, verifyCeremonyTranscript, type CeremonyTranscriptJson } from '../../src/ceremony/transcript.js';
import { adjudicateCeremony } from '../../src/ceremony/outcome.js';
import { params, runCeremony, secretsOf } from './harness.js';
import { assertMutationsRejected, garbage, jsonPaths, setPath } from './json-mutation.js';

const opts = { allowInsecureTestGroup: true };

/** One honest ceremony with a (false) complaint so that every message kind is present. */
function sample<E>(g: Group<E>) {
  const p = params(g, 3, 2);
  const run = runCeremony(p, {
    round3: (complaints, states) => {
      const d = secretsOf(states.get(3)!);
      return [...complaints, createComplaint(p, 3, d.commSecret, 1, d.round1!.find((m) => m.trustee === 1)!.communicationKey)];
    },
  });
  const t = run.transcript;
  return {
    p,
    run,
    json: {
      commitment: commitmentMessageToJson(p, t.commitments[0]!),
      reveal: revealMessageToJson(p, t.reveals[1]!),
      share: encryptedShareToJson(p, t.shares[2]!),
      complaint: complaintToJson(p, t.complaints[0]!),
    },
    transcript: JSON.parse(JSON.stringify(t.toJson())) as CeremonyTranscriptJson,
  };
}

const cases: [Group<any>, number][] = [
  [tinyGroup, 150],
  [ristretto255, 40],
];

for (const [g, runs] of cases)
  describe(`ceremony wire forms over ${g.id}`, () => {
    const s = sample(g);
    const { p } = s;
    const parsers = {
      commitment: (v: unknown) => parseCommitmentMessage(p, v, 'commitment'),
      reveal: (v: unknown) => parseRevealMessage(p, v, 'reveal'),
      share: (v: unknown) => parseEncryptedShare(p, v, 'share'),
      complaint: (v: unknown) => parseComplaint(p, v, 'complaint'),
    };
    const serializers = {
      commitment: (m: any) => commitmentMessageToJson(p, m),
      reveal: (m: any) => revealMessageToJson(p, m),
      share: (m: any) => encryptedShareToJson(p, m),
      complaint: (m: any) => complaintToJson(p, m),
    };

    for (const kind of Object.keys(parsers) as (keyof typeof parsers)[]) {
      const valid = s.json[kind];
      const parse = parsers[kind];
      it(`${kind}: parse ∘ serialize is the identity`, () => {
        expect(serializers[kind](parse(valid))).toEqual(valid);
      });
      it(`${kind}: garbage in place of the message or of any field → FormatError naming the field`, () => {
        fc.assert(
          fc.property(garbage, (v) => {
            expect(() => parse(v)).toThrow(FormatError);
          }),
          { numRuns: Math.min(runs, 60) },
        );
        assertMutationsRejected(valid, kind, parse, runs);
      });
      it(`${kind}: unknown and missing fields, another election`, () => {
        expect(() => parse({ ...valid, extra: 1 })).toThrow(expect.objectContaining({ path: `${kind}.extra` }));
        for (const k of Object.keys(valid)) {
          const { [k]: _, ...rest } = valid as unknown as Record<string, unknown>;
          expect(() => parse(rest)).toThrow(expect.objectContaining({ path: `${kind}.${k}`, reason: 'missing field' }));
        }
        expect(() => parse({ ...valid, ceremony: 'another-election' })).toThrow(expect.objectContaining({ path: `${kind}.ceremony` }));
      });
    }

    it('wrong indices: 0, n + 1, non-integers, strings, self-addressed shares and self-accusations', () => {
      for (const bad of [0, p.n + 1, 1.5, -1, '1', null]) {
        expect(() => parsers.commitment({ ...s.json.commitment, trustee: bad })).toThrow(
          expect.objectContaining({ path: 'commitment.trustee' }),
        );
        expect(() => parsers.share({ ...s.json.share, recipient: bad })).toThrow(expect.objectContaining({ path: 'share.recipient' }));
        expect(() => parsers.complaint({ ...s.json.complaint, accused: bad })).toThrow(
          expect.objectContaining({ path: 'complaint.accused' }),
        );
      }
      expect(() => parsers.share({ ...s.json.share, recipient: s.json.share.sender })).toThrow(
        expect.objectContaining({ path: 'share.recipient' }),
      );
      expect(() => parsers.complaint({ ...s.json.complaint, accused: s.json.complaint.complainer })).toThrow(
        expect.objectContaining({ path: 'complaint.accused' }),
      );
    });

    it('bad encodings: the identity as a key, wrong lengths, upper-case hex, a reveal with t + 1 commitments', () => {
      expect(() => parsers.commitment({ ...s.json.commitment, communicationKey: g.toHex(g.identity) })).toThrow(
        expect.objectContaining({ path: 'commitment.communicationKey' }),
      );
      expect(() => parsers.commitment({ ...s.json.commitment, commitment: s.json.commitment.commitment.slice(2) })).toThrow(
        expect.objectContaining({ path: 'commitment.commitment' }),
      );
      expect(() => parsers.commitment({ ...s.json.commitment, commitment: s.json.commitment.commitment.toUpperCase() })).toThrow(
        FormatError,
      );
      expect(() => parsers.share({ ...s.json.share, ciphertext: s.json.share.ciphertext + '00' })).toThrow(
        expect.objectContaining({ path: 'share.ciphertext' }),
      );
      const r = s.json.reveal;
      expect(() => parsers.reveal({ ...r, coefficientCommitments: [...r.coefficientCommitments, r.coefficientCommitments[0]] })).toThrow(
        expect.objectContaining({ path: 'reveal.coefficientCommitments' }),
      );
      expect(() => parsers.reveal({ ...r, coefficientCommitments: [g.toHex(g.identity), ...r.coefficientCommitments.slice(1)] })).toThrow(
        expect.objectContaining({ path: 'reveal.coefficientCommitments[0]' }),
      );
    });

    it('transcript: round trip, verification, and every field mutation → FormatError or a failed verification, never a crash', () => {
      const t = parseCeremonyTranscript(s.transcript, g, opts);
      expect(t.toJson()).toEqual(s.transcript);
      expect(verifyCeremonyTranscript(t)).toMatchObject({ ok: true });
      expect(t.result.complaints).toMatchObject([{ complainer: 3, accused: 1, verdict: 'rejected' }]);
      const paths = jsonPaths(s.transcript);
      fc.assert(
        fc.property(fc.constantFrom(...paths), garbage, (path, value) => {
          let parsed;
          try {
            parsed = parseCeremonyTranscript(setPath(s.transcript, path, value), g, opts);
          } catch (e) {
            expect(e).toBeInstanceOf(FormatError);
            return;
          }
          const v = verifyCeremonyTranscript(parsed);
          expect(v.ok).toBe(v.failures.length === 0);
        }),
        { numRuns: Math.min(runs, 80) },
      );
    });
  });

describe('transcript checks (insecure test group)', () => {
  const g = tinyGroup;
  const s = sample(g);
  const T = s.transcript;
  const verify = (json: unknown) => verifyCeremonyTranscript(parseCeremonyTranscript(json, g, opts));
  const checks = (json: unknown) => verify(json).failures.map((f) => f.check);

  it('duplicate messages are named by path', () => {
    expect(() => parseCeremonyTranscript({ ...T, commitments: [...T.commitments, T.commitments[0]] }, g, opts)).toThrow(
      expect.objectContaining({ path: 'transcript.commitments[3].trustee' }),
    );
    expect(() => parseCeremonyTranscript({ ...T, shares: [T.shares[0], ...T.shares] }, g, opts)).toThrow(
      expect.objectContaining({ path: 'transcript.shares[1].recipient' }),
    );
    expect(() => parseCeremonyTranscript({ ...T, result: { ...T.result, qualified: [1, 1, 2] } }, g, opts)).toThrow(
      expect.objectContaining({ path: 'transcript.result.qualified[1]' }),
    );
  });

  it('header faults: another group, t > n, unknown version', () => {
    expect(() => parseCeremonyTranscript(T, ristretto255)).toThrow(expect.objectContaining({ path: 'transcript.group' }));
    expect(() => parseCeremonyTranscript({ ...T, t: 4 }, g, opts)).toThrow(expect.objectContaining({ path: 'transcript.t' }));
    expect(() => parseCeremonyTranscript({ ...T, version: 3 }, g, opts)).toThrow(expect.objectContaining({ path: 'transcript.version' }));
    expect(() => parseCeremonyTranscript(T, g)).toThrow(expect.objectContaining({ code: 'insecure-group' }));
  });

  it('a published result that disagrees with the messages fails the named check', () => {
    const other = g.toHex(g.G.multiply(5n));
    expect(checks({ ...T, result: { ...T.result, jointPublicKey: other } })).toEqual(['ceremony.joint-key']);
    expect(
      checks({
        ...T,
        result: { ...T.result, verificationKeys: T.result.verificationKeys.map((v, k) => (k === 1 ? { ...v, key: other } : v)) },
      }),
    ).toEqual(['ceremony.verification-keys']);
    expect(checks({ ...T, result: { ...T.result, verificationKeys: T.result.verificationKeys.slice(1) } })).toEqual([
      'ceremony.verification-keys',
    ]);
    expect(checks({ ...T, result: { ...T.result, complaints: [{ ...T.result.complaints[0]!, verdict: 'upheld' }] } })).toEqual([
      'ceremony.complaint-outcomes',
    ]);
    expect(checks({ ...T, result: { ...T.result, qualified: [1, 2] } })).toEqual(['ceremony.qualified-set']);
    expect(checks({ ...T, result: { ...T.result, disqualified: [{ trustee: 3, code: 'bad-share', recipient: 1, reason: 'x' }] } })).toEqual(
      ['ceremony.disqualifications'],
    );
  });

  it('a message removed or altered after the fact shows up as a disagreement', () => {
    // Dropping trustee 2's reveal: the messages now disqualify 2 (missing-reveal) but the result says qualified.
    expect(checks({ ...T, reveals: T.reveals.filter((r) => r.trustee !== 2) })).toEqual(
      expect.arrayContaining(['ceremony.qualified-set', 'ceremony.disqualifications', 'ceremony.joint-key', 'ceremony.verification-keys']),
    );
    // A changed coefficient proof.
    const bumped = T.reveals.map((r) => (r.trustee === 1 ? { ...r, proofs: [r.proofs[1], r.proofs[0]] } : r));
    expect(verify({ ...T, reveals: bumped }).ok).toBe(false);
    // Too few qualified left → the adjudication check fails.
    const two = T.commitments.slice(0, 1);
    expect(checks({ ...T, commitments: two })).toEqual(['ceremony.adjudication']);
  });

  it('structural faults in in-memory message sets are ProtocolErrors', () => {
    const t = parseCeremonyTranscript(T, g, opts);
    expect(() => adjudicateCeremony(s.p, { ...t, shares: [...t.shares, t.shares[0]!] })).toThrow(ProtocolError);
    expect(() => adjudicateCeremony(s.p, { ...t, complaints: [{ ...t.complaints[0]!, ceremonyId: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'wrong-ceremony' }),
    );
  });
});
