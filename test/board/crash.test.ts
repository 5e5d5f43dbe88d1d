/**
 * Crash safety: a child process appends and prints every acknowledged seq; the test SIGKILLs
 * it at random moments (often inside the write or fsync of a multi-megabyte line), then checks
 * that every acknowledged entry is on disk byte for byte (same chain hash), that a torn last
 * line is discarded and reported, that the chain verifies, and that appends continue.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openLog } from '../../src/board/log.js';
import { readEntries, verifyBoard } from '../../src/board/reader.js';
import { BoardCorruptError } from '../../src/board/errors.js';
import { ELECTION, rejected, tempDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(here, 'fixtures', 'append-child.ts');
const ROOT = path.resolve(here, '..', '..');

interface ChildRun {
  readonly acks: Map<number, string>;
  readonly opened: { recovered: unknown; staleLock: { pid: number } | null; entries: number };
  /** Every other line the child printed, split on spaces (TORN, BIG, FAILED, REFUSED …). */
  readonly events: string[][];
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly pid: number;
}

interface KillPlan {
  /** Kill once this many entries were acknowledged … */
  readonly afterAcks: number;
  /** … or, when set, once the child announces a multi-megabyte append (whichever comes first). */
  readonly atBig: boolean;
  /** Then wait this long before SIGKILL. */
  readonly delayMs: number;
}

/** Runs the child (optionally under a wrapper command), SIGKILLing it as planned. */
function runChild(args: string[], kill?: KillPlan, wrap: string[] = []): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const cmd = [...wrap, process.execPath, '--import', 'tsx', CHILD, ...args];
    const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const acks = new Map<number, string>();
    const events: string[][] = [];
    let opened: ChildRun['opened'] | null = null;
    let buffered = '';
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      let big = false;
      for (const l of lines) {
        const f = l.split(' ');
        if (f[0] === 'ACK') acks.set(Number(f[1]), f[2]!);
        else if (f[0] === 'OPEN') opened = JSON.parse(l.slice(5));
        else events.push(f);
        if (f[0] === 'BIG') big = true;
      }
      if (kill !== undefined && !killing && (acks.size >= kill.afterAcks || (kill.atBig && big))) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.on('error', reject);
    // 'close' comes after the exit *and* the end of stdout: every ack the child printed is in `acks`.
    child.on('close', (code, signal) => {
      if (opened === null) return reject(new Error(`child failed to open the board (exit ${code}, ${signal}):\n${stderr}`));
      if (signal === null && code !== 0) return reject(new Error(`child exited with ${code}:\n${stderr}`));
      resolve({ acks, opened, events, signal, code, pid: child.pid! });
    });
  });
}

/** Every acknowledged seq is in the file with the same chain hash. */
async function expectAcknowledged(file: string, acks: Map<number, string>): Promise<number> {
  const reader = readEntries(file, { electionId: ELECTION, allowTornTail: true });
  let n = 0;
  for await (const e of reader) {
    if (acks.has(e.seq)) {
      expect(e.hash, `seq ${e.seq}`).toBe(acks.get(e.seq));
      n++;
    }
  }
  expect(n).toBe(acks.size);
  return reader.summary!.entries;
}

describe('crash safety (child process killed with SIGKILL)', () => {
  it('keeps every acknowledged entry through repeated kills at random moments, and appends continue', async () => {
    const file = path.join(tempDir(), 'board.jsonl');
    const acks = new Map<number, string>();
    const recoveries: unknown[] = [];
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      const seed = (Math.random() * 2 ** 31) | 0;
      // Half of the kills are aimed at a multi-megabyte append (serialising, hashing, writing, fsync).
      const kill = { afterAcks: 2 + Math.floor(Math.random() * 25), atBig: round % 2 === 0, delayMs: Math.floor(Math.random() * 60) };
      const run = await runChild(['loop', file, ELECTION, String(seed)], kill);
      expect(run.signal, `round ${round} (seed ${seed})`).toBe('SIGKILL');
      if (run.opened.recovered !== null) recoveries.push(run.opened.recovered);
      // The previous writer's lock was stale when that writer was a killed child (the parent closes cleanly).
      if (round % 2 === 1) expect(run.opened.staleLock?.pid).toBeGreaterThan(0);
      else expect(run.opened.staleLock).toBeNull();
      for (const [seq, hash] of run.acks) {
        if (acks.has(seq)) throw new Error(`seq ${seq} acknowledged twice`);
        acks.set(seq, hash);
      }
      // Read-only check after every kill (the torn tail, if any, is left for the next writer).
      await expectAcknowledged(file, acks);
      if (round % 2 === 1) {
        // Every other round the parent recovers the file itself; otherwise the next child does.
        const { log, recovered, staleLock } = openLog(file, { electionId: ELECTION });
        expect(staleLock?.pid).toBe(run.pid);
        if (recovered !== null) {
          recoveries.push(recovered);
          expect(fs.statSync(file).size).toBe(recovered.offset);
        }
        expect(log.entries).toBeGreaterThan(Math.max(...acks.keys()));
        log.close();
      }
    }
    // Finally: recover, verify the whole chain, continue appending, seal.
    const { log, recovered } = openLog(file, { electionId: ELECTION });
    if (recovered !== null) recoveries.push(recovered);
    const before = log.entries;
    log.appendEntry('ballot', { after: 'crashes' });
    log.seal();
    log.close();
    const summary = await verifyBoard(file, { electionId: ELECTION });
    expect(summary.entries).toBe(before + 2);
    expect(summary.seal?.seq).toBe(before + 1);
    await expectAcknowledged(file, acks);
    // How often a kill tore a line varies from run to run; the deterministic case is below.
    console.info(
      `crash test: ${rounds} kills, ${acks.size} acknowledged entries, ${recoveries.length} torn tails: ${JSON.stringify(recoveries)}`,
    );
  });

  it('discards and reports a half-written last line (deterministic torn write), and appends continue', async () => {
    const file = path.join(tempDir(), 'board.jsonl');
    const run = await runChild(['torn', file, ELECTION, '5']);
    expect(run.signal).toBe('SIGKILL');
    expect(run.acks.size).toBe(7); // setup, credentials, 5 ballots
    const torn = Number(run.events.find((e) => e[0] === 'TORN')![1]);
    const sizeAfterAcks = fs.statSync(file).size - torn;
    // A verifier refuses the torn file, naming the line; with allowTornTail it reports it.
    const e = await rejected(verifyBoard(file, { electionId: ELECTION }));
    expect(e).toBeInstanceOf(BoardCorruptError);
    expect((e as BoardCorruptError).line).toBe(8);
    const s = await verifyBoard(file, { electionId: ELECTION, allowTornTail: true });
    expect(s.tornTail).toMatchObject({ line: 8, reason: 'no-newline', discardedBytes: torn, offset: sizeAfterAcks });
    expect(s.entries).toBe(7);
    // The writer truncates it away and says so.
    const { log, recovered, staleLock } = openLog(file, { electionId: ELECTION });
    expect(staleLock?.pid).toBe(run.pid);
    expect(recovered).toMatchObject({
      line: 8,
      offset: sizeAfterAcks,
      discardedBytes: torn,
      reason: 'no-newline',
      originalBytes: sizeAfterAcks + torn,
    });
    expect(fs.statSync(file).size).toBe(sizeAfterAcks);
    expect(log.entries).toBe(7);
    log.appendEntry('ballot', { credential: 'c1', n: 99 });
    log.close();
    await expectAcknowledged(file, run.acks);
    expect((await verifyBoard(file, { electionId: ELECTION })).entries).toBe(8);
  });

  it.skipIf(process.platform === 'win32')(
    'rolls back a write the kernel cut short (file size limit) and refuses appends until reopened',
    async () => {
      const file = path.join(tempDir(), 'board.jsonl');
      // `ulimit -f 1000`: the file may not grow past 1,024,000 bytes; the write that crosses the
      // limit is cut short by the kernel, and the writer's retry fails with EFBIG.
      const run = await runChild(['efbig', file, ELECTION], undefined, ['sh', '-c', 'ulimit -f 1000 && exec "$@"', 'sh']);
      expect(run.code).toBe(0);
      expect(run.events).toEqual([
        ['FAILED', 'log-failed'],
        ['REFUSED', 'log-failed'],
      ]);
      expect(run.acks.size).toBeGreaterThan(5);
      // The partial line was truncated away: the file is exactly the acknowledged entries.
      const { log, recovered, staleLock } = openLog(file, { electionId: ELECTION });
      expect(recovered).toBeNull();
      expect(staleLock).toBeNull(); // the child closed cleanly
      expect(log.entries).toBe(run.acks.size);
      expect(log.head).toBe(run.acks.get(run.acks.size - 1));
      expect(fs.statSync(file).size).toBe(log.byteLength);
      log.close();
    },
  );

  const strace = spawnSync('strace', ['-V']).status === 0;
  it.skipIf(!strace)('acknowledges only after write and fsync of the log file (system-call trace)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'board.jsonl');
    const trace = path.join(dir, 'trace.txt');
    const run = await runChild(['trace', file, ELECTION], undefined, [
      'strace',
      '-f',
      '-qq',
      '-s',
      '100000',
      '-e',
      'trace=openat,write,pwrite64,fsync,fdatasync',
      '-o',
      trace,
    ]);
    expect(run.acks.size).toBe(2 + 3 + 3);
    // The writer's events in order: writes and fsyncs on the board's descriptor, and acks (writes to fd 1).
    // strace prefixes each call with the thread id (padded), and splits a call that another
    // thread interrupts into "… <unfinished ...>" and "<... name resumed> …": the start line
    // carries the arguments, which is all this needs.
    const calls = fs
      .readFileSync(trace, 'utf8')
      .split('\n')
      .map((l) => l.match(/^(\d+)\s+(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null && !m[2]!.startsWith('<...'))
      .map((m) => ({ tid: m[1]!, call: m[2]! }));
    const first = calls.find((c) => /^write\(\d+, "\{\\"v\\":1,\\"seq\\":0,/.test(c.call))!;
    const { tid } = first;
    const fd = first.call.match(/^write\((\d+)/)![1]!;
    const created = calls.findIndex(
      (c) => c.tid === tid && c.call.startsWith(`openat(AT_FDCWD, "${file}", `) && c.call.includes('O_CREAT'),
    );
    expect(created).toBeGreaterThanOrEqual(0);
    const events: string[] = [];
    for (const { tid: t, call } of calls.slice(created + 1)) {
      if (t !== tid) continue;
      if (call.startsWith(`write(${fd}, `) || call.startsWith(`pwrite64(${fd}, `)) {
        const seqs = [...call.matchAll(/\\"seq\\":(\d+)/g)].map((m) => m[1]);
        events.push(`W${seqs[0]}x${seqs.length}`);
      } else if (call.startsWith(`fsync(${fd})`) || call.startsWith(`fdatasync(${fd})`)) events.push('F');
      else if (call.startsWith('write(1, "ACK')) events.push(`A${call.split('ACK ').length - 1}`);
    }
    // Creation (fsync of the new file), then five single appends (setup, credentials, three
    // ballots): one line written, fsync, ack; then one group commit: one write of three lines,
    // one fsync, three acks.
    expect(events.join(' ')).toBe('F W0x1 F A1 W1x1 F A1 W2x1 F A1 W3x1 F A1 W4x1 F A1 W5x3 F A3');
  });
});
