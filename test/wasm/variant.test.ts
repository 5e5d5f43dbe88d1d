/**
 * Which embedded build of the WebAssembly backend runs: `relaxed-simd` where the engine accepts
 * it, `simd` otherwise, `MJVOTE_WASM_SIMD` to force one; and the `mjvote` command, which turns
 * relaxed SIMD on in Node 20 (main thread and worker threads). The builds' arithmetic is
 * compared in fe2.test.ts (every test on both) and by the `wasm-relaxed-simd` test project
 * (vitest.config.ts), which runs the group's differential tests on the relaxed build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import * as nodeApi from '../../src/node.js';
import { relaxedSimdAvailable, wasmRuntimeOf, wasmVariant, wasmVariantBytes, wasmVariantFromEnv } from '../../src/wasm/loader.js';
import { WASM_BYTES, WASM_RELAXED_BYTES } from '../../src/wasm/module.generated.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const haveDist = existsSync(DIST);
const inCi = process.env.CI === 'true';

describe('the embedded builds', () => {
  it('both are WebAssembly modules of the sizes recorded; only the relaxed one uses relaxed SIMD', () => {
    const simd = wasmVariantBytes('simd');
    const relaxed = wasmVariantBytes('relaxed-simd');
    expect(simd.length).toBe(WASM_BYTES);
    expect(relaxed.length).toBe(WASM_RELAXED_BYTES);
    expect(WebAssembly.validate(simd as BufferSource)).toBe(true);
    // f64x2.relaxed_madd is 0xfd 0x87 0x02 (LEB128 of 0x107)
    const has = (b: Uint8Array) => b.some((v, i) => v === 0xfd && b[i + 1] === 0x87 && b[i + 2] === 0x02);
    expect(has(relaxed)).toBe(true);
    expect(has(simd)).toBe(false);
  });

  it('the runtime takes relaxed-simd exactly when the engine accepts it (MJVOTE_WASM_SIMD unset)', () => {
    expect(process.env.MJVOTE_WASM_SIMD ?? '').toBe(''); // this test file runs in the default project only
    expect(wasmVariant()).toBe(relaxedSimdAvailable() ? 'relaxed-simd' : 'simd');
  });

  it('enableRelaxedSimd makes this engine accept the relaxed build, whose instances run', () => {
    expect(nodeApi.enableRelaxedSimd()).toBe(true);
    expect(relaxedSimdAvailable()).toBe(true);
    expect(wasmRuntimeOf('relaxed-simd').x.layout()).toBe(wasmRuntimeOf('simd').x.layout());
  });

  it('MJVOTE_WASM_SIMD is read and validated', () => {
    const saved = process.env.MJVOTE_WASM_SIMD;
    try {
      for (const v of ['simd', 'relaxed-simd', 'auto'] as const) {
        process.env.MJVOTE_WASM_SIMD = v;
        expect(wasmVariantFromEnv()).toBe(v);
      }
      delete process.env.MJVOTE_WASM_SIMD;
      expect(wasmVariantFromEnv()).toBe('auto');
      process.env.MJVOTE_WASM_SIMD = 'fma';
      expect(() => wasmVariantFromEnv()).toThrow(/MJVOTE_WASM_SIMD must be auto, simd or relaxed-simd, got 'fma'/);
    } finally {
      if (saved === undefined) delete process.env.MJVOTE_WASM_SIMD;
      else process.env.MJVOTE_WASM_SIMD = saved;
    }
  });

  it('is exported: the variant functions from the package entry, enableRelaxedSimd from mjvote/node', () => {
    expect(api.wasmVariant).toBe(wasmVariant);
    expect(api.relaxedSimdAvailable).toBe(relaxedSimdAvailable);
    expect(api.wasmVariantFromEnv).toBe(wasmVariantFromEnv);
    expect(typeof nodeApi.enableRelaxedSimd).toBe('function');
    expect('enableRelaxedSimd' in api).toBe(false); // node:v8 stays out of the browser entry
  });
});

describe('the library in a fresh Node process (dist/index.js)', () => {
  const LIB = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const select = (env: Record<string, string>) =>
    spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `import * as m from ${JSON.stringify(LIB)}; let g; try { g = m.selectRistretto255(); } catch (e) { console.log('select threw ' + e.name + ': ' + e.message); process.exit(0); } console.log(g === m.ristretto255Wasm ? 'wasm' : 'noble', m.wasmVariant());`],
      { encoding: 'utf8', env: { ...process.env, ...env } },
    );

  it.skipIf(!haveDist && !inCi)('takes the engine\'s default build; refuses a bad or unmet MJVOTE_WASM_SIMD instead of falling back to noble', () => {
    expect(haveDist, 'dist is missing: run npm run build before npm test').toBe(true);
    const fresh = relaxedSimdAvailableInFreshNode();
    const plain = select({ MJVOTE_WASM_SIMD: '' });
    expect(plain.stdout.trim()).toBe(fresh ? 'wasm relaxed-simd' : 'wasm simd');
    expect(select({ MJVOTE_WASM_SIMD: 'simd' }).stdout.trim()).toBe('wasm simd');
    expect(select({ MJVOTE_WASM_SIMD: 'fma' }).stdout.trim()).toBe("select threw RangeError: MJVOTE_WASM_SIMD must be auto, simd or relaxed-simd, got 'fma'");
    if (!fresh)
      expect(select({ MJVOTE_WASM_SIMD: 'relaxed-simd' }).stdout.trim()).toMatch(/^select threw Error: ristretto255 wasm: MJVOTE_WASM_SIMD=relaxed-simd, but this engine does not accept relaxed SIMD/);
  });
});

/** Whether a Node process started without flags accepts relaxed SIMD (Node 22+: yes; Node 20: no). */
function relaxedSimdAvailableInFreshNode(): boolean {
  const r = spawnSync(process.execPath, ['-e', `console.log(WebAssembly.validate(new Uint8Array(Buffer.from(${JSON.stringify(Buffer.from(wasmVariantBytes('relaxed-simd')).toString('base64'))}, 'base64'))))`], { encoding: 'utf8' });
  return r.stdout.trim() === 'true';
}

describe('the mjvote command and relaxed SIMD (dist/cli/main.js)', () => {
  const run = (env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [DIST, 'verify', GOLDEN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

  it.skipIf(!haveDist && !inCi)('verifies with the relaxed build forced, on one thread and with workers, and with the SIMD build forced', () => {
    expect(haveDist, 'dist/cli/main.js is missing: run npm run build before npm test').toBe(true);
    // Forced relaxed-simd throws where the engine refuses it: exit 0 means the command turned it on.
    for (const args of [[], ['--workers', '2']]) {
      const r = run({ MJVOTE_WASM_SIMD: 'relaxed-simd' }, ...args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('VERIFIED: all 9 checks pass');
    }
    const s = run({ MJVOTE_WASM_SIMD: 'simd' });
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toContain('VERIFIED: all 9 checks pass');
  });

  it.skipIf(!haveDist && !inCi)('a bad MJVOTE_WASM_SIMD or MJVOTE_BACKEND is a usage error naming it (exit 2), not a silent fallback', () => {
    expect(haveDist, 'dist/cli/main.js is missing: run npm run build before npm test').toBe(true);
    const r = run({ MJVOTE_WASM_SIMD: 'fma' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("mjvote: MJVOTE_WASM_SIMD must be auto, simd or relaxed-simd, got 'fma'\n");
    const b = spawnSync(process.execPath, [DIST, 'verify', GOLDEN], { encoding: 'utf8', env: { ...process.env, MJVOTE_BACKEND: 'fast' } });
    expect(b.status).toBe(2);
    expect(b.stderr).toBe("mjvote: MJVOTE_BACKEND must be auto, wasm or noble, got 'fast'\n");
  });
});
