/**
 * The floor under batched verification: only the group operations that a 7 × 5 record's
 * verifier must do per ballot, on the record's real points, through the default group's public
 * API (ristretto255 on its WebAssembly backend, checked), with no JSON, hashing, big-integer or
 * protocol code around them. Per ballot:
 *
 * - decode its 226 points (`decodeMany`, one call per chunk);
 * - the exactly-one statements: per candidate Σα and Σβ of its 5 ciphertexts (`sumMany`) and
 *   their encodings (`encodeMany`, one call per chunk);
 * - its share of the chunk's MSM: the 226 points, the 71 whose scalars are full-size in the
 *   verifier (ciphertexts, credential) with random full-size scalars, the 155 commitments with
 *   random 128-bit weights, plus G and the election key once per chunk (`msm`);
 * - the tally: every cell's α and β summed over the chunk's ballots (`sumMany`).
 *
 * Chunks of `--chunk` ballots (default: the verifier's 128) go to `--workers` worker threads; the
 * result is wall time, CPU time, ballots per second and the projection for the Primaire
 * Populaire's 392,738 ballots. With `--workers 1` it also splits the CPU time by operation.
 *
 *   npm run build && npx tsx bench/group-floor.ts /tmp/mjrec/r10k [--ballots 10000] [--workers 2] [--chunk 128]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const dir = process.argv[2];
if (!dir || dir.startsWith('--')) throw new Error('usage: bench/group-floor.ts RECORD_DIR [--ballots N] [--workers W] [--chunk C]');
const maxBallots = arg('--ballots', 10_000);
const workers = arg('--workers', 2);
const chunk = arg('--chunk', 128);
const PRIMAIRE = 392_738;
const POINTS = 226;

/** The 226 point encodings of a 7 × 5 ballot, in a fixed order: credential, signature, then per candidate α, β ×5, proofs' a, b ×10, exactly-one commitments. */
function ballotPoints(b: any): string[] {
  const out: string[] = [b.credential, b.signature.commitment];
  for (const a of b.answers) {
    for (const c of a.choices) out.push(c.alpha, c.beta);
    for (const p of a.proofs) for (const br of p) out.push(br.a, br.b);
    out.push(a.exactlyOne.commitment1, a.exactlyOne.commitment2);
  }
  if (out.length !== POINTS) throw new Error(`expected a 7 × 5 ballot (${POINTS} points), got ${out.length}`);
  return out;
}

const lines = readFileSync(join(dir, 'board.jsonl'), 'utf8').split('\n');
const ballots: Uint8Array[] = [];
for (const l of lines) {
  if (ballots.length >= maxBallots) break;
  if (!l.includes('"kind":"ballot"')) continue;
  const pts = ballotPoints(JSON.parse(l).payload.ballot);
  ballots.push(Uint8Array.from(Buffer.from(pts.join(''), 'hex')));
}
const chunks: Uint8Array[] = [];
for (let i = 0; i < ballots.length; i += chunk) {
  const part = ballots.slice(i, i + chunk);
  const flat = new Uint8Array(part.length * POINTS * 32);
  part.forEach((b, j) => flat.set(b, j * POINTS * 32));
  chunks.push(flat);
}

const lib = resolve('dist/index.cjs');
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { ristretto255: W, ristretto255Backend } = require(${JSON.stringify(lib)});
if (ristretto255Backend() !== 'wasm') throw new Error('the floor is measured on the WebAssembly backend; this thread runs ' + ristretto255Backend());
const { randomBytes } = require('node:crypto');
const POINTS = ${POINTS};
const q = W.order;
const big = (n) => { const b = randomBytes(n); let x = 0n; for (const v of b) x = (x << 8n) | BigInt(v); return x; };
// Which of a ballot's 226 points carry a full-size scalar in the verifier: the credential and the 70 ciphertext points.
const full = new Array(POINTS).fill(false);
full[0] = true;
for (let j = 0; j < 7; j++) for (let k = 0; k < 10; k++) full[2 + 32 * j + k] = true;
const PK = W.decode(workerData.pk, 'pk');
const G = W.generator;
// The scalars (drawn once: the MSM's cost depends on their lengths, not their values).
const KS = [];
for (let i = 0; i < workerData.chunk * POINTS; i++) KS.push(full[i % POINTS] ? big(32) % q : big(16));
KS.push(big(32) % q, big(32) % q);
const split = { decode: 0, sums: 0, msm: 0, tally: 0 };
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
function run(flat) {
  const n = flat.length / (32 * POINTS);
  let t = cpu();
  const pts = W.decodeMany(flat, 'points');
  let u = cpu(); split.decode += u - t; t = u;
  const sums = [];
  for (let b = 0; b < n; b++)
    for (let j = 0; j < 7; j++) {
      const base = b * POINTS + 2 + 32 * j;
      sums.push(W.sumMany([0, 2, 4, 6, 8].map((k) => pts[base + k])), W.sumMany([1, 3, 5, 7, 9].map((k) => pts[base + k])));
    }
  W.encodeMany(sums);
  u = cpu(); split.sums += u - t; t = u;
  const ks = KS.slice(0, pts.length + 2);
  ks[pts.length] = KS[KS.length - 2];
  ks[pts.length + 1] = KS[KS.length - 1];
  t = cpu();
  W.msm([...pts, G, PK], ks);
  u = cpu(); split.msm += u - t; t = u;
  for (let j = 0; j < 7; j++)
    for (let k = 0; k < 10; k++) {
      const cell = [];
      for (let b = 0; b < n; b++) cell.push(pts[b * POINTS + 2 + 32 * j + k]);
      W.sumMany(cell);
    }
  u = cpu(); split.tally += u - t;
}
parentPort.on('message', (m) => {
  if (m === null) { parentPort.postMessage({ split }); return; }
  run(m);
  parentPort.postMessage('done');
});
`;

const pk = JSON.parse(readFileSync(join(dir, 'ceremony.json'), 'utf8'));
const pkHex: string | undefined = pk.result?.jointPublicKey;
if (typeof pkHex !== 'string') throw new Error('ceremony.json: no election public key found');
const pool = Array.from(
  { length: workers },
  () => new Worker(WORKER, { eval: true, workerData: { pk: Buffer.from(pkHex, 'hex'), chunk } }),
);
// Warm-up: one chunk per worker, not timed.
await Promise.all(
  pool.map(
    (w) =>
      new Promise((ok) => {
        w.once('message', ok);
        w.postMessage(chunks[0]);
      }),
  ),
);
for (const w of pool) w.postMessage(null);
await Promise.all(pool.map((w) => new Promise((ok) => w.once('message', ok))));

const c0 = process.cpuUsage();
const t0 = performance.now();
let next = 0;
await Promise.all(
  pool.map(
    (w) =>
      new Promise<void>((ok) => {
        const feed = (): void => {
          if (next >= chunks.length) return ok();
          w.postMessage(chunks[next++]);
        };
        w.on('message', feed);
        feed();
      }),
  ),
);
const wall = (performance.now() - t0) / 1000;
const c = process.cpuUsage(c0);
const splits = await Promise.all(
  pool.map(
    (w) =>
      new Promise<any>((ok) => {
        w.removeAllListeners('message');
        w.once('message', (m) => ok(m.split));
        w.postMessage(null);
      }),
  ),
);
await Promise.all(pool.map((w) => w.terminate()));

const n = ballots.length;
const cpuMs = (c.user + c.system) / 1000;
console.log(
  `Record \`${dir}\`: ${n} ballots, chunks of ${chunk}, ${workers} worker thread(s); ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}; load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}.\n`,
);
console.log('| wall time | ballots/s | CPU per ballot | projected for 392,738 ballots |\n|---:|---:|---:|---:|');
console.log(
  `| ${wall.toFixed(1)} s | ${(n / wall).toFixed(0)} | ${(cpuMs / n).toFixed(2)} ms | ${(PRIMAIRE / (n / wall) / 60).toFixed(1)} min |`,
);
// process.cpuUsage() counts the whole process, so the split by operation is only meaningful on one worker.
if (workers === 1) {
  const tot: Record<string, number> = { decode: 0, sums: 0, msm: 0, tally: 0 };
  for (const k of Object.keys(tot)) tot[k] = splits[0][k];
  const done = n + Math.min(chunk, n); // the warm-up chunk is in the split too
  console.log('\nCPU per ballot by operation (including the warm-up chunk):\n');
  console.log('| operation | ms per ballot |\n|---|---:|');
  const NAMES: Record<string, string> = {
    decode: 'decode 226 points (`decodeMany`)',
    sums: 'exactly-one sums and their encodings (`sumMany`, `encodeMany`)',
    msm: 'MSM share (226 points; 71 full-size scalars, 155 of 128 bits)',
    tally: 'tally sums (`sumMany`)',
  };
  for (const k of Object.keys(tot)) console.log(`| ${NAMES[k]} | ${(tot[k]! / done).toFixed(3)} |`);
}
