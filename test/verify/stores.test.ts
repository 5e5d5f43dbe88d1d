/**
 * The verifier over record stores: the directory store gives the report `verifyRecord` gives;
 * an in-memory store (written here), the HTTP store (against a node:http server, with and
 * without Range support) and the picked-files store give the same report whatever the
 * chunking; and whatever goes wrong in a store (a missing file, an error status, a short read, a
 * stream that throws or stalls mid-board) is a failed check or a RecordUnreadableError, never a
 * crash or a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runDemoElection } from '../../src/demo/simulate.js';
import { verifyRecord, verifyRecordState } from '../../src/verify/verify-record.js';
import { verifyRecordFrom } from '../../src/verify/verifier.js';
import { directoryRecordStore } from '../../src/record/directory-store.js';
import { httpRecordStore } from '../../src/record/http-store.js';
import { fileRecordStore } from '../../src/record/file-store.js';
import { RecordUnreadableError, type ByteRange, type RecordStore, type StoreResult } from '../../src/record/store.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { allFailures, copyRecord, failedChecks, flipHex, readBoard, removeCopies, tempDir, writeBoardRechained } from './helpers.js';

const GOLDEN = 'test/fixtures/golden-record-v1';
/** Everything but the wall time and where the record was. */
const same = (r: VerificationReport) => ({ ...r, ms: 0, dir: '' });

afterAll(removeCopies);

/** Faults an in-memory store can be told to make. */
interface Faults {
  /** Answer `{ ok: false }` for these names. */
  unreadable?: Record<string, { missing: boolean; reason: string }>;
  /** Size of the board's chunks (default 1 MiB), or a list of sizes used in turn. */
  chunkSizes?: number[];
  /** Throw after this many bytes of the board. */
  throwAt?: number;
  /** readRanges answers each range one byte short. */
  shortRanges?: boolean;
  /** readRanges throws. */
  throwRanges?: boolean;
  /** The board's chunks are strings instead of bytes. */
  notBytes?: boolean;
}

/** A store over a Map of name → bytes, as a test writes it. */
function memoryStore(files: Map<string, Uint8Array>, faults: Faults = {}): RecordStore {
  const get = (name: string): StoreResult<Uint8Array> => {
    const u = faults.unreadable?.[name];
    if (u !== undefined) return { ok: false, ...u };
    const b = files.get(name);
    return b === undefined ? { ok: false, missing: true, reason: 'missing (no such file or directory)' } : { ok: true, value: b };
  };
  return {
    describe: () => 'memory',
    where: (name) => `memory:${name}`,
    size: async (name) => {
      const r = get(name);
      return r.ok ? { ok: true, value: r.value.length } : r;
    },
    readFile: async (name, maxBytes) => {
      const r = get(name);
      if (r.ok && r.value.length > maxBytes) return { ok: false, missing: false, reason: `larger than ${maxBytes} bytes` };
      return r;
    },
    stream: async (name) => {
      const r = get(name);
      if (!r.ok) return r;
      const bytes = r.value;
      const sizes = faults.chunkSizes ?? [1 << 20];
      async function* chunks(): AsyncGenerator<Uint8Array> {
        let i = 0;
        for (let pos = 0; pos < bytes.length;) {
          const n = Math.max(1, sizes[i++ % sizes.length]!);
          if (faults.throwAt !== undefined && pos + n > faults.throwAt) throw new Error('connection reset');
          yield (faults.notBytes ? 'text' : bytes.subarray(pos, pos + n)) as Uint8Array;
          pos += n;
        }
      }
      return { ok: true, value: { size: bytes.length, chunks: chunks() } };
    },
    readRanges: async function* (name: string, ranges: readonly ByteRange[]) {
      if (faults.throwRanges) throw new Error('disk unplugged');
      const b = files.get(name)!;
      for (const r of ranges) yield b.slice(r.offset, r.offset + r.length - (faults.shortRanges ? 1 : 0));
    },
  };
}

/** The names of a directory's files (subdirectories left out). */
function fileNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

/** The files of a record directory, in memory. */
function filesOf(dir: string): Map<string, Uint8Array> {
  return new Map(fileNames(dir).map((n) => [n, new Uint8Array(readFileSync(join(dir, n)))]));
}

/** A record with many revotes, so that superseded ballots cross small chunks (made once). */
let revotes: string;
let revotesReport: VerificationReport;
beforeAll(async () => {
  revotes = tempDir();
  rmSync(revotes, { recursive: true });
  await runDemoElection({
    voters: 16,
    candidates: 3,
    grades: 3,
    trustees: 3,
    threshold: 2,
    out: revotes,
    seed: 'stores',
    revoteRate: 0.5,
    audits: 1,
  });
  revotesReport = await verifyRecord(revotes, { chunkSize: 2 });
  expect(revotesReport.ok, allFailures(revotesReport)).toBe(true);
  expect(revotesReport.counts.revotes).toBeGreaterThanOrEqual(4);
}, 120_000);

describe('verifyRecordFrom over the directory and in-memory stores', () => {
  it('the directory store gives the report verifyRecord gives (dir included)', async () => {
    const a = await verifyRecord(GOLDEN, { chunkSize: 2 });
    const b = await verifyRecordFrom(directoryRecordStore(GOLDEN), { chunkSize: 2 });
    expect({ ...b, ms: 0 }).toEqual({ ...a, ms: 0 });
    expect(b.dir).toBe(GOLDEN);
  });

  it('an in-memory store gives the same report, whatever the board chunks (lines split anywhere)', async () => {
    const files = filesOf(revotes);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 6 }), async (chunkSizes) => {
        const r = await verifyRecordFrom(memoryStore(files, { chunkSizes }), { chunkSize: 2 });
        expect(same(r)).toEqual(same(revotesReport));
        expect(r.dir).toBe('memory');
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('a tampered record in memory fails the same checks, with the same failures, as on disk', async () => {
    const dir = copyRecord(revotes);
    const lines = readBoard(dir);
    const i = lines.findIndex((l) => l.kind === 'ballot');
    const b = (lines[i]!.payload as any).ballot;
    b.answers[0].proofs[1][0].response = flipHex(b.answers[0].proofs[1][0].response, 5);
    writeBoardRechained(dir, lines);
    const disk = await verifyRecord(dir, { chunkSize: 3 });
    const mem = await verifyRecordFrom(memoryStore(filesOf(dir)), { chunkSize: 3 });
    expect(failedChecks(disk)).toEqual([4]);
    expect(same(mem)).toEqual(same(disk));
  });

  it('verifyRecordState keeps giving what it established (election, tally, head)', async () => {
    const v = await verifyRecordState(GOLDEN, { upTo: 'tally' });
    expect(v.election).not.toBeNull();
    expect(v.tally).not.toBeNull();
    expect(v.boardHead).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('store failures become failed checks or RecordUnreadableError', () => {
  const files = () => filesOf(GOLDEN);

  it.each([
    ['record.json', { missing: true, reason: 'missing (no such file or directory)' }],
    ['manifest.json', { missing: false, reason: 'HTTP 500 Internal Server Error' }],
  ])('%s unreadable: RecordUnreadableError naming it', async (name, fault) => {
    const p = verifyRecordFrom(memoryStore(files(), { unreadable: { [name]: fault } }));
    await expect(p).rejects.toBeInstanceOf(RecordUnreadableError);
    await expect(p).rejects.toMatchObject({ path: name, reason: fault.reason });
  });

  it.each([
    ['ceremony.json', 2],
    ['credentials.json', 3],
    ['board.jsonl', 5],
    ['tally.json', 6],
    ['result.json', 8],
  ])('%s unreadable: check %i fails, saying why', async (name, check) => {
    const r = await verifyRecordFrom(memoryStore(files(), { unreadable: { [name]: { missing: false, reason: 'HTTP 403 Forbidden' } } }));
    expect(r.ok).toBe(false);
    const c = r.checks.find((x) => x.number === check)!;
    expect(c.status).toBe('fail');
    expect(c.failures.some((f) => f.file === name && f.reason.includes('HTTP 403 Forbidden'))).toBe(true);
  });

  it('a missing file gives the report the directory gives without it', async () => {
    for (const name of ['board.jsonl', 'credentials.json', 'decryption-shares.json']) {
      const dir = copyRecord(GOLDEN);
      rmSync(join(dir, name));
      const disk = await verifyRecord(dir);
      const mem = await verifyRecordFrom(memoryStore(filesOf(dir)));
      expect(same(mem)).toEqual(same(disk));
      expect(disk.ok).toBe(false);
    }
  });

  it('a board stream that throws at any byte: check 5 says the board cannot be read, nothing crashes', async () => {
    const f = files();
    const size = f.get('board.jsonl')!.length;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 1, max: 50_000 }), async (throwAt, chunk) => {
        const r = await verifyRecordFrom(memoryStore(f, { throwAt, chunkSizes: [chunk] }), { chunkSize: 2 });
        expect(r.ok).toBe(false);
        const c5 = r.checks.find((c) => c.number === 5)!;
        expect(c5.failures.some((x) => x.reason === 'cannot read the board: connection reset')).toBe(true);
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('a board stream that gives something other than bytes: a check-5 failure', async () => {
    const r = await verifyRecordFrom(memoryStore(files(), { notBytes: true }));
    expect(r.checks.find((c) => c.number === 5)!.failures.map((f) => f.reason)).toContain(
      'cannot read the board: the store gave something other than bytes',
    );
  });

  it('a short or failing re-read of superseded ballots: check 5 names the lines (and the tally check fails)', async () => {
    const f = filesOf(revotes);
    for (const [faults, reason] of [
      [{ shortRanges: true }, 'the line changed while the board was being verified'],
      [{ throwRanges: true }, 'cannot read the line again: disk unplugged'],
    ] as const) {
      const r = await verifyRecordFrom(memoryStore(f, faults), { chunkSize: 2 });
      const c5 = r.checks.find((c) => c.number === 5)!;
      expect(c5.failures.length).toBeGreaterThan(0);
      expect(c5.failures.every((x) => x.reason === reason && typeof x.line === 'number')).toBe(true);
      expect(failedChecks(r)).toEqual([5, 6]);
    }
  });
});

/** A static server for a record directory: Range support optional, and hooks to misbehave. */
function serve(dir: string, o: { ranges: boolean; hook?: (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean }) {
  const requests: { url: string; range: string | undefined; status: number }[] = [];
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url!, 'http://x').pathname.replace(/^\/record\//, ''));
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch {
      requests.push({ url: req.url!, range: req.headers.range, status: 404 });
      res.writeHead(404).end();
      return;
    }
    if (o.hook?.(req, res, body)) return;
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (o.ranges && m) {
      const a = Number(m[1]);
      const b = Math.min(Number(m[2]), body.length - 1);
      if (a >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        requests.push({ url: req.url!, range: req.headers.range, status: 416 });
        return;
      }
      requests.push({ url: req.url!, range: req.headers.range, status: 206 });
      res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${body.length}`, 'content-length': b - a + 1 });
      res.end(req.method === 'HEAD' ? undefined : body.subarray(a, b + 1));
      return;
    }
    requests.push({ url: req.url!, range: req.headers.range, status: 200 });
    res.writeHead(200, { 'content-length': body.length, 'accept-ranges': o.ranges ? 'bytes' : 'none' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return {
    requests,
    async start(): Promise<string> {
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/record/`;
    },
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe('httpRecordStore (node:http on 127.0.0.1)', () => {
  const servers: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });
  async function started(dir: string, o: Parameters<typeof serve>[1]) {
    const s = serve(dir, o);
    servers.push(s);
    return { url: await s.start(), requests: s.requests };
  }

  it.each([true, false])(
    'Range support %s: the same report as the directory, superseded lines re-read by range or in one pass',
    async (ranges) => {
      const { url, requests } = await started(revotes, { ranges });
      const r = await verifyRecordFrom(httpRecordStore(url), { chunkSize: 2 });
      expect(same(r)).toEqual(same(revotesReport));
      expect(r.dir).toBe(url);
      const rangeAnswers = requests.filter((q) => q.range !== undefined).map((q) => q.status);
      expect(rangeAnswers.length).toBeGreaterThan(0);
      expect(new Set(rangeAnswers)).toEqual(new Set([ranges ? 206 : 200]));
      // Without Range support, one pass: the first range request falls back and no other is sent.
      if (!ranges) expect(rangeAnswers.length).toBe(1);
    },
  );

  it('error statuses and a dropped connection are the failures of an unreadable file', async () => {
    const { url } = await started(GOLDEN, {
      ranges: true,
      hook: (req, res, body) => {
        if (req.url!.endsWith('/credentials.json')) return (void res.writeHead(500, 'Internal Server Error').end(), true);
        if (req.url!.endsWith('/board.jsonl')) {
          // half the board, then the connection drops
          res.writeHead(200, { 'content-length': body.length });
          res.write(body.subarray(0, body.length >> 1), () => res.destroy());
          return true;
        }
        return false;
      },
    });
    const r = await verifyRecordFrom(httpRecordStore(url));
    const reasons = (n: number) => r.checks.find((c) => c.number === n)!.failures.map((f) => f.reason);
    expect(reasons(3)).toContain('cannot read the file: HTTP 500 Internal Server Error');
    expect(reasons(5).some((x) => /^cannot read the board: network error/.test(x))).toBe(true);
    expect(r.ok).toBe(false);
  });

  it('record.json missing (404) or the server unreachable: RecordUnreadableError', async () => {
    const dir = copyRecord(GOLDEN);
    rmSync(join(dir, 'record.json'));
    const { url } = await started(dir, { ranges: true });
    await expect(verifyRecordFrom(httpRecordStore(url))).rejects.toMatchObject({ path: 'record.json', reason: 'HTTP 404 Not Found' });
    const gone = serve(GOLDEN, { ranges: true });
    const goneUrl = await gone.start();
    await gone.stop();
    await expect(verifyRecordFrom(httpRecordStore(goneUrl))).rejects.toMatchObject({
      path: 'record.json',
      reason: expect.stringMatching(/^network error/),
    });
  });

  it('a server that stalls mid-board: abandoned after idleTimeoutMs, a check-5 failure', async () => {
    const { url } = await started(GOLDEN, {
      ranges: true,
      hook: (req, res, body) => {
        if (!req.url!.endsWith('/board.jsonl')) return false;
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, 1000)); // and nothing more
        return true;
      },
    });
    const r = await verifyRecordFrom(httpRecordStore(url, { idleTimeoutMs: 300 }));
    expect(r.checks.find((c) => c.number === 5)!.failures.map((f) => f.reason)).toContain('cannot read the board: no data for 0.3 s');
  });

  it('a JSON file larger than announced is refused as it arrives; a wrong Content-Range is a read failure', async () => {
    const store = httpRecordStore((await started(revotes, { ranges: true })).url);
    const big = await store.readFile('board.jsonl', 1000);
    expect(big).toEqual({ ok: false, missing: false, reason: 'larger than 1000 bytes' });
    const { url } = await started(revotes, {
      ranges: true,
      hook: (req, res, body) => {
        if (req.headers.range === undefined) return false;
        res.writeHead(206, { 'content-range': `bytes 0-9/${body.length}` }).end(body.subarray(0, 10));
        return true;
      },
    });
    const r = await verifyRecordFrom(httpRecordStore(url), { chunkSize: 2 });
    const c5 = r.checks.find((c) => c.number === 5)!.failures;
    expect(c5.length).toBeGreaterThan(0);
    expect(c5.every((f) => /^cannot read the line again: the server answered another range/.test(f.reason))).toBe(true);
  });

  it('a record in the making (upTo tally, no record.json) through a server that refuses HEAD: the report the directory gives', async () => {
    const dir = copyRecord(GOLDEN);
    rmSync(join(dir, 'record.json'));
    const { url } = await started(dir, { ranges: true, hook: (req, res) => req.method === 'HEAD' && (res.writeHead(405).end(), true) });
    const store = httpRecordStore(url);
    expect(await store.size('board.jsonl')).toEqual({ ok: true, value: statSync(join(dir, 'board.jsonl')).size });
    expect(await store.size('record.json')).toMatchObject({ ok: false, missing: true });
    const disk = await verifyRecord(dir, { upTo: 'tally' });
    expect(disk.ok).toBe(true);
    expect(same(await verifyRecordFrom(store, { upTo: 'tally' }))).toEqual(same(disk));
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => httpRecordStore('file:///etc/')).toThrow(RangeError);
    expect(() => httpRecordStore('not a url')).toThrow(RangeError);
  });
});

describe('fileRecordStore (Files as a folder picked in a page gives them)', () => {
  const picked = (dir: string, folder = 'record') =>
    fileNames(dir).map((n) => Object.assign(new File([readFileSync(join(dir, n))], n), { webkitRelativePath: `${folder}/${n}` }));

  it('the same report as the directory; files in subfolders are not the record', async () => {
    const files = [...picked(revotes), Object.assign(new File(['{}'], 'record.json'), { webkitRelativePath: 'record/old/record.json' })];
    const r = await verifyRecordFrom(fileRecordStore(files), { chunkSize: 2 });
    expect(same(r)).toEqual(same(revotesReport));
    expect(r.dir).toBe('record');
  });

  it('a file missing from the pick, or two with one name, is named in a failure', async () => {
    const files = picked(GOLDEN).filter((f) => f.name !== 'credentials.json');
    const r = await verifyRecordFrom(fileRecordStore(files));
    expect(r.checks.find((c) => c.number === 3)!.failures[0]!.reason).toBe('cannot read the file: missing (not among the files picked)');
    const twice = [...picked(GOLDEN), new File(['x'], 'ceremony.json')];
    const r2 = await verifyRecordFrom(fileRecordStore(twice));
    expect(r2.checks.find((c) => c.number === 2)!.failures[0]!.reason).toBe('cannot read the file: two files picked have this name');
  });
});
