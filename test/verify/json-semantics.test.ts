/**
 * The JSON rules of a record's files (docs/record.md §1.1), on copies of the golden record:
 * numbers are judged by the value read, not their spelling; unbounded integers stop at 2^53 − 1;
 * a leading byte order mark is ignored; every object has exactly its listed members.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { RecordUnreadableError } from '../../src/record/reader.js';
import { allFailures, copyRecord, failedChecks, removeCopies } from './helpers.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));
afterAll(removeCopies);

/** A copy of the golden record with `from` replaced by `to` in `file` (once). */
function edited(file: string, from: RegExp | string, to: string): string {
  const dir = copyRecord(GOLDEN);
  const text = readFileSync(join(dir, file), 'utf8');
  const out = text.replace(from, to);
  expect(out, `${file}: ${String(from)}`).not.toBe(text);
  writeFileSync(join(dir, file), out);
  return dir;
}

describe('the JSON of record files', () => {
  it('an integer may be spelled 1.0, 1e0 or 10e-1: the value counts (hashes are over canonical JSON)', async () => {
    for (const [file, from, to] of [
      ['record.json', /"version": ?1/, '"version": 1.0'],
      ['manifest.json', /"n": ?3/, '"n": 3e0'],
      ['ceremony.json', /"t": ?2/, '"t": 20e-1'],
      ['credentials.json', /"version": ?1/, '"version": 1.0'],
      ['tally.json', /"ballots": ?12/, '"ballots": 12.0'],
      ['result.json', /"rank": ?1\b/, '"rank": 1.0'],
    ] as const) {
      const r = await verifyRecord(edited(file, from, to));
      expect(r.ok, `${file}: ${allFailures(r)}`).toBe(true);
    }
  });

  it('an unbounded integer beyond 2^53 − 1 is refused (9007199254740993 reads as 2^53)', async () => {
    const r = await verifyRecord(edited('result.json', /"ballots": ?12/, '"ballots": 9007199254740993'));
    expect(failedChecks(r)).toEqual([8]);
    expect(allFailures(r)).toMatch(/result\.ballots expected a non-negative integer/);
  });

  it('a leading byte order mark is ignored', async () => {
    const r = await verifyRecord(edited('result.json', /^/, '\ufeff'));
    expect(r.ok, allFailures(r)).toBe(true);
  });

  it('an extra member is refused: record.json unreadable, other files a failed check', async () => {
    await expect(verifyRecord(edited('record.json', '{', '{"note": "x", '))).rejects.toBeInstanceOf(RecordUnreadableError);
    const r = await verifyRecord(edited('decryption-shares.json', '{', '{"note": "x", '));
    expect(failedChecks(r)).toEqual([7]);
    expect(allFailures(r)).toMatch(/decryptionShares\.note unknown field/);
  });
});
