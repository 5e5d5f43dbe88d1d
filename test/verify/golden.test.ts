/**
 * The golden records (test/fixtures/golden-record-v1 and -v2, frozen): each must keep verifying
 * with every later version of mjvote, and the verifier must recompute the same result from it.
 * Version 1 verifies with a note that its trustees are not authenticated; version 2 names them.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { UNAUTHENTICATED_TRUSTEES_NOTE, verificationReportToJson } from '../../src/verify/report.js';
import { verifyJsonOn } from '../helpers/cli.js';
import { allFailures, mjvote, readJson } from './helpers.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));
const GOLDEN_V2 = fileURLToPath(new URL('../fixtures/golden-record-v2', import.meta.url));

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
    // Nothing in a version-1 record names its trustees: the report says so, without failing.
    expect(r.recordVersion).toBe(1);
    expect(r.trustees).toBeUndefined();
    expect(r.notes).toEqual([UNAUTHENTICATED_TRUSTEES_NOTE]);
  });

  it('mjvote verify prints the note that its trustees are not authenticated', async () => {
    const r = await mjvote(['verify', GOLDEN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\nnote:     ${UNAUTHENTICATED_TRUSTEES_NOTE}\n`);
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

describe('golden record v2', () => {
  const fingerprints = [
    'B3HD-D9RM-R1YC-9RJ0-TYRG-PADY-9BC3-1F5J',
    '0YCV-F0TS-TX8Y-Z5ZN-0J3H-Y92H-7JA9-7ZT4',
    'ZNM5-4P3R-XD49-TZS3-46ZM-5XHJ-66XH-E1QB',
  ];

  it('verifies: every check passes, and the report names the trustees by their identity fingerprints', async () => {
    const r = await verifyRecord(GOLDEN_V2);
    expect(r.ok, allFailures(r)).toBe(true);
    expect([r.electionId, r.group, r.recordVersion]).toEqual(['mjvote-demo', 'ristretto255', 2]);
    expect(r.counts).toMatchObject({
      entries: 20,
      ballots: 12,
      counted: 8,
      revotes: 4,
      audits: 1,
      registered: 8,
      candidates: 3,
      grades: 3,
      trustees: 3,
      threshold: 2,
      decryptionShares: 2,
    });
    expect(r.checks[0]!.counts).toMatchObject({ identities: 3 });
    expect(r.trustees!.map((t) => [t.trustee, t.fingerprint])).toEqual(fingerprints.map((f, i) => [i + 1, f]));
    expect(r.trustees!.map((t) => t.publicKey)).toEqual(readJson(GOLDEN_V2, 'manifest.json').trustees.identities);
    expect(r.notes).toEqual([]);
  });

  it('recomputes the frozen merit profiles and the published ranking', async () => {
    const r = await verifyRecord(GOLDEN_V2, { batch: false });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.result!.source).toBe('decryption');
    // Known answer, frozen with the record (see its README).
    expect(r.result!.meritProfiles.map((p) => [p.name, p.counts.map(Number)])).toEqual([
      ['Ada Lovelace', [5, 3, 0]],
      ['Alan Turing', [4, 4, 0]],
      ['Grace Hopper', [0, 3, 5]],
    ]);
    const published = readJson(GOLDEN_V2, 'result.json');
    expect(r.result!.ranking.ranking.map((c) => [c.rank, c.candidate, c.majorityGrade.label, c.mention])).toEqual(
      published.ranking.ranking.map((c: any) => [c.rank, c.candidate, c.majorityGrade, c.mention]),
    );
  });

  it("mjvote verify lists the trustees' fingerprints, prints no note, and ends VERIFIED", async () => {
    const r = await mjvote(['verify', GOLDEN_V2]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(
      `\ntrustees: 1 ${fingerprints[0]}  (identity fingerprints, as the manifest lists them)\n          2 ${fingerprints[1]}\n`,
    );
    expect(r.stdout).not.toContain('note:');
    expect(r.stdout).toMatch(/\nVERIFIED: all 9 checks pass \(12 ballot entries, 8 counted, 1 audits; batched proofs; [\d.]+ s\)\n$/);
  });
});
