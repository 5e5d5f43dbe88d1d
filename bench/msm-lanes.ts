/**
 * The WebAssembly MSM with its bucket phase one lane at a time (radix-2^25.5 code) against two
 * lanes (f64x2 SIMD, wasm/assembly/msm2.ts), in one process, alternating, CPU time per point.
 *
 *   npx tsx bench/msm-lanes.ts [--rounds 7] [--sizes 64,1024,16384,65536] [--windows]
 *
 * Rows: full-size scalars, 128-bit scalars, and the batch verifier's mix (one third full-size,
 * two thirds 128-bit: what a chunk of 7 × 5 ballots gives). `--windows` adds, for the mix at the
 * largest size, the two-lane MSM at each window width c around the automatic one.
 */
import os from 'node:os';
import { ristretto255With, type RistrettoPoint } from '../src/group/ristretto255.js';
import { wasmRuntime } from '../src/wasm/runtime.js';

const W = ristretto255With('wasm');

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const rounds = Number(arg('--rounds') ?? 7);
const sizes = (arg('--sizes') ?? '64,1024,16384,65536').split(',').map(Number);
const rt = wasmRuntime();
const q = W.order;
const rand = (bits: number): bigint => {
  let k = 0n;
  for (let i = 0; i < bits; i += 32) k = (k << 32n) | BigInt((Math.random() * 2 ** 32) >>> 0);
  return (k & ((1n << BigInt(bits)) - 1n)) % q;
};
const cpu = (): number => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

/** µs of CPU per point for one MSM with the lane setting l. */
function run(l: number, pts: RistrettoPoint[], ks: bigint[], reps: number): number {
  rt.x.setMsmLanes(l);
  const c0 = cpu();
  for (let r = 0; r < reps; r++) W.msm(pts, ks);
  const t = (cpu() - c0) / reps / pts.length;
  rt.x.setMsmLanes(0);
  return t;
}

console.log(`Machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}; ${rounds} rounds, alternating.\n`);
console.log('| points | scalars | c | one lane (µs/point) | two lanes (µs/point) | speed-up |\n|---:|---|---:|---:|---:|---:|');
const maxN = Math.max(...sizes);
// Distinct points: P_i = P_{i−1} + R, decoded (Z = 1) as the verifier's are.
const R = W.multiply(W.generator, rand(252) || 1n);
const base: RistrettoPoint[] = [W.multiply(W.generator, rand(252) || 1n)];
for (let i = 1; i < maxN; i++) base.push(W.add(base[i - 1]!, R));
const all = W.decodeMany(base.map((p) => W.encode(p)));
for (const n of sizes) {
  const pts = all.slice(0, n);
  const kinds: [string, bigint[], number][] = [
    ['253-bit', pts.map(() => rand(256)), 253],
    ['128-bit', pts.map(() => rand(128)), 128],
    ['mix ⅓ 253, ⅔ 128', pts.map((_, i) => (i % 3 === 0 ? rand(256) : rand(128))), 253],
  ];
  const reps = Math.max(1, Math.round(20000 / n));
  for (const [name, ks, bits] of kinds) {
    run(1, pts, ks, 1);
    run(2, pts, ks, 1);
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < rounds; r++) {
      one.push(run(1, pts, ks, reps));
      two.push(run(2, pts, ks, reps));
    }
    const a = median(one);
    const b = median(two);
    console.log(`| ${n} | ${name} | ${rt.x.msmWindow(n, bits)} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(a / b).toFixed(2)}× |`);
  }
}

if (process.argv.includes('--windows')) {
  const n = maxN;
  const pts = all.slice(0, n);
  const ks = pts.map((_, i) => (i % 3 === 0 ? rand(256) : rand(128)));
  const auto = rt.x.msmWindow(n, 253);
  console.log(`\nTwo lanes, the mix at ${n} points, by window width (automatic: ${auto}):\n`);
  console.log('| c | µs/point |\n|---:|---:|');
  for (let c = auto - 2; c <= auto + 1; c++) {
    rt.x.setMsmWindow(c);
    const t: number[] = [];
    for (let r = 0; r < rounds; r++) t.push(run(2, pts, ks, Math.max(1, Math.round(20000 / n))));
    console.log(`| ${c} | ${median(t).toFixed(2)} |`);
  }
  rt.x.setMsmWindow(0);
}
