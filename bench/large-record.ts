/**
 * Generator of large synthetic election records for the scale benchmarks (issue 7):
 *
 *   npx tsx bench/large-record.ts --voters 100000 --out /tmp/rec-100k [--candidates 7] [--grades 5]
 *        [--trustees 5] [--threshold 3] [--workers N] [--backend wasm|noble] [--revote-rate 0.01] [--seed S]
 *
 * The record is a real one (it verifies), made on the election authority's path as `mjvote demo`
 * makes its own (src/demo/simulate.ts): a real ceremony, `registerVoters`, `openElection`,
 * every ballot encrypted and proven, then close, tally, t trustees' decryption-share files and
 * `publishElection`. What it skips, as a benchmark may and a real booth must not: the ballot
 * box does not re-check ballots it made itself (`unsafeAppendUncheckedBallots` inside
 * `withBallotBox`, one fsync per chunk, instead of `castBallots`), ballots are made in worker
 * threads with the WebAssembly backend (fixed-base tables for G and the election key), and
 * there are no audits or refused ballots.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { prepareElection, finishElection } from '../src/demo/simulate.js';
import { withBallotBox } from '../src/authority/election-directory.js';
import type { BallotBox } from '../src/board/ballot-box.js';
import { OpinionModel, SeededRandom } from '../src/demo/opinions.js';
import { electionToJson } from '../src/election/election.js';
import { ristretto255With, type Ristretto255Backend } from '../src/group/ristretto255.js';

const { values } = parseArgs({
  options: {
    voters: { type: 'string', default: '10000' },
    candidates: { type: 'string', default: '7' },
    grades: { type: 'string', default: '5' },
    trustees: { type: 'string', default: '5' },
    threshold: { type: 'string', default: '3' },
    workers: { type: 'string', default: String(availableParallelism()) },
    backend: { type: 'string', default: 'wasm' },
    'revote-rate': { type: 'string', default: '0.01' },
    seed: { type: 'string', default: 'large-record' },
    out: { type: 'string' },
    chunk: { type: 'string', default: '200' },
  },
});
if (!values.out) throw new Error('--out DIR is required');
const N = Number(values.voters);
const workersN = Math.max(1, Number(values.workers));
const backend = values.backend as Ristretto255Backend;
const chunkSize = Number(values.chunk);
const t0 = performance.now();
const stamp = (what: string) => console.error(`${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s  ${what}`);

// The backend named by --backend (WebAssembly by default), here and in the workers.
const group = ristretto255With(backend);
const opts = {
  voters: N,
  candidates: Number(values.candidates),
  grades: Number(values.grades),
  trustees: Number(values.trustees),
  threshold: Number(values.threshold),
  out: values.out,
  seed: values.seed!,
};
const setup = prepareElection(opts, group);
stamp(`ceremony and ${N} credentials (${backend} backend)`);

// Who votes what: every voter once, a few twice (the later ballot counts).
const rng = new SeededRandom(opts.seed);
const opinions = new OpinionModel(rng, opts.candidates, opts.grades);
const jobs: { voter: number; grades: number[] }[] = [];
for (let v = 0; v < N; v++) jobs.push({ voter: v, grades: opinions.ballot() });
const revoteRate = Number(values['revote-rate']);
for (let v = 0; v < N; v++) if (rng.next() < revoteRate) jobs.push({ voter: v, grades: opinions.ballot() });

const electionJson = electionToJson(setup.directory.election);
// A TypeScript worker: register tsx's loader inside the worker, then import the module.
const workerUrl = new URL('./large-record-worker.ts', import.meta.url).href;
const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); })`;
const workers = Array.from({ length: workersN }, () => new Worker(bootstrap, { eval: true, workerData: { electionJson, backend } }));
const chunks: { id: number; codes: string[]; grades: number[][] }[] = [];
for (let i = 0; i < jobs.length; i += chunkSize) {
  const part = jobs.slice(i, i + chunkSize);
  chunks.push({ id: chunks.length, codes: part.map((j) => setup.deliveries[j.voter]!.code), grades: part.map((j) => j.grades) });
}
// Chunks are appended in order (so a revote always follows the first ballot), as workers finish.
type Items = Parameters<BallotBox<unknown>['unsafeAppendUncheckedBallots']>[0];
const done = new Map<number, Items>();
let next = 0;
let sent = 0;
let ballots = 0;
await withBallotBox(
  setup.directory,
  (box) =>
    new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (sent < chunks.length) w.postMessage(chunks[sent++]);
      };
      for (const w of workers) {
        w.on('error', reject);
        w.on('message', (m: { id: number; items: Items }) => {
          done.set(m.id, m.items);
          while (done.has(next)) {
            const items = done.get(next)!;
            done.delete(next);
            box.unsafeAppendUncheckedBallots(items);
            ballots += items.length;
            next++;
            if (next % 10 === 0 || next === chunks.length) stamp(`${ballots}/${jobs.length} ballots`);
          }
          if (next === chunks.length) resolve();
          else feed(w);
        });
        feed(w);
      }
    }),
);
await Promise.all(workers.map((w) => w.terminate()));
stamp(`${ballots} ballots encrypted, proven and appended with ${workersN} workers`);
const closed = await finishElection(setup.directory, setup.keys, rng);
stamp(`sealed, tallied (${closed.tally.ballots} counted), decrypted by trustees ${closed.decrypting.join(', ')}; record in ${opts.out}`);
