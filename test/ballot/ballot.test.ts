import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { belenios2048 } from '../../src/group/index.js';
import { ristretto255With } from '../../src/group/ristretto255.js';

const ristretto255Wasm = ristretto255With('wasm');
const nobleGroup = ristretto255With('noble');
import type { Group } from '../../src/group/group.js';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { concatBytes, fromHex, toHex } from '../../src/bytes.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { decrypt, encrypt, sumCiphertexts } from '../../src/elgamal.js';
import { proveZeroOne } from '../../src/proofs/disjunctive.js';
import { proveEncryptsK } from '../../src/proofs/chaum-pedersen.js';
import { BatchVerifier } from '../../src/proofs/batch.js';
import { ciphertextToJson, disjunctiveProofToJson, dleqProofToJson } from '../../src/proofs/wire.js';
import {
  createCredentialList,
  credentialFromCode,
  generateCredential,
  generateCredentialCode,
  type Credential,
} from '../../src/election/credential.js';
import { electionToJson, parseElection, type Election } from '../../src/election/election.js';
import { ballotContexts, candidateContext, cellContext } from '../../src/ballot/contexts.js';
import { ballotToJson, type BallotJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { type Ballot } from '../../src/ballot/ballot.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotEquations, checkBallot, checkBallotJson, type BallotCheck, type CheckBallotOptions } from '../../src/ballot/check.js';
import { tinyGroup } from '../helpers/groups.js';
import { copy, resign, testElection, testManifest, thrown } from './fixtures.js';

/** Checks one by one and batched, asserts they agree, returns the answer. */
function check<E>(election: Election<E>, ballot: Ballot<E>, opts: CheckBallotOptions = {}): BallotCheck {
  const one = checkBallot(election, ballot, opts);
  const batched = checkBallot(election, ballot, { ...opts, batch: true });
  expect(batched).toEqual(one);
  const eqs = ballotEquations(election, ballot);
  const bv = new BatchVerifier(election.group);
  bv.add('b', eqs);
  if (one.ok || one.code === 'unknown-credential' || one.code === 'audited') expect(bv.verify().ok).toBe(true);
  else if (one.code !== 'malformed') expect(bv.verify().ok).toBe(false);
  return one;
}

function rejection(c: BallotCheck): [string, string] {
  if (c.ok) throw new Error('expected a rejection');
  return [c.code, c.path];
}

/** A ballot with arbitrary cell plaintexts, "proved" by running the honest provers on them, signed. */
function forge<E>(election: Election<E>, cred: Credential<E>, values: bigint[][]): BallotJson {
  const g = election.group;
  const pk = election.publicKey;
  const fp = election.fingerprint;
  const X = g.encode(cred.publicKey);
  const answers = values.map((row, j) => {
    const cells = row.map((v) => encrypt(pk, v));
    const proofs = cells.map((c, k) => proveZeroOne(pk, c.ciphertext, row[k] === 1n ? 1 : 0, c.randomness, cellContext(fp, X, j, k)));
    const R = cells.reduce((a, c) => g.Fq.add(a, c.randomness), 0n);
    const sum = sumCiphertexts(
      g,
      cells.map((c) => c.ciphertext),
    );
    return {
      choices: cells.map((c) => ciphertextToJson(g, c.ciphertext)),
      proofs: proofs.map((p) => disjunctiveProofToJson(g, p)),
      exactlyOne: dleqProofToJson(g, proveEncryptsK(pk, sum, 1n, R, candidateContext(fp, X, j))),
    };
  });
  const unsigned = {
    version: 1 as const,
    electionId: election.manifest.electionId,
    fingerprint: election.fingerprintHex,
    credential: cred.publicKeyHex,
    answers,
    signature: { commitment: g.toHex(g.generator), challenge: g.scalarToHex(0n), response: g.scalarToHex(0n) },
  };
  return resign(election, cred, unsigned);
}

const groups: [string, Group<any>, string, number, number][] = [
  ['the insecure test group', tinyGroup, 'insecure-test-group', 3, 4],
  ['ristretto255', ristretto255, 'ristretto255', 3, 4],
  ['BELENIOS-2048', belenios2048, 'belenios-2048', 2, 2],
];

for (const [name, group, id, M, K] of groups) {
  describe(`ballots in ${name} (${M} candidates × ${K} grades)`, () => {
    const { election, secretKey } = testElection(group, testManifest({ group: id, M, K }));
    const cred = generateCredential(group, election.manifest.electionId);
    const grades = Array.from({ length: M }, (_, j) => (j * 3 + 1) % K);

    it('encrypt to one 1 per candidate at the chosen grade, check, and round-trip through JSON', () => {
      const ballot = encryptBallot(election, cred, grades).cast();
      expect(check(election, ballot, { credentials: createCredentialList(group, election.manifest.electionId, [cred.publicKey]) })).toEqual(
        { ok: true },
      );
      ballot.answers.forEach((a, j) =>
        a.choices.forEach((ct, g) => expect(decrypt(group, secretKey, ct, 1)).toBe(g === grades[j] ? 1n : 0n)),
      );
      expect(ballot.trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
      expect(ballot.hashHex).toMatch(/^[0-9a-f]{64}$/);
      const json = ballotToJson(ballot);
      expect(Object.keys(json)).toEqual(['version', 'electionId', 'fingerprint', 'credential', 'answers', 'signature']);
      const text = JSON.stringify(json);
      expect(JSON.stringify(ballot)).toBe(text);
      expect(JSON.stringify(election)).toBe(JSON.stringify(electionToJson(election)));
      const back = parseBallot(JSON.parse(text), election);
      expect(back.hashHex).toBe(ballot.hashHex);
      expect(back.trackingCode).toBe(ballot.trackingCode);
      expect(JSON.stringify(ballotToJson(back))).toBe(text);
      expect(check(election, back)).toEqual({ ok: true });
    });

    it("refuses the identity where it is not allowed (the credential, every α), in this group's encoding", () => {
      const json = ballotToJson(encryptBallot(election, cred, grades).cast());
      const identity = group.toHex(group.identity);
      const refused = (edit: (b: any) => void, path: string) => {
        const b = JSON.parse(JSON.stringify(json));
        edit(b);
        expect(() => parseBallot(b, election)).toThrow(
          expect.objectContaining({ path, reason: 'the identity element is not allowed here' }),
        );
      };
      refused((b) => (b.credential = identity), 'ballot.credential');
      refused((b) => (b.answers[M - 1].choices[K - 1].alpha = identity), `ballot.answers[${M - 1}].choices[${K - 1}].alpha`);
      // β and the commitments may be the identity: they parse (the proofs then fail the checks).
      const b = JSON.parse(JSON.stringify(json));
      b.answers[0].choices[0].beta = identity;
      expect(() => parseBallot(b, election)).not.toThrow();
    });

    it('the ballot hash is SHA-256 of the documented byte string (checked with an independent incremental hash)', () => {
      const ballot = encryptBallot(election, cred, grades).cast();
      const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
      const lp = (x: Uint8Array) => concatBytes(u32(x.length), x);
      const utf = (t: string) => new TextEncoder().encode(t);
      const h = nobleSha256.create();
      h.update(
        concatBytes(lp(utf('mjvote-v1-ballot')), lp(utf(group.id)), lp(utf(election.manifest.electionId)), lp(election.fingerprint)),
      );
      h.update(group.encode(ballot.credential)).update(u32(M)).update(u32(K));
      for (const a of ballot.answers) {
        for (const ct of a.choices) h.update(group.encode(ct.alpha)).update(group.encode(ct.beta));
        for (const p of a.proofs)
          for (const br of p)
            h.update(group.encode(br.commitmentA))
              .update(group.encode(br.commitmentB))
              .update(group.encodeScalar(br.challenge))
              .update(group.encodeScalar(br.response));
        h.update(group.encode(a.exactlyOne.commitment1))
          .update(group.encode(a.exactlyOne.commitment2))
          .update(group.encodeScalar(a.exactlyOne.challenge))
          .update(group.encodeScalar(a.exactlyOne.response));
      }
      expect(ballot.hashHex).toBe(toHex(h.digest()));
    });
  });
}

describe('ballot checks name every rejection (ristretto255, 3 × 4)', () => {
  const g = ristretto255;
  const { election } = testElection(g, testManifest({ M: 3, K: 4 }));
  const id = election.manifest.electionId;
  const alice = generateCredential(g, id);
  const mallory = generateCredential(g, id);
  const list = createCredentialList(g, id, [alice.publicKey, mallory.publicKey]);
  let good: BallotJson;
  beforeAll(() => {
    good = ballotToJson(encryptBallot(election, alice, [0, 3, 1]).cast());
  });
  const parse = (j: BallotJson) => parseBallot(j, election);

  it('wrong election id or fingerprint', () => {
    const a = copy(good);
    a.electionId = 'other-2024';
    expect(rejection(check(election, parse(a)))).toEqual(['wrong-election', 'ballot.electionId']);
    const b = copy(good);
    b.fingerprint = '00'.repeat(32);
    expect(rejection(check(election, parse(b)))).toEqual(['wrong-election', 'ballot.fingerprint']);
    expect(rejection(checkBallotJson(election, b).check)).toEqual(['wrong-election', 'ballot.fingerprint']);
  });

  it('a credential that is not on the list', () => {
    const other = createCredentialList(g, id, [mallory.publicKey]);
    expect(rejection(check(election, parse(good), { credentials: other }))).toEqual(['unknown-credential', 'ballot.credential']);
    expect(check(election, parse(good), { credentials: list })).toEqual({ ok: true });
  });

  it('an audited ballot', () => {
    const b = parse(good);
    expect(rejection(check(election, b, { audited: new Set([b.hashHex]) }))).toEqual(['audited', 'ballot']);
  });

  it('a bad signature: altered, by another credential, or over another ballot', () => {
    const a = copy(good);
    a.signature.response = g.scalarToHex(g.Fq.add(g.scalarFromHex(a.signature.response), 1n));
    expect(rejection(check(election, parse(a)))).toEqual(['bad-signature', 'ballot.signature']);
    const b = copy(good);
    b.signature.challenge = g.scalarToHex(1n);
    expect(rejection(check(election, parse(b)))).toEqual(['bad-signature', 'ballot.signature']);
    // Any change to the signed content (here one proof's response) breaks the signature first.
    const c = copy(good);
    c.answers[2]!.proofs[1]![0]!.response = c.answers[2]!.proofs[1]![1]!.response;
    expect(rejection(check(election, parse(c)))).toEqual(['bad-signature', 'ballot.signature']);
  });

  it('a bad proof, even when the cheating client re-signs', () => {
    const c = copy(good);
    c.answers[2]!.proofs[1]![0]!.response = c.answers[2]!.proofs[1]![1]!.response;
    expect(rejection(check(election, parse(resign(election, alice, c))))).toEqual(['bad-proof', 'ballot.answers[2].proofs[1]']);
    // Cells swapped between grades of a candidate, or answers swapped between candidates: contexts differ.
    const s = copy(good);
    [s.answers[1]!.choices[0], s.answers[1]!.choices[3]] = [s.answers[1]!.choices[3]!, s.answers[1]!.choices[0]!];
    [s.answers[1]!.proofs[0], s.answers[1]!.proofs[3]] = [s.answers[1]!.proofs[3]!, s.answers[1]!.proofs[0]!];
    expect(rejection(check(election, parse(resign(election, alice, s))))).toEqual(['bad-proof', 'ballot.answers[1].proofs[0]']);
    const t = copy(good);
    [t.answers[0], t.answers[1]] = [t.answers[1]!, t.answers[0]!];
    expect(rejection(check(election, parse(resign(election, alice, t))))).toEqual(['bad-proof', 'ballot.answers[0].proofs[0]']);
  });

  it('an overvote, an undervote, and a 2 balanced by a −1 (each proof kind is necessary)', () => {
    const v = (row: number[]) => row.map(BigInt);
    const over = forge(election, alice, [v([1, 0, 0, 0]), v([0, 1, 1, 0]), v([0, 0, 0, 1])]);
    expect(rejection(check(election, parse(over)))).toEqual(['bad-proof', 'ballot.answers[1].exactlyOne']);
    const under = forge(election, alice, [v([1, 0, 0, 0]), v([0, 0, 0, 0]), v([0, 0, 0, 1])]);
    expect(rejection(check(election, parse(under)))).toEqual(['bad-proof', 'ballot.answers[1].exactlyOne']);
    const skewed = forge(election, alice, [
      [0n, 0n, 0n, 1n],
      [2n, 0n, 0n, g.order - 1n],
      [1n, 0n, 0n, 0n],
    ]);
    expect(rejection(check(election, parse(skewed)))).toEqual(['bad-proof', 'ballot.answers[1].proofs[0]']);
    const honest = forge(election, alice, [v([1, 0, 0, 0]), v([0, 0, 1, 0]), v([0, 0, 0, 1])]);
    expect(check(election, parse(honest))).toEqual({ ok: true });
  });

  it('replay: a ballot copied under another credential and re-signed fails its proofs', () => {
    const copied = resign(election, mallory, good);
    expect(copied.credential).toBe(mallory.publicKeyHex);
    expect(rejection(check(election, parse(copied), { credentials: list }))).toEqual(['bad-proof', 'ballot.answers[0].proofs[0]']);
    // Only the signature swapped, credential kept: the signature does not verify.
    const swapped = copy(good);
    swapped.signature = resign(election, mallory, good).signature;
    expect(rejection(check(election, parse(swapped)))).toEqual(['bad-signature', 'ballot.signature']);
  });

  it('replay: a ballot for another election with the same manifest fails (fingerprint, then proofs)', () => {
    const { election: other } = testElection(g, election.manifest);
    expect(other.fingerprintHex).not.toBe(election.fingerprintHex);
    expect(rejection(check(other, parseBallot(good, other)))).toEqual(['wrong-election', 'ballot.fingerprint']);
    const moved = copy(good);
    moved.fingerprint = other.fingerprintHex;
    expect(rejection(check(other, parseBallot(resign(other, alice, moved), other)))).toEqual(['bad-proof', 'ballot.answers[0].proofs[0]']);
  });

  it('one bad ballot among several in a BatchVerifier is named', () => {
    const ballots = [0, 1, 2].map((i) => parse(ballotToJson(encryptBallot(election, alice, [i, i, i]).cast())));
    const bad = copy(good);
    bad.answers[0]!.exactlyOne.response = bad.answers[1]!.exactlyOne.response;
    ballots.splice(1, 0, parse(resign(election, alice, bad)));
    const bv = new BatchVerifier<any, number>(g);
    ballots.forEach((b, i) => bv.add(i, ballotEquations(election, b)));
    expect(bv.verify().failed).toEqual([1]);
  });

  it('encryptBallot refuses grades of the wrong count or range and credentials of another election', () => {
    expect(() => encryptBallot(election, alice, [0, 1])).toThrow(FormatError);
    expect(() => encryptBallot(election, alice, [0, 1, 4])).toThrow(FormatError);
    expect(() => encryptBallot(election, alice, [0, 1, -1])).toThrow(FormatError);
    expect(() => encryptBallot(election, alice, [0, 1, 1.5])).toThrow(FormatError);
    expect(() => encryptBallot(election, generateCredential(g, 'other-2024'), [0, 1, 2])).toThrow(ProtocolError);
  });

  it('checkBallotJson reports a malformed ballot with its path', () => {
    const a = copy(good) as any;
    a.answers[1].choices[2].alpha = 'zz';
    expect(rejection(checkBallotJson(election, a).check)).toEqual(['malformed', 'ballot.answers[1].choices[2].alpha']);
    expect(checkBallotJson(election, good).check).toEqual({ ok: true });
  });

  describe('parseBallot validates every field once, naming its JSON path', () => {
    const identity = g.toHex(g.identity);
    const nonCanonical = 'ed' + 'ff'.repeat(30) + '7f'; // field element ≥ p: rejected by RFC 9496 decoding
    const cases: [string, (b: any) => void, string][] = [
      ['not an object', (b) => (b.answers[0] = 5), 'ballot.answers[0]'],
      ['unknown top-level field', (b) => (b.trackingCode = 'X'), 'ballot.trackingCode'],
      ['missing signature', (b) => delete b.signature, 'ballot.signature'],
      ['unknown field in a branch', (b) => (b.answers[0].proofs[1][0].extra = 1), 'ballot.answers[0].proofs[1][0].extra'],
      ['version 2', (b) => (b.version = 2), 'ballot.version'],
      ['election id not a string', (b) => (b.electionId = 7), 'ballot.electionId'],
      ['short fingerprint', (b) => (b.fingerprint = b.fingerprint.slice(2)), 'ballot.fingerprint'],
      ['uppercase hex', (b) => (b.credential = b.credential.toUpperCase()), 'ballot.credential'],
      ['identity credential', (b) => (b.credential = identity), 'ballot.credential'],
      ['identity alpha', (b) => (b.answers[2].choices[1].alpha = identity), 'ballot.answers[2].choices[1].alpha'],
      ['non-canonical beta', (b) => (b.answers[2].choices[1].beta = nonCanonical), 'ballot.answers[2].choices[1].beta'],
      ['element too long', (b) => (b.answers[0].choices[0].beta += '00'), 'ballot.answers[0].choices[0].beta'],
      [
        'scalar ≥ q',
        (b) => (b.answers[1].exactlyOne.response = g.scalarToHex(g.order - 1n).replace(/^../, 'ff')),
        'ballot.answers[1].exactlyOne.response',
      ],
      ['scalar as number', (b) => (b.signature.challenge = 5), 'ballot.signature.challenge'],
      ['too few answers', (b) => b.answers.pop(), 'ballot.answers'],
      ['too many answers', (b) => b.answers.push(b.answers[0]), 'ballot.answers'],
      ['too few choices', (b) => b.answers[1].choices.pop(), 'ballot.answers[1].choices'],
      ['too many proofs', (b) => b.answers[1].proofs.push(b.answers[1].proofs[0]), 'ballot.answers[1].proofs'],
      ['three branches', (b) => b.answers[1].proofs[2].push(b.answers[1].proofs[2][0]), 'ballot.answers[1].proofs[2]'],
      ['answers not an array', (b) => (b.answers = {}), 'ballot.answers'],
    ];
    for (const [what, edit, path] of cases)
      it(`${what} → ${path}`, () => {
        const b = copy(good);
        edit(b);
        expect(thrown(() => parseBallot(b, election), FormatError).path).toBe(path);
      });
    it('accepts the untouched ballot', () => expect(parseBallot(copy(good), election).hashHex).toMatch(/^[0-9a-f]{64}$/));
  });

  it('the ballot hash covers every field but the signature (the tracking code follows it)', () => {
    const h = parse(good).hashHex;
    const s = copy(good);
    s.signature = resign(election, alice, good).signature;
    expect(parse(s).hashHex).toBe(h);
    const edits: ((b: BallotJson) => void)[] = [
      (b) => (b.electionId = 'other'),
      (b) => (b.fingerprint = 'ab'.repeat(32)),
      (b) => (b.credential = mallory.publicKeyHex),
      (b) => (b.answers[2]!.choices[3]!.beta = b.answers[2]!.choices[2]!.beta),
      (b) => (b.answers[0]!.proofs[0]![1]!.a = b.answers[0]!.proofs[0]![0]!.a),
      (b) => (b.answers[0]!.proofs[0]![1]!.challenge = b.answers[0]!.proofs[0]![0]!.challenge),
      (b) => (b.answers[1]!.exactlyOne.commitment2 = b.answers[1]!.exactlyOne.commitment1),
    ];
    const hashes = edits.map((edit) => {
      const b = copy(good);
      edit(b);
      return parse(b).hashHex;
    });
    expect(new Set([h, ...hashes]).size).toBe(edits.length + 1);
    expect(fromHex(h)).toHaveLength(32);
  });
});

describe('ballots across the ristretto255 backends (noble and WebAssembly)', () => {
  it('a ballot encrypted with one backend checks with the other, with the same hash', () => {
    const { election: noble } = testElection(nobleGroup, testManifest({ M: 2, K: 3 }));
    const wasm = parseElection(electionToJson(noble), { group: ristretto255Wasm as Group<any> });
    expect(wasm.fingerprintHex).toBe(noble.fingerprintHex);
    const code = generateCredentialCode();
    const pairs: [Election<any>, Election<any>][] = [
      [noble, wasm],
      [wasm, noble],
    ];
    for (const [from, to] of pairs) {
      const cred = credentialFromCode(from.group, from.manifest.electionId, code);
      const ballot = encryptBallot(from, cred, [2, 0]).cast();
      const there = parseBallot(copy(ballotToJson(ballot)), to);
      expect(there.hashHex).toBe(ballot.hashHex);
      expect(check(to, there)).toEqual({ ok: true });
      // Parsed with one backend, checked with the other: a programming error, reported as such.
      expect(() => checkBallot(to, ballot)).toThrow(ProtocolError);
    }
  });
});

describe('parseBallot on the WebAssembly backend (all elements decoded in one call) agrees with noble', () => {
  const { election: noble } = testElection(nobleGroup, testManifest({ M: 3, K: 4 }));
  const wasm = parseElection(electionToJson(noble), { group: ristretto255Wasm as Group<any> });
  const cred = credentialFromCode(noble.group, noble.manifest.electionId, generateCredentialCode());
  const good = ballotToJson(encryptBallot(noble, cred, [0, 3, 1]).cast());
  const identity = '00'.repeat(32);
  const nonCanonical = 'ed' + 'ff'.repeat(30) + '7f';
  const otherPoint = good.answers[0]!.choices[0]!.beta;
  // Every string of the ballot, with a setter: where mutations land.
  const slots: [string, (b: any, v: unknown) => void][] = [];
  const walk = (o: any, path: string[]) => {
    for (const k of Object.keys(o)) {
      const p = [...path, k];
      if (typeof o[k] === 'object' && o[k] !== null) walk(o[k], p);
      else
        slots.push([
          p.join('.'),
          (b, v) => {
            let t = b;
            for (const s of p.slice(0, -1)) t = t[s];
            if (v === undefined) delete t[p.at(-1)!];
            else t[p.at(-1)!] = v;
          },
        ]);
    }
  };
  walk(good, []);
  const outcome = (json: unknown, e: Election<any>): string => {
    try {
      return `ok ${parseBallot(json, e).hashHex}`;
    } catch (err) {
      if (err instanceof FormatError) return `${err.path}: ${err.reason}`;
      throw err;
    }
  };
  it('same hash or the same error (path and reason) for any one or two mutated fields', () => {
    const values = fc.constantFrom<unknown>(
      identity,
      nonCanonical,
      otherPoint,
      otherPoint.toUpperCase(),
      otherPoint + '00',
      'zz',
      5,
      null,
      undefined,
      {},
      [],
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(slots.length - 1), values), { minLength: 0, maxLength: 2 }), (edits) => {
        const b = copy(good) as any;
        for (const [i, v] of edits) slots[i]![1](b, v);
        expect(outcome(copy(b), wasm)).toBe(outcome(copy(b), noble));
      }),
      { numRuns: 600 },
    );
  });
});

describe('ballotContexts: the same bytes as cellContext and candidateContext', () => {
  it('for any fingerprint, credential and indices (u32 range checked alike)', () => {
    const u32 = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(0xff, 0x100, 0xffff, 0x1_0000, 0xffff_ffff));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ maxLength: 40 }), u32, u32, (fp, X, j, g) => {
        const c = ballotContexts(fp, X);
        expect(toHex(c.cell(j, g))).toBe(toHex(cellContext(fp, X, j, g)));
        expect(toHex(c.candidate(j))).toBe(toHex(candidateContext(fp, X, j)));
      }),
      { numRuns: 300 },
    );
    const c = ballotContexts(new Uint8Array(3), new Uint8Array(2));
    for (const bad of [-1, 0x1_0000_0000, 1.5, NaN]) {
      expect(() => c.cell(bad, 0)).toThrow(RangeError);
      expect(() => c.cell(0, bad)).toThrow(RangeError);
      expect(() => c.candidate(bad)).toThrow(RangeError);
      expect(() => cellContext(new Uint8Array(3), new Uint8Array(2), bad, 0)).toThrow(RangeError);
    }
  });
});
