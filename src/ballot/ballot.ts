/**
 * The encrypted majority-judgment ballot in memory (docs/ballot.md).
 *
 * For candidate j ∈ [0, M) and grade g ∈ [0, K) (0 = best) the ballot holds E[j][g], an
 * encryption of 1 if the voter gave j grade g and 0 otherwise, with
 * - a 0/1 proof (`disjunctive01`) with context `contextBytes([fingerprint, X, j, g])`;
 * - per candidate, an exactly-one proof (`encrypts-k`, k = 1) on Σ_g E[j][g] with context
 *   `contextBytes([fingerprint, X, j])` (`contexts.ts`);
 * where X is the canonical encoding of the voter's public credential. The **ballot hash** is
 * SHA-256 over the canonical bytes of everything but the signature (`hash.ts`); the credential
 * signs it; the **tracking code** renders the hash for people. The wire form is `json.ts`.
 *
 * A {@link Ballot} is built only by `encryptBallot` or `parseBallot` (through `assemble.ts`). It
 * remembers the canonical encoding of each of its elements (`encodings.ts`), so hashing and
 * re-checking a parsed ballot never re-encodes a point (an encoding costs as much as ~40 point
 * additions).
 * @module
 */
import type { Group } from '../group/group.js';
import type { Ciphertext } from '../elgamal.js';
import type { DleqProof } from '../proofs/chaum-pedersen.js';
import type { DisjunctiveProof } from '../proofs/disjunctive.js';
import type { SchnorrProof } from '../proofs/schnorr.js';

/** One candidate's part of a ballot: K ciphertexts, K 0/1 proofs, one exactly-one proof. */
export interface BallotAnswer<E> {
  /** E[j][g] for g = 0 (best) … K−1. */
  readonly choices: readonly Ciphertext<E>[];
  /** The 0/1 proof of each E[j][g]. */
  readonly proofs: readonly DisjunctiveProof<E>[];
  /** Proof that Σ_g E[j][g] encrypts exactly 1. */
  readonly exactlyOne: DleqProof<E>;
}

/** An encrypted ballot (deeply frozen). `JSON.stringify(ballot)` writes its {@link BallotJson}. */
export interface Ballot<E> {
  readonly group: Group<E>;
  readonly electionId: string;
  /** The election fingerprint the ballot claims, hex. */
  readonly fingerprintHex: string;
  /** The voter's public credential X. */
  readonly credential: E;
  readonly credentialHex: string;
  /** One answer per candidate, in manifest order. */
  readonly answers: readonly BallotAnswer<E>[];
  /** Schnorr signature by the credential over the ballot hash. */
  readonly signature: SchnorrProof<E>;
  /** SHA-256 ballot hash, hex (32 bytes). */
  readonly hashHex: string;
  /** Human-checkable rendering of the hash: 30 symbols in six groups of five (hash.ts). */
  readonly trackingCode: string;
}

/** The unsigned content of a ballot: what the hash covers. */
export interface BallotContent<E> {
  readonly electionId: string;
  readonly fingerprint: Uint8Array;
  readonly credential: E;
  readonly answers: readonly BallotAnswer<E>[];
}
