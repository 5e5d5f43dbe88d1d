import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ristretto255 as g } from '../../src/group/ristretto255.js';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { generateCredential } from '../../src/election/credential.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { auditBallot, castBallot, encryptBallot } from '../../src/ballot/encrypt.js';
import { checkBallot } from '../../src/ballot/check.js';
import { checkOpening, openingToJson, parseOpening } from '../../src/ballot/opening.js';
import { copy, testElection, testManifest, thrown } from './fixtures.js';

const { election } = testElection(g, testManifest({ M: 3, K: 4 }));
const alice = generateCredential(g, election.manifest.electionId);

const thrownCode = (f: () => unknown): string => thrown(f, ProtocolError).code;

describe('Benaloh audit', () => {
  it('an opening reveals the grades and checks against the ballot, through JSON', () => {
    const handle = encryptBallot(election, alice, [2, 0, 3]);
    expect(handle.state).toBe('undecided');
    const opening = auditBallot(handle);
    expect(handle.state).toBe('audited');
    expect(opening.grades).toEqual([2, 0, 3]);
    expect(opening.ballotHash).toBe(handle.ballot.hashHex);
    const ballot = parseBallot(JSON.parse(JSON.stringify(ballotToJson(handle.ballot))), election);
    const json = JSON.parse(JSON.stringify(openingToJson(election, opening)));
    expect(Object.keys(json)).toEqual(['version', 'ballotHash', 'grades', 'randomness']);
    const parsed = parseOpening(json, election);
    expect(checkOpening(election, ballot, parsed)).toEqual({ ok: true, grades: [2, 0, 3] });
    expect(handle.audit()).toEqual(opening); // auditing again gives the same opening
    // The audited ballot itself is well formed: an auditor checks its proofs too.
    expect(checkBallot(election, ballot)).toEqual({ ok: true });
  });

  it('an opening that lies about the grades, the randomness or the ballot fails, naming the cell', () => {
    const handle = encryptBallot(election, alice, [1, 1, 1]);
    const json = openingToJson(election, handle.audit());
    const ballot = handle.ballot;
    const lie = copy(json);
    lie.grades[1] = 2;
    const r1 = checkOpening(election, ballot, parseOpening(lie, election));
    expect(r1.ok).toBe(false);
    expect(!r1.ok && r1.path).toBe('opening.randomness[1][1]');
    const badR = copy(json);
    badR.randomness[2]![3] = badR.randomness[2]![0]!;
    const r2 = checkOpening(election, ballot, parseOpening(badR, election));
    expect(!r2.ok && r2.path).toBe('opening.randomness[2][3]');
    const other = encryptBallot(election, alice, [1, 1, 1]).ballot;
    const r3 = checkOpening(election, other, parseOpening(json, election));
    expect(!r3.ok && r3.path).toBe('opening.ballotHash');
    // Same grades, another ballot's hash pasted in: the ciphertexts do not match the randomness.
    const pasted = { ...copy(json), ballotHash: other.hashHex };
    const r4 = checkOpening(election, other, parseOpening(pasted, election));
    expect(!r4.ok && r4.path).toBe('opening.randomness[0][0]');
  });

  it('an audited ballot is never cast: the handle refuses, and the box refuses its hash', () => {
    const handle = encryptBallot(election, alice, [0, 1, 2]);
    const opening = handle.audit();
    expect(thrownCode(() => handle.cast())).toBe('audited');
    expect(thrownCode(() => castBallot(handle))).toBe('audited');
    expect(handle.state).toBe('audited');
    // The mechanism on the box side: published openings' hashes are refused.
    const audited = new Set([opening.ballotHash]);
    const resubmitted = parseBallot(ballotToJson(handle.ballot), election);
    const c = checkBallot(election, resubmitted, { audited });
    expect(c).toEqual({ ok: false, code: 'audited', path: 'ballot', reason: expect.stringContaining('Benaloh') });
    expect(checkBallot(election, resubmitted, { audited, batch: true })).toEqual(c);
  });

  it('a cast ballot can no longer be opened, and its secrets are dropped', () => {
    const handle = encryptBallot(election, alice, [3, 3, 3]);
    const ballot = handle.cast();
    expect(handle.state).toBe('cast');
    expect(ballot).toBe(handle.ballot);
    expect(thrownCode(() => handle.audit())).toBe('already-cast');
    expect(handle.cast()).toBe(ballot); // casting is idempotent
  });

  it('the handle never shows its randomness or grades in JSON or console output', () => {
    const handle = encryptBallot(election, alice, [2, 0, 3]);
    const shownBefore = [JSON.stringify(handle), inspect(handle, { depth: 5 }), inspect({ handle }, { depth: 5 })].join('\n');
    expect(JSON.parse(JSON.stringify(handle))).toEqual({
      trackingCode: handle.trackingCode,
      ballotHash: handle.ballot.hashHex,
      state: 'undecided',
    });
    const opening = openingToJson(election, handle.audit());
    const shownAfter = [JSON.stringify(handle), inspect(handle, { depth: 5 })].join('\n');
    for (const r of opening.randomness.flat()) {
      expect(shownBefore).not.toContain(r);
      expect(shownAfter).not.toContain(r);
    }
    expect(shownBefore).not.toMatch(/grades/);
  });

  it('parseOpening validates every field', () => {
    const json = openingToJson(election, encryptBallot(election, alice, [0, 0, 0]).audit());
    const path = (edit: (o: any) => void) => {
      const o = copy(json);
      edit(o);
      return thrown(() => parseOpening(o, election), FormatError).path;
    };
    expect(parseOpening(copy(json), election).grades).toEqual([0, 0, 0]);
    expect(path((o) => (o.grades[2] = 4))).toBe('opening.grades[2]');
    expect(path((o) => (o.grades[2] = '1'))).toBe('opening.grades[2]');
    expect(path((o) => o.grades.pop())).toBe('opening.grades');
    expect(path((o) => o.randomness[1].pop())).toBe('opening.randomness[1]');
    expect(path((o) => (o.randomness[1][1] = 'ff'.repeat(32)))).toBe('opening.randomness[1][1]');
    expect(path((o) => (o.ballotHash = 'ab'))).toBe('opening.ballotHash');
    expect(path((o) => (o.version = 0))).toBe('opening.version');
    expect(path((o) => (o.voter = 'x'))).toBe('opening.voter');
  });
});
