/**
 * The error a damaged or forged board file raises. It names the file, the 1-based line number,
 * the byte offset where that line starts, the field at fault, and what was expected.
 * @module
 */
import { MjvoteError } from '../errors.js';

/** Where and why a board file failed verification. */
export interface BoardCorruptionDetails {
  /** Path of the board file as given by the caller. */
  readonly file: string;
  /** 1-based line number of the offending line (line n holds the entry with seq n − 1). */
  readonly line: number;
  /** Byte offset in the file where that line starts. */
  readonly offset: number;
  /** The envelope field at fault (`v`, `seq`, `prev`, `kind`, `time`, `payload`, …), or null for the whole line. */
  readonly field: string | null;
  /** What is wrong, in words (names the expected and found values where they are short). */
  readonly reason: string;
}

/**
 * A board file failed verification: a broken hash chain, an edited, deleted, inserted or
 * reordered line, a bad seq, an unknown version, a non-canonical encoding, an entry out of the
 * lifecycle, or an unparsable line that is not the last one. Never recovered from automatically.
 */
export class BoardCorruptError extends MjvoteError implements BoardCorruptionDetails {
  readonly file: string;
  readonly line: number;
  readonly offset: number;
  readonly field: string | null;
  readonly reason: string;
  constructor(d: BoardCorruptionDetails) {
    super('board-corrupt', `${d.file}: line ${d.line} (byte ${d.offset}): ${d.field === null ? '' : `${d.field}: `}${d.reason}`);
    this.file = d.file;
    this.line = d.line;
    this.offset = d.offset;
    this.field = d.field;
    this.reason = d.reason;
  }
}
