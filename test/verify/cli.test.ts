/**
 * `mjvote verify`: in-process through `main()` with captured output, and the built binary
 * (`node dist/cli/main.js verify`), which must exist in CI (`npm run build` runs before `npm test`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { copyRecord, mjvote, readBoard, removeCopies, writeBoardRechained, type Run } from './helpers.js';

afterAll(removeCopies);

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A record whose 5th line (a ballot) has a signature that no longer verifies, re-chained. */
function badSignatureRecord(): { dir: string; line: number } {
  const dir = copyRecord(GOLDEN);
  const lines = readBoard(dir);
  const i = lines.findIndex((l, k) => k > 3 && l.kind === 'ballot');
  const sig = (lines[i]!.payload.ballot as any).signature;
  sig.commitment = (lines[i - 1]!.payload.ballot as any)?.signature?.commitment ?? sig.commitment.replace(/^../, '00');
  writeBoardRechained(dir, lines, { fixSealCounts: true });
  return { dir, line: i + 1 };
}

function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

describe('mjvote verify', () => {
  it('prints every check, the recomputed result and VERIFIED; exit 0', async () => {
    const r = await mjvote(['verify', GOLDEN]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toBe('');
    for (const name of ['parameters', 'ceremony', 'credentials', 'ballots', 'board', 'tally', 'decryption', 'result', 'audits'])
      expect(r.stdout).toMatch(new RegExp(`\\n  \\d ${name} +pass `));
    expect(r.stdout).toMatch(/ballots +pass +ballots 13, valid 13/);
    expect(r.stdout).toContain('result recomputed from the threshold decryption of the tally');
    expect(r.stdout).toMatch(/rank +candidate +majority grade/);
    expect(r.stdout).toMatch(/Alan Turing +0 9 1 2/);
    expect(r.stdout).toMatch(/\nVERIFIED: all 9 checks pass \(13 ballot entries, 12 counted, 2 audits; batched proofs; [\d.]+ s\)\n$/);
  });

  it('--json prints the full report; --no-batch and --workers give the same checks', async () => {
    const a = await mjvote(['verify', GOLDEN, '--json']);
    expect(a.code).toBe(0);
    const report = JSON.parse(a.stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: any) => [c.number, c.status])).toEqual([
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [n, 'pass']),
      [10, 'skipped'],
    ]);
    expect(report.checks[9].skipped).toBe('no receipt given');
    expect(report.result.meritProfiles[0]).toEqual({ candidate: 'c1', name: 'Ada Lovelace', counts: ['1', '5', '2', '4'] });
    expect(report.result.ranking.rule).toBe('majority-judgment');
    const b = JSON.parse((await mjvote(['verify', '--no-batch', '--workers', '2', '--json', GOLDEN])).stdout);
    expect(b.batch).toBe(false);
    expect(b.checks).toEqual(report.checks);
  });

  it('lists each failure with its check, file, line and path; exit 1', async () => {
    const { dir, line } = badSignatureRecord();
    const r = await mjvote(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/ballots +FAIL \(1\)/);
    expect(r.stdout).toContain(`  [4 ballots] board.jsonl, line ${line}, payload.ballot.signature: bad-signature: `);
    expect(r.stdout).toMatch(/\nFAILED: check 4 did not pass \(1 failure; /);
    const j = JSON.parse((await mjvote(['verify', dir, '--json'])).stdout);
    expect(j.ok).toBe(false);
    expect(j.checks[3].failures).toEqual([
      { check: 4, file: 'board.jsonl', line, path: 'payload.ballot.signature', reason: expect.stringMatching(/^bad-signature/) },
    ]);
  });

  it('--up-to tally verifies a record in the making (no record.json, no decryption yet); --board-head pins the board', async () => {
    const dir = copyRecord(GOLDEN);
    rmSync(join(dir, 'record.json'));
    const r = await mjvote(['verify', dir, '--up-to', 'tally']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^ {2}7 decryption +skipped +\[the record is verified up to its tally/m);
    expect(r.stdout).toMatch(/VERIFIED up to the tally: checks 1, 2, 3, 4, 5, 6, 9 pass; 7 and 8 skipped, not yet decrypted/);
    // Without --up-to, the same directory is not a published record.
    expect((await mjvote(['verify', dir])).code).toBe(2);
    const head = JSON.parse(readFileSync(join(GOLDEN, 'record.json'), 'utf8')).boardHead as string;
    expect((await mjvote(['verify', dir, '--up-to', 'tally', '--board-head', head])).code).toBe(0);
    const wrong = await mjvote(['verify', dir, '--up-to', 'tally', '--board-head', 'ab'.repeat(32)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/\[5 board\] board\.jsonl: the board ends at head [0-9a-f]{64}, not at the expected head abab/);
    expect(wrong.stdout).toMatch(/FAILED: check 5 did not pass; 7, 8 skipped \(1 failure;/);
    expectOneLineError(await mjvote(['verify', dir, '--up-to', 'seal']), /--up-to: expected tally or result, got 'seal'/);
    expectOneLineError(await mjvote(['verify', dir, '--board-head', 'AB']), /--board-head: expected 64 lowercase hex digits/);
  });

  it('usage errors and unreadable records: exit 2, one line on stderr', async () => {
    expectOneLineError(await mjvote(['verify']), /^mjvote verify: missing the record directory DIR/);
    expectOneLineError(await mjvote(['verify', 'a', 'b']), /unexpected argument "b"/);
    expectOneLineError(await mjvote(['verify', GOLDEN, '--workers', '0']), /--workers: expected an integer/);
    expectOneLineError(await mjvote(['verify', GOLDEN, '--batch']), /unknown option '--batch'/);
    expectOneLineError(await mjvote(['verify', join(GOLDEN, 'nope')]), /^mjvote verify: the record cannot be read: .*nope: missing/);
    expectOneLineError(await mjvote(['verify', join(GOLDEN, 'manifest.json')]), /not a directory/);
  });

  it('--help, and mjvote --help lists the command', async () => {
    const h = await mjvote(['verify', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/^Usage: mjvote verify DIR \[--json\] \[--no-batch\] \[--workers N\]/);
    expect((await mjvote(['--help'])).stdout).toMatch(/\n {2}verify +verify an election record/);
  });
});

const haveDist = existsSync(DIST);
const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';

describe('the built binary (dist/cli/main.js verify)', () => {
  it.skipIf(!haveDist && !inCi)('verifies, fails and refuses with exit codes 0, 1 and 2', () => {
    expect(haveDist, 'dist/cli/main.js is missing: run npm run build before npm test').toBe(true);
    const ok = spawnSync(process.execPath, [DIST, 'verify', GOLDEN], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('VERIFIED: all 9 checks pass');
    expect(ok.stderr).toBe(''); // not a terminal: no progress bar
    const { dir, line } = badSignatureRecord();
    const bad = spawnSync(process.execPath, [DIST, 'verify', dir, '--json'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout).checks[3].failures[0].line).toBe(line);
    writeFileSync(join(dir, 'record.json'), readFileSync(join(dir, 'record.json'), 'utf8').slice(0, 20));
    const unreadable = spawnSync(process.execPath, [DIST, 'verify', dir], { encoding: 'utf8' });
    expect(unreadable.status).toBe(2);
    expect(unreadable.stdout).toBe('');
    expect(unreadable.stderr).toMatch(/^mjvote verify: the record cannot be read: record\.json: not valid JSON.*\n$/);
  });
});
