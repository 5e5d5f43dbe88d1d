/**
 * What the pages' browser tests share (issue 23): the built pages (dist/web, rebuilt into a
 * temporary directory when older than a file under web/ or src/), an election served with them
 * by a real `serveBallotBox` on loopback, a headless Chromium (test/helpers/chromium.ts) whose
 * pages are watched for errors and for any request leaving the server's origin, and the
 * accessibility check (axe-core, WCAG 2.1 A and AA rules) that must find nothing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../helpers/chromium.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadPages, PAGES_CSP, type Pages } from '../../src/server/pages.js';
import { byteRange } from '../../src/server/handler.js';
import { nodeRequestListener } from '../../src/server/node-http.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST_WEB = join(ROOT, 'dist/web');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

let built: { dir: string; source: string; cleanup: () => void } | null = null;

/**
 * The built pages' directory: dist/web when it is newer than every file under web/ and src/,
 * else a fresh build of the tsup config's web block into a temporary directory.
 */
export async function builtPages(): Promise<{ dir: string; source: string }> {
  if (built !== null) return built;
  const newest = Math.max(newestMtime(join(ROOT, 'web')), newestMtime(join(ROOT, 'src')));
  if (
    existsSync(join(DIST_WEB, 'index.html')) &&
    statSync(join(DIST_WEB, 'index.html')).mtimeMs >= newest &&
    newestMtime(DIST_WEB) >= newest
  ) {
    built = { dir: DIST_WEB, source: 'dist/web', cleanup: () => {} };
    return built;
  }
  const { build } = await import('tsup');
  const configs = (await import('../../tsup.config.js')).default as unknown as Record<string, any>[];
  const web = configs.find((c) => c.outDir === 'dist/web');
  if (!web) throw new Error('tsup.config.ts has no web block (outDir dist/web)');
  const outDir = mkdtempSync(join(tmpdir(), 'mjvote-web-'));
  await build({ ...web, outDir, config: false, silent: true, sourcemap: false, clean: false });
  built = {
    dir: outDir,
    source: `fresh build of the web block into ${outDir}`,
    cleanup: () => rmSync(outDir, { recursive: true, force: true }),
  };
  return built;
}

/** The pages, loaded for `serveBallotBox({ pages })`. */
export async function sitePages(): Promise<Pages> {
  return loadPages((await builtPages()).dir);
}

/** axe-core's source, injected into pages by {@link axeViolations}. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A violation axe-core found: its rule, impact, help and the elements (selectors) it found. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it is now with the WCAG 2.0/2.1 A and AA rules, and returns
 * the violations (a test expects none). The source is injected as a script through the
 * DevTools protocol (page.evaluate), so the page's CSP does not block it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as any).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => n.target.join(' ')) }));
  });
}

/** A Chromium and what its pages did wrong: uncaught errors, console errors, requests to another origin. */
export interface WebBrowser {
  readonly browser: Browser;
  /** A new context (own storage) at desktop size, or phone size (375 × 740, touch, device scale 2). */
  context(opts?: { phone?: boolean; locale?: string }): Promise<BrowserContext>;
  /** A new page in a new context, watched. */
  page(opts?: { phone?: boolean; locale?: string }): Promise<Page>;
  /** Everything the watched pages did wrong so far (a test expects none). */
  readonly problems: string[];
  close(): Promise<void>;
}

/**
 * Launches Chromium; every page it opens is watched: uncaught errors, console errors and any
 * request to an origin other than `origin` (the pages load nothing from elsewhere) are listed
 * in `problems`.
 */
export async function launchBrowser(executablePath: string, origin: () => string): Promise<WebBrowser> {
  const browser = await chromium.launch({ executablePath, timeout: 0, args: [...CHROMIUM_ARGS] });
  const problems: string[] = [];
  const watch = (page: Page): void => {
    page.setDefaultTimeout(0);
    page.on('pageerror', (e) => problems.push(`pageerror on ${page.url()}: ${String(e)}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
    });
    page.on('request', (r) => {
      const u = r.url();
      if (u.startsWith('blob:') || u.startsWith('data:')) return;
      if (new URL(u).origin !== origin()) problems.push(`request to another origin: ${u}`);
    });
  };
  const context = async (opts: { phone?: boolean; locale?: string } = {}): Promise<BrowserContext> => {
    const c = await browser.newContext({
      ...(opts.phone
        ? { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
        : { viewport: { width: 1280, height: 900 } }),
      locale: opts.locale ?? 'en-US',
      acceptDownloads: true,
    });
    c.on('page', watch);
    return c;
  };
  return {
    browser,
    context,
    async page(opts = {}) {
      const c = await context(opts);
      return c.newPage();
    },
    problems,
    close: () => browser.close(),
  };
}

/** A static host of the built pages and of record directories (see {@link staticSite}). */
export interface StaticSite {
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves the built pages and, under each URL prefix of `records` (`/record/`,
 * `/records/proof/`…), the files of a record directory, as a plain static host would: no API,
 * the pages' CSP on every answer, one byte range answered 206 when `ranges` is set (else the
 * whole file: the auditor's page then reads the board once more).
 */
export async function staticSite(records: ReadonlyMap<string, string>, opts: { ranges?: boolean } = {}): Promise<StaticSite> {
  const pages = await sitePages();
  const server = createServer(
    nodeRequestListener(async (req) => {
      const url = new URL(req.url);
      const path = decodeURIComponent(url.pathname);
      for (const [prefix, dir] of records) {
        if (!path.startsWith(prefix)) continue;
        const name = path.slice(prefix.length) || 'record.json';
        let body: Uint8Array<ArrayBuffer>;
        try {
          if (!/^[\w.-]+$/.test(name)) throw new Error('not a file of the record');
          body = new Uint8Array(readFileSync(join(dir, name)));
        } catch {
          return new Response(null, { status: 404 });
        }
        const headers = {
          'content-type': name.endsWith('.jsonl') ? 'application/x-ndjson' : 'application/json',
          'content-security-policy': PAGES_CSP,
        };
        const range = opts.ranges ? byteRange(req.headers.get('range'), body.length) : null;
        if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { 'content-range': `bytes */${body.length}` } });
        if (range === null) return new Response(body, { headers: { ...headers, 'content-length': String(body.length) } });
        return new Response(body.subarray(range.start, range.end + 1), {
          status: 206,
          headers: {
            ...headers,
            'content-range': `bytes ${range.start}-${range.end}/${body.length}`,
            'content-length': String(range.end - range.start + 1),
          },
        });
      }
      return pages.respond(req, url) ?? new Response(null, { status: 404 });
    }),
  );
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
