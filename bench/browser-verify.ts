/**
 * The auditor's page against the command line, on the same record in the same run: headless
 * Chromium opens `verify.html` (the built pages, `dist/web/`, served with the pages' CSP by a
 * static server on 127.0.0.1 that publishes the record under `record/` with Range support, as
 * `mjvote serve` does), verifies it on the page's 2 Web Workers, and the built command
 * `node bin/mjvote.js verify DIR --workers 2` verifies the same directory. Runs alternate (CLI,
 * page, CLI, page, …); it prints each run's wall time, the medians and their ratio.
 *
 *   npm run build && npx tsx bench/browser-verify.ts --record /tmp/rec-10k [--runs 3] [--workers 2]
 *
 * A 10,000-ballot 7 × 5 record: `npx tsx bench/large-record.ts --voters 10000 --out /tmp/rec-10k`.
 * Page time: from the click on "Verify the record" to the verdict on screen (the record read over
 * loopback HTTP, the board streamed, superseded ballots re-read by Range requests). CLI time: the
 * process's wall time (start-up included, ≈ 0.3 s).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../test/helpers/chromium.js';
import { PAGES_CSP } from '../src/server/pages.js';

const { values } = parseArgs({
  options: {
    record: { type: 'string' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
  },
});
if (!values.record) throw new Error('usage: bench/browser-verify.ts --record DIR [--runs 3] [--workers 2]');
const record = values.record;
const runs = Number(values.runs);
const workers = values.workers!;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGES = join(ROOT, 'dist/web');
for (const f of ['verify.html', 'verify-page.js', 'verify-worker.js'])
  if (!existsSync(join(PAGES, f))) throw new Error(`dist/web/${f} is missing: run npm run build first`);
if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/cli/main.js is missing: run npm run build first');
const chrome = findChromium();
if (chrome.kind !== 'found') throw new Error(`no Chromium: ${chrome.kind === 'invalid' ? chrome.message : chrome.reason}`);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

// The record's files are streamed from disk for each request (the board can be large), ranges too.
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
  const inRecord = path.startsWith('/record/');
  // The record's own files only (a demo record directory also holds private/).
  if (inRecord && path.slice('/record/'.length).includes('/')) return void res.writeHead(404).end();
  const file = inRecord
    ? join(record, path.slice('/record/'.length) || 'record.json')
    : join(PAGES, normalize(path === '/' ? 'index.html' : path).replace(/^[/\\.]+/, ''));
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return void res.writeHead(404).end();
  }
  const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': PAGES_CSP };
  const r = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
  if (inRecord && r !== null) {
    const a = Number(r[1]);
    const z = Math.min(Number(r[2]), size - 1);
    res.writeHead(206, { ...headers, 'content-range': `bytes ${a}-${z}/${size}`, 'content-length': z - a + 1 });
    return void createReadStream(file, { start: a, end: z }).pipe(res);
  }
  res.writeHead(200, { ...headers, 'content-length': size });
  createReadStream(file).pipe(res);
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: chrome.path, timeout: 0, args: [...CHROMIUM_ARGS] });

/** One verification in the page; seconds from the click to the verdict. */
async function pageRun(): Promise<{ s: number; verdict: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(0);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${origin}/verify.html?lang=en`);
  await page.waitForSelector('#workers');
  await page.fill('#workers', workers);
  const t0 = performance.now();
  await page.getByRole('button', { name: 'Verify the record' }).click();
  await page.waitForSelector('#verdict, [role="alert"]');
  const s = (performance.now() - t0) / 1000;
  const verdict = ((await page.textContent('#verdict')) ?? (await page.textContent('[role="alert"]')) ?? '').trim();
  await context.close();
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  return { s, verdict };
}

/** One run of the built command; its wall time in seconds. */
function cliRun(): { s: number; verdict: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/mjvote.js'), 'verify', record, '--workers', workers], { encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  const verdict = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0) throw new Error(`mjvote verify exited ${r.status}: ${r.stderr}${verdict}`);
  return { s, verdict };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const index = JSON.parse(readFileSync(join(record, 'record.json'), 'utf8')) as { electionId: string };
console.log(
  `record ${record} (${index.electionId}), ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${browser.version()}`,
);
console.log(`workers ${workers}, ${runs} runs each, alternating\n`);
const cli: number[] = [];
const page: number[] = [];
for (let i = 0; i < runs; i++) {
  const c = cliRun();
  cli.push(c.s);
  console.log(`run ${i + 1}  CLI   ${c.s.toFixed(2)} s  ${c.verdict.slice(0, 100)}`);
  const p = await pageRun();
  page.push(p.s);
  console.log(`run ${i + 1}  page  ${p.s.toFixed(2)} s  ${p.verdict.slice(0, 100)}`);
  if (!p.verdict.startsWith('VERIFIED')) throw new Error(`the page did not verify the record: ${p.verdict}`);
}
const mc = median(cli);
const mp = median(page);
console.log(`\n| verifier | median wall time | runs |`);
console.log(`|---|---|---|`);
console.log(`| \`mjvote verify --workers ${workers}\` (Node) | ${mc.toFixed(2)} s | ${cli.map((x) => x.toFixed(2)).join(', ')} |`);
console.log(`| auditor page, ${workers} Web Workers (Chromium) | ${mp.toFixed(2)} s | ${page.map((x) => x.toFixed(2)).join(', ')} |`);
console.log(`\npage / CLI: ${(mp / mc).toFixed(2)}×`);
await browser.close();
server.close();
