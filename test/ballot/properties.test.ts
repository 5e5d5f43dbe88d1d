import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FixedBase, Group } from '../../src/group/group.js';
import { FormatError } from '../../src/errors.js';
import { toHex } from '../../src/bytes.js';
import { decrypt } from '../../src/elgamal.js';
import { createCredentialList, generateCredential } from '../../src/election/credential.js';
import { createElection } from '../../src/election/election.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { checkBallot } from '../../src/ballot/check.js';
import { tinyGroup } from '../helpers/groups.js';
import { copy, testElection, testManifest } from './fixtures.js';

const g = tinyGroup;

/** Every hex leaf of a ballot's JSON, with its kind. */
function leaves(v: unknown, path: (string | number)[] = []): { path: (string | number)[]; kind: 'element' | 'scalar' | 'bytes' | 'id' }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  const key = path[path.length - 1];
  if (key === 'version') return [];
  if (key === 'electionId') return [{ path, kind: 'id' }];
  if (key === 'fingerprint') return [{ path, kind: 'bytes' }];
  if (key === 'challenge' || key === 'response') return [{ path, kind: 'scalar' }];
  return [{ path, kind: 'element' }];
}

describe('ballot properties (insecure test group)', () => {
  it('any grades encrypt to a ballot that checks and decrypts to those grades', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((M) =>
            fc
              .integer({ min: 2, max: 5 })
              .chain((K) => fc.tuple(fc.constant(M), fc.constant(K), fc.array(fc.nat(K - 1), { minLength: M, maxLength: M }))),
          ),
        ([M, K, grades]) => {
          const { election, secretKey } = testElection(g, testManifest({ group: g.id, M, K }));
          const cred = generateCredential(g, election.manifest.electionId);
          const ballot = parseBallot(copy(ballotToJson(encryptBallot(election, cred, grades).cast())), election);
          const credentials = createCredentialList(g, election.manifest.electionId, [cred.publicKey]);
          expect(checkBallot(election, ballot, { credentials })).toEqual({ ok: true });
          expect(checkBallot(election, ballot, { credentials, batch: true })).toEqual({ ok: true });
          const decrypted = ballot.answers.map((a) => a.choices.findIndex((ct) => decrypt(g, secretKey, ct, 1) === 1n));
          expect(decrypted).toEqual(grades);
          expect(ballot.answers.map((a) => a.choices.filter((ct) => decrypt(g, secretKey, ct, 1) === 1n).length)).toEqual(
            grades.map(() => 1),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  it('changing any one field of a ballot to another valid value is refused, one by one and batched alike', () => {
    const { election } = testElection(g, testManifest({ group: g.id, M: 3, K: 3 }));
    const cred = generateCredential(g, election.manifest.electionId);
    const credentials = createCredentialList(g, election.manifest.electionId, [cred.publicKey]);
    const json = ballotToJson(encryptBallot(election, cred, [2, 0, 1]).cast());
    const all = leaves(json);
    expect(all.length).toBe(1 + 1 + 1 + 3 * (3 * 2 + 3 * 2 * 4 + 4) + 3);
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.bigInt({ min: 1n, max: g.order - 1n }), (i, k) => {
        const { path, kind } = all[i]!;
        const b = copy(json) as any;
        let parent = b;
        for (const p of path.slice(0, -1)) parent = parent[p];
        const key = path[path.length - 1]!;
        const old = parent[key];
        parent[key] =
          kind === 'element'
            ? g.toHex(g.G.multiply(k))
            : kind === 'scalar'
              ? g.scalarToHex(k)
              : kind === 'bytes'
                ? toHex(g.encodeScalar(k)).padEnd(64, '0')
                : `x${k}`;
        fc.pre(parent[key] !== old);
        let ballot;
        try {
          ballot = parseBallot(b, election);
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
          return;
        }
        const one = checkBallot(election, ballot, { credentials });
        expect(one.ok).toBe(false);
        expect(checkBallot(election, ballot, { credentials, batch: true })).toEqual(one);
      }),
      { numRuns: 150 },
    );
  });
});

describe('encryption does not branch on the vote', () => {
  /** A view of the group that records every group operation (by kind) it is asked to do. */
  function tracing<E>(base: Group<E>, log: string[]): Group<E> {
    const table = (t: FixedBase<E>, name: string): FixedBase<E> => ({
      base: t.base,
      multiply: (k) => (log.push(`${name}.multiply`), t.multiply(k)),
      multiplyUnsafe: (k) => (log.push(`${name}.multiplyUnsafe`), t.multiplyUnsafe(k)),
    });
    const G = table(base.G, 'G');
    return Object.create(base, {
      G: { value: G },
      precompute: { value: (b: E) => table(base.precompute(b), 'table') },
      multiply: { value: (a: E, k: bigint) => (log.push('multiply'), base.multiply(a, k)) },
      multiplyUnsafe: { value: (a: E, k: bigint) => (log.push('multiplyUnsafe'), base.multiplyUnsafe(a, k)) },
      add: { value: (a: E, b: E) => (log.push('add'), base.add(a, b)) },
      subtract: { value: (a: E, b: E) => (log.push('subtract'), base.subtract(a, b)) },
      encode: { value: (a: E) => (log.push('encode'), base.encode(a)) },
      hashToScalar: { value: (m: Uint8Array, d: Uint8Array | string) => (log.push(`hash:${m.length}`), base.hashToScalar(m, d)) },
    }) as Group<E>;
  }

  it('the same group operations, in the same order, whatever the grades', () => {
    const log: string[] = [];
    const traced = tracing(g, log);
    const { election: plain } = testElection(g, testManifest({ group: g.id, M: 3, K: 4 }));
    const election = createElection(
      plain.manifest,
      { coefficientCommitments: plain.coefficientCommitments, jointPublicKey: plain.publicKey.element },
      { group: traced, allowInsecureTestGroup: true },
    );
    const cred = generateCredential(traced, plain.manifest.electionId);
    const traces = [
      [0, 0, 0],
      [3, 3, 3],
      [1, 2, 0],
      [2, 0, 3],
    ].map((grades) => {
      log.length = 0;
      encryptBallot(election, cred, grades);
      return [...log];
    });
    expect(traces[0]!.filter((op) => op === 'G.multiply').length).toBeGreaterThan(3 * 4 * 5);
    expect(traces[0]!.filter((op) => op === 'table.multiply').length).toBeGreaterThan(3 * 4 * 3);
    expect(traces[0]!.some((op) => op.includes('Unsafe'))).toBe(false); // no variable-time path at all
    for (const t of traces.slice(1)) expect(t).toEqual(traces[0]);
  });
});
