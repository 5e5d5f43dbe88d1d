/**
 * ristretto255: the WebAssembly backend side by side with noble, in one process, interleaved.
 *
 *   npx tsx bench/wasm-compare.ts            # all rows (about 2–4 minutes, most of it noble's MSM at 2^16)
 *   MJVOTE_BENCH_QUICK=1 npx tsx bench/wasm-compare.ts   # skip the 2^16 MSM
 *
 *
 * For each operation, batches of noble and wasm alternate `ROUNDS` times; the table gives the
 * median per-operation time, both wall-clock and process CPU time (user + system, which is
 * what the operation would take on an idle core of a shared, loaded machine), and the ratio.
 */
import os from 'node:os';
import { ristretto255With, type RistrettoPoint } from '../src/group/ristretto255.js';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');

const ROUNDS = 5;
const quick = process.env.MJVOTE_BENCH_QUICK === '1';

interface Sample {
  wall: number;
  cpu: number;
}
function time(f: () => void, ops: number): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = ((performance.now() - t0) * 1000) / ops;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / ops };
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

const rows: string[] = [];
function compare(name: string, ops: number, noble: () => void, wasm: () => void, rounds = ROUNDS): void {
  noble(); // warm-up (JIT, lazy tables)
  wasm();
  const n: Sample[] = [];
  const w: Sample[] = [];
  for (let r = 0; r < rounds; r++) {
    n.push(time(noble, ops));
    w.push(time(wasm, ops));
  }
  const nw = median(n.map((s) => s.wall));
  const nc = median(n.map((s) => s.cpu));
  const ww = median(w.map((s) => s.wall));
  const wc = median(w.map((s) => s.cpu));
  const f = (us: number) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
  const row = `| ${name} | ${f(nw)} / ${f(nc)} | ${f(ww)} / ${f(wc)} | ${(nw / ww).toFixed(1)}× / ${(nc / wc).toFixed(1)}× |`;
  rows.push(row);
  console.log(row);
}

const q = N.order;
const k1 = N.randomScalar();
const nP = N.G.multiplyUnsafe(N.randomScalar());
const nQ = N.G.multiplyUnsafe(N.randomScalar());
const wP = W.decode(N.encode(nP));
const wQ = W.decode(N.encode(nQ));
const encs = Array.from({ length: 200 }, () => N.encode(N.G.multiplyUnsafe(N.randomScalar())));
const ks = Array.from({ length: 200 }, () => N.randomScalar());
const nTable = N.precompute(nQ);
const wTable = W.precompute(wQ);

console.log(
  `# ristretto255: noble vs WebAssembly — ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('| operation (µs per op, wall / CPU) | noble | wasm | speed-up |');
console.log('|---|---|---|---|');
compare(
  'decode (validating)',
  encs.length * 5,
  () => {
    for (let r = 0; r < 5; r++) for (const e of encs) N.decode(e);
  },
  () => {
    for (let r = 0; r < 5; r++) for (const e of encs) W.decode(e);
  },
);
compare(
  'decodeMany (per point, 200 per call)',
  encs.length * 5,
  () => {
    for (let r = 0; r < 5; r++) for (const e of encs) N.decode(e);
  },
  () => {
    for (let r = 0; r < 5; r++) W.decodeMany(encs);
  },
);
compare(
  'encode',
  1000,
  () => {
    for (let i = 0; i < 1000; i++) N.encode(nP);
  },
  () => {
    for (let i = 0; i < 1000; i++) W.encode(wP);
  },
);
compare(
  'add',
  20000,
  () => {
    let a = nP;
    for (let i = 0; i < 20000; i++) a = N.add(a, nQ);
  },
  () => {
    let a = wP;
    for (let i = 0; i < 20000; i++) a = W.add(a, wQ);
  },
);
compare(
  'multiply (constant time)',
  100,
  () => {
    for (let i = 0; i < 100; i++) N.multiply(nP, ks[i]!);
  },
  () => {
    for (let i = 0; i < 100; i++) W.multiply(wP, ks[i]!);
  },
);
compare(
  'multiplyUnsafe',
  100,
  () => {
    for (let i = 0; i < 100; i++) N.multiplyUnsafe(nP, ks[i]!);
  },
  () => {
    for (let i = 0; i < 100; i++) W.multiplyUnsafe(wP, ks[i]!);
  },
);
compare(
  'G.multiply (fixed base, constant time)',
  200,
  () => {
    for (let i = 0; i < 200; i++) N.G.multiply(ks[i]!);
  },
  () => {
    for (let i = 0; i < 200; i++) W.G.multiply(ks[i]!);
  },
);
compare(
  'G.multiplyUnsafe (fixed base)',
  200,
  () => {
    for (let i = 0; i < 200; i++) N.G.multiplyUnsafe(ks[i]!);
  },
  () => {
    for (let i = 0; i < 200; i++) W.G.multiplyUnsafe(ks[i]!);
  },
);
compare(
  'precompute(B).multiply (election key table, CT)',
  200,
  () => {
    for (let i = 0; i < 200; i++) nTable.multiply(ks[i]!);
  },
  () => {
    for (let i = 0; i < 200; i++) wTable.multiply(ks[i]!);
  },
);
compare(
  'precompute(B) (building a table)',
  5,
  () => {
    for (let i = 0; i < 5; i++) N.precompute(nP);
  },
  () => {
    for (let i = 0; i < 5; i++) W.precompute(wP);
  },
  3,
);

for (const logN of quick ? [10, 14] : [10, 14, 16]) {
  const n = 1 << logN;
  // Distinct points cheaply: P_i = P_{i-1} + Q (decoded points have Z = 1; these are projective).
  const np: RistrettoPoint[] = [nP];
  const wp: RistrettoPoint[] = [wP];
  for (let i = 1; i < n; i++) {
    np.push(N.add(np[i - 1]!, nQ));
    wp.push(W.add(wp[i - 1]!, wQ));
  }
  const full = Array.from({ length: n }, () => N.randomScalar());
  const short = full.map((k) => k >> 125n);
  const rounds = logN >= 16 ? 3 : ROUNDS;
  compare(
    `msm, 2^${logN} points, per point`,
    n,
    () => N.msm(np, full),
    () => W.msm(wp, full),
    rounds,
  );
  compare(
    `msm, 2^${logN} points, 128-bit scalars, per point`,
    n,
    () => N.msm(np, short),
    () => W.msm(wp, short),
    rounds,
  );
}
void q;
void k1;
