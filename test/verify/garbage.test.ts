/**
 * Garbage in a record: truncated files, wrong JSON types, huge numbers, missing files, random
 * bytes. `mjvote verify` must end with exit 2 (the record cannot be read at all) or 1 (a failed
 * check naming the file), never crash, hang or print a stack trace.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordUnreadableError } from '../../src/verify/report.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { copyRecord, mjvote, readBoard, readJson, removeCopies, writeBoardRechained, writeJson } from './helpers.js';

afterAll(removeCopies);

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));

/** A JSON array nested 20,000 levels deep (JSON.stringify overflows the stack on it). */
const DEEP = '['.repeat(20_000) + ']'.repeat(20_000);

interface Case {
  name: string;
  edit: (dir: string) => void;
  /** Exit code, and for exit 1 the check that must fail. */
  exit: 1 | 2;
  check?: number;
  /** A pattern the output must show (stderr for exit 2, the failures for exit 1). */
  says?: RegExp;
}

const write = (name: string, text: string) => (dir: string) => writeFileSync(join(dir, name), text);
const remove = (name: string) => (dir: string) => rmSync(join(dir, name));
const truncate =
  (name: string, keep = 0.5) =>
  (dir: string) =>
    truncateSync(join(dir, name), Math.floor(readFileSync(join(dir, name)).length * keep));
const patch = (name: string, f: (v: any) => void) => (dir: string) => {
  const v = readJson(dir, name);
  f(v);
  writeJson(dir, name, v);
};

const cases: Case[] = [
  // The record cannot be read at all: exit 2.
  { name: 'record.json missing', edit: remove('record.json'), exit: 2, says: /record\.json: missing/ },
  { name: 'record.json truncated', edit: truncate('record.json'), exit: 2, says: /record\.json: not valid JSON/ },
  { name: 'record.json an array', edit: write('record.json', '[]'), exit: 2, says: /record\.json: record: expected an object, got/ },
  {
    name: 'record.json with a number as election id',
    edit: patch('record.json', (v) => (v.electionId = 12)),
    exit: 2,
    says: /record\.electionId/,
  },
  {
    name: 'record.json naming a file outside the record',
    edit: patch('record.json', (v) => (v.files.board = '../board.jsonl')),
    exit: 2,
    says: /record\.files\.board: expected a plain file name/,
  },
  {
    name: 'record.json of version 3',
    edit: patch('record.json', (v) => (v.version = 3)),
    exit: 2,
    says: /record\.version: expected 1 or 2/,
  },
  { name: 'manifest missing', edit: remove('manifest.json'), exit: 2, says: /manifest\.json: missing/ },
  { name: 'manifest truncated', edit: truncate('manifest.json'), exit: 2, says: /manifest\.json: not valid JSON/ },
  {
    name: 'manifest with a string as n',
    edit: patch('manifest.json', (v) => (v.trustees.n = '3')),
    exit: 2,
    says: /manifest\.trustees\.n: expected an integer/,
  },
  {
    name: 'manifest with an unknown group',
    edit: patch('manifest.json', (v) => (v.group = 'p-256')),
    exit: 2,
    says: /manifest\.group: unknown group id/,
  },
  { name: 'manifest not UTF-8', edit: write('manifest.json', '\u00ff\u00fe{"'), exit: 2 },
  // Everything else is a failed check: exit 1.
  {
    name: 'record.json of version 2 over a version-1 manifest',
    edit: patch('record.json', (v) => (v.version = 2)),
    exit: 1,
    check: 1,
    says: /record\.json: a version-2 record with a version-1 manifest/,
  },
  { name: 'board missing', edit: remove('board.jsonl'), exit: 1, check: 5, says: /cannot read the board: missing/ },
  { name: 'board empty', edit: write('board.jsonl', ''), exit: 1, check: 5, says: /the board is empty/ },
  { name: 'board truncated inside a line', edit: truncate('board.jsonl', 0.6), exit: 1, check: 5, says: /no final newline/ },
  {
    name: 'board truncated to one line',
    edit: (dir) => writeFileSync(join(dir, 'board.jsonl'), readFileSync(join(dir, 'board.jsonl'), 'utf8').split('\n')[0] + '\n'),
    exit: 1,
    check: 5,
    says: /incomplete/,
  },
  { name: 'board line replaced by []', edit: (dir) => lineEdit(dir, 5, () => '[]'), exit: 1, check: 5, says: /expected a JSON object/ },
  { name: 'board line replaced by binary', edit: (dir) => lineEdit(dir, 5, () => '\u0000\u0001\u00ff'), exit: 1, check: 5 },
  { name: 'board with a huge seq', edit: (dir) => lineEdit(dir, 3, (l) => l.replace(/"seq":2,/, '"seq":1e308,')), exit: 1, check: 5 },
  {
    name: 'board with trailing garbage',
    edit: (dir) => appendFileSync(join(dir, 'board.jsonl'), '{"v":1,"seq":"x"}\n{{{\n'),
    exit: 1,
    check: 5,
  },
  {
    name: 'a ballot payload of the wrong type (re-chained)',
    edit: rechained((ls) => (ls[4]!.payload = { ballot: [1, 2, 3] as any })),
    exit: 1,
    check: 4,
    says: /malformed: .*expected an object/,
  },
  {
    name: 'a ballot with a huge version (re-chained)',
    edit: rechained((ls) => ((ls[4]!.payload.ballot as any).version = 1e300)),
    exit: 1,
    check: 4,
  },
  {
    name: 'the seal with huge counts (re-chained)',
    edit: rechained((ls) => Object.assign(ls.find((l) => l.kind === 'seal')!.payload, { ballots: 2 ** 53, counted: -1 })),
    exit: 1,
    check: 5,
    says: /the seal records 9007199254740992 ballots/,
  },
  {
    name: 'the setup entry without an election (re-chained)',
    edit: rechained((ls) => delete (ls[0]!.payload as any).election),
    exit: 1,
    check: 1,
  },
  { name: 'ceremony missing', edit: remove('ceremony.json'), exit: 1, check: 2, says: /ceremony\.json.*missing/ },
  { name: 'ceremony an array', edit: write('ceremony.json', '[]'), exit: 1, check: 2 },
  { name: 'ceremony with a huge n', edit: patch('ceremony.json', (v) => (v.n = 1e300)), exit: 1, check: 2 },
  { name: 'credentials truncated', edit: truncate('credentials.json'), exit: 1, check: 3 },
  { name: 'credentials with a number in the list', edit: patch('credentials.json', (v) => (v.credentials[0] = 7)), exit: 1, check: 3 },
  { name: 'tally missing', edit: remove('tally.json'), exit: 1, check: 6, says: /tally\.json.*missing/ },
  { name: 'tally a string', edit: write('tally.json', '"tally"'), exit: 1, check: 6 },
  { name: 'tally with a huge ballot count', edit: patch('tally.json', (v) => (v.ballots = 1e300)), exit: 1, check: 6 },
  { name: 'decryption shares missing', edit: remove('decryption-shares.json'), exit: 1, check: 7 },
  {
    name: 'decryption shares of the wrong shape',
    edit: patch('decryption-shares.json', (v) => (v.shares = [{}, 5, null])),
    exit: 1,
    check: 7,
  },
  { name: 'result missing', edit: remove('result.json'), exit: 1, check: 8 },
  {
    name: 'result with huge counts',
    edit: patch('result.json', (v) => (v.meritProfiles[0].counts[0] = '99999999999999999999999999999')),
    exit: 1,
    check: 8,
  },
  {
    name: 'result with a count of 10^400 digits',
    edit: patch('result.json', (v) => (v.meritProfiles[0].counts[0] = '9'.repeat(400))),
    exit: 1,
    check: 8,
  },
  { name: 'result with a negative ballot count', edit: patch('result.json', (v) => (v.ballots = -1)), exit: 1, check: 8 },
  { name: 'result null', edit: write('result.json', 'null'), exit: 1, check: 8 },
  {
    name: 'board.jsonl a directory',
    edit: (dir) => {
      rmSync(join(dir, 'board.jsonl'));
      mkdirSync(join(dir, 'board.jsonl'));
    },
    exit: 1,
    check: 5,
    says: /cannot read the board: is a directory/,
  },
  {
    name: 'the seal counts nested 20,000 levels deep',
    edit: (dir) => lineEdit(dir, kindLine(dir, 'seal'), (l) => l.replace(/"ballots":\d+/, `"ballots":${DEEP}`)),
    exit: 1,
    check: 5,
    // refused by the depth scan before JSON.parse builds anything
    says: /nested deeper than 65 levels \(at character \d+\): not a board line/,
  },
  { name: 'the manifest version nested 20,000 levels deep', edit: write('manifest.json', `{"version":${DEEP}}`), exit: 2 },
  {
    name: 'result.json and the board result entry nested 20,000 levels deep',
    edit: (dir) => {
      write('result.json', DEEP)(dir);
      lineEdit(dir, kindLine(dir, 'result'), (l) => l.replace(/"payload":.*\}$/, `"payload":{"result":${DEEP}}}`));
    },
    exit: 1,
    check: 8,
    says: /cannot read the file: nested deeper than 64 levels/,
  },
  {
    // 2 MB of nested arrays: the verifier's memory stays bounded (the text is never parsed)
    name: 'result.json a million arrays deep',
    edit: write('result.json', '['.repeat(1_000_000) + ']'.repeat(1_000_000)),
    exit: 1,
    check: 8,
    says: /cannot read the file: nested deeper than 64 levels \(at character 64\)/,
  },
  {
    name: 'ceremony n nested 20,000 levels deep',
    edit: (dir) =>
      writeFileSync(join(dir, 'ceremony.json'), readFileSync(join(dir, 'ceremony.json'), 'utf8').replace(/"n": \d+/, `"n": ${DEEP}`)),
    exit: 1,
    check: 2,
    says: /nested deeper than 64 levels/,
  },
  {
    name: 'every file but the index and the manifest missing',
    edit: (dir) =>
      ['board.jsonl', 'ceremony.json', 'credentials.json', 'tally.json', 'decryption-shares.json', 'result.json'].forEach((f) =>
        rmSync(join(dir, f)),
      ),
    exit: 1,
    check: 5,
  },
];

function lineEdit(dir: string, n: number, f: (line: string) => string): void {
  const p = join(dir, 'board.jsonl');
  const lines = readFileSync(p, 'utf8').split('\n');
  lines[n - 1] = f(lines[n - 1]!);
  writeFileSync(p, lines.join('\n'));
}

/** The 1-based line number of the first board line of a kind. */
function kindLine(dir: string, kind: string): number {
  return readBoard(dir).findIndex((l) => l.kind === kind) + 1;
}

function rechained(f: (lines: ReturnType<typeof readBoard>) => void): (dir: string) => void {
  return (dir) => {
    const lines = readBoard(dir);
    f(lines);
    writeBoardRechained(dir, lines);
  };
}

describe('garbage records through mjvote verify', () => {
  for (const c of cases)
    it(`${c.name}: exit ${c.exit}${c.check ? `, check ${c.check} fails` : ''}`, async () => {
      const dir = copyRecord(GOLDEN);
      c.edit(dir);
      const r = await mjvote(['verify', dir, '--json']);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(r.code, r.stderr).toBe(c.exit);
      if (c.exit === 2) {
        expect(r.stdout).toBe('');
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        if (c.says) expect(r.stderr).toMatch(c.says);
        return;
      }
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout);
      expect(report.ok).toBe(false);
      const check = report.checks[c.check! - 1];
      expect(check.status, JSON.stringify(report.checks.map((x: any) => [x.number, x.status, x.failures]))).toBe('fail');
      if (c.says) expect(check.failures.map((f: any) => `${f.file}: ${f.reason}`).join('\n')).toMatch(c.says);
    });
});

describe('random damage never crashes the verifier', () => {
  const files = [
    'board.jsonl',
    'ceremony.json',
    'credentials.json',
    'tally.json',
    'decryption-shares.json',
    'result.json',
    'record.json',
    'manifest.json',
  ];
  it('one byte overwritten anywhere in any file: a report or RecordUnreadableError; never ok for the board', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 255 }),
        async (file, where, byte) => {
          const dir = copyRecord(GOLDEN);
          const p = join(dir, file);
          const bytes = readFileSync(p);
          const at = Math.min(bytes.length - 1, Math.floor(where * bytes.length));
          const changed = bytes[at] !== byte;
          bytes[at] = byte;
          writeFileSync(p, bytes);
          try {
            const r = await verifyRecord(dir);
            if (file === 'board.jsonl' && changed) expect(r.ok).toBe(false);
          } catch (e) {
            expect(e).toBeInstanceOf(RecordUnreadableError);
            expect(['record.json', 'manifest.json']).toContain(file);
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
