/**
 * The board scan recognises valid canonical ballot lines without parsing them. It must report
 * exactly what parsing every line reports, and yield lines whose text gives the same payload:
 * compared here on the golden board with one ballot line edited in every way that keeps it
 * JSON (envelope fields, time, version, whitespace, spellings, key order, payload shape, BOM).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanBoard } from '../../src/verify/board-scan.js';
import { directoryRecordStore } from '../../src/record/directory-store.js';
import { Findings } from '../../src/verify/report.js';
import { ELECTION_LIFECYCLE } from '../../src/board/ballot-box.js';
import { copyRecord, readBoard, readJson, removeCopies, writeBoardRechained } from './helpers.js';

const GOLDEN = 'test/fixtures/golden-record-v1';
afterAll(removeCopies);

async function scan(dir: string, recogniseBallots: boolean) {
  const findings = new Findings();
  const lines: unknown[] = [];
  for await (const l of scanBoard({
    store: directoryRecordStore(dir),
    file: 'board.jsonl',
    indexFile: 'record.json',
    electionId: 'mjvote-demo',
    lifecycle: ELECTION_LIFECYCLE,
    expectedHead: readJson(dir, 'record.json').boardHead,
    findings,
    recogniseBallots,
  })) {
    // a recognised line's payload is its text's
    const payload = l.payload === undefined ? (JSON.parse(l.text!) as { payload: unknown }).payload : l.payload;
    lines.push({ ...l, payload });
  }
  return { lines, findings: findings.checks() };
}

const EDITS: ((l: string) => string)[] = [
  (l) => l,
  (l) => l.replace(/"seq":(\d+)/, (_m, n: string) => `"seq":${Number(n) + 1}`),
  (l) => l.replace(/"seq":(\d+)/, '"seq":0$1'),
  (l) => l.replace(/"prev":"(.)/, (_m, c: string) => `"prev":"${c === 'a' ? 'b' : 'a'}`),
  (l) => l.replace(/"time":"\d{4}-\d\d-\d\d/, '"time":"2026-02-30'),
  (l) => l.replace(/"time":"(.{19})\.\d{3}Z/, '"time":"$1Z'),
  (l) => l.replace(/"time":"(.{20})/, '"time":"$1 '),
  (l) => l.replace('"kind":"ballot"', '"kind":"audit"'),
  (l) => l.replace('"kind":"ballot"', '"kind":"ballots"'),
  (l) => l.replace('{"v":1', '{"v":2'),
  (l) => l.replace('{"v":1,', '{"v":1, '),
  (l) => l.replace('"payload":{', '"payload": {'),
  (l) => l.replace('"payload":{', '"payload":{"a":1,'),
  (l) => l.replace('"payload":{', '"payload":{"zz":1,'),
  (l) => l.replace('"payload":{"ballot":', '"payload":{"ballot":1,"ballot":'),
  (l) => l.replace(/"payload":\{(.*)\}$/, '"payload":[{$1}]}'),
  (l) => l.replace(/"payload":\{(.*)\}$/, '"payload":{$1,"z":1}}'),
  (l) => l.replace(/\}$/, ',"extra":1}'),
  (l) => l.replace(/"challenge":"(.)/, '"challenge":"\\u003$1'),
  (l) => l.replace(/"version":(\d+)/, '"version":$1.0'),
  (l) => l.replace(/"version":(\d+)/, '"version":-0'),
  (l) => `\ufeff${l}`,
  (l) => `${l} `,
  (l) => l.replace('"alpha"', '"\\u0061lpha"'),
];

describe('board scan: recognising ballot lines changes nothing', () => {
  it('the golden board, and one ballot line edited in each of many ways: the same findings and lines', async () => {
    const board = readFileSync(join(GOLDEN, 'board.jsonl'), 'utf8').split('\n');
    const ballotLines = board
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l.includes('"kind":"ballot"'))
      .map(([, i]) => i);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ballotLines), fc.nat({ max: EDITS.length - 1 }), async (i, e) => {
        const dir = copyRecord(GOLDEN);
        const lines = [...board];
        lines[i] = EDITS[e]!(lines[i]!);
        writeFileSync(join(dir, 'board.jsonl'), lines.join('\n'));
        const fast = await scan(dir, true);
        const reference = await scan(dir, false);
        expect(fast).toEqual(reference);
        if (e === 0) expect(fast.findings.filter((c) => c.failures.length > 0)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('re-chained boards with ballots out of the lifecycle (after the seal, before the credentials): the same findings', async () => {
    const golden = readBoard(GOLDEN);
    const firstBallot = golden.findIndex((l) => l.kind === 'ballot');
    const seal = golden.findIndex((l) => l.kind === 'seal');
    const variants = [
      // a copy of a ballot right after the seal
      [...golden.slice(0, seal + 1), golden[firstBallot]!, ...golden.slice(seal + 1)],
      // the first ballot moved before the credentials entry
      [golden[0]!, golden[firstBallot]!, ...golden.slice(1, firstBallot), ...golden.slice(firstBallot + 1)],
    ];
    for (const lines of variants) {
      const dir = copyRecord(GOLDEN);
      writeBoardRechained(dir, lines);
      const fast = await scan(dir, true);
      expect(fast).toEqual(await scan(dir, false));
      expect(fast.findings.find((c) => c.number === 5)!.failures.some((f) => f.path === 'kind')).toBe(true);
    }
  });
});
