import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openLog } from '../../src/board/log.js';
import { readEntries, verifyBoard } from '../../src/board/reader.js';
import { entryHash, genesisHash, serializeEntry } from '../../src/board/chain.js';
import { defineLifecycle } from '../../src/board/lifecycle.js';
import { BoardCorruptError } from '../../src/board/errors.js';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { utf8 } from '../../src/bytes.js';
import { ELECTION, fixedClock, makeBoard, readLines, T0, tempDir, thrown } from './helpers.js';

function fresh(dir = tempDir()): string {
  return path.join(dir, 'board.jsonl');
}

function codeOf(e: unknown): string {
  expect(e).toBeInstanceOf(ProtocolError);
  return (e as ProtocolError).code;
}

describe('appending', () => {
  it('writes a payload given as canonical text as it is, the same line as from the object; refuses non-canonical text', async () => {
    const a = fresh();
    const b = fresh();
    const payload = { ballot: { z: [1, 'é'], a: 'x' } };
    for (const [file, text] of [
      [a, undefined],
      [b, '{"ballot":{"a":"x","z":[1,"é"]}}'],
    ] as const) {
      const { log } = openLog(file, { electionId: ELECTION, create: true, clock: fixedClock() });
      log.appendMany([
        { kind: 'setup', payload: {} },
        { kind: 'credentials', payload: {} },
      ]);
      log.appendMany([{ kind: 'ballot', payload, ...(text !== undefined ? { payloadText: text } : {}) }]);
      if (text !== undefined) {
        const size = fs.statSync(file).size;
        for (const bad of ['{"ballot":{"z":[1,"é"],"a":"x"}}', '{"ballot": {}}', '[1]', '{"a":1} ', '{"a":'])
          expect(() => log.appendMany([{ kind: 'ballot', payload: {}, payloadText: bad }]), bad).toThrow(FormatError);
        expect(() => log.appendMany([{ kind: 'seal', payload: {}, payloadText: '{}' }])).toThrow(FormatError);
        expect(fs.statSync(file).size).toBe(size);
      }
      log.close();
    }
    expect(fs.readFileSync(b)).toEqual(fs.readFileSync(a));
    expect((await verifyBoard(b, { electionId: ELECTION })).entries).toBe(3);
  });

  it('writes canonical, chained lines and returns receipts that match the file', async () => {
    const file = fresh();
    const { log, recovered, staleLock } = openLog(file, { electionId: ELECTION, create: true, clock: fixedClock() });
    expect(recovered).toBeNull();
    expect(staleLock).toBeNull();
    expect(log.entries).toBe(0);
    expect(log.head).toBe(genesisHash(ELECTION));
    const r0 = log.appendEntry('setup', { z: 1, a: { y: [1, 'é'], b: null } });
    const r1 = log.appendEntry('credentials', { list: ['c0'] });
    const [r2, r3] = log.appendMany([
      { kind: 'ballot', payload: { n: 0 } },
      { kind: 'ballot', payload: { n: 1 } },
    ]);
    log.close();
    const lines = readLines(file);
    expect(lines[0]).toBe(
      `{"v":1,"seq":0,"prev":"${genesisHash(ELECTION)}","kind":"setup","time":"2024-01-15T08:00:00.000Z","payload":{"a":{"b":null,"y":[1,"é"]},"z":1}}`,
    );
    const receipts = [r0!, r1!, r2!, r3!];
    let offset = 0;
    for (const [i, r] of receipts.entries()) {
      expect(r).toMatchObject({ seq: i, line: i + 1, offset, byteLength: utf8(lines[i]!).length, time: new Date(T0 + i).toISOString() });
      expect(r.hash).toBe(entryHash(utf8(lines[i]!)));
      expect(r.prev).toBe(i === 0 ? genesisHash(ELECTION) : receipts[i - 1]!.hash);
      offset += r.byteLength + 1;
    }
    expect(fs.statSync(file).size).toBe(offset);
    const read = [];
    const reader = readEntries(file, { electionId: ELECTION });
    for await (const e of reader) read.push(e);
    expect(read.map((e) => e.payload)).toEqual([{ z: 1, a: { y: [1, 'é'], b: null } }, { list: ['c0'] }, { n: 0 }, { n: 1 }]);
    expect(read.map(({ payload: _, ...rest }) => rest)).toEqual(receipts);
    expect(reader.summary).toMatchObject({ entries: 4, head: r3!.hash, byteLength: offset, seal: null, complete: false, tornTail: null });
  });

  it('reopens, replays every entry to onEntry, and continues the chain', async () => {
    const file = makeBoard(5);
    const seen: number[] = [];
    const { log } = openLog(file, { electionId: ELECTION, onEntry: (e) => seen.push(e.seq) });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(log.entries).toBe(7);
    const head = log.head;
    expect(log.appendEntry('ballot', { n: 7 }).prev).toBe(head);
    log.close();
    expect((await verifyBoard(file, { electionId: ELECTION })).entries).toBe(8);
    // An exception in onEntry aborts the opening and releases the lock.
    expect(
      thrown(() =>
        openLog(file, {
          electionId: ELECTION,
          onEntry: () => {
            throw new RangeError('stop');
          },
        }),
      ),
    ).toBeInstanceOf(RangeError);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('reads a large board in chunks (lines spanning chunk boundaries, multi-megabyte lines)', async () => {
    const file = fresh();
    const { log } = openLog(file, { electionId: ELECTION, create: true });
    log.appendEntry('setup', {});
    log.appendEntry('credentials', { list: ['c'.repeat(3_000_000)] });
    log.appendMany(Array.from({ length: 300 }, (_, i) => ({ kind: 'ballot', payload: { i, pad: 'p'.repeat(i * 37) } })));
    const head = log.head;
    log.close();
    const { log: again } = openLog(file, { electionId: ELECTION });
    expect(again.head).toBe(head);
    again.close();
    const s = await verifyBoard(file, { electionId: ELECTION, expectedHead: head });
    expect(s.entries).toBe(302);
  });

  it('refuses a batch as a whole: nothing written when one entry is bad', () => {
    const file = makeBoard(1);
    const before = fs.readFileSync(file);
    const { log } = openLog(file, { electionId: ELECTION });
    const e = thrown(() =>
      log.appendMany([
        { kind: 'ballot', payload: { ok: 1 } },
        { kind: 'ballot', payload: { bad: undefined as never } },
      ]),
    );
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).path).toBe('entries[1].payload.bad');
    expect(
      codeOf(
        thrown(() =>
          log.appendMany([
            { kind: 'ballot', payload: {} },
            { kind: 'tally', payload: {} },
          ]),
        ),
      ),
    ).toBe('lifecycle');
    expect(log.entries).toBe(3);
    expect(fs.readFileSync(file)).toEqual(before);
    expect(log.appendMany([])).toEqual([]);
    log.appendEntry('ballot', { ok: 2 }); // still usable
    log.close();
  });

  it('rejects payloads that are not canonical JSON objects, and over-long lines, writing nothing', () => {
    const file = makeBoard(0);
    const before = fs.readFileSync(file);
    const { log } = openLog(file, { electionId: ELECTION, maxLineBytes: 1000 });
    for (const p of [null, [1], 'x', new Date(), { a: NaN }, { a: 'x\uD800' }, { a: 1n }])
      expect(thrown(() => log.appendEntry('ballot', p as never))).toBeInstanceOf(FormatError);
    expect(thrown(() => log.appendEntry('Ballot', {}))).toBeInstanceOf(FormatError);
    expect(codeOf(thrown(() => log.appendEntry('vote', {})))).toBe('lifecycle');
    expect((thrown(() => log.appendEntry('ballot', { blob: 'x'.repeat(1000) })) as FormatError).reason).toMatch(/limit of 1000/);
    expect(fs.readFileSync(file)).toEqual(before);
    log.close();
  });

  it('refuses appends after close, and when another process changed the file under it', () => {
    const file = makeBoard(0);
    const { log } = openLog(file, { electionId: ELECTION });
    fs.appendFileSync(file, 'x');
    expect(codeOf(thrown(() => log.appendEntry('ballot', {})))).toBe('log-failed');
    expect(codeOf(thrown(() => log.appendEntry('ballot', {})))).toBe('log-failed');
    log.close();
    log.close();
    expect(log.closed).toBe(true);
    expect(codeOf(thrown(() => log.appendEntry('ballot', {})))).toBe('log-closed');
  });

  it('uses the clock given, and refuses an invalid date', () => {
    const file = fresh();
    const { log } = openLog(file, { electionId: ELECTION, create: true, clock: () => new Date(NaN) });
    expect(thrown(() => log.appendEntry('setup', {}))).toBeInstanceOf(FormatError);
    expect(log.entries).toBe(0);
    log.close();
    expect(fs.statSync(file).size).toBe(0);
  });

  it('opens an existing file only; create makes an empty board once', () => {
    const dir = tempDir();
    expect((thrown(() => openLog(fresh(dir), { electionId: ELECTION })) as NodeJS.ErrnoException).code).toBe('ENOENT');
    const { log } = openLog(fresh(dir), { electionId: ELECTION, create: true });
    log.close();
    const { log: again } = openLog(fresh(dir), { electionId: ELECTION, create: true });
    expect(again.entries).toBe(0);
    again.close();
    expect(thrown(() => openLog(dir, { electionId: ELECTION, create: true }))).toBeInstanceOf(Error);
    for (const id of ['', 5, 'x\uDC00'] as never[])
      expect(thrown(() => openLog(fresh(dir), { electionId: id }))).toBeInstanceOf(FormatError);
  });
});

describe('seal', () => {
  it('records the count and head before it; afterwards ballots are refused and nothing is written', async () => {
    const file = makeBoard(3);
    const { log } = openLog(file, { electionId: ELECTION });
    const headBefore = log.head;
    expect(thrown(() => log.appendEntry('seal', { entries: 5 }))).toBeInstanceOf(FormatError); // reserved field
    expect(thrown(() => log.seal({ head: 'x' }))).toBeInstanceOf(FormatError);
    const seal = log.seal({ ballots: 3 });
    expect(seal.seq).toBe(5);
    expect(log.sealed).toBe(true);
    expect(log.sealInfo).toEqual({ seq: 5, head: headBefore, hash: seal.hash });
    expect(JSON.parse(readLines(file)[5]!).payload).toEqual({ ballots: 3, entries: 5, head: headBefore });
    const bytes = fs.readFileSync(file);
    for (const kind of ['ballot', 'credentials', 'setup', 'seal']) {
      const e = thrown(() => log.appendEntry(kind, { late: true }));
      expect(codeOf(e)).toBe('sealed');
    }
    expect(
      codeOf(
        thrown(() =>
          log.appendMany([
            { kind: 'tally', payload: {} },
            { kind: 'ballot', payload: {} },
          ]),
        ),
      ),
    ).toBe('sealed');
    expect(fs.readFileSync(file)).toEqual(bytes);
    expect(log.entries).toBe(6);
    expect(log.expectedKinds()).toEqual(['tally']);
    log.appendEntry('tally', { sums: [] });
    log.appendMany([
      { kind: 'decryption-share', payload: { trustee: 1 } },
      { kind: 'decryption-share', payload: { trustee: 3 } },
      { kind: 'result', payload: { ranking: [] } },
    ]);
    expect(codeOf(thrown(() => log.appendEntry('result', {})))).toBe('lifecycle');
    log.close();
    // The seal survives reopening: still refused.
    const { log: again } = openLog(file, { electionId: ELECTION });
    expect(again.sealInfo?.seq).toBe(5);
    expect(codeOf(thrown(() => again.appendEntry('ballot', {})))).toBe('sealed');
    again.close();
    const s = await verifyBoard(file, { electionId: ELECTION });
    expect(s).toMatchObject({ entries: 10, complete: true, seal: { seq: 5, head: headBefore } });
  });

  it('a seal inside a group commit records the head of the entry before it in the batch', () => {
    const file = makeBoard(0);
    const { log } = openLog(file, { electionId: ELECTION });
    const [b, s] = log.appendMany([
      { kind: 'ballot', payload: {} },
      { kind: 'seal', payload: {} },
    ]);
    expect(JSON.parse(readLines(file)[3]!).payload).toEqual({ entries: 3, head: b!.hash });
    expect(s!.prev).toBe(b!.hash);
    log.close();
  });

  it('works with a caller-defined lifecycle, and without a seal', () => {
    const lc = defineLifecycle({
      steps: [
        { kinds: ['open'], repeat: '1' },
        { kinds: ['vote', 'audit'], repeat: '*' },
        { kinds: ['close'], repeat: '1' },
        { kinds: ['note'], repeat: '*' },
      ],
      seal: 'close',
    });
    const file = fresh();
    const { log } = openLog(file, { electionId: ELECTION, create: true, lifecycle: lc });
    log.appendMany([
      { kind: 'open', payload: {} },
      { kind: 'audit', payload: {} },
      { kind: 'vote', payload: {} },
    ]);
    log.seal();
    expect(codeOf(thrown(() => log.appendEntry('vote', {})))).toBe('sealed');
    log.appendEntry('note', {});
    log.close();
    // Read with the default lifecycle, the same file is refused at its first line.
    const e = thrown(() => openLog(file, { electionId: ELECTION }));
    expect(e).toMatchObject({ line: 1, field: 'kind' });
    const noSeal = defineLifecycle({ steps: [{ kinds: ['x'], repeat: '*' }] });
    const { log: l2 } = openLog(fresh(), { electionId: ELECTION, create: true, lifecycle: noSeal });
    expect(codeOf(thrown(() => l2.seal()))).toBe('lifecycle');
    l2.close();
  });
});

describe('single-writer lock', () => {
  it('refuses a second writer in the same process, and frees the lock on close', () => {
    const file = makeBoard(0);
    const { log } = openLog(file, { electionId: ELECTION });
    const lock = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, host: os.hostname() });
    const e = thrown(() => openLog(file, { electionId: ELECTION }));
    expect(codeOf(e)).toBe('locked');
    expect((e as Error).message).toMatch(/already has it open/);
    log.close();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    openLog(file, { electionId: ELECTION }).log.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['board.jsonl']); // no temporary files left
  });

  it('refuses a live writer in another process', () => {
    const file = makeBoard(0);
    // Our parent process (vitest's main process) is alive: a lock naming it must be respected.
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.ppid, host: os.hostname(), boot: '', nonce: 'n', time: 't' }));
    const e = thrown(() => openLog(file, { electionId: ELECTION }));
    expect(codeOf(e)).toBe('locked');
    expect((e as Error).message).toMatch(new RegExp(`process ${process.ppid} is running`));
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
  });

  it('takes over a stale lock (dead pid, or a previous boot) and reports it', () => {
    const file = makeBoard(0);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    const stale = { pid: deadPid, host: os.hostname(), boot: '', nonce: 'n1', time: '2024-01-01T00:00:00.000Z' };
    fs.writeFileSync(`${file}.lock`, JSON.stringify(stale));
    const { log, staleLock } = openLog(file, { electionId: ELECTION });
    expect(staleLock).toEqual(stale);
    log.close();
    if (fs.existsSync('/proc/sys/kernel/random/boot_id')) {
      const oldBoot = { pid: process.ppid, host: os.hostname(), boot: 'another-boot', nonce: 'n2', time: 't' };
      fs.writeFileSync(`${file}.lock`, JSON.stringify(oldBoot));
      const r = openLog(file, { electionId: ELECTION });
      expect(r.staleLock).toEqual(oldBoot);
      r.log.close();
    }
  });

  it('never breaks a lock from another host or an unreadable lock', () => {
    const file = makeBoard(0);
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: 1, host: `not-${os.hostname()}`, boot: '', nonce: 'n', time: 't' }));
    const e = thrown(() => openLog(file, { electionId: ELECTION }));
    expect(codeOf(e)).toBe('locked');
    expect((e as Error).message).toMatch(/another host/);
    fs.writeFileSync(`${file}.lock`, 'garbage');
    expect(codeOf(thrown(() => openLog(file, { electionId: ELECTION })))).toBe('locked');
    fs.unlinkSync(`${file}.lock`);
    openLog(file, { electionId: ELECTION }).log.close();
  });
});

describe('line format', () => {
  it('serializeEntry validates every field', () => {
    const ok = { seq: 0, prev: genesisHash('e'), kind: 'ballot', time: '2024-02-29T23:59:59.999Z', payload: {} };
    expect(serializeEntry(ok)).toBe(`{"v":1,"seq":0,"prev":"${ok.prev}","kind":"ballot","time":"2024-02-29T23:59:59.999Z","payload":{}}`);
    const bad = [
      { seq: -1 },
      { seq: 1.5 },
      { prev: 'AB'.repeat(32) },
      { kind: 'a b' },
      { time: '2023-02-29T00:00:00.000Z' },
      { time: '2024-01-01T00:00:00Z' },
      { payload: [] },
    ];
    for (const b of bad) expect(thrown(() => serializeEntry({ ...ok, ...b } as never))).toBeInstanceOf(FormatError);
  });

  it('binds the genesis to the election id', () => {
    expect(genesisHash('a')).not.toBe(genesisHash('b'));
    expect(genesisHash('a')).toMatch(/^[0-9a-f]{64}$/);
    const file = makeBoard(0);
    const e = thrown(() => openLog(file, { electionId: 'another-election' }));
    expect(e).toBeInstanceOf(BoardCorruptError);
    expect(e).toMatchObject({ line: 1, field: 'prev' });
    expect((e as Error).message).toMatch(/another election/);
  });
});
