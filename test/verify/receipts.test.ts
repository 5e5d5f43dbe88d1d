/**
 * Check 10 (issue 22): receipts the ballot box signed, held against the published board.
 *
 * The scenario of the issue: the box acknowledges a ballot (a receipt signed with its key) and
 * the board it publishes does not hold it — here the box went back to a copy of its directory
 * taken before that ballot and ran the rest of the election from there, so the published record
 * is consistent and passes checks 1–9. Only the voter's receipt shows the drop: check 10 fails
 * naming it. The honest record, with the same receipts, passes check 10; receipts not signed by
 * this box (a bad signature, another box's key, another election) are reported and fail nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { castBallots, readBoxKey, readElectionDirectory, type ElectionDirectory } from '../../src/authority/election-directory.js';
import { finishElection, prepareElection } from '../../src/demo/simulate.js';
import { SeededRandom } from '../../src/demo/opinions.js';
import { credentialFromCode } from '../../src/election/credential.js';
import { castBallot, encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { trackingCode } from '../../src/ballot/hash.js';
import { fromHex } from '../../src/bytes.js';
import { ballotReceipt, type BallotReceiptJson } from '../../src/board/receipt.js';
import { generateBallotBoxKey, type BallotBoxKey } from '../../src/board/box-key.js';
import type { EntryReceipt } from '../../src/board/chain.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { verificationReportToJson, type VerificationReport } from '../../src/verify/report.js';
import {
  allFailures,
  copyRecord,
  failedChecks,
  flipHex,
  mjvote,
  readBoard,
  removeCopies,
  tempDir,
  writeBoardRechained,
} from './helpers.js';

const GOLDEN_V2 = fileURLToPath(new URL('../fixtures/golden-record-v2', import.meta.url));

afterAll(removeCopies);

/** The two records of the scenario, the receipts the box gave, and its key (the test plays the box's operator). */
interface Scenario {
  honest: string;
  dropped: string;
  /** Receipts of ballots 1, 2, 3: ballot 2 is the one the dropping box left out. */
  receipts: BallotReceiptJson[];
  key: BallotBoxKey;
  d: ElectionDirectory<unknown>;
  /** What the box answered for ballot 2 (its entry on the honest board). */
  entry2: EntryReceipt;
}

let S: Scenario;

/** Casts one voter's ballot through the authority's path; returns the receipt the box signs for it. */
async function cast(d: ElectionDirectory<unknown>, key: BallotBoxKey, code: string, grades: number[]) {
  const credential = credentialFromCode(d.group, d.manifest.electionId, code);
  const line = JSON.stringify(ballotToJson(castBallot(encryptBallot(d.election, credential, grades))));
  const [answer] = await castBallots(d, [line]);
  if (answer === undefined || !answer.accepted || 'audit' in answer) throw new Error(`not accepted: ${JSON.stringify(answer)}`);
  const receipt = ballotReceipt(key, d.election, answer.receipt, { hashHex: answer.ballotHash, trackingCode: answer.trackingCode });
  return { receipt, entry: answer.receipt };
}

beforeAll(async () => {
  const honest = join(tempDir(), 'honest');
  const prepared = prepareElection({ voters: 4, candidates: 2, grades: 3, trustees: 2, threshold: 2, out: honest, seed: 'receipts' });
  const d = readElectionDirectory(honest);
  const key = await readBoxKey(d);
  const codes = prepared.deliveries.map((x) => x.code);
  const r1 = await cast(d, key, codes[0]!, [0, 1]);
  // The copy the dropping box will go back to: the board before ballot 2.
  const dropped = join(tempDir(), 'dropped');
  cpSync(honest, dropped, { recursive: true });
  const r2 = await cast(d, key, codes[1]!, [1, 2]);
  const r3 = await cast(d, key, codes[2]!, [2, 0]);
  await finishElection(d, prepared.keys, new SeededRandom('receipts'));
  // The dropping box: from its copy, it accepts ballot 3 (and 4) and publishes that board.
  const dd = readElectionDirectory(dropped);
  await cast(dd, key, codes[2]!, [2, 0]);
  await cast(dd, key, codes[3]!, [0, 0]);
  await finishElection(dd, prepared.keys, new SeededRandom('receipts'));
  S = { honest, dropped, receipts: [r1.receipt, r2.receipt, r3.receipt], key, d, entry2: r2.entry };
});

const given = (receipts: readonly unknown[]) => receipts.map((json, i) => ({ json, source: `r${i + 1}.json` }));
const check10 = (r: VerificationReport) => r.checks[9]!;

/** Writes receipts to a file: one pretty-printed JSON, or JSON lines. */
function receiptFile(receipts: readonly unknown[], name: string): string {
  const path = join(tempDir(), name);
  writeFileSync(
    path,
    receipts.length === 1 ? JSON.stringify(receipts[0], null, 2) + '\n' : receipts.map((r) => JSON.stringify(r)).join('\n') + '\n',
  );
  return path;
}

describe('check 10: receipts against the board', () => {
  it('the honest record: every receipt is on the board as signed, all ten checks pass', async () => {
    const r = await verifyRecord(S.honest, { receipts: given(S.receipts) });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.checks.map((c) => c.status)).toEqual(Array(10).fill('pass'));
    expect(check10(r).counts).toEqual({ receipts: 3, signed: 3, onBoard: 3 });
    expect(r.receipts!.map((x) => [x.source, x.status, x.line, x.trackingCode])).toEqual(
      S.receipts.map((x, i) => [`r${i + 1}.json`, 'on-board', x.seq + 1, x.trackingCode]),
    );
    expect(r.receipts![0]!.advice).toMatch(/^nothing: /);
    // In the report's JSON as well.
    expect((verificationReportToJson(r) as { receipts: unknown[] }).receipts).toHaveLength(3);
  });

  it('without receipts check 10 is skipped and the record is ok; there is no receipts section', async () => {
    const r = await verifyRecord(S.honest);
    expect(r.ok, allFailures(r)).toBe(true);
    expect(check10(r)).toMatchObject({ number: 10, name: 'receipts', status: 'skipped', skipped: 'no receipt given' });
    expect(r.receipts).toBeUndefined();
  });

  it('the dropping box: checks 1–9 pass, check 10 fails naming the receipt of the dropped ballot', async () => {
    const plain = await verifyRecord(S.dropped);
    expect(plain.ok, allFailures(plain)).toBe(true); // the record alone cannot show the drop
    const r = await verifyRecord(S.dropped, { receipts: given(S.receipts.slice(0, 2)) });
    expect(r.ok).toBe(false);
    expect(failedChecks(r)).toEqual([10]);
    const line = S.receipts[1]!.seq + 1;
    expect(check10(r).failures).toEqual([
      {
        check: 10,
        file: 'board.jsonl',
        line,
        reason: expect.stringMatching(
          new RegExp(
            `^receipt r2\\.json \\(tracking code ${S.receipts[1]!.trackingCode}, entry ${line}\\): the ballot box acknowledged this ballot, but it is not on the board as acknowledged: line ${line} has the chain hash [0-9a-f]{64}, not the acknowledged ${S.receipts[1]!.entryHash}`,
          ),
        ),
      },
    ]);
    expect(r.receipts!.map((x) => x.status)).toEqual(['on-board', 'missing']);
    expect(r.receipts![1]!.advice).toMatch(/report it .* with this receipt/);
    expect(check10(r).counts).toEqual({ receipts: 2, signed: 2, onBoard: 1 });
    // Voter 3 voted on both boards, but the dropping box's entry is another one, on another chain:
    // the receipt of the acknowledged one is not honoured either.
    const all = await verifyRecord(S.dropped, { receipts: given(S.receipts) });
    expect(all.receipts!.map((x) => x.status)).toEqual(['on-board', 'missing', 'missing']);
    expect(check10(all).failures.map((f) => f.line)).toEqual([line, line + 1]);
  });

  it('mjvote verify --receipt: exit 1 and check 10 FAIL naming the receipt on the dropped board; exit 0 on the honest one', async () => {
    const one = receiptFile([S.receipts[1]], 'receipt-2.json');
    const bad = await mjvote(['verify', S.dropped, '--receipt', one]);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/\n {2}10 receipts +FAIL \(1\) +receipts 1, signed 1, onBoard 0\n/);
    expect(bad.stdout).toContain(`[10 receipts] board.jsonl, line ${S.receipts[1]!.seq + 1}: receipt ${one} (tracking code`);
    expect(bad.stdout).toMatch(
      new RegExp(`\\n  ${one.replace(/[.]/g, '\\.')}  MISSING \\(${S.receipts[1]!.trackingCode}, entry \\d+\\): `),
    );
    expect(bad.stdout).toMatch(/\nFAILED: check 10 did not pass \(1 failure; /);
    const many = receiptFile(S.receipts, 'receipts.jsonl');
    const ok = await mjvote(['verify', S.honest, '--receipt', many, '--receipt', one]);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/\n {2}10 receipts +pass +receipts 4, signed 4, onBoard 4\n/);
    expect(ok.stdout).toContain(`${many} line 2  ON BOARD (${S.receipts[1]!.trackingCode}, entry`);
    expect(ok.stdout).toMatch(/\nVERIFIED: all 10 checks pass \(/);
    const json = JSON.parse((await mjvote(['verify', S.dropped, '--receipt', many, '--json'])).stdout);
    expect(json.receipts.map((x: { source: string; status: string }) => [x.source, x.status])).toEqual([
      [`${many} line 1`, 'on-board'],
      [`${many} line 2`, 'missing'],
      [`${many} line 3`, 'missing'],
    ]);
    // Without --receipt, the table says why check 10 did not run, and the summary is the record's.
    const plain = await mjvote(['verify', S.honest]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/\n {2}10 receipts +skipped +\[no receipt given\]\n/);
    expect(plain.stdout).toMatch(/\nVERIFIED: all 9 checks pass \(/);
  });

  it('a receipt whose signature does not verify is not evidence: reported, and the record still passes', async () => {
    const forged = { ...S.receipts[1]!, signature: flipHex(S.receipts[1]!.signature, 10) };
    const r = await verifyRecord(S.dropped, { receipts: given([forged]) });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(check10(r)).toMatchObject({ status: 'pass', counts: { receipts: 1, signed: 0, onBoard: 0 } });
    expect(r.receipts).toEqual([
      expect.objectContaining({
        source: 'r1.json',
        status: 'not-signed-by-this-box',
        reason: "its signature does not verify under the ballot box's key: it was altered or forged",
      }),
    ]);
    // A signed member changed (the entry's hash), the signature kept: the same.
    const edited = { ...S.receipts[1]!, entryHash: flipHex(S.receipts[1]!.entryHash) };
    expect((await verifyRecord(S.dropped, { receipts: given([edited]) })).receipts![0]!.status).toBe('not-signed-by-this-box');
    const cli = await mjvote(['verify', S.dropped, '--receipt', receiptFile([forged], 'forged.json')]);
    expect(cli.code).toBe(1); // the receipt given is not evidence: the holder must look
    expect(cli.stdout).toMatch(/NOT SIGNED BY THIS BOX \(.*\): its signature does not verify/);
    expect(cli.stdout).not.toMatch(/FAILED/);
    expect(cli.stdout).toMatch(
      /\nVERIFIED: all 10 checks pass \([^\n]*\)\n1 of the 1 receipts given is not evidence about this board \(see receipts above\)\n$/,
    );
  });

  it("a receipt of another election, signed by that election's box, is not signed by this box", async () => {
    const other = generateBallotBoxKey();
    const hash = S.receipts[1]!.ballotHash;
    const foreign = ballotReceipt(
      other,
      { manifest: { electionId: 'another-election' }, fingerprintHex: 'ab'.repeat(32) },
      { seq: S.entry2.seq, hash: S.entry2.hash, time: S.entry2.time },
      { hashHex: hash, trackingCode: trackingCode(fromHex(hash)) },
    );
    const r = await verifyRecord(S.dropped, { receipts: given([foreign]) });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.receipts![0]).toMatchObject({
      status: 'not-signed-by-this-box',
      reason: `it names the key ${other.publicKeyHex}, not the ballot box's key ${S.key.publicKeyHex} that the board's setup entry publishes`,
    });
    // Signed with this box's key but naming another election (a key used twice): not evidence about this board.
    const reused = ballotReceipt(
      S.key,
      { manifest: { electionId: 'another-election' }, fingerprintHex: S.d.election.fingerprintHex },
      S.entry2,
      { hashHex: hash, trackingCode: trackingCode(fromHex(hash)) },
    );
    const r2 = await verifyRecord(S.dropped, { receipts: given([reused]) });
    expect(r2.ok, allFailures(r2)).toBe(true);
    expect(r2.receipts![0]).toMatchObject({ status: 'other-election', reason: expect.stringMatching(/"another-election", not of/) });
  });

  it('a malformed receipt is reported with the member at fault; a receipt file that is not JSON is a usage error', async () => {
    const { seq: _seq, ...noSeq } = S.receipts[0]!;
    const r = await verifyRecord(S.honest, { receipts: [{ json: noSeq }, { json: 'hello' }, { json: S.receipts[0] }] });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.receipts!.map((x) => [x.source, x.status, x.reason])).toEqual([
      ['receipts[0]', 'malformed', 'receipt.seq: missing field'],
      ['receipts[1]', 'malformed', 'receipt: expected an object, got string'],
      ['receipts[2]', 'on-board', expect.stringMatching(/^line \d+ holds the acknowledged ballot entry/)],
    ]);
    expect(check10(r).counts).toEqual({ receipts: 3, signed: 1, onBoard: 1 });
    // A receipt passed bare instead of as { json }: a programming error, thrown.
    await expect(verifyRecord(S.honest, { receipts: [S.receipts[0]] as never })).rejects.toThrow(
      /receipts\[0\]: expected \{ json, source\? \}/,
    );
    const notJson = join(tempDir(), 'receipt.txt');
    writeFileSync(notJson, '{"version": 1,\nnot json\n');
    const cli = await mjvote(['verify', S.honest, '--receipt', notJson]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/--receipt .*receipt\.txt: neither one JSON receipt nor JSON lines of receipts/);
    const empty = join(tempDir(), 'empty.json');
    writeFileSync(empty, '\n');
    expect((await mjvote(['verify', S.honest, '--receipt', empty])).stderr).toMatch(/no receipt in the file/);
  });

  it('receipts the box signed that misdescribe the board fail check 10: no such line, or another ballot hash', async () => {
    const hash = S.receipts[0]!.ballotHash;
    const beyond = ballotReceipt(
      S.key,
      S.d.election,
      { ...S.entry2, seq: 999 },
      { hashHex: hash, trackingCode: trackingCode(fromHex(hash)) },
    );
    const wrongBallot = ballotReceipt(S.key, S.d.election, S.entry2, { hashHex: hash, trackingCode: trackingCode(fromHex(hash)) });
    const r = await verifyRecord(S.honest, { receipts: given([beyond, wrongBallot]) });
    expect(failedChecks(r)).toEqual([10]);
    const reasons = check10(r).failures.map((f) => [f.line, f.reason.replace(/^.*not on the board as acknowledged: /, '')]);
    expect(reasons).toEqual([
      [undefined, expect.stringMatching(/^the board has \d+ lines: there is no line 1000$/)],
      [S.entry2.seq + 1, `the ballot of line ${S.entry2.seq + 1} has the hash ${S.receipts[1]!.ballotHash}, the receipt ${hash}`],
    ]);
  });

  it('a board whose setup publishes no receipt key (the golden records): check 10 skipped, the receipt not signed by this box', async () => {
    const r = await verifyRecord(GOLDEN_V2, { receipts: given([S.receipts[0]]) });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(check10(r)).toMatchObject({
      status: 'skipped',
      skipped: "the board's setup entry publishes no receipt key: this ballot box signed no receipts",
    });
    expect(r.receipts![0]).toMatchObject({ status: 'not-signed-by-this-box', reason: "the board's setup entry publishes no receipt key" });
  });

  it('a setup entry whose receiptKey is not a valid Ed25519 key fails check 1; receipts are then unchecked', async () => {
    for (const bad of ['00'.repeat(32), 'ff'.repeat(32), 'ab', 42]) {
      const dir = copyRecord(S.honest);
      const lines = readBoard(dir);
      lines[0]!.payload = { ...lines[0]!.payload, receiptKey: bad };
      writeBoardRechained(dir, lines);
      const r = await verifyRecord(dir, { receipts: given([S.receipts[0]]) });
      expect(r.ok).toBe(false);
      expect(failedChecks(r), allFailures(r)).toEqual([1]);
      expect(r.checks[0]!.failures).toEqual([expect.objectContaining({ file: 'board.jsonl', line: 1, path: 'payload.receiptKey' })]);
      expect(check10(r)).toMatchObject({ status: 'skipped', skipped: expect.stringMatching(/no usable receipt key/) });
      expect(r.receipts![0]!.status).toBe('unchecked');
    }
    // An unknown member beside it is still refused.
    const dir = copyRecord(S.honest);
    const lines = readBoard(dir);
    lines[0]!.payload = { ...lines[0]!.payload, receiptKeys: [] };
    writeBoardRechained(dir, lines);
    const r = await verifyRecord(dir);
    expect(r.checks[0]!.failures).toEqual([expect.objectContaining({ line: 1, path: 'payload.receiptKeys', reason: 'unknown field' })]);
  });

  it('the same report with worker threads and one by one', async () => {
    const a = await verifyRecord(S.dropped, { receipts: given(S.receipts) });
    const b = await verifyRecord(S.dropped, { receipts: given(S.receipts), workers: 2, chunkSize: 1, batch: false });
    expect(b.checks).toEqual(a.checks);
    expect(b.receipts).toEqual(a.receipts);
  });
});
