/**
 * Verifying a record in the making, up to its tally (`upTo: 'tally'`): what a trustee runs
 * before decrypting and auditors before the trustees do; and a board head published elsewhere
 * (`expectedHead`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyRecord, verifyRecordState } from '../../src/verify/verify-record.js';
import { RecordUnreadableError } from '../../src/record/reader.js';
import { copyRecord, removeCopies } from './helpers.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));
afterAll(removeCopies);

const statuses = (r: { checks: readonly { number: number; status: string }[] }) => r.checks.map((c) => `${c.number}:${c.status}`).join(' ');

describe('verifyRecord up to the tally', () => {
  it('a published record verifies up to its tally: checks 7 and 8 skipped on request, the rest pass', async () => {
    const r = await verifyRecord(GOLDEN, { upTo: 'tally' });
    expect(r.ok).toBe(true);
    expect(statuses(r)).toBe('1:pass 2:pass 3:pass 4:pass 5:pass 6:pass 7:skipped 8:skipped 9:pass 10:skipped');
    expect(r.checks[6]!.skipped).toMatch(/up to its tally/);
    expect(r.result).toBeUndefined();
  });

  it('a record without record.json, its board cut after the tally: verifies up to the tally, not as a published record', async () => {
    const dir = copyRecord(GOLDEN);
    rmSync(join(dir, 'record.json'));
    for (const f of ['decryption-shares.json', 'result.json']) rmSync(join(dir, f));
    const lines = readFileSync(join(dir, 'board.jsonl'), 'utf8').trimEnd().split('\n');
    const tallyAt = lines.findIndex((l) => JSON.parse(l).kind === 'tally');
    writeFileSync(join(dir, 'board.jsonl'), lines.slice(0, tallyAt + 1).join('\n') + '\n');
    const v = await verifyRecordState(dir, { upTo: 'tally' });
    expect(v.report.ok, JSON.stringify(v.report.checks.filter((c) => c.status === 'fail'))).toBe(true);
    expect(v.record.index).toBeNull();
    expect(v.tally?.ballots).toBe(v.report.counts.counted);
    expect(v.election?.manifest.electionId).toBe('mjvote-demo');
    expect(v.boardHead).toMatch(/^[0-9a-f]{64}$/);
    // The same record is not a published one: record.json is required, and the board must be complete.
    await expect(verifyRecord(dir)).rejects.toBeInstanceOf(RecordUnreadableError);
    // Cut before the tally: check 5 fails (not tallied yet), check 6 cannot find the tally.
    writeFileSync(join(dir, 'board.jsonl'), lines.slice(0, tallyAt).join('\n') + '\n');
    const early = await verifyRecord(dir, { upTo: 'tally' });
    expect(early.ok).toBe(false);
    expect(early.checks[4]!.failures.map((f) => f.reason)).toContain('the board has no tally entry: the election is not tallied yet');
  });

  it('expectedHead: a board that ends at another head fails check 5; the right head passes', async () => {
    const v = await verifyRecordState(GOLDEN, { upTo: 'tally' });
    const right = await verifyRecord(GOLDEN, { expectedHead: v.boardHead! });
    expect(right.ok).toBe(true);
    const wrong = await verifyRecord(GOLDEN, { expectedHead: 'ab'.repeat(32) });
    expect(wrong.ok).toBe(false);
    expect(wrong.checks[4]!.failures[0]!.reason).toMatch(/^the board ends at head [0-9a-f]{64}, not at the expected head abab/);
    await expect(verifyRecord(GOLDEN, { expectedHead: 'AB'.repeat(32) })).rejects.toThrow(RangeError);
    await expect(verifyRecord(GOLDEN, { upTo: 'seal' as never })).rejects.toThrow(RangeError);
  });
});
