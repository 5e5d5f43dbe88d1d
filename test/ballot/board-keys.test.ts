/**
 * boardBallotKeys: the indexes a reopening ballot box takes from a board's ballot JSON without
 * decoding any element equal those of the full parse, and anything unexpected falls back to it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { generateCredential } from '../../src/election/credential.js';
import { castBallot, encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { ballotReplayKey, boardBallotKeys } from '../../src/ballot/hash.js';
import { copy, testElection, testManifest } from './fixtures.js';

const g = ristretto255;
const { election } = testElection(g, testManifest({ M: 3, K: 4 }));
const ballots = Array.from({ length: 4 }, (_, k) =>
  ballotToJson(castBallot(encryptBallot(election, generateCredential(g, election.manifest.electionId), [k % 4, (k + 1) % 4, 0]))),
);

describe('boardBallotKeys', () => {
  it('gives the hash, credential and replay key of the full parse', () => {
    for (const json of ballots) {
      const b = parseBallot(copy(json), election);
      expect(boardBallotKeys(g, copy(json), election.fingerprint)).toEqual({
        hashHex: b.hashHex,
        credentialHex: b.credentialHex,
        replayKeyHex: ballotReplayKey(b),
      });
    }
  });

  it('any changed hex digit changes the hash; a shape it does not expect gives null', () => {
    const json = ballots[0]!;
    const base = boardBallotKeys(g, json, election.fingerprint)!;
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.nat({ max: 3 }), fc.nat({ max: 63 }), (j, k, at) => {
        const m = copy(json);
        const v: string = m.answers[j]!.choices[k]!.beta;
        m.answers[j]!.choices[k]!.beta = v.slice(0, at) + (v[at] === '0' ? '1' : '0') + v.slice(at + 1);
        expect(boardBallotKeys(g, m, election.fingerprint)!.hashHex).not.toBe(base.hashHex);
      }),
      { numRuns: 30 },
    );
    const short = copy(json);
    short.answers[1]!.choices.pop();
    expect(boardBallotKeys(g, short, election.fingerprint)).toBeNull();
    const upper = copy(json);
    upper.answers[0]!.choices[0]!.alpha = upper.answers[0]!.choices[0]!.alpha.toUpperCase();
    expect(boardBallotKeys(g, upper, election.fingerprint)).toBeNull();
    expect(boardBallotKeys(g, null, election.fingerprint)).toBeNull();
    expect(boardBallotKeys(g, { ...copy(json), answers: [] }, election.fingerprint)).toBeNull();
  });
});
