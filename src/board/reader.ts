/**
 * The board's streaming reader, for verifiers and for anyone reading a board file (including
 * one a writer is appending to): verifies every line as it streams by and yields entries with
 * their line numbers, holding one chunk and one line in memory at a time. Read-only: it never
 * repairs a file.
 * @module
 */
import { Chain, type BoardEntry, type SealInfo } from './chain.js';
import { BoardCorruptError } from './errors.js';
import { MJVOTE_LIFECYCLE, type Lifecycle } from './lifecycle.js';
import { ChainScanner, READ_CHUNK_BYTES, type TornTail } from './scanner.js';
import { openRegularFile } from '../files.js';

/** Options of {@link readEntries} and {@link verifyBoard}. */
export interface ReadEntriesOptions {
  /** The election the board must belong to. */
  readonly electionId: string;
  /** Entry kinds and their order; default {@link MJVOTE_LIFECYCLE}. */
  readonly lifecycle?: Lifecycle;
  /** Longest line accepted, in bytes without the newline (default 64 MiB). */
  readonly maxLineBytes?: number;
  /**
   * Accept a torn last line (a file being written, or left by a crash) instead of throwing:
   * iteration stops before it, and {@link BoardSummary.tornTail} describes it. Default false:
   * a published board must end with a complete line.
   */
  readonly allowTornTail?: boolean;
  /** Read only the first `end` bytes (e.g. a writer's {@link BoardLog.byteLength}). Default: the file's length when opened. */
  readonly end?: number;
  /** When set, the board's final head must equal this hash (a value published elsewhere, e.g. in the record). */
  readonly expectedHead?: string;
}

/** What a complete read established. */
export interface BoardSummary {
  /** Number of verified entries. */
  readonly entries: number;
  /** Chain hash of the last entry (the genesis hash when empty). */
  readonly head: string;
  /** The genesis hash of the election. */
  readonly genesis: string;
  /** Bytes of verified lines. */
  readonly byteLength: number;
  /** Where the seal is, or null when the board is not sealed. */
  readonly seal: SealInfo | null;
  /** True when the lifecycle could end after the last entry (e.g. a `result` is there). */
  readonly complete: boolean;
  /** The torn last line that was skipped (only with `allowTornTail`), or null. */
  readonly tornTail: TornTail | null;
}

/** An async iterable over a board's verified entries; {@link EntryReader.summary} is set once iteration finishes. */
export class EntryReader implements AsyncIterable<BoardEntry> {
  /** Path of the board file. */
  readonly path: string;
  private readonly options: ReadEntriesOptions;
  private started = false;
  private result: BoardSummary | null = null;

  /** @internal use {@link readEntries}. */
  constructor(path: string, options: ReadEntriesOptions) {
    this.path = path;
    this.options = options;
    // Validate the options now rather than at the first iteration.
    this.newChain();
  }

  /** The summary, once iteration has run to the end (null before, or when it stopped early or threw). */
  get summary(): BoardSummary | null {
    return this.result;
  }

  private newChain(): Chain {
    const o = this.options;
    return new Chain({
      electionId: o.electionId,
      lifecycle: o.lifecycle ?? MJVOTE_LIFECYCLE,
      file: this.path,
      ...(o.maxLineBytes === undefined ? {} : { maxLineBytes: o.maxLineBytes }),
    });
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<BoardEntry, void, undefined> {
    if (this.started) throw new Error('an EntryReader can be iterated only once; call readEntries again');
    this.started = true;
    const chain = this.newChain();
    const scanner = new ChainScanner(chain);
    const fh = await openRegularFile(this.path);
    try {
      const size = (await fh.stat()).size;
      const end = this.options.end ?? size;
      if (!Number.isSafeInteger(end) || end < 0 || end > size) throw new RangeError(`end: expected an integer in [0, ${size}], got ${end}`);
      const buf = new Uint8Array(Math.min(READ_CHUNK_BYTES, Math.max(end, 1)));
      const out: BoardEntry[] = [];
      let last: BoardEntry | null = null;
      for (let pos = 0; pos < end;) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos), pos);
        if (bytesRead === 0) throw new Error(`${this.path}: the file shrank while it was read`);
        pos += bytesRead;
        scanner.push(buf.subarray(0, bytesRead), out);
        for (const e of out) {
          last = e;
          yield e;
        }
        out.length = 0;
      }
      const torn = scanner.end();
      if (torn !== null && !this.options.allowTornTail)
        throw new BoardCorruptError({
          file: this.path,
          line: torn.line,
          offset: torn.offset,
          field: null,
          reason: `incomplete last line: ${torn.detail}`,
        });
      const expected = this.options.expectedHead;
      if (expected !== undefined && expected !== chain.head)
        throw new BoardCorruptError({
          file: this.path,
          line: chain.entries,
          offset: last?.offset ?? 0,
          field: null,
          reason: `the board ends at head ${chain.head}, not at the expected ${expected} (entries were altered, added or removed at the end)`,
        });
      this.result = {
        entries: chain.entries,
        head: chain.head,
        genesis: chain.genesis,
        byteLength: chain.byteLength,
        seal: chain.seal,
        complete: chain.complete,
        tornTail: torn,
      };
    } finally {
      await fh.close();
    }
  }
}

/**
 * Streams a board file's entries, verifying each line (JSON shape, seq, hash chain, canonical
 * form, lifecycle, seal) before yielding it with its line number.
 *
 * ```ts
 * const reader = readEntries('board.jsonl', { electionId });
 * for await (const e of reader) console.log(e.line, e.kind);
 * console.log(reader.summary!.head);
 * ```
 * @throws (while iterating) BoardCorruptError at the first damaged line, or at a torn last line unless `allowTornTail`.
 */
export function readEntries(path: string, options: ReadEntriesOptions): EntryReader {
  return new EntryReader(path, options);
}

/** Reads and verifies a whole board file, keeping nothing but the summary. */
export async function verifyBoard(path: string, options: ReadEntriesOptions): Promise<BoardSummary> {
  const reader = readEntries(path, options);
  for await (const _ of reader) {
    /* each entry is verified as it is read */
  }
  return reader.summary!;
}
