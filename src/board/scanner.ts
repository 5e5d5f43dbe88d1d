/**
 * Splits a board file into lines as its bytes stream in, and feeds each complete line to a
 * {@link Chain}. Only the last line of a file may be torn: bytes after the last newline, or a
 * last line that is not UTF-8 JSON at all. Anything unparsable before the last line is
 * corruption and throws. Pure code; `log.ts` drives it with synchronous reads, `reader.ts` with
 * asynchronous ones.
 * @module
 */
import { concatBytes } from '../bytes.js';
import { decodeLine, type BoardEntry, type Chain } from './chain.js';
import { BoardCorruptError } from './errors.js';

/** Size of the chunks a board file is read in. */
export const READ_CHUNK_BYTES = 1 << 20;

/** Why the end of a file was not a complete entry. */
export type TornReason = 'no-newline' | 'unparsable';

/** A torn last line: what a crash in the middle of an append leaves behind. */
export interface TornTail {
  /** 1-based line number of the torn line. */
  readonly line: number;
  /** Byte offset where it starts (the length the file is truncated to). */
  readonly offset: number;
  /** Its length in bytes (with its newline, when it has one). */
  readonly discardedBytes: number;
  /** `'no-newline'`: bytes after the last newline; `'unparsable'`: a last line that is not UTF-8 JSON. */
  readonly reason: TornReason;
  /** A sentence for logs and reports. */
  readonly detail: string;
}

interface Unparsable {
  readonly line: number;
  readonly offset: number;
  readonly length: number;
  readonly why: string;
}

/** Push bytes in order with {@link ChainScanner.push}, then call {@link ChainScanner.end} once. */
export class ChainScanner {
  /** The chain being verified (advanced by every complete line). */
  readonly chain: Chain;
  private parts: Uint8Array[] = [];
  private partsLength = 0;
  private unparsable: Unparsable | null = null;

  constructor(chain: Chain) {
    this.chain = chain;
  }

  /**
   * Consumes the next bytes of the file; appends to `out` the entries of the lines they complete.
   * `chunk` may be reused by the caller afterwards.
   * @throws BoardCorruptError
   */
  push(chunk: Uint8Array, out: BoardEntry[]): void {
    let start = 0;
    while (start < chunk.length) {
      if (this.unparsable !== null) this.failUnparsable();
      const nl = chunk.indexOf(10, start);
      if (nl < 0) {
        const rest = chunk.subarray(start);
        if (this.partsLength + rest.length > this.chain.maxLineBytes) this.tooLong(this.partsLength + rest.length);
        this.parts.push(rest.slice());
        this.partsLength += rest.length;
        return;
      }
      let line = chunk.subarray(start, nl);
      if (this.partsLength > 0) {
        line = concatBytes(...this.parts, line);
        this.parts = [];
        this.partsLength = 0;
      }
      this.line(line, out);
      start = nl + 1;
    }
  }

  /**
   * Ends the file. Returns the torn last line, if any (its bytes are not part of the chain),
   * or null when the file ends with a complete, verified line (or is empty).
   * @throws BoardCorruptError when an unparsable line is followed by more bytes.
   */
  end(): TornTail | null {
    const u = this.unparsable;
    if (this.partsLength > 0) {
      if (u !== null) this.failUnparsable();
      return {
        line: this.chain.entries + 1,
        offset: this.chain.byteLength,
        discardedBytes: this.partsLength,
        reason: 'no-newline',
        detail: `line ${this.chain.entries + 1} has no final newline (${this.partsLength} bytes): an append was interrupted`,
      };
    }
    if (u !== null)
      return {
        line: u.line,
        offset: u.offset,
        discardedBytes: u.length + 1,
        reason: 'unparsable',
        detail: `the last line, line ${u.line} (${u.length + 1} bytes), is ${u.why}: an append was interrupted`,
      };
    return null;
  }

  private line(bytes: Uint8Array, out: BoardEntry[]): void {
    if (bytes.length > this.chain.maxLineBytes) this.tooLong(bytes.length);
    const d = decodeLine(bytes);
    if (!d.ok) {
      this.unparsable = { line: this.chain.entries + 1, offset: this.chain.byteLength, length: bytes.length, why: d.why };
      return;
    }
    out.push(this.chain.verifyLine(bytes, d));
  }

  private tooLong(n: number): never {
    throw new BoardCorruptError({
      file: this.chain.file,
      line: this.chain.entries + 1,
      offset: this.chain.byteLength,
      field: null,
      reason: `line is longer than the limit of ${this.chain.maxLineBytes} bytes (at least ${n})`,
    });
  }

  private failUnparsable(): never {
    const u = this.unparsable!;
    throw new BoardCorruptError({
      file: this.chain.file,
      line: u.line,
      offset: u.offset,
      field: null,
      reason: `${u.why}, and it is not the last line`,
    });
  }
}
