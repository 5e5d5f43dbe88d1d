/**
 * ballotCombination (the verifier's direct weighting of a ballot's equations) against the
 * generic rule, combineEquations(ballotEquations(…)), with the same weights: the same sum mod q
 * on every point, and null exactly when the equations are null, on valid ballots and on ballots
 * mutated field by field (responses re-signed so the checks past the signature are reached).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255With } from '../../src/group/ristretto255.js';

const ristretto255Wasm = ristretto255With('wasm');
const ristretto255 = ristretto255With('noble');
import type { Group } from '../../src/group/group.js';
import { parseElection, electionToJson, type Election } from '../../src/election/election.js';
import { credentialFromCode, generateCredentialCode, type Credential } from '../../src/election/credential.js';
import { ballotToJson, type BallotJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { type Ballot } from '../../src/ballot/ballot.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotCombination, ballotEquationCount, ballotEquations } from '../../src/ballot/check.js';
import { BatchVerifier, combineEquations, type Combination } from '../../src/proofs/batch.js';
import { copy, resign, testElection, testManifest } from './fixtures.js';

const rand128 = fc.bigInt({ min: 1n, max: (1n << 128n) - 1n });

/** Each point's (by identity) total scalar mod q. */
function totals<E>(q: bigint, c: Combination<E>): Map<E, bigint> {
  const m = new Map<E, bigint>();
  c.points.forEach((p, i) => {
    const s = ((m.get(p) ?? 0n) + c.scalars[i]!) % q;
    m.set(p, s < 0n ? s + q : s);
  });
  return m;
}

function expectSameCombination<E>(election: Election<E>, b: Ballot<E>, rho: bigint[]): 'null' | 'combination' {
  const q = election.group.order;
  const eqs = ballotEquations(election, b);
  const direct = ballotCombination(election, b, rho);
  if (eqs === null) {
    expect(direct).toBeNull();
    return 'null';
  }
  expect(direct).not.toBeNull();
  // G and PK first: the points a batch merges across ballots.
  expect(direct!.shared).toBe(2);
  expect(direct!.points[0]).toBe(b.group.generator);
  expect(direct!.points[1]).toBe(election.publicKey.element);
  const want = totals(q, combineEquations(b.group, eqs, rho));
  const got = totals(q, direct!);
  expect(got.size).toBe(want.size);
  for (const [p, s] of want) expect(got.get(p)).toBe(s);
  return 'combination';
}

interface Setup<E> {
  election: Election<E>;
  credential: Credential<E>;
  json: BallotJson;
}

function setup(group: Group<any>, M: number, K: number): Setup<any> {
  const { election: noble } = testElection(ristretto255, testManifest({ M, K }));
  const election = group === ristretto255 ? noble : parseElection(electionToJson(noble), { group });
  const code = generateCredentialCode();
  const credential = credentialFromCode(election.group, election.manifest.electionId, code);
  const grades = Array.from({ length: M }, (_, j) => (j * 3) % K);
  const json = ballotToJson(encryptBallot(noble, credentialFromCode(noble.group, noble.manifest.electionId, code), grades).cast());
  return { election, credential, json };
}

/** Every string field of a ballot's JSON that holds a scalar or an element, as a path of keys. */
function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return /^[0-9a-f]{64}$/.test(v) ? [path] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [];
}

function setAt(obj: any, path: (string | number)[], value: string): void {
  let o = obj;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]!] = value;
}

describe('ballotCombination', () => {
  for (const [name, group] of [
    ['noble', ristretto255],
    ['WebAssembly', ristretto255Wasm],
  ] as const) {
    const small = setup(group, 2, 3);
    const big = setup(group, 7, 5);

    it(`${name}: a valid ballot gives the generic combination (2 × 3 and 7 × 5)`, () => {
      for (const { election, json } of [small, big]) {
        const b = parseBallot(json, election);
        fc.assert(
          fc.property(fc.array(rand128, { minLength: ballotEquationCount(election), maxLength: ballotEquationCount(election) }), (rho) => {
            expect(expectSameCombination(election, b, rho)).toBe('combination');
          }),
          { numRuns: 5 },
        );
      }
    });

    it(`${name}: any field replaced (re-signed or not): null together, or the same combination`, () => {
      const { election, credential, json } = small;
      const paths = leaves(json).filter((p) => p[0] !== 'fingerprint' && p[0] !== 'credential');
      const values = paths.map((p) => p.reduce<any>((o, k) => o[k], json) as string);
      const seen = new Set<string>();
      fc.assert(
        fc.property(
          fc.nat(paths.length - 1),
          fc.oneof(
            fc.nat(values.length - 1).map((i) => values[i]!),
            fc.bigInt({ min: 0n, max: election.group.order - 1n }).map((k) => election.group.scalarToHex(k)),
          ),
          fc.boolean(),
          fc.array(rand128, { minLength: ballotEquationCount(election), maxLength: ballotEquationCount(election) }),
          (i, value, sign, rho) => {
            let t = copy(json);
            setAt(t, paths[i]!, value);
            let b: Ballot<any>;
            try {
              if (sign) t = resign(election, credential, t);
              b = parseBallot(t, election);
            } catch {
              return; // not a ballot (e.g. a scalar string where an element belongs)
            }
            seen.add(expectSameCombination(election, b, rho));
          },
        ),
        { numRuns: 150 },
      );
      // Both outcomes were exercised: refusals (challenge mismatch) and combinations of bad ballots.
      expect([...seen].sort()).toEqual(['combination', 'null']);
    });
  }

  it("checks the number of weights and the ballot's shape", () => {
    const { election, json } = setup(ristretto255Wasm, 2, 3);
    const b = parseBallot(json, election);
    expect(() => ballotCombination(election, b, [1n])).toThrow(RangeError);
    // A ballot of another election (and shape) is refused as ballotEquations refuses it, not read out of bounds.
    const other = setup(ristretto255Wasm, 2, 2);
    const rho = Array.from({ length: ballotEquationCount(election) }, (_, i) => BigInt(i + 1));
    expect(expectSameCombination(election, parseBallot(other.json, other.election), rho)).toBe('null');
  });

  it('in a batch: valid ballots pass, a ballot with a wrong response (re-signed) is named', () => {
    const { election, credential, json } = setup(ristretto255Wasm, 3, 4);
    const good = parseBallot(json, election);
    const bad = copy(json);
    bad.answers[1]!.proofs[2]![1]!.response = election.group.scalarToHex(1n);
    const badBallot = parseBallot(resign(election, credential, bad), election);
    const batch = new BatchVerifier<any, number>(election.group);
    const n = ballotEquationCount(election);
    [good, badBallot, good].forEach((b, i) => batch.addCombination(i, n, (rho) => ballotCombination(election, b, rho)));
    expect(batch.verify()).toEqual({ ok: false, failed: [1], count: 3 });
    // The same ballot twice: its points (past G and PK) go into the MSM twice, unmerged.
    const all = new BatchVerifier<any, number>(election.group);
    all.addCombination(0, n, (rho) => ballotCombination(election, good, rho));
    all.addCombination(1, n, (rho) => ballotCombination(election, good, rho));
    expect(all.verify()).toEqual({ ok: true, failed: [], count: 2 });
    // shared must count some of the points.
    expect(() => all.addCombination(2, 1, () => ({ points: [good.credential], scalars: [1n], shared: 2 }))).toThrow(RangeError);
  });
});
