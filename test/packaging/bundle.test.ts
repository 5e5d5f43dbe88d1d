/**
 * A consumer that bundles mjvote/node into one file of its own (as a server build would) can
 * still verify on worker threads: it copies the self-contained worker (mjvote/verify-worker) and
 * passes its URL; without it, the verifier says what to do instead of failing obscurely.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOLDEN = join(ROOT, 'test/fixtures/golden-record-v1');
const haveDist = existsSync(join(ROOT, 'dist/node.js')) && existsSync(join(ROOT, 'dist/verify-worker.mjs'));
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const dir = mkdtempSync(join(tmpdir(), 'mjvote-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mjvote/node bundled into a consumer', () => {
  it.skipIf(!haveDist && !inCi)('verifies with 2 workers given workerUrl; without it, names the option', async () => {
    expect(haveDist, 'dist/ is missing: run npm run build before npm test').toBe(true);
    writeFileSync(
      join(dir, 'consumer.mjs'),
      `import { verifyRecord } from 'mjvote/node';
const workerUrl = process.argv[2];
try {
  const r = await verifyRecord(${JSON.stringify(GOLDEN)}, { workers: 2, ...(workerUrl ? { workerUrl } : {}) });
  console.log(JSON.stringify({ ok: r.ok }));
} catch (e) {
  console.log(JSON.stringify({ error: e.message }));
}
`,
    );
    const { build } = await import('tsup');
    const out = join(dir, 'out');
    await build({
      entry: { app: join(dir, 'consumer.mjs') },
      outDir: out,
      format: ['esm'],
      platform: 'node',
      target: 'node20',
      noExternal: [/.*/],
      splitting: false,
      config: false,
      silent: true,
      esbuildOptions(o) {
        o.alias = { 'mjvote/node': join(ROOT, 'dist/node.js') };
      },
    });
    expect(readdirSync(out)).toEqual(['app.js']); // one file: mjvote is inside it
    const worker = join(out, 'mjvote-verifier.mjs');
    copyFileSync(join(ROOT, 'dist/verify-worker.mjs'), worker);
    const run = (...args: string[]) =>
      JSON.parse(
        spawnSync(process.execPath, [join(out, 'app.js'), ...args], { encoding: 'utf8' })
          .stdout.trim()
          .split('\n')
          .at(-1)!,
      );
    expect(run(worker)).toEqual({ ok: true });
    expect(run()).toEqual({
      error: expect.stringMatching(/verifier worker not found .*pass its URL as the workerUrl option, or verify with workers: 1/),
    });
    expect(run(join(out, 'missing.mjs'))).toEqual({
      error: expect.stringMatching(/verifier worker not found at .*missing\.mjs \(the workerUrl option\)/),
    });
  });
});
