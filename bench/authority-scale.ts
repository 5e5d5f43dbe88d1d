/**
 * Scale of the election authority's steps (issue 21): `register` for many voters, then `open`,
 * `close`, `tally`, the trustees' decryption and `publish` on a board of many ballots, each
 * through the library functions the `mjvote election` commands call, with the time and the
 * process's peak memory after each step.
 *
 *   npx tsx bench/authority-scale.ts --ballots 20000 --register 500000 --out /tmp/authority-20k
 *        [--candidates 7] [--grades 5] [--trustees 5] [--threshold 3] [--workers N]
 *        [--ballots-only]          then later: --steps-only --out DIR
 *
 * Ballots are made as bench/large-record.ts makes them (worker threads, WebAssembly backend,
 * appended without re-checking: `unsafeAppendUncheckedBallots`); that part is not one of the
 * steps measured. `--register` registers that many voters (the first `--ballots` of them vote).
 * The steps after the ballots run in a fresh child process (`--steps-only`), so that its peak
 * memory is theirs, not the ballot workers'; the trustees' keys reach it as state files
 * (bench passphrase, cheap scrypt: never do that with real keys).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseManifest } from '../src/election/manifest.js';
import { generateTrusteeIdentity } from '../src/election/trustee-identity.js';
import { credentialListToJson } from '../src/election/credential.js';
import { electionToJson } from '../src/election/election.js';
import { ceremonyParamsForManifest } from '../src/ceremony/params.js';
import type { TrusteeKey } from '../src/ceremony/trustee-key.js';
import { exportTrusteeState, importTrusteeState } from '../src/ceremony/state-file.js';
import { ristretto255 } from '../src/group/ristretto255.js';
import { decryptionShares } from '../src/decrypt/shares.js';
import { decryptionShareFileToJson } from '../src/decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../src/decrypt/tally.js';
import { encryptedTallyToJson } from '../src/tally/aggregate.js';
import { canonicalSha256 } from '../src/json/canonical.js';
import { OpinionModel, SeededRandom } from '../src/demo/opinions.js';
import { runTrusteeCeremony } from '../src/demo/simulate.js';
import {
  closeElection,
  electionStatus,
  openElection,
  publishElection,
  readElectionDirectory,
  tallyElection,
  withBallotBox,
} from '../src/authority/election-directory.js';
import { deliveryCsv, numberedVoters, registerVotersInChunks } from '../src/authority/register.js';
import { writeNewFileInPieces } from '../src/cli/trustee-files.js';

const { values } = parseArgs({
  options: {
    ballots: { type: 'string', default: '10000' },
    register: { type: 'string' },
    candidates: { type: 'string', default: '7' },
    grades: { type: 'string', default: '5' },
    trustees: { type: 'string', default: '5' },
    threshold: { type: 'string', default: '3' },
    workers: { type: 'string', default: String(availableParallelism()) },
    out: { type: 'string' },
    'steps-only': { type: 'boolean' },
    'ballots-only': { type: 'boolean' },
  },
});
if (!values.out) throw new Error('--out DIR is required');
const BENCH_PASSPHRASE = 'bench only: not a real passphrase';
const rows: { step: string; seconds: number; peakMiB: number }[] = [];
async function step<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  const seconds = (performance.now() - t0) / 1000;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  rows.push({ step: name, seconds, peakMiB });
  console.error(`${name.padEnd(40)} ${seconds.toFixed(1).padStart(8)} s   peak RSS ${peakMiB.toFixed(0)} MiB`);
  return r;
}
if (values['steps-only']) {
  await stepsOnly(values.out, Number(values.threshold));
  process.exit(0);
}
const B = Number(values.ballots);
const R = Number(values.register ?? values.ballots);
if (R < B) throw new Error('--register must be at least --ballots');
const M = Number(values.candidates);
const K = Number(values.grades);
const n = Number(values.trustees);
const t = Number(values.threshold);
const g = ristretto255;
rmSync(values.out, { recursive: true, force: true });
mkdirSync(values.out, { recursive: true });
const dir = join(values.out, 'election');

const identities = Array.from({ length: n }, () => generateTrusteeIdentity());
const grades = ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant', 'À rejeter', 'G7', 'G8', 'G9', 'G10'].slice(0, K);
const manifest = parseManifest({
  version: 2,
  electionId: 'authority-scale',
  title: 'Authority scale benchmark',
  candidates: Array.from({ length: M }, (_, j) => ({ id: `c${j + 1}`, name: `Candidate ${j + 1}` })),
  grades,
  group: 'ristretto255',
  trustees: { n, t, identities: identities.map((x) => x.publicKeyHex) },
});

// As `mjvote election register` does it: the delivery file streamed, only the public keys kept.
const codes: string[] = [];
const reg = await step(`register ${R.toLocaleString('en')} voters`, () => {
  let first = true;
  const list = writeNewFileInPieces(join(values.out!, 'delivery.csv'), 0o600, (write) =>
    registerVotersInChunks(g, manifest, numberedVoters(R), (chunk) => {
      write(deliveryCsv(manifest, chunk, first));
      first = false;
      // The bench keeps the first --ballots codes to vote with (a real registrar keeps none).
      for (const x of chunk) if (codes.length < B) codes.push(x.code);
    }),
  );
  return { list };
});

const params = ceremonyParamsForManifest(g, manifest);
const ceremony = runTrusteeCeremony(params, identities);
const keys = ceremony.keys;
const transcriptJson: unknown = JSON.parse(JSON.stringify(ceremony.transcript.toJson()));

await step('open', () => openElection(dir, { manifest, ceremony: transcriptJson, credentials: credentialListToJson(reg.list) }));
const d = readElectionDirectory(dir);

// Ballots (not measured): the first B voters, in worker threads.
{
  const t0 = performance.now();
  const rng = new SeededRandom('authority-scale');
  const opinions = new OpinionModel(rng, M, K);
  const chunkSize = 200;
  const chunks: { id: number; codes: string[]; grades: number[][] }[] = [];
  for (let i = 0; i < B; i += chunkSize) {
    const chunkCodes = codes.slice(i, Math.min(B, i + chunkSize));
    chunks.push({ id: chunks.length, codes: chunkCodes, grades: chunkCodes.map(() => opinions.ballot()) });
  }
  const workerUrl = new URL('./large-record-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); })`;
  const workers = Array.from(
    { length: Math.max(1, Number(values.workers)) },
    () => new Worker(bootstrap, { eval: true, workerData: { electionJson: electionToJson(d.election), backend: 'wasm' } }),
  );
  await withBallotBox(d, async (box) => {
    type Items = Parameters<typeof box.unsafeAppendUncheckedBallots>[0];
    const done = new Map<number, Items>();
    let next = 0;
    let sent = 0;
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker): void => {
        if (sent < chunks.length) w.postMessage(chunks[sent++]);
      };
      for (const w of workers) {
        w.on('error', reject);
        w.on('message', (m: { id: number; items: Items }) => {
          done.set(m.id, m.items);
          while (done.has(next)) {
            box.unsafeAppendUncheckedBallots(done.get(next)!);
            done.delete(next);
            next++;
          }
          if (next === chunks.length) resolve();
          else feed(w);
        });
        feed(w);
      }
      if (chunks.length === 0) resolve();
    });
  });
  await Promise.all(workers.map((w) => w.terminate()));
  console.error(`(${B.toLocaleString('en')} ballots made and appended in ${((performance.now() - t0) / 1000).toFixed(0)} s; not measured)`);
}

// The measured steps after the ballots, in a fresh process (its peak memory is theirs).
writeFileSync(
  join(values.out, 'keys.json'),
  JSON.stringify([...keys.values()].map((k) => exportTrusteeState(k, BENCH_PASSPHRASE, { logN: 1, allowWeakKdf: true }))),
);
if (values['ballots-only']) {
  // Making the ballots takes long; the steps can then be timed later, on a quiet machine, with
  // `--steps-only --out DIR` (on a copy of DIR, to time them again).
  console.log(JSON.stringify({ ballots: B, registered: R, rows }, null, 1));
  process.exit(0);
}
const child = spawnSync(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(import.meta.url), '--steps-only', '--out', values.out, '--threshold', String(t)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  },
);
if (child.status !== 0) throw new Error(`the steps' process failed (${child.status})`);
const childRows = JSON.parse(child.stdout) as typeof rows;
console.log(
  JSON.stringify(
    { ballots: B, registered: R, candidates: M, grades: K, trustees: n, threshold: t, rows: [...rows, ...childRows] },
    null,
    1,
  ),
);

/** The measured steps on an election directory with its ballots cast (run in a fresh process). */
async function stepsOnly(out: string, t: number): Promise<void> {
  const dir = join(out, 'election');
  const d = readElectionDirectory(dir);
  const g = d.group;
  const params = d.transcript.params;
  const keys = new Map<number, TrusteeKey<unknown>>(
    (JSON.parse(readFileSync(join(out, 'keys.json'), 'utf8')) as unknown[]).map((f) => {
      const k = importTrusteeState(f, BENCH_PASSPHRASE, g, { allowWeakKdf: true }) as TrusteeKey<unknown>;
      return [k.trustee, k];
    }),
  );
  const B = (await electionStatus(join(dir, 'board.jsonl'), d.manifest.electionId)).ballots;
  await step('close (reopen + seal)', () => closeElection(d));
  const tallied = await step(`tally ${B.toLocaleString('en')} ballots (reopen + tally)`, () => tallyElection(d));
  const shareFiles = await step(`${t} trustees decrypt (in-process)`, () =>
    [...keys.keys()].slice(0, t).map((j) => ({
      name: `share-${j}.json`,
      json: JSON.parse(
        JSON.stringify(
          decryptionShareFileToJson(
            params,
            {
              electionId: d.manifest.electionId,
              fingerprintHex: d.election.fingerprintHex,
              tallySha256: canonicalSha256(encryptedTallyToJson(g, tallied.tally)),
              boardHead: tallied.head,
            },
            decryptionShares(g, keys.get(j)!, flattenTally(tallied.tally), tallyDecryptionContext(d.election)),
          ),
        ),
      ),
    })),
  );
  await step('publish (check, combine, reopen, write)', () => publishElection(d, shareFiles));
  const st = await step('status (read the board)', () => electionStatus(join(dir, 'board.jsonl'), d.manifest.electionId));
  console.error(`phase ${st.phase}: ${st.ballots} ballots, ${st.registered} registered`);
  console.log(JSON.stringify(rows));
}
