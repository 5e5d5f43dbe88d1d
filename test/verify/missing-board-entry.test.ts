/**
 * The board is the source of truth: `tally.json` and `result.json` are checked against the
 * board's `tally` and `result` entries, and a file whose entry is missing from the board fails
 * its check (6 or 8), in addition to check 5's "incomplete board". The boards below are cut and
 * re-chained as a forger would (record.json's boardHead updated), so only the missing entry is
 * wrong.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { type VerificationReport } from '../../src/verify/report.js';
import { allFailures, copyRecord, failedChecks, lineOf, readBoard, removeCopies, writeBoardRechained } from './helpers.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));
afterAll(removeCopies);

/** A copy of the golden record whose board stops just before its first entry of `kind`. */
function cutBefore(kind: string): string {
  const dir = copyRecord(GOLDEN);
  const lines = readBoard(dir);
  writeBoardRechained(dir, lines.slice(0, lineOf(lines, kind)));
  return dir;
}

const reasons = (r: VerificationReport, check: number): string[] => r.checks[check - 1]!.failures.map((f) => `${f.file}: ${f.reason}`);

describe('a record file without its board entry', () => {
  it('result.json without a result entry fails check 8 (and check 5), not only check 5', async () => {
    const r = await verifyRecord(cutBefore('result'));
    expect(r.ok).toBe(false);
    expect(failedChecks(r), allFailures(r)).toEqual([5, 8]);
    expect(reasons(r, 5).join('\n')).toMatch(/the board is incomplete/);
    expect(reasons(r, 8)).toEqual([
      expect.stringMatching(/^result\.json: has no board entry to be compared with: the board has no result entry/),
    ]);
  });

  it('tally.json without a tally entry fails check 6 (and 5); the shares and the result have no entries either', async () => {
    const r = await verifyRecord(cutBefore('tally'));
    expect(r.ok).toBe(false);
    expect(failedChecks(r), allFailures(r)).toEqual([5, 6, 7, 8]);
    expect(reasons(r, 6)).toEqual([
      expect.stringMatching(/^tally\.json: has no board entry to be compared with: the board has no tally entry/),
    ]);
    // Check 7 already compares the file's messages with the board's (none here).
    expect(reasons(r, 7).join('\n')).toMatch(/decryption-shares\.json: differs from the board's decryption-share entries/);
    expect(reasons(r, 8).join('\n')).toMatch(/result\.json: has no board entry to be compared with/);
  });

  it('up to the tally, a board without its result entry is fine: checks 7 and 8 are skipped on request', async () => {
    const r = await verifyRecord(cutBefore('result'), { upTo: 'tally' });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.checks.map((c) => c.status)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
      'pass',
      'skipped',
      'skipped',
      'pass',
      'skipped',
    ]);
  });

  it('up to the tally, a board without its tally entry fails check 6 as well as check 5', async () => {
    const r = await verifyRecord(cutBefore('tally'), { upTo: 'tally' });
    expect(r.ok).toBe(false);
    expect(failedChecks(r).filter((n) => n !== 7 && n !== 8)).toEqual([5, 6]);
    expect(reasons(r, 6)).toEqual([expect.stringMatching(/^tally\.json: has no board entry to be compared with/)]);
  });
});
