/**
 * Typed errors. Every error that comes from untrusted input names the field it is about
 * (a JSON path such as `ballot.answers[2].choices[0].alpha`, or a parameter label).
 *
 * - {@link FormatError}: the input is not of the expected shape or encoding (wrong type,
 *   wrong length, non-canonical encoding, element not in the group, scalar out of range,
 *   unknown or duplicate field). Thrown at the parsing boundary.
 * - {@link ProofError}: a zero-knowledge proof or signature did not verify where the caller
 *   asked for it to be enforced (the `verify*` functions return a result instead).
 * - {@link ProtocolError}: a protocol step was used out of order or with inconsistent
 *   parameters (wrong round, too few trustees, election mismatch, sealed ballot box …).
 * - {@link BoundError}: a discrete logarithm is outside the searched range.
 *
 * Every error has a stable `code` ({@link MjvoteErrorCode}; a ProtocolError's tells which rule,
 * {@link ProtocolErrorCode}) to branch on; messages are for people and may change.
 * @module
 */

/**
 * The codes of {@link ProtocolError}: which protocol rule was broken. Stable: callers branch on
 * them (a ballot box answers `sealed` with HTTP 410, say).
 */
export type ProtocolErrorCode =
  | 'protocol'
  /** The ballot box is sealed: nothing more is accepted. */
  | 'sealed'
  /** A step that needs a sealed ballot box (tally) came before the seal. */
  | 'not-sealed'
  /** A cast ballot cannot be audited (opened). */
  | 'cast'
  /** An audited (opened) ballot cannot be cast. */
  | 'audited'
  /** A ballot handle was cast already: it cannot be opened. */
  | 'already-cast'
  /** The ballot box has published this ballot's audit already. */
  | 'already-audited'
  /** Values of two elections (or an election and its key) were mixed. */
  | 'election-mismatch'
  /** A ballot parsed with another group object than the election's. */
  | 'group-mismatch'
  /** A record's files do not fit together (manifest, ceremony, tally). */
  | 'record-mismatch'
  /** The board on disk does not match what the ballot box expects (another election, a gap). */
  | 'inconsistent-board'
  /** The decrypted counts do not add up to the number of ballots. */
  | 'inconsistent-counts'
  /** An entry of a kind the board's lifecycle does not allow there. */
  | 'lifecycle'
  /** The board log could not be written (the box closes itself); or it was closed. */
  | 'log-failed'
  | 'log-closed'
  /** Another process holds the board's single-writer lock. */
  | 'locked'
  /** A ceremony message of the wrong trustee, index, ceremony or group. */
  | 'own-message'
  | 'bad-index'
  | 'wrong-ceremony'
  | 'wrong-group'
  | 'duplicate-message'
  /** A message of a version-2 ceremony or decryption not signed by its trustee's identity key. */
  | 'unsigned-message'
  /** A trustee already decrypted another tally of this election (it refuses a second). */
  | 'already-decrypted'
  /** A ceremony round's state was used twice (each round consumes the previous one). */
  | 'state-spent'
  /** This trustee was disqualified by the ceremony. */
  | 'trustee-disqualified'
  /** A ceremony transcript does not verify. */
  | 'transcript-rejected'
  /** The insecure test group reached protocol code without the tests' opt-in. */
  | 'insecure-group'
  /** A trustee command refuses to act (decrypt a tally it cannot vouch for). */
  | 'refused';

/** Every code of {@link MjvoteError} (`error.code`), by class. */
export type MjvoteErrorCode =
  | 'format'
  | 'proof'
  | 'bound'
  | ProtocolErrorCode
  /** BallotBoxError. */
  | 'ballot-box'
  /** BoardCorruptError. */
  | 'board-corrupt'
  /** CeremonyFailedError. */
  | 'ceremony-failed'
  /** InsufficientSharesError. */
  | 'insufficient-shares'
  /** WrongPassphraseError, TamperedStateError. */
  | 'wrong-passphrase'
  | 'state-tampered'
  /** BallotBoxServiceError: the served ballot box cannot go on (its writer failed), or a step collided with another. */
  | 'service'
  /** AdminRequestError: a running ballot box refused an organiser's step (the refusal's own code is in the message). */
  | 'admin'
  /** ElectionDirectoryError: an election authority step refused (the directory or its inputs do not fit). */
  | 'election-directory';

/** Base class of every error mjvote throws on purpose. */
export class MjvoteError extends Error {
  /** A stable machine-readable code. */
  readonly code: MjvoteErrorCode;
  constructor(code: MjvoteErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed or invalid input. `path` names the offending field. */
export class FormatError extends MjvoteError {
  declare readonly code: 'format';
  /** JSON path or parameter label of the offending field. */
  readonly path: string;
  /** What was wrong, without the path. */
  readonly reason: string;
  constructor(path: string, reason: string) {
    super('format', `${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** A proof or signature that had to verify did not. */
export class ProofError extends MjvoteError {
  declare readonly code: 'proof';
  readonly path: string;
  constructor(path: string, reason: string) {
    super('proof', `${path}: ${reason}`);
    this.path = path;
  }
}

/** A protocol rule was broken (order of rounds, thresholds, sealed box, election mismatch…). */
export class ProtocolError extends MjvoteError {
  declare readonly code: ProtocolErrorCode;
  constructor(message: string, code: ProtocolErrorCode = 'protocol') {
    super(code, message);
  }
}

/** A bounded discrete logarithm was not found in the searched range [0, bound]. */
export class BoundError extends MjvoteError {
  declare readonly code: 'bound';
  readonly bound: bigint;
  constructor(bound: bigint, what = 'discrete logarithm') {
    super('bound', `${what} is not in [0, ${bound}]`);
    this.bound = bound;
  }
}
