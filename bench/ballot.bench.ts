/**
 * One 7-candidate × 5-grade majority-judgment ballot (35 0/1 proofs, 7 exactly-one proofs, a
 * signature): encrypt-and-prove, parse, and check one by one vs batched (`ballotEquations` in
 * one BatchVerifier MSM), with the noble and the WebAssembly ristretto255 backends.
 * `npx vitest bench --run bench/ballot.bench.ts` (numbers in docs/ballot.md).
 */
import { bench, describe } from 'vitest';
import type { Group } from '../src/group/group.js';
import { ristretto255With } from '../src/group/ristretto255.js';
import { generateCredential } from '../src/election/credential.js';
import { createElection } from '../src/election/election.js';
import { parseManifest } from '../src/election/manifest.js';
import { ballotToJson } from '../src/ballot/json.js';
import { parseBallot } from '../src/ballot/parse.js';
import { encryptBallot } from '../src/ballot/encrypt.js';
import { checkBallot } from '../src/ballot/check.js';

const few = { iterations: 15, time: 0, warmupIterations: 3 };

const manifest = parseManifest({
  version: 1,
  electionId: 'bench-7x5',
  title: 'Benchmark',
  candidates: Array.from({ length: 7 }, (_, j) => ({ id: `c${j}`, name: `Candidate ${j}` })),
  grades: ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant'],
  group: 'ristretto255',
  trustees: { n: 3, t: 2 },
});

function suite<E>(name: string, g: Group<E>) {
  const a = [g.randomScalar(), g.randomScalar(), g.randomScalar()];
  const rows = a.map((s) => [g.G.multiply(s), g.G.multiply(g.randomScalar())]);
  const election = createElection(
    manifest,
    { coefficientCommitments: rows, jointPublicKey: rows.reduce((P, r) => g.add(P, r[0]!), g.identity) },
    { group: g },
  );
  const cred = generateCredential(g, manifest.electionId);
  const grades = [0, 4, 2, 1, 3, 0, 2];
  const json = JSON.parse(JSON.stringify(ballotToJson(encryptBallot(election, cred, grades).cast())));
  const ballot = parseBallot(json, election);

  describe(`${name}: one 7 × 5 ballot`, () => {
    // Calibration on a shared box: what one constant-time fixed-base multiply costs in this run.
    bench('reference: one fixed-base CT multiply by G', () => void g.G.multiply(g.randomScalar()), {
      iterations: 300,
      time: 0,
      warmupIterations: 30,
    });
    bench('encrypt and prove (35 0/1 + 7 exactly-one + signature)', () => void encryptBallot(election, cred, grades), few);
    bench('parse (decode every element)', () => void parseBallot(json, election), few);
    bench('check one by one', () => void checkBallot(election, ballot), few);
    bench('check batched (one MSM)', () => void checkBallot(election, ballot, { batch: true }), few);
    bench('parse + check batched', () => void checkBallot(election, parseBallot(json, election), { batch: true }), few);
  });
}

suite('noble', ristretto255With('noble'));
suite('wasm', ristretto255With('wasm'));
