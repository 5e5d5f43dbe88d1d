/**
 * The two embedded builds of the WebAssembly backend side by side in one process: `simd`
 * (f64x2 products and sums) and `relaxed-simd` (fused multiply-adds, `docs/wasm.md`), each in
 * its own instance, taking turns in every round on the same inputs. Both must give the same
 * bytes; the script checks that for every operation it times.
 *
 *   npx tsx bench/wasm-builds.ts [--rounds 15]
 *
 * Rows: the two-lane exponentiation (the decoding's z^((p−5)/8), per element), batch decoding of
 * a ballot's 226 points (`decodeBatch`, per point), and the MSM per point at 2^14 and 2^16
 * points, with full-size scalars and with the batch verifier's mix (one full-size scalar for
 * two 128-bit weights). Times are medians of the rounds after five unmeasured ones; the ratio
 * is simd / relaxed-simd.
 */
import os from 'node:os';
import { wasmRuntimeOf, type WasmRuntime, type WasmVariant } from '../src/wasm/loader.js';
import { enableRelaxedSimd } from '../src/wasm/relaxed-node.js';
import { ristretto255Wasm as W } from '../src/wasm/ristretto255-wasm.js';
import { ristretto255 as N } from '../src/group/ristretto255.js';
import { bigintIntoLE, toHex } from '../src/bytes.js';

if (!enableRelaxedSimd()) throw new Error('this engine does not accept WebAssembly relaxed SIMD');
const ri = process.argv.indexOf('--rounds');
const ROUNDS = ri > 0 ? Number(process.argv[ri + 1]) : 15;
const BUILDS: WasmVariant[] = ['simd', 'relaxed-simd'];
const rts = new Map<WasmVariant, WasmRuntime>(BUILDS.map((b) => [b, wasmRuntimeOf(b)]));

// Inputs: 2^16 distinct valid encodings (multiples of G) and scalars below q.
const MAX = 1 << 16;
const pts = Array.from({ length: 512 }, (_, i) => W.G.multiplyUnsafe(BigInt(i + 2) ** 40n % W.order));
const encodings = new Uint8Array(32 * MAX);
{
  // 512 base points and their sums with one another: 2^16 further points cheaply
  const more = [];
  for (let i = 0; more.length < MAX; i++) for (let j = 0; j < 128 && more.length < MAX; j++) more.push(W.add(pts[i]!, pts[(i + j + 1) % 512]!));
  for (let k = 0; k < MAX; k += 4096) encodings.set(W.encodeMany(more.slice(k, k + 4096)), 32 * k);
}
const full = Array.from({ length: MAX }, () => N.randomScalar());
const mix = full.map((k, i) => (i % 3 === 0 ? k : k & ((1n << 128n) - 1n))); // the verifier's mix

interface Case {
  name: string;
  per: number; // elements per call
  run(rt: WasmRuntime, at: number): void;
  /** Scratch bytes the case needs, set up once per runtime: returns the base address and the bytes to compare. */
  setup(rt: WasmRuntime): { at: number; out: () => string };
}

function decodeCase(n: number): Case {
  return {
    name: `decodeBatch, ${n} points, per point`,
    per: n,
    setup(rt) {
      const at = rt.scratch(n * (32 + 160 + 1));
      rt.u8.set(encodings.subarray(0, 32 * n), at);
      return { at, out: () => toHex(rt.u8.slice(at + 32 * n, at + 32 * n + 161 * n)) };
    },
    run(rt, at) {
      rt.x.decodeBatch(at + 32 * n, at, n, at + 192 * n);
    },
  };
}

function msmCase(n: number, scalars: readonly bigint[], label: string): Case {
  const bits = 253;
  return {
    name: `msm, 2^${Math.log2(n)} points, ${label}, per point`,
    per: n,
    setup(rt) {
      const scratch = rt.x.msmScratchBytes(n, bits);
      const at = rt.scratch(n * (160 + 32 + 1) + 160 + scratch);
      const ptsAt = at;
      const ksAt = at + 160 * n;
      const enc = at + n * (160 + 32 + 1) + 160 + scratch; // past the area: a temporary for the encodings
      rt.ensure(enc + 33 * n);
      rt.u8.set(encodings.subarray(0, 32 * n), enc);
      if (rt.x.decodeBatch(ptsAt, enc, n, enc + 32 * n) !== n) throw new Error('bench inputs do not decode');
      for (let i = 0; i < n; i++) bigintIntoLE(scalars[i]!, rt.u8, ksAt + 32 * i, 32);
      return {
        at,
        out: () => {
          rt.x.encode(rt.S, rt.R);
          return toHex(rt.u8.slice(rt.S, rt.S + 32));
        },
      };
    },
    run(rt, at) {
      const ksAt = at + 160 * n;
      rt.x.msm(rt.R, at, ksAt, n, bits, at + n * (160 + 32 + 1) + 160);
    },
  };
}

const cases: Case[] = [
  {
    name: 'fe2Pow22523 (two lanes), per element',
    per: 2 * 200,
    setup(rt) {
      const at = (rt.scratch(512) + 15) & ~15;
      const s = at + 384;
      rt.u8.set(encodings.subarray(0, 32), s);
      rt.x.fe2SetLane(at, 0, s);
      rt.x.fe2SetLane(at, 1, s);
      rt.x.fe2Carry(at, at);
      return { at, out: () => toHex(rt.u8.slice(at + 192, at + 384)) };
    },
    run(rt, at) {
      for (let i = 0; i < 200; i++) rt.x.fe2Pow22523(at + 192, at);
    },
  },
  decodeCase(226),
  msmCase(1 << 14, full, 'full-size scalars'),
  msmCase(1 << 14, mix, 'the verifier\'s mix'),
  msmCase(1 << 16, full, 'full-size scalars'),
  msmCase(1 << 16, mix, 'the verifier\'s mix'),
];

const times = new Map<string, number[]>();
for (const c of cases) {
  const ready = BUILDS.map((b) => {
    const rt = rts.get(b)!;
    const s = c.setup(rt);
    c.run(rt, s.at); // warm-up, and the output to compare
    return { b, rt, ...s };
  });
  const outs = ready.map((r) => r.out());
  if (outs.some((o) => o !== outs[0])) throw new Error(`${c.name}: the builds disagree`);
  // warm-up: V8 compiles WebAssembly with its baseline compiler first and tiers hot functions up
  // in the background; a few unmeasured calls let that finish for both builds
  for (let w = 0; w < 5; w++) for (const r of ready) c.run(r.rt, r.at);
  for (let round = 0; round < ROUNDS; round++)
    for (const r of round % 2 === 0 ? ready : [...ready].reverse()) {
      const t = performance.now();
      c.run(r.rt, r.at);
      const us = ((performance.now() - t) * 1000) / c.per;
      const key = `${c.name}|${r.b}`;
      times.set(key, [...(times.get(key) ?? []), us]);
    }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
console.log(`# The two WebAssembly builds side by side — ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log(`Medians of ${ROUNDS} rounds (the builds alternate within each), µs; every operation gave the same bytes on both builds.\n`);
console.log('| operation | simd | relaxed-simd | simd / relaxed-simd |\n|---|---:|---:|---:|');
for (const c of cases) {
  const s = median(times.get(`${c.name}|simd`)!);
  const r = median(times.get(`${c.name}|relaxed-simd`)!);
  console.log(`| ${c.name} | ${s.toFixed(2)} | ${r.toFixed(2)} | **${(s / r).toFixed(2)}×** |`);
}
