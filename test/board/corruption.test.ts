/**
 * Damaged and forged board files: every kind of damage but a torn last line makes both the
 * writer (openLog) and the reader (readEntries) fail loudly, naming the line, and leaves the
 * file untouched; a torn last line is discarded and reported.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openLog } from '../../src/board/log.js';
import { readEntries, verifyBoard } from '../../src/board/reader.js';
import { BoardCorruptError } from '../../src/board/errors.js';
import { ELECTION, forgeBoard, makeBoard, readLines, rejected, tempDir, thrown, writeLines } from './helpers.js';
import * as path from 'node:path';
import type { JsonObject } from '../../src/json/canonical.js';

/** Both the writer and the reader refuse the file with the same error; the file is unchanged. */
async function expectCorrupt(file: string, line: number, field: string | null, reason?: RegExp): Promise<BoardCorruptError> {
  const before = fs.readFileSync(file);
  const e = thrown(() => openLog(file, { electionId: ELECTION }));
  expect(e).toBeInstanceOf(BoardCorruptError);
  const err = e as BoardCorruptError;
  expect({ line: err.line, field: err.field }).toEqual({ line, field });
  if (reason) expect(err.reason).toMatch(reason);
  expect(err.message).toContain(`line ${line}`);
  expect(fs.readFileSync(file)).toEqual(before);
  expect(fs.existsSync(`${file}.lock`)).toBe(false);
  const r = await rejected(verifyBoard(file, { electionId: ELECTION, allowTornTail: true }));
  expect(r).toBeInstanceOf(BoardCorruptError);
  expect((r as BoardCorruptError).message).toBe(err.message);
  return err;
}

function edit(file: string, f: (lines: string[]) => string[]): void {
  writeLines(file, f(readLines(file)));
}

describe('a damaged board is refused, naming the line', () => {
  it('an edited line (still valid JSON): the next line no longer chains to it', async () => {
    const file = makeBoard(5);
    edit(file, (l) => l.map((s, i) => (i === 3 ? s.replace('"answer":1', '"answer":2') : s)));
    const e = await expectCorrupt(file, 5, 'prev', /line 4 was altered/);
    expect(e.offset).toBeGreaterThan(0);
  });

  it('an edited line in a non-canonical spelling: refused at that line', async () => {
    const file = makeBoard(5);
    edit(file, (l) => l.map((s, i) => (i === 3 ? s.replace('"answer":1', '"answer": 1') : s)));
    await expectCorrupt(file, 4, null, /canonical/);
    edit(file, (l) => l.map((s, i) => (i === 3 ? s.replace('"answer": 1', '"answer":1.0') : s)));
    await expectCorrupt(file, 4, null, /canonical/);
    edit(file, (l) => l.map((s, i) => (i === 3 ? s.replace('"answer":1.0', '"answer":1,"answer":1') : s)));
    await expectCorrupt(file, 4, null, /canonical/);
    edit(file, (l) => l.map((s, i) => (i === 3 ? s.replace('"answer":1,"answer":1', '"answer":1') + '\r' : s)));
    await expectCorrupt(file, 4, null, /canonical/); // CRLF line ending
    edit(file, (l) => l.map((s, i) => (i === 3 ? s.replace('"credential"', '"\\u0063redential"').replace('\r', '') : s)));
    await expectCorrupt(file, 4, null, /canonical/);
  });

  it('a deleted middle line: the seq no longer follows', async () => {
    const file = makeBoard(5);
    edit(file, (l) => l.filter((_, i) => i !== 3));
    await expectCorrupt(file, 4, 'seq', /expected 3, found 4/);
  });

  it('reordered lines', async () => {
    const file = makeBoard(5);
    edit(file, (l) => [l[0]!, l[1]!, l[3]!, l[2]!, ...l.slice(4)]);
    await expectCorrupt(file, 3, 'seq', /expected 2, found 3/);
  });

  it('a duplicated line', async () => {
    const file = makeBoard(3);
    edit(file, (l) => [...l, l[l.length - 1]!]);
    await expectCorrupt(file, 6, 'seq', /expected 5, found 4/);
  });

  it('an appended line with the right seq but a wrong prev', async () => {
    const file = makeBoard(3);
    edit(file, (l) => {
      const last = JSON.parse(l[l.length - 1]!);
      const forged = { ...last, seq: last.seq + 1, prev: 'ab'.repeat(32) };
      return [...l, JSON.stringify(forged)];
    });
    await expectCorrupt(file, 6, 'prev', /line 5/);
  });

  it('an unknown version, a missing or extra field, a malformed field', async () => {
    const file = makeBoard(2);
    const orig = readLines(file);
    const at2 = (f: (s: string) => string) =>
      writeLines(
        file,
        orig.map((s, i) => (i === 2 ? f(s) : s)),
      );
    at2((s) => s.replace('{"v":1,', '{"v":2,'));
    await expectCorrupt(file, 3, 'v', /unknown version 2/);
    at2((s) => s.replace('{"v":1,', '{'));
    await expectCorrupt(file, 3, 'v', /missing/);
    at2((s) => s.replace('"kind":"ballot",', ''));
    await expectCorrupt(file, 3, 'kind', /missing/);
    at2((s) => s.replace('"kind":', '"note":"x","kind":'));
    await expectCorrupt(file, 3, 'note', /unexpected field/);
    at2((s) => s.replace(/"time":"[^"]*"/, '"time":"2024-13-01T00:00:00.000Z"'));
    await expectCorrupt(file, 3, 'time');
    at2((s) => s.replace('"seq":2', '"seq":"2"'));
    await expectCorrupt(file, 3, 'seq');
    at2((s) => s.replace(/"prev":"[0-9a-f]{64}"/, (m) => m.toUpperCase().replace('"PREV"', '"prev"')));
    await expectCorrupt(file, 3, 'prev', /lowercase hex/);
    at2((s) => s.replace(/"payload":.*\}$/, '"payload":[1]}'));
    await expectCorrupt(file, 3, 'payload');
    at2((s) => s.replace('"payload":{', '"payload":{"deep":"\\ud800",'));
    await expectCorrupt(file, 3, 'payload.deep', /lone/);
    at2(() => '[1,2]');
    await expectCorrupt(file, 3, null, /JSON object/);
    writeLines(file, ['\uFEFF' + orig[0]!, ...orig.slice(1)]);
    await expectCorrupt(file, 1, null, /not valid JSON/); // a byte-order mark
  });

  it('an unparsable or non-UTF-8 line that is not the last one', async () => {
    const file = makeBoard(3);
    const orig = fs.readFileSync(file);
    const lines = readLines(file);
    const cut = Buffer.byteLength(lines.slice(0, 2).join('\n') + '\n');
    fs.writeFileSync(file, Buffer.concat([orig.subarray(0, cut), Buffer.from([0xff, 0xfe, 0x0a]), orig.subarray(cut)]));
    await expectCorrupt(file, 3, null, /not valid UTF-8, and it is not the last line/);
    fs.writeFileSync(file, Buffer.concat([orig.subarray(0, cut), Buffer.from('\n'), orig.subarray(cut)]));
    await expectCorrupt(file, 3, null, /empty line, and it is not the last line/);
    // An unparsable line followed by a torn tail: only one line may be torn.
    fs.writeFileSync(file, Buffer.concat([orig, Buffer.from('{"v":1,"se\n{"v"')]));
    await expectCorrupt(file, 6, null, /not the last line/);
  });

  it('entries out of the lifecycle, even with a correct hash chain (a forger with write access)', async () => {
    const file = path.join(tempDir(), 'forged.jsonl');
    const base: { kind: string; payload: JsonObject }[] = [
      { kind: 'setup', payload: {} },
      { kind: 'credentials', payload: {} },
      { kind: 'ballot', payload: { n: 1 } },
    ];
    forgeBoard(file, [...base, { kind: 'seal', payload: { entries: 3, head: headAfter(file, 3) } }, { kind: 'ballot', payload: { n: 2 } }]);
    await expectCorrupt(file, 5, 'kind', /sealed/);
    forgeBoard(file, [...base, { kind: 'seal', payload: { entries: 2, head: headAfter(file, 3) } }]);
    await expectCorrupt(file, 4, 'payload.entries');
    forgeBoard(file, [...base, { kind: 'seal', payload: { entries: 3, head: 'ab'.repeat(32) } }]);
    await expectCorrupt(file, 4, 'payload.head');
    forgeBoard(file, [{ kind: 'ballot', payload: {} }]);
    await expectCorrupt(file, 1, 'kind', /expected 'setup'/);
    forgeBoard(file, [...base], 'another-election');
    await expectCorrupt(file, 1, 'prev', /another election/);
  });

  it('a line longer than the limit', async () => {
    const file = makeBoard(0);
    const { log } = openLog(file, { electionId: ELECTION });
    log.appendEntry('ballot', { blob: 'b'.repeat(2000) });
    log.appendEntry('ballot', { blob: 'b'.repeat(2_500_000) }); // spans three 1 MiB read chunks
    log.close();
    const e = thrown(() => openLog(file, { electionId: ELECTION, maxLineBytes: 1000 }));
    expect(e).toMatchObject({ line: 3, field: null });
    expect((e as Error).message).toMatch(/limit of 1000/);
    const e2 = thrown(() => openLog(file, { electionId: ELECTION, maxLineBytes: 2_000_000 }));
    expect(e2).toMatchObject({ line: 4, field: null });
    expect((e2 as Error).message).toMatch(/limit of 2000000/);
  });
});

/** The head after the first `n` entries of `base` as forgeBoard writes them. */
function headAfter(file: string, n: number): string {
  // forgeBoard is deterministic (fixed clock): forge the prefix, read its head.
  const tmp = `${file}.prefix`;
  const kinds = ['setup', 'credentials', 'ballot'];
  forgeBoard(
    tmp,
    kinds.slice(0, n).map((kind, i): { kind: string; payload: JsonObject } => ({ kind, payload: i === 2 ? { n: 1 } : {} })),
  );
  const { log } = openLog(tmp, { electionId: ELECTION });
  const h = log.head;
  log.close();
  fs.rmSync(tmp);
  return h;
}

describe('a torn last line is discarded and reported', () => {
  const cases: [string, Buffer, 'no-newline' | 'unparsable'][] = [
    ['half a line, no newline', Buffer.from('{"v":1,"seq":5,"prev":"ab'), 'no-newline'],
    ['zero bytes (a crash after the file grew, before its data)', Buffer.alloc(300), 'no-newline'],
    ['garbage ending with a newline', Buffer.from('\0\0\0{"v":1,"se\n'), 'unparsable'],
    ['an empty last line', Buffer.from('\n'), 'unparsable'],
    ['invalid UTF-8 ending with a newline', Buffer.from([0x7b, 0xc3, 0x28, 0x0a]), 'unparsable'],
  ];
  for (const [name, tail, reason] of cases)
    it(name, async () => {
      const file = makeBoard(3);
      const good = fs.statSync(file).size;
      fs.appendFileSync(file, tail);
      // A verifier refuses it unless told the board may be torn …
      const r = await rejected(verifyBoard(file, { electionId: ELECTION }));
      expect(r).toMatchObject({ line: 6, offset: good });
      const s = await verifyBoard(file, { electionId: ELECTION, allowTornTail: true });
      expect(s.tornTail).toMatchObject({ line: 6, offset: good, discardedBytes: tail.length, reason });
      expect(fs.statSync(file).size).toBe(good + tail.length); // the reader never writes
      // … the writer truncates it and says so, and appends continue.
      const { log, recovered } = openLog(file, { electionId: ELECTION });
      expect(recovered).toMatchObject({ line: 6, offset: good, discardedBytes: tail.length, reason, originalBytes: good + tail.length });
      expect(fs.statSync(file).size).toBe(good);
      log.appendEntry('ballot', { after: reason });
      log.close();
      expect((await verifyBoard(file, { electionId: ELECTION })).entries).toBe(6);
    });

  it('a file holding only a torn first line', () => {
    const file = path.join(tempDir(), 'b.jsonl');
    fs.writeFileSync(file, '{"v":1,"seq":0,');
    const { log, recovered } = openLog(file, { electionId: ELECTION });
    expect(recovered).toMatchObject({ line: 1, offset: 0, discardedBytes: 15, reason: 'no-newline' });
    expect(log.entries).toBe(0);
    log.close();
    expect(fs.statSync(file).size).toBe(0);
  });
});

describe('the reader', () => {
  it('checks the final head against a published one (the only way to catch an edited or removed last line)', async () => {
    const file = makeBoard(3);
    const s = await verifyBoard(file, { electionId: ELECTION });
    expect((await verifyBoard(file, { electionId: ELECTION, expectedHead: s.head })).entries).toBe(5);
    // Remove the last line: still a valid chain, but not the published one.
    edit(file, (l) => l.slice(0, -1));
    expect((await verifyBoard(file, { electionId: ELECTION })).entries).toBe(4);
    const e = await rejected(verifyBoard(file, { electionId: ELECTION, expectedHead: s.head }));
    expect(e).toBeInstanceOf(BoardCorruptError);
    expect((e as Error).message).toMatch(/expected/);
  });

  it('reads a prefix with `end`, and can be iterated once', async () => {
    const file = makeBoard(3);
    const { log } = openLog(file, { electionId: ELECTION });
    const size = log.byteLength;
    const third = (await verifyBoard(file, { electionId: ELECTION })).byteLength;
    log.close();
    expect(third).toBe(size);
    const lines = readLines(file);
    const end = Buffer.byteLength(lines.slice(0, 2).join('\n') + '\n');
    expect((await verifyBoard(file, { electionId: ELECTION, end })).entries).toBe(2);
    expect(await rejected(verifyBoard(file, { electionId: ELECTION, end: size + 1 }))).toBeInstanceOf(RangeError);
    const reader = readEntries(file, { electionId: ELECTION });
    for await (const _ of reader) break;
    expect(reader.summary).toBeNull(); // stopped early: no summary
    await expect(async () => {
      for await (const _ of reader) void _;
    }).rejects.toThrow(/only once/);
  });
});

describe('property: no damage before the last line goes unnoticed', () => {
  it('any single-byte change in a line other than the last makes opening fail; in the last line it fails, is reported torn, or changes the head', () => {
    const file = makeBoard(4);
    const orig = fs.readFileSync(file);
    const { log } = openLog(file, { electionId: ELECTION });
    const head = log.head;
    log.close();
    const lastStart = orig.lastIndexOf(0x0a, orig.length - 2) + 1;
    fc.assert(
      fc.property(fc.nat(orig.length - 1), fc.integer({ min: 1, max: 255 }), (pos, delta) => {
        const damaged = Buffer.from(orig);
        damaged[pos] = (damaged[pos]! + delta) & 0xff;
        fs.writeFileSync(file, damaged);
        let outcome: 'error' | 'torn' | 'accepted';
        let newHead = '';
        try {
          const { log: l, recovered } = openLog(file, { electionId: ELECTION });
          newHead = l.head;
          l.close();
          outcome = recovered === null ? 'accepted' : 'torn';
        } catch (e) {
          if (!(e instanceof BoardCorruptError)) throw e;
          outcome = 'error';
        }
        if (pos < lastStart - 1) expect(outcome).toBe('error');
        else if (outcome === 'accepted') expect(newHead).not.toBe(head);
      }),
      { numRuns: 400 },
    );
  });
});
