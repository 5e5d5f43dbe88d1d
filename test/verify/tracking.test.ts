/**
 * Voters check their ballot: tracking codes looked up on a record's board (verifyRecord's
 * trackingCodes, mjvote verify --tracking-code): counted, superseded, audited or absent.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseElection } from '../../src/election/election.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { parseTrackingCode, trackingCode } from '../../src/ballot/hash.js';
import { fromHex } from '../../src/bytes.js';
import { FormatError } from '../../src/errors.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { mjvote, readBoard, tempDir } from './helpers.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));

/** The golden record's codes, by what they should be found as (computed here from the board). */
function goldenCodes(): { counted: string[]; superseded: string[]; audited: string[] } {
  const lines = readBoard(GOLDEN);
  const election = parseElection(lines.find((l) => l.kind === 'setup')!.payload.election);
  const ballots = lines.filter((l) => l.kind === 'ballot').map((l) => parseBallot(l.payload.ballot, election));
  const last = new Map(ballots.map((b) => [b.credentialHex, b]));
  const audited = lines
    .filter((l) => l.kind === 'audit')
    .map((l) => trackingCode(fromHex((l.payload.opening as { ballotHash: string }).ballotHash)));
  return {
    counted: [...last.values()].map((b) => b.trackingCode),
    superseded: ballots.filter((b) => last.get(b.credentialHex) !== b).map((b) => b.trackingCode),
    audited,
  };
}

describe('tracking codes', () => {
  const codes = goldenCodes();

  it('parseTrackingCode: case, spaces, dashes and look-alikes do not matter; anything else is refused', () => {
    const c = codes.counted[0]!;
    expect(parseTrackingCode(c.toLowerCase().replace('-', ' '))).toBe(c);
    const canonical = '00000-11111-22222-33333-44444-55555';
    expect(parseTrackingCode('000001111122222333334444455555')).toBe(canonical);
    expect(parseTrackingCode('ooooo-iiiii-22222-33333-44444-55555')).toBe(canonical);
    expect(parseTrackingCode('OOOOO LLLLL 22222 33333 44444 55555')).toBe(canonical);
    expect(() => parseTrackingCode('00000-11111')).toThrow(/expected 30 symbols \(six groups of five\), got 10/); // the first version's length
    expect(() => parseTrackingCode('00000-11111-22222-33333-44444-5555U')).toThrow(/"U" is not a symbol/);
    expect(() => parseTrackingCode(42)).toThrow(FormatError);
  });

  it('verifyRecord reports each code counted, superseded, audited or absent, with advice, in the order given', async () => {
    expect(codes.superseded).toHaveLength(1);
    expect(codes.audited).toHaveLength(2);
    const asked = [codes.counted[3]!.toLowerCase(), codes.superseded[0]!, codes.audited[1]!, 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ'];
    const r = await verifyRecord(GOLDEN, { trackingCodes: asked });
    expect(r.ok).toBe(true); // the record itself is fine
    expect(r.trackingCodes!.map((t) => [t.code, t.status])).toEqual([
      [codes.counted[3], 'counted'],
      [codes.superseded[0], 'superseded'],
      [codes.audited[1], 'audited'],
      ['ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ', 'absent'],
    ]);
    expect(r.trackingCodes!.every((t) => t.status === 'absent' || t.line! > 2)).toBe(true);
    expect(r.trackingCodes![3]!.advice).toMatch(/report it to the election authority/);
    // All the counted codes, also with worker threads.
    const all = await verifyRecord(GOLDEN, { trackingCodes: codes.counted, workers: 2, chunkSize: 2 });
    expect(all.trackingCodes!.map((t) => t.status)).toEqual(codes.counted.map(() => 'counted'));
    await expect(verifyRecord(GOLDEN, { trackingCodes: ['nope'] })).rejects.toThrow(FormatError);
  });

  it('mjvote verify --tracking-code and --tracking-codes: exit 1 when one is absent, 0 when all are on the board', async () => {
    const ok = await mjvote(['verify', GOLDEN, '--tracking-code', codes.counted[0]!, '--tracking-code', codes.superseded[0]!]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      new RegExp(`${codes.counted[0]}  COUNTED +\\(board line \\d+\\): nothing: this ballot is on the board and counted`),
    );
    expect(ok.stdout).toMatch(/SUPERSEDED .*only your last ballot counts/);
    const file = join(tempDir(), 'codes.txt');
    writeFileSync(file, `# my codes\n${codes.audited[0]}\n\nZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ\n`);
    const missing = await mjvote(['verify', GOLDEN, '--tracking-codes', file]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/AUDITED/);
    expect(missing.stdout).toMatch(/ZZZZZ-ZZZZZ {2}ABSENT +: report it to the election authority/);
    const bad = await mjvote(['verify', GOLDEN, '--tracking-code', 'ABC']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/tracking code "ABC": expected 30 symbols/);
  });
});
