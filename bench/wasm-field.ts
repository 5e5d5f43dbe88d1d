/**
 * Field arithmetic of the WebAssembly backend, per operation: the bound on decoding (one
 * 252-squaring exponentiation, `fePow22523`) and on the MSM (7 multiplications per bucket addition).
 *
 *   npx tsx bench/wasm-field.ts [--native]
 *
 * Scalar (`fe*`, ten 32-bit limbs, i64 products) and two-lane SIMD (`fe2*`, one element per
 * f64x2 lane, used by batch decoding) take turns in every round; the table gives medians of the
 * rounds, per element. `feSq`/`feMul` and `fe2Sq`/`fe2Mul` are timed through one JavaScript →
 * WebAssembly call each (a few ns of it is the call); the exponentiations run 261 operations
 * inside WebAssembly, so their per-operation figure is the in-module cost.
 *
 * `--native` also compiles the same scalar squaring in C (`gcc -O2`, when gcc is there) and
 * times a chain of it: how far WebAssembly is from native code for this algorithm.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wasmRuntime } from '../src/wasm/runtime.js';
import { ristretto255With } from '../src/group/ristretto255.js';

const W = ristretto255With('wasm');
const r = wasmRuntime();
const x = r.x;
const base = r.scratch(2048);
const a = (base + 15) & ~15; // one element (scalar) and one pair (fe2), 16-aligned
const b = a + 64;
const pa = a + 256;
const pb = a + 512;
const s = a + 768;
for (let i = 0; i < 32; i++) r.u8[s + i] = (i * 37 + 11) & 255;
r.u8[s + 31]! &= 0x7f;
x.feFromBytes(a, s);
x.fe2SetLane(pa, 0, s);
x.fe2SetLane(pa, 1, s);
x.fe2Carry(pa, pa);

const mhz =
  os.cpus()[0]?.speed ||
  Number(/cpu MHz\s*:\s*([\d.]+)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? 0);
const ghz = mhz / 1000;
const cyc = (ns: number) => (ghz > 0 ? `≈ ${Math.round(ns * ghz)}` : '');
const N = 4000;
const cases: Record<string, () => number> = {
  // ns per element
  'fePow22523 (scalar)': () => time(N, () => x.fePow22523(b, a)),
  'fe2Pow22523 (two lanes)': () => time(N, () => x.fe2Pow22523(pb, pa)) / 2,
  'feSq (scalar)': () => time(N * 40, () => x.feSq(b, a)),
  'fe2Sq (two lanes)': () => time(N * 40, () => x.fe2Sq(pb, pa)) / 2,
  'feMul (scalar)': () => time(N * 40, () => x.feMul(b, a, b)),
  'fe2Mul (two lanes)': () => time(N * 40, () => x.fe2Mul(pb, pa, pb)) / 2,
};
// 226 valid encodings (a ballot's worth), decoded in one call
const enc = W.encodeMany(Array.from({ length: 226 }, (_, i) => W.G.multiplyUnsafe(BigInt(i + 2) ** 40n % W.order)));
cases['decodeMany, per point'] = () => time(40, () => W.decodeMany(enc)) / 226;
function time(n: number, f: () => void): number {
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - t) * 1e6) / n;
}
const samples = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < 15; round++) for (const [k, f] of Object.entries(cases)) samples.get(k)!.push(f());
const median = (v: number[]) => [...v].sort((p, q) => p - q)[v.length >> 1]!;

console.log(
  `# WebAssembly field arithmetic — ${os.cpus()[0]?.model} × ${os.cpus().length}, ${ghz.toFixed(2)} GHz, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('\nMedians of 15 interleaved rounds, per element.\n');
console.log('| operation | ns per element | cycles | per operation inside the chain |\n|---|---:|---:|---:|');
const m = Object.fromEntries([...samples].map(([k, v]) => [k, median(v)]));
for (const [k, ns] of Object.entries(m)) {
  const chain = /Pow/.test(k) ? `${(ns / 261).toFixed(1)} ns` : '';
  console.log(`| ${k} | ${ns.toFixed(1)} | ${cyc(ns)} | ${chain} |`);
}
const ratio = (p: string, q: string) => (m[p]! / m[q]!).toFixed(2);
console.log(
  `\nTwo lanes vs scalar, per element: exponentiation ${ratio('fePow22523 (scalar)', 'fe2Pow22523 (two lanes)')}×, squaring ${ratio('feSq (scalar)', 'fe2Sq (two lanes)')}×, multiplication ${ratio('feMul (scalar)', 'fe2Mul (two lanes)')}×.`,
);

if (process.argv.includes('--native')) {
  // The scalar squaring of wasm/assembly/field.ts, in C, in a dependent chain like fePow22523's.
  const field = readFileSync(join(import.meta.dirname, '..', 'wasm', 'assembly', 'field.ts'), 'utf8');
  const body = /export function feSq\(h: usize, f: usize\): void \{([\s\S]*?)\n\}/
    .exec(field)![1]!
    .replace(/const (\w+) = <i64>load<i32>\(f, (\d+)\);/g, (_, v, o) => `int64_t ${v} = f[${Number(o) / 4}];`)
    .replace(/const (\w+) = /g, 'int64_t $1 = ')
    .replace(/let (\w+) = /g, 'int64_t $1 = ')
    .replace(/let c: i64;/, 'int64_t c;')
    .replace(/store<i32>\(h, <i32>(\w+), (\d+)\);/g, (_, v, o) => `h[${Number(o) / 4}] = (int32_t)${v};`);
  const c = `#include <stdint.h>\n#include <stdio.h>\n#include <time.h>\nstatic void fe_sq(int32_t *h, const int32_t *f) {${body}\n}\nint main(void) {\n  int32_t a[10] = {12345, 999, 7, 0, 0, 0, 0, 0, 0, 1};\n  double best = 1e9;\n  for (int r = 0; r < 15; r++) {\n    struct timespec t0, t1;\n    clock_gettime(CLOCK_MONOTONIC, &t0);\n    for (long i = 0; i < 2000000; i++) fe_sq(a, a);\n    clock_gettime(CLOCK_MONOTONIC, &t1);\n    double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 2e6;\n    if (ns < best) best = ns;\n  }\n  printf("%.1f %d\\n", best, a[0]);\n  return 0;\n}\n`;
  const dir = mkdtempSync(join(os.tmpdir(), 'mjvote-native-'));
  writeFileSync(join(dir, 'sq.c'), c);
  try {
    execFileSync('gcc', ['-O2', '-o', join(dir, 'sq'), join(dir, 'sq.c')]);
    const ns = Number(execFileSync(join(dir, 'sq'), { encoding: 'utf8' }).split(' ')[0]);
    const best = Math.min(...samples.get('fePow22523 (scalar)')!) / 261;
    console.log(
      `\nNative reference: the same squaring compiled by gcc -O2, in a dependent chain: ${ns.toFixed(1)} ns (${cyc(ns)} cycles), against ${best.toFixed(1)} ns per operation in fePow22523's chain (both best of 15 rounds).`,
    );
  } catch (e) {
    console.log(`\nNative reference skipped (${(e as Error).message.split('\n')[0]}).`);
  }
}
