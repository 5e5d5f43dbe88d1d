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
 * @module
 */

/** Base class of every error mjvote throws on purpose. */
export class MjvoteError extends Error {
  /** A stable machine-readable code. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed or invalid input. `path` names the offending field. */
export class FormatError extends MjvoteError {
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
  readonly path: string;
  constructor(path: string, reason: string) {
    super('proof', `${path}: ${reason}`);
    this.path = path;
  }
}

/** A protocol rule was broken (order of rounds, thresholds, sealed box, election mismatch…). */
export class ProtocolError extends MjvoteError {
  constructor(message: string, code = 'protocol') {
    super(code, message);
  }
}

/** A bounded discrete logarithm was not found in the searched range [0, bound]. */
export class BoundError extends MjvoteError {
  readonly bound: bigint;
  constructor(bound: bigint, what = 'discrete logarithm') {
    super('bound', `${what} is not in [0, ${bound}]`);
    this.bound = bound;
  }
}
