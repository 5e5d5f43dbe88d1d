/**
 * `decodeBatch` inside WebAssembly (no JavaScript wrapper), per point, on a ballot's worth of
 * valid encodings (226), for this checkout and other checkouts in the same process, alternating
 * round by round. Each checkout's module is loaded from its sources (`src/wasm/loader.ts`); with
 * relaxed SIMD turned on first, as the `mjvote` command does, a checkout that has a relaxed-SIMD
 * build runs it.
 *
 *   npx tsx bench/decode-batch.ts [OTHER_CHECKOUT …]
 */
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { enableRelaxedSimd } from '../src/wasm/relaxed-node.js';
import { ristretto255Wasm as W } from '../src/wasm/ristretto255-wasm.js';
import type { WasmRuntime } from '../src/wasm/loader.js';

if (process.env.MJVOTE_WASM_SIMD !== 'simd') enableRelaxedSimd();
const roots = [resolve('.'), ...process.argv.slice(2).map((r) => resolve(r))];
const N = 226;
const enc = W.encodeMany(Array.from({ length: N }, (_, i) => W.G.multiplyUnsafe(BigInt(i + 2) ** 40n % W.order)));
type Loader = { wasmRuntime(): WasmRuntime; wasmVariant?(): string };
const runs = await Promise.all(
  roots.map(async (root) => {
    const loader = (await import(pathToFileURL(join(root, 'src', 'wasm', 'loader.ts')).href)) as Loader;
    const rt = loader.wasmRuntime();
    const base = rt.scratch(N * 200);
    rt.u8.set(enc, base + N * 160);
    const decode = () => rt.x.decodeBatch(base, base + N * 160, N, base + N * 192);
    if (decode() !== N) throw new Error(`${root}: the encodings do not all decode`);
    for (let w = 0; w < 20; w++) decode(); // warm-up (tier-up to the optimizing compiler)
    return { root, variant: loader.wasmVariant?.() ?? 'simd', decode, ns: [] as number[] };
  }),
);
for (let round = 0; round < 15; round++)
  for (const r of round % 2 === 0 ? runs : [...runs].reverse()) {
    const t = performance.now();
    for (let k = 0; k < 40; k++) r.decode();
    r.ns.push(((performance.now() - t) * 1e6) / 40 / N);
  }
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
console.log(`decodeBatch, ${N} valid points per call, ns per point (median of 15 rounds); ${os.cpus()[0]?.model}, Node ${process.version}.\n`);
console.log('| checkout | build | ns per point | vs this checkout |\n|---|---|---:|---:|');
const mine = median(runs[0]!.ns);
for (const r of runs) console.log(`| ${r.root} | ${r.variant} | ${median(r.ns).toFixed(0)} | ${(median(r.ns) / mine).toFixed(2)}× |`);
