/**
 * The golden v1 record (test/fixtures/golden-record-v1, frozen): it must keep verifying with
 * every later version of mjvote, and the verifier must recompute the same result from it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { verificationReportToJson } from '../../src/verify/report.js';
import { verifyJsonOn } from '../helpers/cli.js';
import { allFailures, readJson } from './helpers.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));

describe('golden record v1', () => {
  it('verifies: every check passes', async () => {
    const r = await verifyRecord(GOLDEN);
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.electionId).toBe('mjvote-demo');
    expect(r.group).toBe('ristretto255');
    expect(r.counts).toMatchObject({
      entries: 22,
      ballots: 13,
      counted: 12,
      revotes: 1,
      audits: 2,
      registered: 12,
      candidates: 3,
      grades: 4,
      trustees: 3,
      threshold: 2,
      decryptionShares: 2,
    });
  });

  it('gives the same report on the noble backend (MJVOTE_BACKEND=noble, a fresh process) as here on WebAssembly', async () => {
    const wasm = await verifyRecord(GOLDEN);
    const noble = verifyJsonOn('noble', GOLDEN);
    expect(noble.status, noble.stderr).toBe(0);
    expect(noble.report.checks).toEqual(wasm.checks);
    expect(noble.report).toEqual(JSON.parse(JSON.stringify(verificationReportToJson({ ...wasm, ms: noble.report.ms }))));
  });

  it('recomputes the frozen merit profiles and the published ranking', async () => {
    const r = await verifyRecord(GOLDEN, { batch: false });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.result!.source).toBe('decryption');
    // Known answer, frozen with the record (see its README).
    expect(r.result!.meritProfiles.map((p) => [p.name, p.counts.map(Number)])).toEqual([
      ['Ada Lovelace', [1, 5, 2, 4]],
      ['Alan Turing', [0, 9, 1, 2]],
      ['Grace Hopper', [0, 4, 6, 2]],
    ]);
    const published = readJson(GOLDEN, 'result.json');
    expect(r.result!.ranking.ranking.map((c) => [c.rank, c.candidate, c.majorityGrade.label, c.mention])).toEqual(
      published.ranking.ranking.map((c: any) => [c.rank, c.candidate, c.majorityGrade, c.mention]),
    );
  });
});
