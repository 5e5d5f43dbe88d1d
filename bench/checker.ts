/**
 * The ballot box's ballot check (issue 22, `src/server/checker.ts`, `checker-pool.ts`) on 7 × 5
 * ballots, WebAssembly backend: ballots per second on one thread, batched and one by one, and
 * through the pool of worker threads.
 *
 *   npx tsx bench/checker.ts [--ballots 512] [--batch 32] [--rounds 3] [--workers 2]
 *
 * The ballots are made once, by worker threads (bench/large-record-worker.ts), and cached in the
 * system's temporary directory (mjvote-bench-checker-N.json) with their election and credential
 * list. Rows, each the median of `rounds` runs over every ballot (runs interleaved):
 * - checkBallotTexts in batches of `--batch`, on canonical texts (the fast path) and on
 *   `JSON.stringify` texts (parseJson and parseBallot);
 * - each ballot alone: checkBallot's own batch (one MSM per ballot), and checkBallotTexts with
 *   `batch: false` (equation by equation, the reference);
 * - the pool (`--workers`, maxBatch `--batch`): every ballot submitted at once, wall time until
 *   the last outcome, batched and not; its mean batch size.
 * Wall-clock ballots per second, and on one thread the process CPU time per ballot.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ristretto255With } from '../src/group/ristretto255.js';
import { createElection, electionToJson, parseElection, type ElectionJson } from '../src/election/election.js';
import { parseManifest } from '../src/election/manifest.js';
import {
  credentialFromCode,
  credentialListToJson,
  createCredentialList,
  generateCredentialCode,
  parseCredentialList,
  type CredentialListJson,
} from '../src/election/credential.js';
import type { BallotJson } from '../src/ballot/json.js';
import { canonicalJson } from '../src/json/canonical.js';
import { parseBallot } from '../src/ballot/parse.js';
import { checkBallot } from '../src/ballot/check.js';
import { checkBallotTexts } from '../src/server/checker.js';
import { BallotCheckerPool } from '../src/server/checker-pool.js';

const { values } = parseArgs({
  options: {
    ballots: { type: 'string', default: '512' },
    batch: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
  },
});
const N = Number(values.ballots);
const B = Number(values.batch);
const ROUNDS = Number(values.rounds);
const WORKERS = Number(values.workers);
const W = ristretto255With('wasm');

interface Fixture {
  electionJson: ElectionJson;
  credentialsJson: CredentialListJson;
  ballots: BallotJson[];
}

/** N ballots of N voters of a fresh 7 × 5 election, made by two worker threads. */
async function makeFixture(): Promise<Fixture> {
  const manifest = parseManifest({
    version: 1,
    electionId: 'bench-checker',
    title: 'Checker benchmark',
    candidates: Array.from({ length: 7 }, (_, j) => ({ id: `c${j}`, name: `Candidate ${j}` })),
    grades: ['Excellent', 'Very good', 'Good', 'Passable', 'Reject'],
    group: 'ristretto255',
    trustees: { n: 3, t: 2 },
  });
  const rows = Array.from({ length: 3 }, () => Array.from({ length: 2 }, () => W.G.multiply(W.randomScalar())));
  const election = createElection(manifest, {
    coefficientCommitments: rows,
    jointPublicKey: rows.reduce((s, r) => W.add(s, r[0]!), W.identity),
  });
  const codes = Array.from({ length: N }, () => generateCredentialCode());
  const credentialsJson = credentialListToJson(
    createCredentialList(
      W,
      manifest.electionId,
      codes.map((c) => credentialFromCode(W, manifest.electionId, c).publicKey),
    ),
  );
  const electionJson = electionToJson(election);
  const url = new URL('./large-record-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`;
  const chunk = 32;
  const ballots: BallotJson[] = new Array(N);
  const workers = Array.from({ length: 2 }, () => new Worker(bootstrap, { eval: true, workerData: { electionJson, backend: 'wasm' } }));
  let sent = 0;
  await new Promise<void>((resolve, reject) => {
    let done = 0;
    const feed = (w: Worker) => {
      if (sent >= N) return;
      const from = sent;
      sent = Math.min(N, sent + chunk);
      const ids = codes.slice(from, sent);
      w.postMessage({ id: from, codes: ids, grades: ids.map((_, i) => Array.from({ length: 7 }, (_, j) => (from + i + 2 * j) % 5)) });
    };
    for (const w of workers) {
      w.on('error', reject);
      w.on('message', (m: { id: number; items: { json: BallotJson }[] }) => {
        m.items.forEach((it, i) => (ballots[m.id + i] = it.json));
        done += m.items.length;
        if (done === N) resolve();
        else feed(w);
      });
      feed(w);
    }
  });
  await Promise.all(workers.map((w) => w.terminate()));
  return { electionJson, credentialsJson, ballots };
}

const cache = join(os.tmpdir(), `mjvote-bench-checker-${N}.json`);
let fixture: Fixture;
if (existsSync(cache)) fixture = JSON.parse(readFileSync(cache, 'utf8')) as Fixture;
else {
  const t = performance.now();
  fixture = await makeFixture();
  writeFileSync(cache, JSON.stringify(fixture));
  console.error(`${N} ballots made in ${((performance.now() - t) / 1000).toFixed(1)} s, cached in ${cache}`);
}
const election = parseElection(fixture.electionJson, { group: W });
const credentials = parseCredentialList(fixture.credentialsJson, W, { electionId: election.manifest.electionId });
const canonical = fixture.ballots.map((b) => canonicalJson(b));
const plain = fixture.ballots.map((b) => JSON.stringify(b));

/** Checks every text in batches of B; throws unless every ballot is accepted. */
function allOk(texts: string[], batch: boolean): void {
  for (let i = 0; i < texts.length; i += B) {
    const out = checkBallotTexts(election, credentials, texts.slice(i, i + B), { batch });
    const bad = out.find((o) => !o.ok);
    if (bad) throw new Error(`refused: ${JSON.stringify(bad)}`);
  }
}

const rows: [string, () => void][] = [
  [`checkBallotTexts, batches of ${B}, canonical texts`, () => allOk(canonical, true)],
  [`checkBallotTexts, batches of ${B}, JSON.stringify texts`, () => allOk(plain, true)],
  [
    'each ballot alone: parse + checkBallot {batch: true} (one MSM per ballot)',
    () => {
      for (const t of canonical)
        if (!checkBallot(election, parseBallot(JSON.parse(t), election), { credentials, batch: true }).ok) throw new Error();
    },
  ],
  ['each ballot alone: checkBallotTexts {batch: false} (equation by equation)', () => allOk(canonical, false)],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const wall = new Map<string, number[]>();
const cpu = new Map<string, number[]>();
allOk(canonical.slice(0, B), true); // warm up
for (let r = 0; r < ROUNDS; r++)
  for (const [name, run] of r % 2 === 0 ? rows : [...rows].reverse()) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    (wall.get(name) ?? wall.set(name, []).get(name)!).push(ms);
    (cpu.get(name) ?? cpu.set(name, []).get(name)!).push((c.user + c.system) / 1000);
  }

/**
 * CPU time of this (the main) thread so far, ms: on Linux from /proc (the main thread's task id is
 * the process id; clock ticks of 10 ms, fine over a run of seconds); elsewhere null.
 */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime, stime (fields 14 and 15)
  } catch {
    return null;
  }
}

/** The pool: every ballot submitted at once; wall time until the last outcome. */
async function poolRun(batch: boolean): Promise<{ ms: number; cpu: number; main: number; mean: number }> {
  const pool = await BallotCheckerPool.start(fixture.electionJson, fixture.credentialsJson, { workers: WORKERS, maxBatch: B, batch });
  try {
    await Promise.all(canonical.slice(0, 2 * B).map((t) => pool.check(t))); // warm up
    const before = pool.stats;
    const times: number[] = [];
    const cpus: number[] = [];
    const mains: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const c0 = process.cpuUsage(); // every thread of the process
      const m0 = mainThreadCpu();
      const e0 = performance.eventLoopUtilization(); // this thread only (wall time while busy)
      const t0 = performance.now();
      const out = await Promise.all(canonical.map((t) => pool.check(t)));
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
      const m1 = mainThreadCpu();
      mains.push(m0 !== null && m1 !== null ? m1 - m0 : performance.eventLoopUtilization(e0).active);
      if (!out.every((o) => o.ok)) throw new Error('the pool refused a valid ballot');
    }
    const s = pool.stats;
    return { ms: median(times), cpu: median(cpus), main: median(mains), mean: (s.ballots - before.ballots) / (s.batches - before.batches) };
  } finally {
    await pool.close();
  }
}
const pooled = await poolRun(true);
const pooledOff = await poolRun(false);

console.log(
  `# ballot checks, 7 × 5, WebAssembly — ${N} ballots; ${os.cpus()[0]?.model ?? '?'} × ${os.availableParallelism()}, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; medians of ${ROUNDS} rounds\n`,
);
console.log('| what | ballots/s | ms of CPU per ballot, all threads | of which the main thread |\n|---|---:|---:|---:|');
for (const [name] of rows)
  console.log(`| ${name} | ${((1000 * N) / median(wall.get(name)!)).toFixed(0)} | ${(median(cpu.get(name)!) / N).toFixed(2)} | |`);
for (const [p, what] of [
  [pooled, `batched (mean batch ${pooled.mean.toFixed(1)})`],
  [pooledOff, 'batching off'],
] as const)
  console.log(
    `| pool, ${WORKERS} workers, maxBatch ${B}, ${what} | ${((1000 * N) / p.ms).toFixed(0)} | ${(p.cpu / N).toFixed(2)} | ${(p.main / N).toFixed(2)} |`,
  );
