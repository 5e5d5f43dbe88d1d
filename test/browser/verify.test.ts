/**
 * The universal verifier in a real browser: a node:http server on 127.0.0.1 serves a published
 * record (with HTTP Range support, and a variant that ignores Range), the browser bundle and the
 * verifier's Web Worker (`dist/browser/mjvote.browser.js`, `dist/browser/verify-worker.js`,
 * built by the tsup config's browser entry), under a strict Content-Security-Policy (the one
 * docs/verification.md asks of a page). Headless Chromium verifies the record with
 * `verifyRecordFrom(httpRecordStore(…))` on 2 Web Workers, reporting progress; Node verifies the
 * same directory with `verifyRecord`, and the two reports must be equal (but for `ms` and
 * `dir`). Tampered records (one ballot proof changed; one result count changed) must make the
 * browser name the same failing checks, with the same failures, as Node.
 *
 * The record has many revotes and is verified in chunks of 3 ballots, so that superseded
 * ballots cross chunks and are read again (by Range requests, or in one pass without them).
 * The Chromium comes from test/helpers/chromium.ts (see there for skipping and requiring it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runDemoElection } from '../../src/demo/simulate.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { verificationReportToJson, type VerificationReport } from '../../src/verify/report.js';
import { browserTests, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { browserBundle, browserVerifyWorker } from '../helpers/browser-bundle.js';
import {
  copyRecord,
  failedChecks,
  flipHex,
  readBoard,
  readJson,
  removeCopies,
  tempDir,
  writeBoardRechained,
  writeJson,
} from '../verify/helpers.js';

const CHROMIUM = browserTests('test/browser/verify.test.ts');
const CHUNK = 3;
/** What docs/verification.md says a page that verifies needs. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";

/** A report as JSON, without what differs between runs and places. */
function comparable(r: unknown): unknown {
  const { ms: _ms, dir: _dir, ...rest } = r as { ms: number; dir: string };
  return rest;
}

interface BrowserRun {
  report: any;
  ok: boolean;
  progress: { phase: string; done: number; total: number }[];
  workersStarted: number;
  chunksPosted: number;
  backend: string;
}

describe.skipIf(CHROMIUM.skip)('the verifier in headless chromium, on Web Workers', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const records = new Map<string, string>();
  const rangeRequests: { path: string; status: number }[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const executablePath = CHROMIUM.executable();
    const [bundle, worker] = await Promise.all([browserBundle(), browserVerifyWorker()]);

    const revotes = tempDir();
    rmSync(revotes, { recursive: true });
    const demo = await runDemoElection({
      voters: 24,
      candidates: 3,
      grades: 4,
      trustees: 3,
      threshold: 2,
      out: revotes,
      seed: 'browser-verify',
      revoteRate: 0.5,
      audits: 1,
    });
    expect(demo.revotes).toBeGreaterThanOrEqual(5);
    records.set('good', revotes);

    const proof = copyRecord(revotes);
    const lines = readBoard(proof);
    const b = (lines.find((l) => l.kind === 'ballot')!.payload as any).ballot;
    b.answers[1].proofs[2][0].response = flipHex(b.answers[1].proofs[2][0].response, 7);
    writeBoardRechained(proof, lines);
    records.set('proof', proof);

    const count = copyRecord(revotes);
    const res = readJson(count, 'result.json');
    res.meritProfiles[0].counts[1] = String(BigInt(res.meritProfiles[0].counts[1]) + 1n);
    writeJson(count, 'result.json', res);
    records.set('count', count);

    const html = '<!doctype html><meta charset="utf-8"><title>mjvote verifier test</title><script type="module" src="/page.js"></script>';
    const pageJs = 'import * as m from "/mjvote.browser.js"; window.mjvote = m;';
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const send = (type: string, body: string) => {
        res.writeHead(200, { 'content-type': type, 'content-security-policy': CSP });
        res.end(body);
      };
      if (url.pathname === '/') return send('text/html; charset=utf-8', html);
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
      if (url.pathname === '/page.js') return send('text/javascript; charset=utf-8', pageJs);
      if (url.pathname === '/mjvote.browser.js') return send('text/javascript; charset=utf-8', bundle.text);
      if (url.pathname === '/verify-worker.js') return send('text/javascript; charset=utf-8', worker.text);
      // /range/<record>/<file> honours Range; /whole/<record>/<file> ignores it (answers 200).
      const m = /^\/(range|whole)\/(\w+)\/([\w.-]+)$/.exec(url.pathname);
      const dir = m === null ? undefined : records.get(m[2]!);
      let body: Buffer;
      try {
        if (dir === undefined) throw new Error('no such record');
        body = readFileSync(join(dir, m![3]!));
      } catch {
        res.writeHead(404).end();
        return;
      }
      const r = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (m![1] === 'range' && r !== null) {
        const a = Number(r[1]);
        const z = Math.min(Number(r[2]), body.length - 1);
        rangeRequests.push({ path: url.pathname, status: 206 });
        res.writeHead(206, { 'content-range': `bytes ${a}-${z}/${body.length}`, 'content-length': z - a + 1, 'accept-ranges': 'bytes' });
        res.end(body.subarray(a, z + 1));
        return;
      }
      if (r !== null) rangeRequests.push({ path: url.pathname, status: 200 });
      res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
      res.end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath, timeout: 0, args: [...CHROMIUM_ARGS] });
    page = await browser.newPage();
    page.setDefaultTimeout(0);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'mjvote' in window);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    removeCopies();
  });

  /** Verifies /{mode}/{record}/ in the page on 2 Web Workers (started from workerUrl, counted through a wrapping factory). */
  function verifyInPage(mode: 'range' | 'whole', record: string): Promise<BrowserRun> {
    return page.evaluate(
      async ({ base, chunkSize }) => {
        const m = (window as any).mjvote;
        const progress: { phase: string; done: number; total: number }[] = [];
        const web = m.webVerifyWorkers('/verify-worker.js');
        let workersStarted = 0;
        let chunksPosted = 0;
        const workerFactory = (init: unknown) => {
          workersStarted++;
          const w = web(init);
          return { ...w, post: (x: unknown) => (chunksPosted++, w.post(x)) };
        };
        const report = await m.verifyRecordFrom(m.httpRecordStore(base), {
          workers: 2,
          workerFactory,
          chunkSize,
          onProgress: (p: { phase: string; done: number; total: number }) => progress.push({ ...p }),
        });
        return {
          report: m.verificationReportToJson(report),
          ok: report.ok,
          progress,
          workersStarted,
          chunksPosted,
          backend: m.ristretto255Backend(),
        };
      },
      { base: `/${mode}/${record}/`, chunkSize: CHUNK },
    );
  }

  function nodeReport(record: string): Promise<VerificationReport> {
    return verifyRecord(records.get(record)!, { chunkSize: CHUNK });
  }

  it.each(['range', 'whole'] as const)(
    'a published record (%s answers): the same report as Node, on 2 Web Workers, with progress',
    async (mode) => {
      const before = rangeRequests.length;
      const run = await verifyInPage(mode, 'good');
      const node = await nodeReport('good');
      expect(node.ok).toBe(true);
      expect(node.counts.revotes).toBeGreaterThanOrEqual(5);
      expect(run.ok).toBe(true);
      expect(comparable(run.report)).toEqual(comparable(verificationReportToJson(node)));
      expect(run.report.dir).toBe(`${origin}/${mode}/good/`);
      // 2 Web Workers checked the chunks; the page's own group runs on WebAssembly
      expect(run.workersStarted).toBe(2);
      expect(run.chunksPosted).toBe(Math.ceil(node.counts.ballots! / CHUNK));
      expect(run.backend).toBe('wasm');
      // the board streamed with byte progress to its size, the superseded ballots read again
      const board = run.progress.filter((p) => p.phase === 'board');
      const size = readFileSync(join(records.get('good')!, 'board.jsonl')).length;
      expect(board.length).toBeGreaterThan(0);
      expect(board.at(-1)).toEqual({ phase: 'board', done: size, total: size });
      expect(board.every((p, i) => i === 0 || p.done >= board[i - 1]!.done)).toBe(true);
      const revotes = run.progress.filter((p) => p.phase === 'revotes');
      expect(revotes.at(-1)!.done).toBe(revotes.at(-1)!.total);
      expect(revotes.at(-1)!.total).toBeGreaterThan(0);
      expect(run.progress.at(-1)).toEqual({ phase: 'done', done: 1, total: 1 });
      // the re-read went through Range requests (206), or one 200 pass where Range is ignored
      const asked = rangeRequests.slice(before).filter((q) => q.path.endsWith('/board.jsonl'));
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((q) => q.status === (mode === 'range' ? 206 : 200))).toBe(true);
      if (mode === 'whole') expect(asked.length).toBe(1);
      expect(pageErrors).toEqual([]);
    },
    180_000,
  );

  it.each([
    ['proof', [4]],
    ['count', [7, 8]],
  ] as const)(
    'a tampered record (%s): the browser names the same failing checks and failures as Node',
    async (record, expected) => {
      const node = await nodeReport(record);
      expect(failedChecks(node)).toEqual(expected);
      const run = await verifyInPage('range', record);
      expect(run.ok).toBe(false);
      const failing = (run.report.checks as { number: number; status: string }[])
        .filter((c) => c.status !== 'pass' && !(c.number === 10 && c.status === 'skipped'))
        .map((c) => c.number);
      expect(failing).toEqual(expected);
      expect(comparable(run.report)).toEqual(comparable(verificationReportToJson(node)));
    },
    180_000,
  );

  it('workers > 1 without workerUrl or workerFactory is refused; a worker script that is not there fails the verification', async () => {
    const out = await page.evaluate(async () => {
      const m = (window as any).mjvote;
      const store = m.httpRecordStore('/range/good/');
      const why = async (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: Error) => `${e.name}: ${e.message}`,
        );
      return {
        noUrl: await why(m.verifyRecordFrom(store, { workers: 2 })),
        missing: await why(m.verifyRecordFrom(store, { workers: 2, workerUrl: '/no-such-worker.js' })),
      };
    });
    expect(out.noUrl).toMatch(/^RangeError: workers: more than 1 needs workerUrl/);
    expect(out.missing).toMatch(/^Error: verifier worker \/no-such-worker\.js/);
  }, 60_000);
});
