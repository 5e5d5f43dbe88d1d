/**
 * The booth's encryption: a 7 × 5 ballot encrypted by the booth's Web Worker
 * (web/src/booth-worker.ts, as built into dist/web) in headless Chromium, against
 * `encryptBallot` in Node, in the same run.
 *
 * Chromium: the built pages are served on 127.0.0.1 with a small driver page that starts the
 * booth's worker exactly as the booth does (`new Worker('booth-worker.js', {type: 'module'})`)
 * and speaks its protocol: `init` (the election), `credential` (a code), then `encrypt` again
 * and again. Two times per encryption: `encryptBallot` alone, timed in the worker (what the
 * worker reports as `ms`), and the round trip the page waits for (postMessage, the encryption,
 * the ballot's JSON, the answer). Node: `encryptBallot(election, credential, grades)` alone.
 * Each side: 3 warm-up encryptions, then 20 timed; median, min and max.
 *
 *   npx tsx bench/booth.ts [--runs 20] [--warmup 3]
 *
 * Chromium is found as the browser tests find it (test/helpers/chromium.ts: MJVOTE_CHROMIUM,
 * else the usual install paths). The pages come from dist/web when it is up to date, else a
 * fresh build of the tsup config's web block (test/web/harness.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync } from 'node:fs';
import { join, normalize } from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ristretto255 as g, ristretto255Backend } from '../src/group/ristretto255.js';
import { credentialFromCode, generateCredentialCode } from '../src/election/credential.js';
import { electionToJson } from '../src/election/election.js';
import { encryptBallot } from '../src/ballot/encrypt.js';
import { testElection, testManifest } from '../test/ballot/fixtures.js';
import { CHROMIUM_ARGS, findChromium } from '../test/helpers/chromium.js';
import { builtPages } from '../test/web/harness.js';

const M = 7;
const K = 5;

const DRIVER = `
const worker = new Worker(new URL('./booth-worker.js', location.href), { type: 'module' });
let next = 0;
const pending = new Map();
worker.onmessage = (e) => {
  const p = pending.get(e.data.id);
  pending.delete(e.data.id);
  if (e.data.ok) p.ok(e.data.result); else p.fail(new Error(e.data.code + ': ' + e.data.reason));
};
const ask = (m) => new Promise((ok, fail) => { const id = ++next; pending.set(id, { ok, fail }); worker.postMessage({ ...m, id }); });
window.runBench = async (election, code, grades, warmup, runs) => {
  const { backend } = await ask({ kind: 'init', election });
  await ask({ kind: 'credential', code });
  const inWorker = [];
  const roundTrip = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    const r = await ask({ kind: 'encrypt', grades });
    const rt = performance.now() - t0;
    if (i >= warmup) { inWorker.push(r.ms); roundTrip.push(rt); }
  }
  return { backend, inWorker, roundTrip, userAgent: navigator.userAgent };
};
window.ready = true;
`;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (xs: readonly number[]): string =>
  `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}; n = ${xs.length})`;

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, warmup: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  const { election } = testElection(g, testManifest({ electionId: 'bench-booth', M, K }));
  const electionJson = electionToJson(election);
  const code = generateCredentialCode();
  const grades = [0, 4, 2, 1, 3, 0, 4];

  // Node: encryptBallot alone.
  const credential = credentialFromCode(g, election.manifest.electionId, code);
  const node: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    encryptBallot(election, credential, grades);
    const t = performance.now() - t0;
    if (i >= warmup) node.push(t);
  }
  const nodeBackend = ristretto255Backend();

  // Chromium: the booth's worker, from the built pages.
  const found = findChromium();
  if (found.kind !== 'found') throw new Error(`no Chromium: ${found.kind === 'absent' ? found.reason : found.message}`);
  const pages = await builtPages();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/bench.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<!doctype html><meta charset="utf-8"><title>booth bench</title><script type="module" src="driver.js"></script>');
    }
    if (path === '/driver.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return res.end(DRIVER);
    }
    const file = normalize(join(pages.dir, path));
    if (!file.startsWith(pages.dir) || !path.endsWith('.js')) return res.writeHead(404).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: found.path, timeout: 0, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/bench.html`);
    await page.waitForFunction(() => (window as any).ready === true);
    const out = (await page.evaluate(([e, c, gs, w, r]) => (window as any).runBench(e, c, gs, w, r), [
      electionJson,
      code,
      grades,
      warmup,
      runs,
    ] as const)) as { backend: string; inWorker: number[]; roundTrip: number[]; userAgent: string };
    if (errors.length > 0) throw new Error(errors.join('; '));

    console.log(`7 × 5 ballot encryption (encryptBallot: 35 ciphertexts, 35 0/1 proofs, 7 exactly-one proofs, hash, signature)`);
    console.log(
      `machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(`pages: ${pages.source}`);
    console.log(`Chromium ${out.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? out.userAgent}, booth worker, backend ${out.backend}:`);
    console.log(`  encryptBallot in the worker: ${fmt(out.inWorker)}`);
    console.log(`  page's round trip:           ${fmt(out.roundTrip)}`);
    console.log(`Node ${process.version}, backend ${nodeBackend}:`);
    console.log(`  encryptBallot:               ${fmt(node)}`);
  } finally {
    await browser.close();
    server.close();
    if (pages.dir !== join(process.cwd(), 'dist/web') && pages.source.startsWith('fresh build'))
      rmSync(pages.dir, { recursive: true, force: true });
  }
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
