/**
 * Checking a ballot: every structural and cryptographic check, with the reason and the JSON path
 * of the first failure.
 *
 * Order (cheap first): election id and fingerprint (`wrong-election`), shape (`malformed`),
 * credential listed (`unknown-credential`), not an audited ballot (`audited`), the credential's
 * signature over the ballot hash (`bad-signature`), then for each candidate j its K 0/1 proofs
 * and its exactly-one proof (`bad-proof`). Every proof is bound to the election fingerprint and
 * to the ballot's credential, so a ballot copied under another credential or into another
 * election fails here.
 *
 * {@link ballotEquations} gives the same checks as verification equations for a
 * `BatchVerifier`; `checkBallot(…, {batch: true})` checks them in one multi-scalar
 * multiplication and falls back to one by one only to name the failure.
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import { fromHex } from '../bytes.js';
import type { Group } from '../group/group.js';
import { sumCiphertexts, type Ciphertext } from '../elgamal.js';
import { BatchVerifier, type Combination } from '../proofs/batch.js';
import { encryptsKChallenge, encryptsKEquations } from '../proofs/chaum-pedersen.js';
import { rangeChallengeOk, rangeEquations } from '../proofs/disjunctive.js';
import { checkEquation, type Equation } from '../proofs/equation.js';
import { ballotSignatureEquations, signatureChallenge } from '../election/credential.js';
import type { Election } from '../election/election.js';
import { ballotContexts } from './contexts.js';
import { ballotGroup, rememberEncodings } from './encodings.js';
import { parseBallot } from './parse.js';
import { type Ballot } from './ballot.js';

/** Why a ballot is refused. */
export type BallotRejection = 'malformed' | 'wrong-election' | 'unknown-credential' | 'audited' | 'bad-signature' | 'bad-proof';

/** Result of a ballot check: ok, or the first failure with its JSON path. */
export type BallotCheck =
  { readonly ok: true } | { readonly ok: false; readonly code: BallotRejection; readonly reason: string; readonly path: string };

/** Options of {@link checkBallot}. */
export interface CheckBallotOptions {
  /** The published credential list: the ballot's credential must be on it. */
  credentials?: { hasHex(credentialHex: string): boolean };
  /** Hashes (hex) of audited ballots (published openings): such a ballot is refused. */
  audited?: { has(ballotHashHex: string): boolean };
  /** Check all proofs in one random-linear-combination MSM (one by one only to name a failure). */
  batch?: boolean;
}

const OK: BallotCheck = Object.freeze({ ok: true });

function fail(code: BallotRejection, path: string, reason: string): BallotCheck {
  return { ok: false, code, path, reason };
}

/** The checks that need no group arithmetic; null when they all pass. */
function statementFailure<E>(election: Election<E>, ballot: Ballot<E>, opts: CheckBallotOptions): BallotCheck | null {
  const { manifest, candidateCount: M, gradeCount: K } = election;
  if (ballot.electionId !== manifest.electionId)
    return fail('wrong-election', 'ballot.electionId', `ballot for election '${ballot.electionId}', not '${manifest.electionId}'`);
  if (ballot.fingerprintHex !== election.fingerprintHex)
    return fail('wrong-election', 'ballot.fingerprint', 'ballot for another election (fingerprint differs)');
  // Same fingerprint, so the same group id; elements of two backends of one group still do not mix.
  if (ballot.group !== election.group)
    throw new ProtocolError(
      'the ballot was parsed with another group object (backend) than the election: parse it with this election',
      'group-mismatch',
    );
  if (ballot.answers.length !== M) return fail('malformed', 'ballot.answers', `expected ${M} answers, got ${ballot.answers.length}`);
  for (let j = 0; j < M; j++) {
    const a = ballot.answers[j]!;
    if (a.choices.length !== K || a.proofs.length !== K)
      return fail('malformed', `ballot.answers[${j}]`, `expected ${K} choices and proofs`);
    for (let g = 0; g < K; g++)
      if (a.proofs[g]!.length !== 2) return fail('malformed', `ballot.answers[${j}].proofs[${g}]`, 'expected 2 branches');
  }
  if (opts.credentials && !opts.credentials.hasHex(ballot.credentialHex))
    return fail('unknown-credential', 'ballot.credential', 'the credential is not on the published list');
  if (opts.audited?.has(ballot.hashHex))
    return fail('audited', 'ballot', 'this ballot was opened by a Benaloh audit and can never be cast');
  return null;
}

interface ProofItem<E> {
  readonly code: 'bad-signature' | 'bad-proof';
  readonly path: string;
  readonly what: string;
  /** Null: the published challenge does not match the transcript. */
  readonly equations: Equation<E>[] | null;
}

/** What every proof check of a ballot starts from. */
function proofSetup<E>(election: Election<E>, ballot: Ballot<E>) {
  const group = ballotGroup(ballot); // encodes from the ballot's memory
  const fp = election.fingerprint;
  const PK = election.publicKey.element;
  const contexts = ballotContexts(fp, group.encode(ballot.credential));
  // The exactly-one sums first, so that their encodings (in the proofs' transcripts) are
  // computed in one call, two exponentiations at a time, where the group can.
  const sums = ballot.answers.map((a) => sumCiphertexts(group, a.choices));
  rememberEncodings(
    ballot,
    sums.flatMap((s) => [s.alpha, s.beta]),
  );
  return { group, fp, PK, contexts, sums };
}

/** The signature and every proof of a (well-shaped) ballot, lazily, in check order. */
function* proofItems<E>(election: Election<E>, ballot: Ballot<E>, batched: boolean): Generator<ProofItem<E>> {
  const { group, fp, PK, contexts, sums } = proofSetup(election, ballot);
  yield {
    code: 'bad-signature',
    path: 'ballot.signature',
    what: 'the credential signature over the ballot hash',
    equations: ballotSignatureEquations(group, ballot.credential, fp, fromHex(ballot.hashHex), ballot.signature),
  };
  for (let j = 0; j < ballot.answers.length; j++) {
    const a = ballot.answers[j]!;
    for (let g = 0; g < a.choices.length; g++)
      yield {
        code: 'bad-proof',
        path: `ballot.answers[${j}].proofs[${g}]`,
        what: `the 0/1 proof of candidate ${j}, grade ${g}`,
        equations: rangeEquations(group, { publicKey: PK, ciphertext: a.choices[g]!, max: 1 }, a.proofs[g]!, contexts.cell(j, g)),
      };
    const sum = sums[j]!;
    const eqs = encryptsKEquations(group, { publicKey: PK, ciphertext: sum, k: 1n }, a.exactlyOne, contexts.candidate(j));
    yield {
      code: 'bad-proof',
      path: `ballot.answers[${j}].exactlyOne`,
      what: `the exactly-one-grade proof of candidate ${j}`,
      equations: eqs === null || !batched ? eqs : expandSum(eqs, sum, a.choices),
    };
  }
}

/**
 * Rewrites the terms s·Σα and s·Σβ of the exactly-one equations as Σ s·α_g and Σ s·β_g: the
 * same equations (the group is abelian), whose points are the ballot's own ciphertexts, which
 * the 0/1 proofs' equations already use, so a batch merges them (two MSM points fewer per
 * candidate). The sum itself is still computed: its encoding is in the proof's transcript.
 */
function expandSum<E>(eqs: Equation<E>[], sum: Ciphertext<E>, parts: readonly Ciphertext<E>[]): Equation<E>[] {
  return eqs.map((eq) =>
    eq.flatMap((t) => {
      if (t.point === sum.alpha) return parts.map((c) => ({ scalar: t.scalar, point: c.alpha }));
      if (t.point === sum.beta) return parts.map((c) => ({ scalar: t.scalar, point: c.beta }));
      return [t];
    }),
  );
}

/**
 * All verification equations of a ballot (signature and every proof), for a `BatchVerifier`;
 * null when the ballot is not for this election or not well shaped, or when some published
 * challenge does not match its transcript. Bases G and the election key are the shared objects,
 * so a batch merges them across ballots. Credential listing and audits are not equations: check
 * them separately (as {@link checkBallot} does).
 * @throws ProtocolError (code `group-mismatch`) as {@link checkBallot}.
 */
export function ballotEquations<E>(election: Election<E>, ballot: Ballot<E>): Equation<E>[] | null {
  if (statementFailure(election, ballot, {}) !== null) return null;
  const out: Equation<E>[] = [];
  for (const item of proofItems(election, ballot, true)) {
    if (item.equations === null) return null;
    out.push(...item.equations);
  }
  return out;
}

/** How many equations {@link ballotEquations} gives for a well-shaped ballot of `election` (and {@link ballotCombination} weighs). */
export function ballotEquationCount(election: Election<unknown>): number {
  return 1 + election.candidateCount * (4 * election.gradeCount + 2);
}

/**
 * The random linear combination of {@link ballotEquations}' equations with the weights `rho`
 * (one per equation, {@link ballotEquationCount} of them), computed straight from the ballot:
 * the same points and the same sums mod q as `combineEquations(group, ballotEquations(…), rho)`,
 * or null exactly when that is null (test/ballot/combination.test.ts checks both on valid and
 * mutated ballots). No term objects, no map: the ballot's shape fixes where each point is. For
 * `BatchVerifier.addCombination`; G and PK come first, the only points other ballots share
 * (`shared: 2`).
 *
 * Equations, in order, each weighted by w = −ρ (each has a commitment), mod q:
 * - the signature, z·G − R − c·X: G −= ρz, R: ρ, X: ρc;
 * - per cell (j, g), branch b: z_b·G − A_b − c_b·α (G −= ρz_b, A_b: ρ, α += ρc_b) and
 *   z_b·PK − B_b − c_b·β + (b·c_b)·G (PK −= ρ′z_b, B_b: ρ′, β += ρ′c_b, G −= b·ρ′c_b);
 * - per candidate, exactly one: z·G − A₁ − c·Σα (G −= ρz, A₁: ρ, every α += ρc) and
 *   z·PK − A₂ − c·Σβ + c·G (PK −= ρ′z, A₂: ρ′, every β += ρ′c, G −= ρ′c).
 * @throws ProtocolError (code `group-mismatch`) as {@link checkBallot}.
 */
export function ballotCombination<E>(election: Election<E>, ballot: Ballot<E>, rho: readonly bigint[]): Combination<E> | null {
  if (rho.length !== ballotEquationCount(election)) throw new RangeError('ballotCombination: one weight per equation');
  if (statementFailure(election, ballot, {}) !== null) return null;
  const { group, fp, PK, contexts, sums } = proofSetup(election, ballot);
  const sig = ballot.signature;
  if (signatureChallenge(group, fp, fromHex(ballot.hashHex), ballot.credential, sig.commitment) !== sig.challenge) return null;
  const M = ballot.answers.length;
  const n = 4 + M * (6 * election.gradeCount + 2);
  const points: E[] = new Array(n);
  const scalars: bigint[] = new Array(n);
  let e = 0;
  const r = rho[e++]!;
  let g = -r * sig.response; // G's sum
  let pk = 0n; // PK's sum
  points[2] = ballot.credential;
  scalars[2] = r * sig.challenge;
  points[3] = sig.commitment;
  scalars[3] = r;
  let k = 4;
  for (let j = 0; j < M; j++) {
    const a = ballot.answers[j]!;
    const first = k; // α of the candidate's first cell; each cell takes six slots
    for (let gi = 0; gi < a.choices.length; gi++) {
      const ct = a.choices[gi]!;
      const proof = a.proofs[gi]!;
      if (!rangeChallengeOk(group, { publicKey: PK, ciphertext: ct, max: 1 }, proof, contexts.cell(j, gi))) return null;
      const b0 = proof[0]!;
      const b1 = proof[1]!;
      const ra0 = rho[e++]!;
      const rb0 = rho[e++]!;
      const ra1 = rho[e++]!;
      const rb1 = rho[e++]!;
      g -= ra0 * b0.response + ra1 * b1.response + rb1 * b1.challenge;
      pk -= rb0 * b0.response + rb1 * b1.response;
      points[k] = ct.alpha;
      scalars[k] = ra0 * b0.challenge + ra1 * b1.challenge;
      points[k + 1] = ct.beta;
      scalars[k + 1] = rb0 * b0.challenge + rb1 * b1.challenge;
      points[k + 2] = b0.commitmentA;
      scalars[k + 2] = ra0;
      points[k + 3] = b0.commitmentB;
      scalars[k + 3] = rb0;
      points[k + 4] = b1.commitmentA;
      scalars[k + 4] = ra1;
      points[k + 5] = b1.commitmentB;
      scalars[k + 5] = rb1;
      k += 6;
    }
    const eo = a.exactlyOne;
    const c = encryptsKChallenge(
      group,
      contexts.candidate(j),
      { publicKey: PK, ciphertext: sums[j]!, k: 1n },
      eo.commitment1,
      eo.commitment2,
    );
    if (c !== eo.challenge) return null;
    const ra = rho[e++]!;
    const rb = rho[e++]!;
    g -= ra * eo.response + rb * c;
    pk -= rb * eo.response;
    const ac = ra * c;
    const bc = rb * c;
    for (let s = first; s < k; s += 6) {
      scalars[s]! += ac;
      scalars[s + 1]! += bc;
    }
    points[k] = eo.commitment1;
    scalars[k] = ra;
    points[k + 1] = eo.commitment2;
    scalars[k + 1] = rb;
    k += 2;
  }
  points[0] = group.generator;
  scalars[0] = g;
  points[1] = PK;
  scalars[1] = pk;
  if (k !== n || e !== rho.length) throw new Error("ballotCombination: the ballot does not have the election's shape");
  return { points, scalars, shared: 2 }; // only G and PK are in other ballots' combinations
}

function checkOneByOne<E>(election: Election<E>, ballot: Ballot<E>): BallotCheck {
  const group: Group<E> = election.group;
  const tables = [election.publicKey.table];
  for (const item of proofItems(election, ballot, false)) {
    if (item.equations === null) return fail(item.code, item.path, `${item.what} does not verify (challenge mismatch)`);
    if (!item.equations.every((e) => checkEquation(group, e, tables))) return fail(item.code, item.path, `${item.what} does not verify`);
  }
  return OK;
}

/**
 * Every check of a ballot for `election` (see the module notes for the order). Returns
 * `{ok: true}` or the first failure `{ok: false, code, reason, path}`. One by one and batched
 * give the same answer.
 * @throws ProtocolError (code `group-mismatch`) when the ballot was parsed with a different group
 * object (e.g. the WebAssembly backend) than the election's: a programming error, not a bad ballot.
 */
export function checkBallot<E>(election: Election<E>, ballot: Ballot<E>, opts: CheckBallotOptions = {}): BallotCheck {
  const s = statementFailure(election, ballot, opts);
  if (s) return s;
  if (opts.batch) {
    const eqs = ballotEquations(election, ballot);
    if (eqs !== null) {
      const batch = new BatchVerifier<E, number>(election.group);
      batch.add(0, eqs);
      if (batch.verify().ok) return OK;
    }
  }
  return checkOneByOne(election, ballot);
}

/**
 * Parses and checks a ballot from the wire in one step (what a ballot box does on submission):
 * a malformed ballot is `{ok: false, code: 'malformed'}` with the FormatError's path. A ballot
 * whose `electionId` or `fingerprint` names another election is `wrong-election` even if its
 * shape does not fit this election.
 */
export function checkBallotJson<E>(
  election: Election<E>,
  json: unknown,
  opts: CheckBallotOptions = {},
): { check: BallotCheck; ballot?: Ballot<E> } {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (typeof o.electionId === 'string' && o.electionId !== election.manifest.electionId)
      return {
        check: fail('wrong-election', 'ballot.electionId', `ballot for election '${o.electionId}', not '${election.manifest.electionId}'`),
      };
    if (typeof o.fingerprint === 'string' && /^[0-9a-f]{64}$/.test(o.fingerprint) && o.fingerprint !== election.fingerprintHex)
      return { check: fail('wrong-election', 'ballot.fingerprint', 'ballot for another election (fingerprint differs)') };
  }
  let ballot: Ballot<E>;
  try {
    ballot = parseBallot(json, election);
  } catch (e) {
    if (e instanceof FormatError) return { check: fail('malformed', e.path, e.reason) };
    throw e;
  }
  return { check: checkBallot(election, ballot, opts), ballot };
}
