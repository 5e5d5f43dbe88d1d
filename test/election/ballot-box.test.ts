import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BallotBox } from '../../src/board/ballot-box.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { openingToJson } from '../../src/ballot/opening.js';
import { generateCredential } from '../../src/election/credential.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { schnorrProofToJson } from '../../src/proofs/wire.js';
import { fromHex } from '../../src/bytes.js';
import { combineDecryptionShares } from '../../src/decrypt/combine.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
const ctx = new TextEncoder().encode('test tally');
import { smallElection } from './helpers.js';
import { canonicalJson } from '../../src/json/canonical.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mjvote-box-')), 'board.jsonl');

describe('ballot box', () => {
  const E = smallElection({ voters: 4, candidates: 2, grades: 3 });
  const other = smallElection({ voters: 1, candidates: 2, grades: 3, electionId: 'another-election' });
  const ballot = (v: number, grades: number[]) => ballotToJson(encryptBallot(E.election, E.creds[v]!, grades).cast());

  it('refuses every bad ballot with its reason, and a refused ballot changes nothing on disk', async () => {
    const path = tmp();
    const box = BallotBox.create(path, E.election, E.list, 'ab'.repeat(32));
    const good = ballot(0, [0, 1]);
    expect(box.cast(good)).toMatchObject({ accepted: true, revote: false });
    const refusals: [string, unknown][] = [];
    // malformed
    refusals.push(['malformed', { ...good, answers: good.answers.slice(1) }]);
    refusals.push(['malformed', 'not a ballot']);
    // duplicate
    refusals.push(['duplicate', good]);
    // replay of voter 0's ciphertexts under voter 1's credential (re-signed by voter 1)
    const replay = structuredClone(good);
    replay.credential = E.creds[1]!.publicKeyHex;
    const rb = parseBallot(replay, E.election);
    replay.signature = schnorrProofToJson(ristretto255, E.creds[1]!.signBallotHash(E.election.fingerprint, fromHex(rb.hashHex)));
    refusals.push(['replay', replay]);
    // unknown credential
    const outsider = generateCredential(ristretto255, E.manifest.electionId);
    refusals.push(['unknown-credential', ballotToJson(encryptBallot(E.election, outsider, [1, 1]).cast())]);
    // wrong election (a valid ballot of another election)
    refusals.push(['wrong-election', ballotToJson(encryptBallot(other.election, other.creds[0]!, [1, 1]).cast())]);
    // bad signature
    const badSig = ballot(2, [2, 2]);
    badSig.signature.response = E.election.group.scalarToHex(1n);
    refusals.push(['bad-signature', badSig]);
    // bad proof, re-signed by the voter
    const badProof = ballot(2, [2, 2]);
    badProof.answers[1]!.exactlyOne.response = E.election.group.scalarToHex(7n);
    const bp = parseBallot(badProof, E.election);
    badProof.signature = schnorrProofToJson(ristretto255, E.creds[2]!.signBallotHash(E.election.fingerprint, fromHex(bp.hashHex)));
    refusals.push(['bad-proof', badProof]);
    // audited
    const h = encryptBallot(E.election, E.creds[3]!, [0, 0]);
    const audited = ballotToJson(h.ballot);
    const hOpening = openingToJson(E.election, h.audit());
    box.publishAudit(audited, hOpening);
    refusals.push(['audited', audited]);
    // An audit is published once, and only of a ballot the box would have accepted.
    const auditBefore = readFileSync(path);
    expect(() => box.publishAudit(audited, hOpening)).toThrow(expect.objectContaining({ code: 'already-audited' }));
    const stranger = generateCredential(ristretto255, E.election.manifest.electionId);
    const hs = encryptBallot(E.election, stranger, [0, 1]);
    expect(() => box.publishAudit(ballotToJson(hs.ballot), openingToJson(E.election, hs.audit()))).toThrow(
      /the audited ballot fails its checks \(unknown-credential\)/,
    );
    expect(readFileSync(path).equals(auditBefore)).toBe(true);

    for (const [code, json] of refusals) {
      const before = readFileSync(path);
      const head = box.head;
      const r = box.cast(json);
      expect(r.accepted, code).toBe(false);
      if (!r.accepted) expect(r.code).toBe(code);
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(box.head).toBe(head);
    }
    // A revote replaces the voter's counted ballot.
    expect(box.cast(ballot(0, [2, 2]))).toMatchObject({ accepted: true, revote: true });
    box.seal();
    const sizeAtSeal = statSync(path).size;
    const late = box.cast(ballot(1, [0, 0]));
    expect(late).toMatchObject({ accepted: false, code: 'sealed' });
    expect(statSync(path).size).toBe(sizeAtSeal);
    const { tally } = await box.tally();
    expect(tally.ballots).toBe(1);
    // Threshold-decrypt (t = 1): only the revote [2, 2] is counted, the first ballot is not.
    const cts = tally.cells.flat();
    const shares = decryptionShares(ristretto255, E.keys.get(2)!, cts, ctx);
    const { plaintexts } = combineDecryptionShares(E.transcript.result, cts, [shares], ctx, tally.ballots);
    expect(plaintexts).toEqual([0n, 0n, 1n, 0n, 0n, 1n]);
    box.close();
  });

  it('reopens after a restart: state rebuilt, revotes and duplicates still recognised', () => {
    const path = tmp();
    const box = BallotBox.create(path, E.election, E.list, 'cd'.repeat(32));
    const b0 = ballot(0, [1, 1]);
    box.cast(b0);
    box.close();
    const { box: again, recovered } = BallotBox.open(path, E.election, E.list);
    expect(recovered).toBeNull();
    expect(again.voters).toBe(1);
    expect(again.cast(b0)).toMatchObject({ accepted: false, code: 'duplicate' });
    expect(again.cast(ballot(0, [0, 0]))).toMatchObject({ accepted: true, revote: true });
    again.close();
    expect(() => BallotBox.open(path, other.election, other.list)).toThrow();
  });

  it('a board rolled back to an earlier line, or rewritten, is refused when reopened with its checkpoint', () => {
    const path = tmp();
    const box = BallotBox.create(path, E.election, E.list, '9a'.repeat(32));
    const b0 = ballot(0, [1, 0]);
    box.cast(b0);
    const before = box.checkpoint();
    box.cast(ballot(1, [0, 1]));
    const after = box.checkpoint();
    expect(after).toEqual({ entries: 4, head: box.head });
    box.close();
    const full = readFileSync(path, 'utf8');
    // The checkpoints it passed through open; so does one with later entries appended after it.
    for (const expected of [before, after]) BallotBox.open(path, E.election, E.list, { expected }).box.close();
    // Cut back at a line boundary: a valid chain, which reopened silently and took b0's second copy.
    writeFileSync(path, full.split('\n').slice(0, 3).join('\n') + '\n');
    expect(() => BallotBox.open(path, E.election, E.list, { expected: after })).toThrow(
      /the board holds 3 entries, fewer than the 4 it was known to hold: it was rolled back/,
    );
    const { box: unchecked } = BallotBox.open(path, E.election, E.list); // without the checkpoint: nothing to tell
    unchecked.close();
    // Rewritten from there (another ballot as the 4th entry): refused too.
    const { box: forked } = BallotBox.open(path, E.election, E.list);
    forked.cast(ballot(2, [1, 1]));
    forked.close();
    expect(() => BallotBox.open(path, E.election, E.list, { expected: after })).toThrow(
      /entry 4 ends at head [0-9a-f]{64}, not at the known head .*: it was rewritten/,
    );
    expect(() => BallotBox.open(path, E.election, E.list, { expected: { entries: -1, head: 'x' } })).toThrow(RangeError);
  });

  it('refuses to open a board whose chain was edited', () => {
    const path = tmp();
    const box = BallotBox.create(path, E.election, E.list, 'ef'.repeat(32));
    box.cast(ballot(0, [1, 0]));
    box.cast(ballot(1, [0, 1]));
    box.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = lines[2]!.replace(/"alpha":"(..)/, (_m, x) => `"alpha":"${x === '00' ? '01' : '00'}`);
    writeFileSync(path, lines.join('\n'));
    expect(() => BallotBox.open(path, E.election, E.list)).toThrow(/line 4|line 3|chain|prev|hash/i);
  });

  it('a torn last line is discarded and reported on reopening', () => {
    const path = tmp();
    const box = BallotBox.create(path, E.election, E.list, '01'.repeat(32));
    box.cast(ballot(0, [1, 0]));
    box.close();
    appendFileSync(path, '{"v":1,"seq":3,"prev":"');
    const { box: again, recovered } = BallotBox.open(path, E.election, E.list);
    expect(recovered).not.toBeNull();
    expect(again.voters).toBe(1);
    again.close();
  });
});

describe('ballot box: group commit of prechecked ballots (castPrechecked)', () => {
  const E = smallElection({ voters: 4, candidates: 2, grades: 3 });
  const prechecked = (v: number, grades: number[]) => {
    const b = encryptBallot(E.election, E.creds[v]!, grades).cast();
    return {
      text: canonicalJson(ballotToJson(b)),
      hashHex: b.hashHex,
      credentialHex: b.credentialHex,
      replayKeyHex: E.election.group.toHex(b.answers[0]!.choices[0]!.alpha),
      trackingCode: b.trackingCode,
    };
  };

  it('applies the board checks in order, within the batch too, and appends the accepted ones with one write', () => {
    const path = tmp();
    const box = BallotBox.create(path, E.election, E.list, 'ab'.repeat(32));
    const a = prechecked(0, [0, 1]);
    const b = prechecked(1, [1, 1]);
    const b2 = prechecked(1, [2, 2]);
    const b3 = prechecked(1, [0, 0]);
    const replay = {
      ...a,
      credentialHex: E.creds[2]!.publicKeyHex,
      hashHex: 'cd'.repeat(32),
      trackingCode: 'XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
    };
    const before = statSync(path).size;
    const r = box.castPrechecked([a, b, a, replay, b2, b3], { maxBallotsPerCredential: 2 });
    expect(r.map((x) => (x.accepted ? (x.revote ? 'revote' : 'ok') : x.code))).toEqual([
      'ok',
      'ok',
      'duplicate',
      'replay',
      'revote',
      'revote-limit',
    ]);
    // The twin names its first copy's entry, so that a retry gets that entry's receipt.
    expect(r[2]).toMatchObject({ seq: 2 });
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.length).toBe(5);
    expect(statSync(path).size).toBeGreaterThan(before);
    // Tracking codes: the first ballot of voter 1 is superseded by its second, which counts.
    expect(box.track(b.trackingCode)).toMatchObject({ status: 'superseded', seq: 3, countedSeq: 4 });
    expect(box.track(b2.trackingCode)).toMatchObject({ status: 'counted', seq: 4 });
    expect(box.track(b3.trackingCode)).toEqual({ status: 'absent' });
    expect(box.boardRefusal(a)).toMatchObject({ code: 'duplicate', seq: 2 });
    expect(box.entryOffset(4)).toBe(lines.slice(0, 4).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0));
    // After the seal everything is refused as sealed; the indexes survive a reopen.
    box.seal();
    expect(box.castPrechecked([prechecked(3, [0, 0])]).map((x) => !x.accepted && x.code)).toEqual(['sealed']);
    box.close();
    const { box: again } = BallotBox.open(path, E.election, E.list);
    expect(again.track(b.trackingCode)).toMatchObject({ status: 'superseded', countedSeq: 4 });
    expect(again.entryOffset(4)).toBe(box.entryOffset(4));
    again.close();
  });
});
