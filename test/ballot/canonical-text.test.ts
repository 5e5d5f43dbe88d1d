/**
 * parseCanonicalBallotText (the verifier's fast path for ballot lines) against the reference,
 * `parseBallot(JSON.parse(text))`: on canonical texts it always answers, and whenever it answers
 * on any text (mutated at random or in targeted ways) its ballot is the reference's ballot —
 * same elements, scalars, encodings, hash and tracking code. When it does not answer, the
 * caller falls back to the reference, so refusing is always allowed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255With } from '../../src/group/ristretto255.js';

const ristretto255Wasm = ristretto255With('wasm');
const nobleGroup = ristretto255With('noble');
import type { Group } from '../../src/group/group.js';
import { FormatError } from '../../src/errors.js';
import { concatBytes, toHex } from '../../src/bytes.js';
import { canonicalJson } from '../../src/json/canonical.js';
import { credentialFromCode, generateCredentialCode } from '../../src/election/credential.js';
import { electionToJson, parseElection, type Election } from '../../src/election/election.js';
import { ballotHash } from '../../src/ballot/hash.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { type Ballot } from '../../src/ballot/ballot.js';
import { parseCanonicalBallotText } from '../../src/ballot/canonical-text.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { testElection, testManifest } from './fixtures.js';

const W = ristretto255Wasm as Group<any>;

function setup(M: number, K: number, grades: number[]) {
  const { election: noble } = testElection(nobleGroup, testManifest({ M, K }));
  const election = parseElection(electionToJson(noble), { group: W });
  const cred = credentialFromCode(noble.group, noble.manifest.electionId, generateCredentialCode());
  const text = canonicalJson(ballotToJson(encryptBallot(noble, cred, grades).cast()));
  return { election, text };
}

/** The reference's ballot, or null when it rejects the text. */
function reference(text: string, election: Election<any>): Ballot<any> | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  try {
    return parseBallot(json, election);
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
}

/** Fast path's ballot when it takes the whole text, else null. */
function fast(text: string, election: Election<any>): Ballot<any> | null {
  const r = parseCanonicalBallotText(text, 0, election);
  return r !== null && r.end === text.length ? r.ballot : null;
}

function expectSameBallot(a: Ballot<any>, b: Ballot<any>): void {
  expect(a.hashHex).toBe(b.hashHex);
  expect(a.trackingCode).toBe(b.trackingCode);
  expect(a.credentialHex).toBe(b.credentialHex);
  expect(a.electionId).toBe(b.electionId);
  expect(a.fingerprintHex).toBe(b.fingerprintHex);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b)); // from each ballot's remembered encodings
  // The elements themselves (not only their remembered encodings) and every scalar.
  const g = a.group;
  const pts = (x: Ballot<any>) => [
    x.credential,
    x.signature.commitment,
    ...x.answers.flatMap((an) => [
      ...an.choices.flatMap((c) => [c.alpha, c.beta]),
      an.exactlyOne.commitment1,
      an.exactlyOne.commitment2,
      ...an.proofs.flatMap((p) => p.flatMap((br) => [br.commitmentA, br.commitmentB])),
    ]),
  ];
  const scs = (x: Ballot<any>) => [
    x.signature.challenge,
    x.signature.response,
    ...x.answers.flatMap((an) => [
      an.exactlyOne.challenge,
      an.exactlyOne.response,
      ...an.proofs.flatMap((p) => p.flatMap((br) => [br.challenge, br.response])),
    ]),
  ];
  const pa = pts(a);
  const pb = pts(b);
  expect(pa.length).toBe(pb.length);
  pa.forEach((p, i) => expect(toHex(g.encode(p))).toBe(toHex(g.encode(pb[i]))));
  expect(scs(a)).toEqual(scs(b));
}

describe('parseCanonicalBallotText', () => {
  const small = setup(3, 4, [0, 3, 1]);
  const big = setup(7, 5, [0, 1, 2, 3, 4, 0, 4]);

  it('reads canonical ballots as parseBallot does (3 × 4 and 7 × 5), from any start', () => {
    for (const { election, text } of [small, big]) {
      const ref = reference(text, election)!;
      expectSameBallot(fast(text, election)!, ref);
      const r = parseCanonicalBallotText(`xy${text}}}`, 2, election)!;
      expect(r.end).toBe(text.length + 2);
      expectSameBallot(r.ballot, ref);
    }
  });

  it('ballotHash with the scalars given as bytes (what the fast path hands it) is the same hash', () => {
    const b = reference(big.text, big.election)!;
    const g = b.group;
    const enc = (k: bigint) => g.encodeScalar(k);
    const scalarBytes = concatBytes(
      ...b.answers.flatMap((a) => [
        ...a.proofs.flatMap((p) => p.flatMap((br) => [enc(br.challenge), enc(br.response)])),
        enc(a.exactlyOne.challenge),
        enc(a.exactlyOne.response),
      ]),
    );
    const content = {
      electionId: b.electionId,
      fingerprint: Uint8Array.from(Buffer.from(b.fingerprintHex, 'hex')),
      credential: b.credential,
      answers: b.answers,
    };
    expect(toHex(ballotHash(g, content, scalarBytes))).toBe(b.hashHex);
    expect(toHex(ballotHash(g, content))).toBe(b.hashHex);
    // Bytes of another length are a programming error, never a silently different hash.
    expect(() => ballotHash(g, content, scalarBytes.subarray(32))).toThrow(/unexpected length/);
    expect(() => ballotHash(g, content, concatBytes(scalarBytes, new Uint8Array(32)))).toThrow(/unexpected length/);
  });

  it('reads the same ballot on the noble backend (decodeMany one by one); refuses ballots of another shape (the caller falls back)', () => {
    const { election, text } = small;
    const noble = parseElection(electionToJson(election), { group: nobleGroup as Group<any> });
    const there = parseCanonicalBallotText(text, 0, noble);
    expect(there?.ballot.hashHex).toBe(fast(text, election)?.hashHex);
    expect(there?.ballot.group).toBe(nobleGroup);
    expect(fast(text, setup(3, 5, [0, 0, 0]).election)).toBeNull();
    expect(fast(text, setup(4, 4, [0, 0, 0, 0]).election)).toBeNull();
  });

  // Targeted edits: each either makes the reference reject, or leaves a text that is not
  // canonical; the fast path must refuse them all (the reference accepts some: 1.0, spaces…).
  const { election, text } = small;
  const alpha0 = text.indexOf('"alpha":"') + 9;
  const scalar0 = text.indexOf('"challenge":"') + 13;
  const q = nobleGroup.order;
  const qHexLE = toHex(Uint8Array.from({ length: 32 }, (_, i) => Number((q >> BigInt(8 * i)) & 0xffn)));
  const at = (i: number, s: string, len = s.length) => text.slice(0, i) + s + text.slice(i + len);
  const edits: [string, string][] = [
    ['identity α', at(alpha0, '00'.repeat(32))],
    ['identity credential', at(text.indexOf('"credential":"') + 14, '00'.repeat(32))],
    ['non-canonical point', at(alpha0, 'ed' + 'ff'.repeat(30) + '7f')],
    ['not a point', at(alpha0, 'ff'.repeat(32))],
    ['uppercase hex', at(alpha0, text.slice(alpha0, alpha0 + 64).toUpperCase())],
    ['scalar = q', at(scalar0, qHexLE)],
    ['a branch response = 2^256 − 1', at(text.indexOf('"response":"', text.indexOf('"proofs":[')) + 12, 'ff'.repeat(32))],
    ["the signature's response = q", at(text.lastIndexOf('"response":"') + 12, qHexLE)],
    ['short hex', at(alpha0, '', 2)],
    ['long hex', at(alpha0, 'ab', 0)],
    ['escaped hex digit', at(alpha0, '\\u0030', 1)],
    ["an element's closing quote replaced", at(alpha0 + 64, 'x', 1)],
    ["a scalar's closing quote replaced", at(scalar0 + 64, '0', 1)],
    ["the fingerprint's closing quote replaced", at(text.indexOf('"fingerprint":"') + 15 + 64, 'a', 1)],
    ['version 2', text.replace('"version":1}', '"version":2}')],
    ['version 1.0', text.replace('"version":1}', '"version":1.0}')],
    ['version "1"', text.replace('"version":1}', '"version":"1"}')],
    ['space after a colon', text.replace('"alpha":"', '"alpha": "')],
    ['keys out of order', text.replace(/\{"alpha":"([0-9a-f]{64})","beta":"([0-9a-f]{64})"\}/, '{"beta":"$2","alpha":"$1"}')],
    ['unknown key', text.replace('"version":1}', '"version":1,"x":0}')],
    ['duplicate key', text.replace('{"answers":', '{"answers":[],"answers":')],
    ['bad election id', text.replace('"electionId":"test-2024"', '"electionId":"-bad"')],
    ['escaped election id', text.replace('"electionId":"test-2024"', '"electionId":"test\\u002d2024"')],
    ['a choice fewer', text.replace(/\{"alpha":"[0-9a-f]{64}","beta":"[0-9a-f]{64}"\},/, '')],
    ['three branches', text.replace(/\[(\{"a":"[^}]*\}),/, '[$1,$1,')],
    ['truncated', text.slice(0, -1)],
  ];
  for (const [what, t] of edits)
    it(`refuses: ${what}`, () => {
      expect(t).not.toBe(text);
      expect(fast(t, election)).toBeNull();
    });

  it('any random edit: refused, or the same ballot as the reference', () => {
    const chars = fc.constantFrom('0', '1', 'a', 'f', 'A', 'g', '"', '\\', ',', ':', ' ', '{', '}', '[', ']', 'e', '.', '-');
    const edit = fc.oneof(
      fc.tuple(fc.nat(text.length - 1), chars).map(
        ([i, c]) =>
          (t: string) =>
            t.slice(0, i) + c + t.slice(i + 1),
      ), // replace
      fc.tuple(fc.nat(text.length - 1), chars).map(
        ([i, c]) =>
          (t: string) =>
            t.slice(0, i) + c + t.slice(i),
      ), // insert
      fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 1, max: 70 })).map(
        ([i, n]) =>
          (t: string) =>
            t.slice(0, i) + t.slice(i + n),
      ), // delete
      fc.tuple(fc.nat(text.length - 1), fc.nat(text.length - 1), fc.integer({ min: 1, max: 160 })).map(
        ([i, j, n]) =>
          (t: string) =>
            t.slice(0, i) + t.slice(j, j + n) + t.slice(i),
      ), // copy a piece
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 2 }), (es) => {
        const t = es.reduce((acc, e) => e(acc), text);
        const f = fast(t, election);
        if (f === null) return;
        const ref = reference(t, election);
        expect(ref).not.toBeNull();
        expectSameBallot(f, ref!);
      }),
      { numRuns: 400 },
    );
  });

  it('edits that keep a valid canonical ballot: answered, and the same ballot as the reference', () => {
    // Any element string moved onto another (β may be the identity, commitments anything): the
    // proofs no longer verify, but parsing accepts, and both paths must read the same ballot.
    const hexes = [...text.matchAll(/"(?:beta|a|b|commitment1|commitment2|commitment)":"([0-9a-f]{64})"/g)].map((m) => ({
      at: m.index! + m[0].length - 65,
      hex: m[1]!,
    }));
    const ident = '00'.repeat(32);
    fc.assert(
      fc.property(fc.nat(hexes.length - 1), fc.nat(hexes.length), (i, j) => {
        const v = j === hexes.length ? ident : hexes[j]!.hex;
        const t = text.slice(0, hexes[i]!.at) + v + text.slice(hexes[i]!.at + 64);
        const f = fast(t, election);
        expect(f).not.toBeNull();
        expectSameBallot(f!, reference(t, election)!);
      }),
      { numRuns: 60 },
    );
  });
});
