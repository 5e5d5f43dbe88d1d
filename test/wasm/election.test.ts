/**
 * Whole elections across backends, both ways: an election whose ceremony, credentials, ballots,
 * tally and decryption all ran on the WebAssembly backend verifies with the record verifier
 * forced to noble, and one run on noble verifies with the verifier forced to WebAssembly; and
 * ballots made on noble pass the verifier's per-chunk check under the WebAssembly group
 * (batched and one by one) with the same failures and encrypted tally.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ristretto255With } from '../../src/group/ristretto255.js';
import { verifyJsonOn } from '../helpers/cli.js';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');
import type { Group } from '../../src/group/group.js';
import { prepareElection, finishElection } from '../../src/demo/simulate.js';
import { castBallots } from '../../src/authority/election-directory.js';
import { SeededRandom } from '../../src/demo/opinions.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson, type BallotJson } from '../../src/ballot/json.js';
import { electionToJson, parseElection } from '../../src/election/election.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { verifyBallotChunk, type BallotLine } from '../../src/verify/ballots.js';
import { encryptedTallyToJson } from '../../src/tally/aggregate.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mjvote-wasm-'));
  dirs.push(d);
  return join(d, 'record');
};
const GRADES = [
  [0, 1, 2],
  [2, 2, 0],
  [1, 0, 3],
  [3, 3, 1],
];

async function castAll<E>(group: Group<E> | undefined, out: string) {
  const setup = prepareElection(
    { voters: GRADES.length, candidates: 3, grades: 4, trustees: 3, threshold: 2, out, seed: 'wasm-interop' },
    group,
  );
  const ballots: BallotJson[] = GRADES.map((g, v) => ballotToJson(encryptBallot(setup.directory.election, setup.credential(v), g).cast()));
  const answers = await castBallots(
    setup.directory,
    ballots.map((b) => JSON.stringify(b)),
  );
  expect(answers.map((a) => a.accepted)).toEqual(GRADES.map(() => true));
  return { setup, ballots };
}

describe('elections across backends', () => {
  for (const [made, checkedWith] of [
    [W, 'noble'],
    [N, 'wasm'],
  ] as const) {
    it(`an election run on ${made === W ? 'WebAssembly' : 'noble'} verifies with the record verifier on ${checkedWith}`, async () => {
      const out = freshDir();
      const { setup } = await castAll(made as Group<unknown>, out);
      expect(setup.directory.group).toBe(made);
      const { decrypted } = await finishElection(setup.directory, setup.keys, new SeededRandom('close'));
      // Merit profiles: candidate j got grade GRADES[v][j] from voter v.
      const expected = [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => BigInt(GRADES.filter((g) => g[j] === k).length)));
      expect(decrypted).toEqual(expected);
      // The verifier on noble runs in a fresh process (MJVOTE_BACKEND=noble); on WebAssembly, here.
      const report = checkedWith === 'noble' ? verifyJsonOn('noble', out).report : await verifyRecord(out);
      // Every check of the record passes (check 10, on receipts, is skipped: none given).
      expect(report.checks.filter((c: { number: number; status: string }) => c.status !== 'pass' && c.number !== 10)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.counts.counted).toBe(GRADES.length);
    });
  }

  it('ballots made on noble verify under the WebAssembly group, batched and one by one, with the same tally', async () => {
    const { setup, ballots } = await castAll(N, freshDir());
    expect(setup.directory.group).toBe(N);
    const wasmElection = parseElection(electionToJson(setup.directory.election), { group: W });
    const lines: BallotLine[] = ballots.map((b, i) => ({
      line: i + 3,
      offset: 0,
      length: 0,
      hash: '',
      payload: { ballot: b },
      afterSeal: false,
    }));
    // A tampered copy of the first ballot (one ciphertext replaced) must fail under both backends.
    const tampered = structuredClone(ballots[0]!) as unknown as { answers: { choices: { alpha: string }[] }[] };
    tampered.answers[0]!.choices[0]!.alpha = ballots[1]!.answers[0]!.choices[0]!.alpha;
    const bad: BallotLine = { line: 99, offset: 0, length: 0, hash: '', payload: { ballot: tampered }, afterSeal: true };
    for (const batch of [true, false]) {
      const w = verifyBallotChunk({ election: wasmElection, credentials: null, batch, file: 'board' }, [...lines, bad]);
      const n = verifyBallotChunk({ election: setup.directory.election, credentials: null, batch, file: 'board' }, [...lines, bad]);
      expect(new Set(w.failures.map((f) => f.line))).toEqual(new Set([99]));
      expect(w.failures).toEqual(n.failures);
      const wt = encryptedTallyToJson(W, w.tally.result());
      expect(wt).toEqual(encryptedTallyToJson(N, n.tally.result()));
      expect(JSON.stringify(wt)).toMatch(/[0-9a-f]{64}/);
    }
  });
});
