/**
 * Field arithmetic of the WebAssembly backend, per operation: the bound on decoding (one
 * 252-squaring exponentiation, `fePow22523`) and on the MSM (7 multiplications per bucket addition).
 *
 *   npx tsx bench/wasm-field.ts
 *
 * `feSq`/`feMul` are timed through one JavaScript → WebAssembly call each (that call costs a few
 * ns); `fePow22523` runs 261 operations inside WebAssembly, so its per-operation figure is the
 * in-module cost.
 */
import os from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { wasmRuntime } from '../src/wasm/loader.js';

const r = wasmRuntime();
const x = r.x as unknown as Record<'fePow22523' | 'feSq', (h: number, f: number) => void> & { feMul: (h: number, f: number, g: number) => void };
const a = r.A;
const b = r.B;
r.i32.fill(0, a >> 2, (a >> 2) + 40);
r.i32[a >> 2] = 12345;
r.i32[(a >> 2) + 1] = 999;
const N = 20000;
const mhz = os.cpus()[0]?.speed || Number(/cpu MHz\s*:\s*([\d.]+)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? 0);
const ghz = mhz / 1000;
console.log(`# WebAssembly field arithmetic — ${os.cpus()[0]?.model} × ${os.cpus().length}, ${ghz.toFixed(2)} GHz, Node ${process.version}`);
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now();
  for (let i = 0; i < N; i++) x.fePow22523(b, a);
  const pow = ((performance.now() - t) * 1e6) / N;
  t = performance.now();
  for (let i = 0; i < N * 50; i++) x.feSq(b, a);
  const sq = ((performance.now() - t) * 1e6) / (N * 50);
  t = performance.now();
  for (let i = 0; i < N * 50; i++) x.feMul(b, a, b);
  const mul = ((performance.now() - t) * 1e6) / (N * 50);
  const cyc = (ns: number) => (ghz > 0 ? ` (≈ ${Math.round(ns * ghz)} cycles)` : '');
  console.log(`round ${rep + 1}: fePow22523 ${(pow / 1000).toFixed(2)} µs = ${(pow / 261).toFixed(1)} ns per operation; feSq ${sq.toFixed(1)} ns${cyc(sq)}; feMul ${mul.toFixed(1)} ns${cyc(mul)}`);
}
