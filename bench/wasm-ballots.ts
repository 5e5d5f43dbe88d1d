/**
 * Ballot-level costs with each ristretto255 backend, in one process: encrypt-and-prove one
 * 7 × 5 majority-judgment ballot, and the record verifier's per-chunk ballot check (check 4:
 * parse, signature, every proof in one batch MSM, tally) per ballot, with a projection for the
 * Primaire Populaire's 392,738 ballots.
 *
 *   npx tsx bench/wasm-ballots.ts            # 512 ballots (MJVOTE_BENCH_BALLOTS to change)
 *
 * Times are medians of interleaved runs; wall-clock / process CPU time, as in wasm-compare.ts.
 */
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ristretto255With } from '../src/group/ristretto255.js';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');
import type { Group } from '../src/group/group.js';
import { prepareElection } from '../src/demo/simulate.js';
import { encryptBallot } from '../src/ballot/encrypt.js';
import { ballotToJson } from '../src/ballot/json.js';
import { electionToJson, parseElection, type Election } from '../src/election/election.js';
import { verifyBallotChunk, type BallotLine } from '../src/verify/ballots.js';
import { generateCredential, type Credential } from '../src/election/credential.js';

const BALLOTS = Number(process.env.MJVOTE_BENCH_BALLOTS ?? 512);
const CHUNK = 128;
const PRIMAIRE = 392_738;

function time(f: () => void, ops: number) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = (performance.now() - t0) / ops;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 / ops };
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

const tmp = mkdtempSync(join(os.tmpdir(), 'mjvote-bench-'));
try {
  // The election and its voters, made on WebAssembly; the same election parsed for noble.
  const setup = prepareElection(
    { voters: BALLOTS, candidates: 7, grades: 5, trustees: 3, threshold: 2, out: join(tmp, 'r'), seed: 'bench' },
    W,
  );
  const elections = new Map<string, { group: Group<any>; election: Election<any>; creds: Credential<any>[] }>();
  const { election, manifest } = setup.directory;
  const creds = setup.deliveries.map((_, v) => setup.credential(v));
  elections.set('wasm', { group: W, election, creds });
  const nobleElection = parseElection(electionToJson(election), { group: N });
  // Voters' credentials for the noble side (the per-chunk check does not look at the registered list).
  const nobleCreds = Array.from({ length: 8 }, () => generateCredential(N, manifest.electionId));
  elections.set('noble', { group: N, election: nobleElection, creds: nobleCreds });
  const grades = (v: number) => Array.from({ length: 7 }, (_, j) => (v * 7 + j * 3) % 5);

  console.log(
    `# ballots, 7 × 5: noble vs WebAssembly — ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log('| operation (ms, wall / CPU) | noble | wasm | speed-up |');
  console.log('|---|---|---|---|');

  // Encrypt and prove (the voter's device): secrets → constant-time paths of each backend.
  {
    const r: Record<string, { wall: number[]; cpu: number[] }> = { noble: { wall: [], cpu: [] }, wasm: { wall: [], cpu: [] } };
    for (let round = 0; round < 5; round++) {
      for (const [name, e] of elections) {
        const t = time(() => {
          for (let v = 0; v < 4; v++) encryptBallot(e.election, e.creds[v]!, grades(v)).cast();
        }, 4);
        r[name]!.wall.push(t.wall);
        r[name]!.cpu.push(t.cpu);
      }
    }
    const f = (n: string) => `${median(r[n]!.wall).toFixed(1)} / ${median(r[n]!.cpu).toFixed(1)}`;
    console.log(
      `| encrypt and prove one ballot | ${f('noble')} | ${f('wasm')} | ${(median(r.noble!.cpu) / median(r.wasm!.cpu)).toFixed(1)}× |`,
    );
  }

  // The ballots (made on WebAssembly: the JSON is the same whichever backend made it).
  const lines: BallotLine[] = [];
  for (let v = 0; v < BALLOTS; v++) {
    const json = ballotToJson(encryptBallot(election, creds[v]!, grades(v)).cast());
    lines.push({ line: v + 3, offset: 0, length: 0, hash: '', payload: { ballot: JSON.parse(JSON.stringify(json)) }, afterSeal: false });
  }

  // Check 4 per chunk, batched (the verifier's default), per ballot.
  const res: Record<string, { wall: number[]; cpu: number[] }> = { noble: { wall: [], cpu: [] }, wasm: { wall: [], cpu: [] } };
  for (let round = 0; round < 3; round++) {
    for (const [name, e] of elections) {
      const t = time(() => {
        for (let i = 0; i < lines.length; i += CHUNK) {
          const p = verifyBallotChunk({ election: e.election, credentials: null, batch: true, file: 'board' }, lines.slice(i, i + CHUNK));
          if (p.failures.length) throw new Error(`${name}: unexpected failure ${JSON.stringify(p.failures[0])}`);
        }
      }, lines.length);
      res[name]!.wall.push(t.wall);
      res[name]!.cpu.push(t.cpu);
    }
  }
  const g = (n: string) => `${median(res[n]!.wall).toFixed(2)} / ${median(res[n]!.cpu).toFixed(2)}`;
  console.log(
    `| verify one ballot (check 4, batched, chunks of ${CHUNK}) | ${g('noble')} | ${g('wasm')} | ${(median(res.noble!.cpu) / median(res.wasm!.cpu)).toFixed(1)}× |`,
  );
  const proj = (n: string) => (median(res[n]!.cpu) * PRIMAIRE) / 60000;
  console.log(
    `\nProjection for ${PRIMAIRE} ballots (check 4 only, CPU time, one core): noble ${proj('noble').toFixed(0)} min, wasm ${proj('wasm').toFixed(1)} min; on 2 workers at the measured ≈1.85×: noble ${(proj('noble') / 1.85).toFixed(0)} min, wasm ${(proj('wasm') / 1.85).toFixed(1)} min.`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
