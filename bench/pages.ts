/**
 * The voters' pages, measured in Chromium on loopback (issue 23; docs/BENCHMARKS.md §10):
 *
 * - **Page weight**: the bytes each page transfers (gzip, as `mjvote serve` sends them) and
 *   uncompressed, counted from the responses the browser received (HTML, CSS, scripts, the
 *   WebAssembly inside mjvote's chunk, config.json; the API's answers are listed apart), with a
 *   cold cache.
 * - **Time to interactive** of the booth: from navigation start to the code field accepting
 *   input (the election fetched and parsed), median of 15 cold loads (a fresh browser context
 *   each: no cache), and of 15 warm ones (same context: ETag revalidation).
 *
 * Run: `npm run build && npx tsx bench/pages.ts` (needs a Chromium: MJVOTE_CHROMIUM or the usual
 * paths).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { gzipSync, constants as zlib } from 'node:zlib';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { serveBallotBox } from '../src/server/node-http.js';
import { findChromium } from '../test/helpers/chromium.js';
import { builtPages, launchBrowser, sitePages } from '../test/web/harness.js';
import { electionFixture } from '../test/server/fixture.js';

const PAGES = [
  ['booth', 'index.html'],
  ['opening check', 'check-opening.html'],
  ['board', 'board.html'],
  ['results', 'results.html'],
  ['auditor', 'verify.html'],
] as const;
const LOADS = 15;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const kib = (n: number): string => (n / 1024).toFixed(1);

interface Weight {
  gzip: number;
  raw: number;
  files: { url: string; gzip: number; raw: number }[];
  api: number;
}

/**
 * What a page loads on a cold load, once it is idle (its workers' scripts included): the files
 * of the site it requested (each counted once, though a worker asks again for the chunks it
 * shares with the page: the second time is a 304 revalidation), sized from the built site as
 * the server sends them (gzip at the best level, as src/server/pages.ts does), and the bytes
 * of the API's answers.
 */
async function weigh(page: Page, url: string, site: string): Promise<Weight> {
  const paths = new Set<string>();
  let api = 0;
  page.on('requestfinished', (req) => {
    const path = new URL(req.url()).pathname;
    const file = join(site, path === '/' ? 'index.html' : path.slice(1));
    if (existsSync(file) && statSync(file).isFile()) paths.add(path);
    else void req.sizes().then((s) => (api += s.responseBodySize));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500); // workers started late
  const files = [...paths].map((path) => {
    const body = readFileSync(join(site, path === '/' ? 'index.html' : path.slice(1)));
    const gz = body.length > 512 ? gzipSync(body, { level: zlib.Z_BEST_COMPRESSION }).length : body.length;
    return { url: path, gzip: gz, raw: body.length };
  });
  return { gzip: files.reduce((a, f) => a + f.gzip, 0), raw: files.reduce((a, f) => a + f.raw, 0), files, api };
}

/** Milliseconds from navigation start to the booth's code field being ready for input. */
async function timeToInteractive(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    () => {
      const input = document.querySelector<HTMLInputElement>('main input[type="text"], main input:not([type])');
      return input !== null && !input.disabled && input.offsetParent !== null ? performance.now() : null;
    },
    undefined,
    { polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

async function main(): Promise<void> {
  const found = findChromium();
  if (found.kind !== 'found') throw new Error('no Chromium: set MJVOTE_CHROMIUM');
  const built = await builtPages();
  const tmp = mkdtempSync(join(tmpdir(), 'mjvote-bench-pages-'));
  const f = electionFixture(tmp, 'bench', { voters: 4, candidates: 7, grades: 5, languages: true });
  const srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 1 }, pages: await sitePages() });
  const web = await launchBrowser(found.path, () => srv.url);
  try {
    console.log(
      `# pages: ${built.source}; Chromium ${web.browser.version()}; ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${release()}`,
    );
    console.log('\n| page | transferred (gzip) | uncompressed | files | API answers |\n|---|---:|---:|---:|---:|');
    for (const [name, file] of PAGES) {
      const page = await web.page();
      const w = await weigh(page, `${srv.url}/${file}`, built.dir);
      await page.context().close();
      console.log(`| ${name} | ${kib(w.gzip)} KiB | ${kib(w.raw)} KiB | ${w.files.length} | ${kib(w.api)} KiB |`);
      if (name === 'booth') for (const x of w.files) console.error(`  booth ${x.url}: ${kib(x.gzip)} KiB gzip, ${kib(x.raw)} KiB`);
    }
    const cold: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await web.page();
      cold.push(await timeToInteractive(page, `${srv.url}/`));
      await page.context().close();
    }
    const warm: number[] = [];
    const page = await web.page();
    await timeToInteractive(page, `${srv.url}/`);
    for (let i = 0; i < LOADS; i++) warm.push(await timeToInteractive(page, `${srv.url}/`));
    await page.context().close();
    console.log(`\n| booth, time to interactive (loopback) | median | min | max |\n|---|---:|---:|---:|`);
    console.log(
      `| cold cache (${LOADS} loads) | ${median(cold).toFixed(0)} ms | ${Math.min(...cold).toFixed(0)} ms | ${Math.max(...cold).toFixed(0)} ms |`,
    );
    console.log(
      `| warm cache (${LOADS} loads) | ${median(warm).toFixed(0)} ms | ${Math.min(...warm).toFixed(0)} ms | ${Math.max(...warm).toFixed(0)} ms |`,
    );
    if (web.problems.length > 0) console.error('page problems:', web.problems);
  } finally {
    await web.close();
    await srv.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
