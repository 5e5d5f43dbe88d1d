/**
 * The browser bundle (`dist/browser/mjvote.browser.js`, the tsup config's browser entry) for the
 * tests and benches that load mjvote in Chromium: dist's when it is newer than every file under
 * `src/`, else a fresh build of that entry into a temporary directory (a local run without
 * `npm run build`).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST_BUNDLE = join(ROOT, 'dist/browser/mjvote.browser.js');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The bundle's text, and where it came from. */
export async function browserBundle(): Promise<{ text: string; source: string }> {
  if (existsSync(DIST_BUNDLE) && statSync(DIST_BUNDLE).mtimeMs >= newestMtime(join(ROOT, 'src')))
    return { text: readFileSync(DIST_BUNDLE, 'utf8'), source: 'dist/browser/mjvote.browser.js' };
  const { build } = await import('tsup');
  const configs = (await import('../../tsup.config.js')).default as unknown as Record<string, any>[];
  const entry = configs.find((c) => c.outDir === 'dist/browser');
  if (!entry) throw new Error('tsup.config.ts has no browser entry (outDir dist/browser)');
  const outDir = mkdtempSync(join(tmpdir(), 'mjvote-browser-'));
  try {
    await build({ ...entry, outDir, config: false, silent: true, sourcemap: false, clean: false });
    const file = readdirSync(outDir).find((f) => f.endsWith('.js'));
    return { text: readFileSync(join(outDir, file!), 'utf8'), source: `fresh build of ${Object.keys(entry.entry).join(',')}` };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
