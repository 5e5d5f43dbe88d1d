/**
 * Where a record's files come from, for the verifier: a {@link RecordStore}. The same checks run
 * on a directory (Node: `directory-store.ts`), on a record published over HTTP
 * (`http-store.ts`), or on files a user picked in a page (`file-store.ts`).
 *
 * A store only moves bytes; everything it returns is untrusted and checked by the verifier
 * (sizes, JSON limits, hashes). A store never throws for a file it cannot give: it answers why
 * (`{ ok: false, missing, reason }`), and the verifier turns that into the same check failure,
 * or {@link RecordUnreadableError}, whatever the store. Only the chunks of a stream and the
 * ranges of {@link RecordStore.readRanges} may throw mid-way (a connection lost, a disk error):
 * the verifier reports that too, as a failure of the check that was reading.
 * Browser-safe.
 * @module
 */
import { FormatError } from '../errors.js';

/**
 * The record cannot be read at all (exit code 2 of `mjvote verify`): the directory, the index
 * `record.json` or the manifest is missing, unreadable or invalid. `path` names the file (and
 * the field inside it).
 */
export class RecordUnreadableError extends FormatError {}

/** What a store answers for one file: the value, or why it cannot give it (never thrown). */
export type StoreResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /** True when the file does not exist (a 404, ENOENT), false for any other reason. */
      readonly missing: boolean;
      /** Why, in a few words (e.g. `missing (no such file or directory)`, `HTTP 403 Forbidden`). */
      readonly reason: string;
    };

/** A file's bytes as they come: its size when known, and its chunks in order. */
export interface ByteStream {
  /** The file's size in bytes, or null when it is not known in advance (progress then has no total). */
  readonly size: number | null;
  /** The chunks, in order; iterating may throw mid-way (the reason is the error's message). */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** Bytes `[offset, offset + length)` of a file. */
export interface ByteRange {
  /** The first byte's position in the file. */
  readonly offset: number;
  /** How many bytes. */
  readonly length: number;
}

/**
 * The record's files, by their plain names (`record.json`, then the names its `files` map
 * gives). Implement it to verify a record kept anywhere else (a database, an archive).
 */
export interface RecordStore {
  /** What the record is, for the report's `dir`: a directory, a URL, the name of a folder picked. */
  describe(): string;
  /** Where one file is, for messages outside the report (a path, a URL). */
  where(name: string): string;
  /**
   * Optional: called once, before anything is read, to refuse a record that cannot be reached
   * at all (a directory that is not there).
   * @throws RecordUnreadableError naming what cannot be read.
   */
  open?(): Promise<void>;
  /** The size of a file in bytes (whether it is there, for a record that may have no `record.json`). */
  size(name: string): Promise<StoreResult<number>>;
  /** A whole file (a JSON file), refused without reading it all when it is larger than `maxBytes`. */
  readFile(name: string, maxBytes: number): Promise<StoreResult<Uint8Array>>;
  /** A file as a stream of chunks (the board, which has no size limit). */
  stream(name: string): Promise<StoreResult<ByteStream>>;
  /**
   * Bytes of a file again, one answer per range in the order given (ranges are sorted by offset
   * and do not overlap): the verifier's second, targeted read of superseded ballots. An answer
   * shorter than its range means the file is shorter now; throwing means it cannot be read.
   */
  readRanges(name: string, ranges: readonly ByteRange[]): AsyncIterable<Uint8Array>;
}

/** A short reason from anything thrown by a store. */
export function storeErrorReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0]!.slice(0, 500);
}

/** A plain file name: no directory part, not `.` or `..`, no control character. */
// eslint-disable-next-line no-control-regex -- it matches control characters in order to refuse them
const NOT_IN_FILE_NAMES = /[/\\\u0000-\u001f]/;

/** Whether `name` is a plain file name inside the record (what every store accepts). */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && name !== '.' && name !== '..' && !NOT_IN_FILE_NAMES.test(name);
}

/** The answer for a name that is not a plain file name. */
export const NOT_A_PLAIN_NAME: StoreResult<never> = Object.freeze({
  ok: false,
  missing: false,
  reason: 'not a plain file name inside the record',
});

/**
 * Releases a stream reader's lock, whatever the stream's state (an older implementation throws
 * when a read is still pending, as after a timeout: the stream is cancelled by then anyway).
 */
export function releaseLock(reader: { releaseLock(): void }): void {
  try {
    reader.releaseLock();
  } catch {
    // a read still pending on a cancelled stream: nothing more to release
  }
}
