/**
 * Benaloh audit openings: a ballot's grades and every encryption randomness, revealed instead of
 * casting, so that anyone (the voter on a second device, an auditor) can check that the booth
 * encrypted what the voter chose.
 *
 * Wire form, members in this order:
 * `{version: 1, ballotHash: hex, grades: [g_0, …, g_{M−1}], randomness: [[r_00, …, r_0(K−1)], …]}`
 * with r_jg the group's canonical scalar encoding in lowercase hex. {@link checkOpening}
 * recomputes every ciphertext: α_jg = r_jg·G and β_jg = [g = g_j]·G + r_jg·PK.
 * @module
 */
import { FormatError } from '../errors.js';
import { fromHex, toHex } from '../bytes.js';
import type { Election } from '../election/election.js';
import { expectArray, expectObject } from '../json/guards.js';
import type { Ballot } from './ballot.js';

/** Version of the {@link BallotOpeningJson} wire form. */
export const OPENING_VERSION = 1;

/** An opened (audited) ballot: public by construction, it can never be cast. */
export interface BallotOpening {
  /** Hash of the opened ballot, hex. */
  readonly ballotHash: string;
  /** Grade index per candidate (0 = best). */
  readonly grades: readonly number[];
  /** r_jg for candidate j and grade g. */
  readonly randomness: readonly (readonly bigint[])[];
}

/** Wire form of an opening. */
export interface BallotOpeningJson {
  version: 1;
  ballotHash: string;
  grades: number[];
  randomness: string[][];
}

/** @internal Builds the opening of a ballot from the booth's secrets. */
export function makeOpening(ballotHash: string, grades: readonly number[], randomness: readonly (readonly bigint[])[]): BallotOpening {
  return Object.freeze({
    ballotHash,
    grades: Object.freeze([...grades]),
    randomness: Object.freeze(randomness.map((rs) => Object.freeze([...rs]))),
  });
}

/** The opening's wire form (scalars encoded in the election's group). */
export function openingToJson<E>(election: Election<E>, opening: BallotOpening): BallotOpeningJson {
  const g = election.group;
  return {
    version: OPENING_VERSION,
    ballotHash: opening.ballotHash,
    grades: [...opening.grades],
    randomness: opening.randomness.map((rs) => rs.map((r) => g.scalarToHex(r))),
  };
}

/**
 * Parses an opening for `election`: M grades in [0, K), M × K canonical scalars, a 32-byte hash.
 * @throws FormatError naming the JSON path.
 */
export function parseOpening<E>(json: unknown, election: Election<E>, path = 'opening'): BallotOpening {
  const { candidateCount: M, gradeCount: K, group } = election;
  const o = expectObject(json, path, ['version', 'ballotHash', 'grades', 'randomness']);
  if (o.version !== OPENING_VERSION) throw new FormatError(`${path}.version`, `expected ${OPENING_VERSION}`);
  const ballotHash = toHex(fromHex(o.ballotHash, `${path}.ballotHash`, 32));
  const grades = expectArray(o.grades, `${path}.grades`, M).map((g, j) => {
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g >= K)
      throw new FormatError(`${path}.grades[${j}]`, `expected a grade index in [0, ${K - 1}]`);
    return g;
  });
  const randomness = expectArray(o.randomness, `${path}.randomness`, M).map((rs, j) =>
    expectArray(rs, `${path}.randomness[${j}]`, K).map((r, g) => group.scalarFromHex(r, `${path}.randomness[${j}][${g}]`)),
  );
  return makeOpening(ballotHash, grades, randomness);
}

/** Result of {@link checkOpening}: the revealed grades, or where the opening fails. */
export type OpeningCheck =
  { readonly ok: true; readonly grades: readonly number[] } | { readonly ok: false; readonly reason: string; readonly path: string };

/**
 * Checks an opening against a ballot: same ballot hash, one grade per candidate, and every
 * ciphertext recomputed from its revealed randomness (variable-time: everything is public now).
 * It does not check the ballot's proofs or signature (use `checkBallot` for that).
 */
export function checkOpening<E>(election: Election<E>, ballot: Ballot<E>, opening: BallotOpening): OpeningCheck {
  const { group, publicKey: pk, candidateCount: M, gradeCount: K } = election;
  const fail = (path: string, reason: string): OpeningCheck => ({ ok: false, path, reason });
  if (opening.ballotHash !== ballot.hashHex) return fail('opening.ballotHash', 'the opening is for another ballot');
  if (ballot.answers.length !== M) return fail('ballot.answers', `expected ${M} answers`);
  if (opening.grades.length !== M) return fail('opening.grades', `expected ${M} grades`);
  if (opening.randomness.length !== M) return fail('opening.randomness', `expected ${M} rows`);
  for (let j = 0; j < M; j++) {
    const gj = opening.grades[j]!;
    if (!Number.isInteger(gj) || gj < 0 || gj >= K) return fail(`opening.grades[${j}]`, `expected a grade index in [0, ${K - 1}]`);
    const choices = ballot.answers[j]!.choices;
    const rs = opening.randomness[j]!;
    if (choices.length !== K || rs.length !== K) return fail(`opening.randomness[${j}]`, `expected ${K} values`);
    for (let g = 0; g < K; g++) {
      const r = rs[g]!;
      if (r < 0n || r >= group.order) return fail(`opening.randomness[${j}][${g}]`, 'scalar out of range');
      const ct = choices[g]!;
      const beta = group.add(g === gj ? group.generator : group.identity, pk.table.multiplyUnsafe(r));
      if (!group.equals(ct.alpha, group.G.multiplyUnsafe(r)) || !group.equals(ct.beta, beta))
        return fail(
          `opening.randomness[${j}][${g}]`,
          `ciphertext of candidate ${j}, grade ${g} is not the encryption of ${g === gj ? 1 : 0} with this randomness`,
        );
    }
  }
  return { ok: true, grades: opening.grades };
}
