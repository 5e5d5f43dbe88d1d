import { afterAll, describe, expect, it } from 'vitest';
import { verifyRecord } from '../../src/verify/verify-record.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { copyRecord, flipHex, readBoard, removeCopies, writeBoardRechained } from './helpers.js';

const GOLDEN = 'test/fixtures/golden-record-v1';
// Everything but the wall time must be identical whatever the threads.
const strip = (r: VerificationReport) => ({ ...r, ms: 0 });

afterAll(removeCopies);

describe('verification with worker threads', () => {
  it('the golden record: same report with 2 workers as on one thread (tiny chunks, so revotes cross chunks)', async () => {
    const one = await verifyRecord(GOLDEN, { workers: 1, chunkSize: 2 });
    const two = await verifyRecord(GOLDEN, { workers: 2, chunkSize: 2 });
    expect(one.ok).toBe(true);
    expect(strip(two)).toEqual(strip(one));
  });

  it('workers run on the backend asked for (noble here) with the same report', async () => {
    const one = await verifyRecord(GOLDEN, { workers: 1, chunkSize: 4, backend: 'noble' });
    const two = await verifyRecord(GOLDEN, { workers: 2, chunkSize: 4, backend: 'noble' });
    expect(two.ok).toBe(true);
    expect(strip(two)).toEqual(strip(one));
  });

  it('a tampered record: the workers name the same failures', async () => {
    const dir = copyRecord(GOLDEN);
    const lines = readBoard(dir);
    const i = lines.findIndex((l) => l.kind === 'ballot');
    const b = (lines[i]!.payload as any).ballot;
    b.answers[1].proofs[2][0].response = flipHex(b.answers[1].proofs[2][0].response, 3);
    writeBoardRechained(dir, lines);
    const one = await verifyRecord(dir, { workers: 1, chunkSize: 3 });
    const two = await verifyRecord(dir, { workers: 2, chunkSize: 3 });
    expect(one.ok).toBe(false);
    expect(strip(two)).toEqual(strip(one));
  });
});
