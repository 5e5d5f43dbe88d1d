/**
 * The browser bundle (`dist/browser/mjvote.browser.js`, the tsup config's browser entry) and the
 * verifier's Web Worker (`dist/browser/verify-worker.js`) for the tests and benches that load
 * mjvote in Chromium: dist's when it is newer than every file under `src/`, else a fresh build of
 * that entry into a temporary directory (a local run without `npm run build`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The built browser files: dist/browser's when fresh, else one fresh build of the browser entry (shared). */
let fresh: Promise<Map<string, string>> | null = null;

async function browserFile(file: string): Promise<{ text: string; source: string }> {
  const dist = join(ROOT, 'dist/browser', file);
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(join(ROOT, 'src')))
    return { text: readFileSync(dist, 'utf8'), source: `dist/browser/${file}` };
  fresh ??= buildBrowserEntry();
  const text = (await fresh).get(file);
  if (text === undefined) throw new Error(`the browser entry of tsup.config.ts builds no ${file}`);
  return { text, source: `fresh build of ${file}` };
}

async function buildBrowserEntry(): Promise<Map<string, string>> {
  const { build } = await import('tsup');
  const configs = (await import('../../tsup.config.js')).default as unknown as Record<string, any>[];
  const entry = configs.find((c) => c.outDir === 'dist/browser');
  if (!entry) throw new Error('tsup.config.ts has no browser entry (outDir dist/browser)');
  const outDir = mkdtempSync(join(tmpdir(), 'mjvote-browser-'));
  try {
    await build({ ...entry, outDir, config: false, silent: true, sourcemap: false, clean: false });
    return new Map(
      readdirSync(outDir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => [f, readFileSync(join(outDir, f), 'utf8')]),
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** The bundle's text, and where it came from. */
export function browserBundle(): Promise<{ text: string; source: string }> {
  return browserFile('mjvote.browser.js');
}

/** The verifier's Web Worker (`dist/browser/verify-worker.js`), and where it came from. */
export function browserVerifyWorker(): Promise<{ text: string; source: string }> {
  return browserFile('verify-worker.js');
}
