import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { verifyJsonOn } from '../helpers/cli.js';
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

  it("workers take the process's backend (MJVOTE_BACKEND=noble in a fresh process) and give the same report", async () => {
    const here = await verifyRecord(GOLDEN, { workers: 1 });
    for (const workers of ['1', '2']) {
      const r = verifyJsonOn('noble', GOLDEN, '--workers', workers);
      expect(r.status, r.stderr).toBe(0);
      expect(r.report.checks).toEqual(here.checks);
    }
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

  it('a malformed ballot of a credential that votes again: the same counting on workers as on one thread', async () => {
    const dir = copyRecord(GOLDEN);
    const lines = readBoard(dir);
    const cred = (l: (typeof lines)[number]) => (l.payload as any).ballot.credential as string;
    const ballots = lines.filter((l) => l.kind === 'ballot');
    // a ballot whose credential casts another ballot later (a revote), made malformed
    const first = ballots.find((l, i) => ballots.slice(i + 1).some((m) => cred(m) === cred(l)));
    expect(first).toBeDefined();
    (first!.payload as any).ballot.answers = 'not answers';
    writeBoardRechained(dir, lines);
    const golden = await verifyRecord(GOLDEN, { workers: 1 });
    for (const chunkSize of [1, 2, 64]) {
      const one = await verifyRecord(dir, { workers: 1, chunkSize });
      // the malformed ballot still belongs to its credential: the later one is a revote
      expect([one.counts.revotes, one.counts.counted]).toEqual([golden.counts.revotes, golden.counts.counted]);
      const two = await verifyRecord(dir, { workers: 2, chunkSize });
      expect(one.checks.find((x) => x.number === 4)!.failures.some((f) => /malformed/.test(f.reason))).toBe(true);
      expect(strip(two)).toEqual(strip(one));
    }
  });

  it('raw edits of ballot lines (payload not an object, a duplicate key, not JSON): the same failures on workers as on one thread', async () => {
    const dir = copyRecord(GOLDEN);
    const path = join(dir, 'board.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    const ballots = lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l.includes('"kind":"ballot"'))
      .map(([, i]) => i);
    expect(ballots.length).toBeGreaterThanOrEqual(4);
    const [a, b, c, d] = ballots as [number, number, number, number];
    lines[a] = lines[a]!.replace(/"payload":\{.*\}\}$/, '"payload":5}');
    // A second "ballot" member: JSON.parse keeps the last one (the line is also not canonical).
    lines[b] = lines[b]!.replace(/\}\}$/, `,"ballot":${JSON.stringify(JSON.parse(lines[c]!).payload.ballot)}}}`);
    lines[d] = lines[d]!.slice(0, 100);
    writeFileSync(path, lines.join('\n'));
    const one = await verifyRecord(dir, { workers: 1, chunkSize: 2 });
    const two = await verifyRecord(dir, { workers: 2, chunkSize: 2 });
    expect(one.ok).toBe(false);
    expect(one.checks.find((x) => x.number === 4)!.failures.length).toBeGreaterThan(0);
    expect(strip(two)).toEqual(strip(one));
  });

  it('the built package runs its worker threads from both the ESM and the CommonJS entries', () => {
    if (!existsSync('dist/node.js')) {
      // CI builds before testing: a missing build there is a failure, not a skip.
      expect(process.env.CI, 'dist/ is missing: run npm run build').toBeFalsy();
      return;
    }
    const script = join(mkdtempSync(join(tmpdir(), 'mjvote-esm-')), 'check.mjs');
    writeFileSync(
      script,
      `const m = await import(${JSON.stringify(pathToFileURL(`${process.cwd()}/dist/node.js`).href)});\nconst r = await m.verifyRecord(${JSON.stringify(GOLDEN)}, { workers: 2 });\nconsole.log(r.ok);\n`,
    );
    const esm = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(esm.stderr).toBe('');
    expect(esm.stdout.trim()).toBe('true');
    const cjs = spawnSync(
      process.execPath,
      ['-e', `require('./dist/node.cjs').verifyRecord(${JSON.stringify(GOLDEN)}, { workers: 2 }).then((r) => console.log(r.ok))`],
      { encoding: 'utf8' },
    );
    expect(cjs.stderr).toBe('');
    expect(cjs.stdout.trim()).toBe('true');
  });
});
