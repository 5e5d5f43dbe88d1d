/**
 * Ballot encryption in the voting booth, and the Benaloh audit choice.
 *
 * `encryptBallot` encrypts one grade per candidate, proves every cell is 0 or 1 and every
 * candidate has exactly one grade, signs the ballot hash with the credential, and returns a
 * {@link BallotHandle}. The booth shows the tracking code, then the voter either **casts** the
 * ballot or **audits** it (Benaloh challenge): the handle reveals the randomness and grades as a
 * `BallotOpening` that anyone can check against the ballot, and from then on refuses to cast.
 * Cast and audit are exclusive and final (see `docs/ballot.md`, "Benaloh audit"); the ballot box
 * also rejects any ballot whose hash matches a published opening.
 *
 * Timing: every cell runs the same code whatever the vote: the plaintext bit goes through
 * constant-time fixed-base multiplications (`encrypt`), and the 0/1 proof computes both branches
 * with the same operations (`proveZeroOne`). Every multiplication is fixed-base: by G (the
 * group's shared table) or by the election key (`election.publicKey.table`, built once).
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import { typeName } from '../bytes.js';
import { encrypt, sumCiphertexts, type Ciphertext, type PublicKey } from '../elgamal.js';
import { proveEncryptsK } from '../proofs/chaum-pedersen.js';
import { proveZeroOne } from '../proofs/disjunctive.js';
import { csprngNonces, type NonceSource } from '../proofs/nonces.js';
import type { Credential } from '../election/credential.js';
import type { Election } from '../election/election.js';
import { assembleBallot } from './assemble.js';
import { ballotHash } from './hash.js';
import { candidateContext, cellContext } from './contexts.js';
import { memoizedGroup } from './encodings.js';
import { type Ballot, type BallotAnswer } from './ballot.js';
import { makeOpening, type BallotOpening } from './opening.js';

/** Options of {@link encryptBallot}. */
export interface EncryptBallotOptions {
  /**
   * @internal Source of the encryption randomness and every proof and signature nonce. Default:
   * the platform CSPRNG. Deterministic sources are for known-answer test vectors ONLY.
   */
  nonces?: NonceSource;
}

/** Where a {@link BallotHandle} stands: undecided, cast, or audited (opened). */
export type BallotHandleState = 'undecided' | 'cast' | 'audited';

/**
 * An encrypted ballot in the booth, before the voter's choice. Holds the secret randomness and
 * grades (private fields: never in `toJSON` or `console.log`) until the voter casts (the secrets
 * are then dropped) or audits (they are revealed in the opening; casting is then refused).
 */
export class BallotHandle<E> {
  #state: BallotHandleState = 'undecided';
  #grades: number[] | null;
  #randomness: bigint[][] | null;

  /** @internal Use {@link encryptBallot}. */
  constructor(
    /** The encrypted ballot (public: shown, published with its opening if audited). */
    readonly ballot: Ballot<E>,
    grades: number[],
    randomness: bigint[][],
  ) {
    this.#grades = grades;
    this.#randomness = randomness;
  }

  /** The tracking code the booth shows before the voter chooses. */
  get trackingCode(): string {
    return this.ballot.trackingCode;
  }

  /** Undecided, cast or audited. */
  get state(): BallotHandleState {
    return this.#state;
  }

  /**
   * Casts: returns the ballot to submit and forgets the secrets.
   * @throws ProtocolError (code `audited`) when the ballot was audited: an opened ballot is never cast.
   */
  cast(): Ballot<E> {
    if (this.#state === 'audited')
      throw new ProtocolError('this ballot was audited (opened): it can never be cast; encrypt a new one', 'audited');
    this.#state = 'cast';
    this.#grades = null;
    this.#randomness = null;
    return this.ballot;
  }

  /**
   * Audits (Benaloh challenge): returns the opening (grades and every randomness) and makes the
   * handle refuse to cast. Auditing twice returns the same opening.
   * @throws ProtocolError (code `already-cast`) when the ballot was cast: opening a cast ballot would reveal a counted vote.
   */
  audit(): BallotOpening {
    if (this.#state === 'cast') throw new ProtocolError('this ballot was cast: opening it would reveal a counted vote', 'already-cast');
    this.#state = 'audited';
    return makeOpening(this.ballot.hashHex, this.#grades!, this.#randomness!);
  }

  /** The public part only. */
  toJSON(): { trackingCode: string; ballotHash: string; state: BallotHandleState } {
    return { trackingCode: this.trackingCode, ballotHash: this.ballot.hashHex, state: this.#state };
  }

  /** Node's `util.inspect` (console.log) shows the public part only. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `BallotHandle { trackingCode: '${this.trackingCode}', state: '${this.#state}', secrets: [hidden] }`;
  }
}

/** Casts the ballot of a handle (same as `handle.cast()`). */
export function castBallot<E>(handle: BallotHandle<E>): Ballot<E> {
  return handle.cast();
}

/** Audits the ballot of a handle (same as `handle.audit()`). */
export function auditBallot<E>(handle: BallotHandle<E>): BallotOpening {
  return handle.audit();
}

function checkGrades(grades: unknown, M: number, K: number): number[] {
  if (!Array.isArray(grades)) throw new FormatError('grades', `expected an array, got ${typeName(grades)}`);
  if (grades.length !== M) throw new FormatError('grades', `expected one grade per candidate (${M}), got ${grades.length}`);
  return grades.map((g, j) => {
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g >= K)
      throw new FormatError(`grades[${j}]`, `expected a grade index in [0, ${K - 1}]`);
    return g;
  });
}

/**
 * Encrypts a majority-judgment ballot.
 * @param grades - one grade index per candidate, in manifest order; 0 is the best grade.
 * @throws FormatError for grades of the wrong count or range; ProtocolError when the credential
 * belongs to another election or group.
 */
export function encryptBallot<E>(
  election: Election<E>,
  credential: Credential<E>,
  grades: readonly number[],
  opts: EncryptBallotOptions = {},
): BallotHandle<E> {
  const { manifest, candidateCount: M, gradeCount: K } = election;
  if (credential.electionId !== manifest.electionId)
    throw new ProtocolError(`credential for election '${credential.electionId}', not '${manifest.electionId}'`, 'election-mismatch');
  if (credential.group.id !== election.group.id)
    throw new ProtocolError(`credential in group '${credential.group.id}', not '${election.group.id}'`, 'election-mismatch');
  const votes = checkGrades(grades, M, K);
  const nonce = opts.nonces ?? csprngNonces(election.group);

  // Every element is encoded once: for the proof transcripts, the hash and the wire form.
  const memo = new Map<E, Uint8Array>();
  const group = memoizedGroup(election.group, memo);
  const pk: PublicKey<E> = { ...election.publicKey, group };
  const fp = election.fingerprint;
  const X = group.encode(credential.publicKey);

  const randomness: bigint[][] = [];
  const answers: BallotAnswer<E>[] = [];
  for (let j = 0; j < M; j++) {
    const rs: bigint[] = [];
    const choices: Ciphertext<E>[] = [];
    const proofs = [];
    for (let g = 0; g < K; g++) {
      const bit = votes[j] === g ? 1 : 0;
      const r = nonce();
      const ct = encrypt(pk, bit, r).ciphertext;
      rs.push(r);
      choices.push(ct);
      proofs.push(proveZeroOne(pk, ct, bit, r, cellContext(fp, X, j, g), { nonces: nonce }));
    }
    let R = 0n;
    for (const r of rs) R = group.Fq.add(R, r);
    const exactlyOne = proveEncryptsK(pk, sumCiphertexts(group, choices), 1n, R, candidateContext(fp, X, j), { nonces: nonce });
    randomness.push(rs);
    answers.push({ choices, proofs, exactlyOne });
  }
  const content = { electionId: manifest.electionId, fingerprint: fp, credential: credential.publicKey, answers };
  const hash = ballotHash(group, content);
  const signature = credential.signBallotHash(fp, hash, { nonces: nonce });
  return new BallotHandle(assembleBallot(election.group, memo, content, signature, hash), votes, randomness);
}
