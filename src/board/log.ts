/**
 * The board's writer: an append-only, hash-chained JSON Lines file with a single writer.
 *
 * - {@link openLog} takes the lock, reads the whole file as a stream (never all in memory),
 *   verifies every line, discards and reports a torn last line (the file is truncated to the
 *   last complete line), and throws {@link BoardCorruptError} on any other damage.
 * - {@link BoardLog.appendEntry} returns only once the line is written **and** fsync'ed;
 *   {@link BoardLog.appendMany} writes several lines and fsyncs once (group commit).
 * - Entries follow a {@link Lifecycle} (default {@link MJVOTE_LIFECYCLE}); after the seal only
 *   post-seal kinds are accepted, and a refused entry writes nothing.
 *
 * Node only (`node:fs`). The format is specified byte for byte in `docs/board.md`.
 * @module
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { FormatError, ProtocolError } from '../errors.js';
import { concatBytes } from '../bytes.js';
import { Chain, type BoardEntry, type EntryReceipt, type SealInfo, type BuiltLine } from './chain.js';
import type { JsonObject } from '../json/canonical.js';
import { MJVOTE_LIFECYCLE, type Lifecycle } from './lifecycle.js';
import { acquireLock, type FileLock, type LockOwner } from './lock.js';
import { ChainScanner, READ_CHUNK_BYTES, type TornTail } from './scanner.js';

/** Options of {@link openLog}. */
export interface OpenLogOptions {
  /** The election this board belongs to (its genesis hash binds the first line to it). */
  readonly electionId: string;
  /** Entry kinds and their order; default {@link MJVOTE_LIFECYCLE}. Must be the one the file was written with. */
  readonly lifecycle?: Lifecycle;
  /** Create an empty board when the file does not exist (default false: a missing file throws ENOENT). */
  readonly create?: boolean;
  /** The clock that stamps entries (default `() => new Date()`); for reproducible demos and tests. */
  readonly clock?: () => Date;
  /** Longest line accepted, in bytes without the newline (default 64 MiB). */
  readonly maxLineBytes?: number;
  /**
   * Called with every verified entry while the file is read, in order, so that the layer
   * above can rebuild its state (voted credentials, tracking codes …) in the same pass.
   * An exception thrown here aborts the opening and is rethrown.
   */
  readonly onEntry?: (entry: BoardEntry) => void;
}

/** What a crash left behind and {@link openLog} removed. */
export interface Recovery extends TornTail {
  /** The file's length before truncation. */
  readonly originalBytes: number;
}

/** The result of {@link openLog}. */
export interface OpenedLog {
  /** The log, open for appending. */
  readonly log: BoardLog;
  /** The torn last line discarded on opening, or null when the file was intact. */
  readonly recovered: Recovery | null;
  /** The previous writer's lock, when it was stale and was taken over (it crashed), else null. */
  readonly staleLock: LockOwner | null;
}

/** One entry to append. */
export interface NewEntry {
  readonly kind: string;
  readonly payload: JsonObject;
  /**
   * The payload's canonical JSON text, when the caller has it already (a ballot box appending
   * ballots checked elsewhere): written as it is instead of serializing `payload`, after a
   * check that it is canonical JSON of an object (FormatError otherwise). `payload` is then
   * not read.
   */
  readonly payloadText?: string;
}

/**
 * Opens (or, with `create`, creates) a board file for appending. Reads it as a stream and
 * verifies every line before returning.
 * @throws BoardCorruptError when the file is damaged anywhere but a torn last line;
 * ProtocolError `'locked'` when another live writer holds it; FormatError for bad options;
 * the fs error (e.g. ENOENT) when the file cannot be opened.
 */
export function openLog(path: string, options: OpenLogOptions): OpenedLog {
  const chain = new Chain({
    electionId: options.electionId,
    lifecycle: options.lifecycle ?? MJVOTE_LIFECYCLE,
    file: path,
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
  });
  const clock = options.clock ?? (() => new Date());
  if (!options.create) fs.accessSync(path, fs.constants.R_OK | fs.constants.W_OK);
  const lock = acquireLock(path);
  let fd = -1;
  try {
    let created = false;
    try {
      fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_APPEND);
    } catch (e) {
      if (!options.create || (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
      created = true;
    }
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new FormatError('path', `${path} is not a regular file`);
    if (created) {
      fs.fsyncSync(fd);
      syncDirectory(nodePath.dirname(path));
    }
    const torn = scanSync(fd, st.size, chain, options.onEntry);
    let recovered: Recovery | null = null;
    if (torn !== null) {
      fs.ftruncateSync(fd, torn.offset);
      fs.fsyncSync(fd);
      recovered = { ...torn, originalBytes: st.size };
    }
    const log = new BoardLog(path, fd, lock, chain, clock);
    return { log, recovered, staleLock: lock.tookOverStale };
  } catch (e) {
    if (fd >= 0) fs.closeSync(fd);
    lock.release();
    throw e;
  }
}

function scanSync(fd: number, size: number, chain: Chain, onEntry: ((e: BoardEntry) => void) | undefined): TornTail | null {
  const scanner = new ChainScanner(chain);
  const buf = new Uint8Array(Math.min(READ_CHUNK_BYTES, Math.max(size, 1)));
  const out: BoardEntry[] = [];
  for (let pos = 0; pos < size;) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    if (n === 0) throw new Error(`${chain.file}: the file shrank while it was read`);
    pos += n;
    scanner.push(buf.subarray(0, n), out);
    if (onEntry !== undefined) for (const e of out) onEntry(e);
    out.length = 0;
  }
  return scanner.end();
}

/** fsync a directory so that a new entry in it survives a power loss (not possible on Windows). */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

/**
 * An open board: the only writer of its file while it is open. Appends are synchronous and
 * durable. Obtain one with {@link openLog}.
 */
export class BoardLog {
  /** Path of the board file. */
  readonly path: string;
  private fd: number;
  private readonly lock: FileLock;
  private chain: Chain;
  private readonly clock: () => Date;
  private failure: Error | null = null;

  /** @internal use {@link openLog}. */
  constructor(path: string, fd: number, lock: FileLock, chain: Chain, clock: () => Date) {
    this.path = path;
    this.fd = fd;
    this.lock = lock;
    this.chain = chain;
    this.clock = clock;
  }

  /** The election the board belongs to. */
  get electionId(): string {
    return this.chain.electionId;
  }
  /** The lifecycle the board follows. */
  get lifecycle(): Lifecycle {
    return this.chain.lifecycle;
  }
  /** Number of entries (= the seq the next entry gets). */
  get entries(): number {
    return this.chain.entries;
  }
  /** Chain hash of the last entry (the genesis hash when empty), lowercase hex. */
  get head(): string {
    return this.chain.head;
  }
  /** The genesis hash (the first line's `prev`). */
  get genesis(): string {
    return this.chain.genesis;
  }
  /** Length of the file in bytes (every byte of it acknowledged). */
  get byteLength(): number {
    return this.chain.byteLength;
  }
  /** Where the seal is, or null before it. */
  get sealInfo(): SealInfo | null {
    return this.chain.seal;
  }
  /** True once the seal entry is on disk. */
  get sealed(): boolean {
    return this.chain.seal !== null;
  }
  /** The kinds the next entry may have. */
  expectedKinds(): string[] {
    return this.chain.expectedKinds();
  }
  /** True once {@link BoardLog.close} was called. */
  get closed(): boolean {
    return this.fd < 0;
  }

  /**
   * Appends one entry and returns once it is written and fsync'ed.
   * @throws ProtocolError `'sealed'` (a pre-seal kind after the seal) or `'lifecycle'` (kind out
   * of order or unknown), FormatError (payload not canonical JSON, line too long, seal fields
   * set by the caller): in all these cases nothing is written. ProtocolError `'log-failed'`
   * when the write or fsync failed (see {@link BoardLog.appendMany}).
   */
  appendEntry(kind: string, payload: JsonObject): EntryReceipt {
    return this.appendMany([{ kind, payload }])[0]!;
  }

  /**
   * Appends the seal: an entry of the lifecycle's seal kind whose payload is `extra` plus
   * `entries` (the number of entries before it) and `head` (the head hash before it).
   */
  seal(extra: JsonObject = {}): EntryReceipt {
    const kind = this.chain.lifecycle.seal;
    if (kind === null) throw new ProtocolError('this lifecycle has no seal', 'lifecycle');
    return this.appendEntry(kind, extra);
  }

  /**
   * Group commit: checks every entry, writes them all, fsyncs once, and returns their receipts
   * (all acknowledged together). If any entry is refused nothing is written.
   *
   * If the write or the fsync fails (disk full, I/O error), the log tries to truncate the file
   * back to its last acknowledged length, and refuses every later append with ProtocolError
   * `'log-failed'`: after a failed fsync the kernel's view of the file cannot be trusted, so the
   * caller must close and reopen (which verifies the file again). The entries of a failed call
   * were not acknowledged; some of them may nevertheless be on disk.
   */
  appendMany(entries: readonly NewEntry[]): EntryReceipt[] {
    this.usable();
    if (!Array.isArray(entries)) throw new FormatError('entries', 'expected an array');
    if (entries.length === 0) return [];
    const draft = this.chain.clone();
    const built: BuiltLine[] = [];
    for (const [i, e] of entries.entries()) {
      if (typeof e !== 'object' || e === null) throw new FormatError(`entries[${i}]`, 'expected { kind, payload }');
      try {
        built.push(draft.append(e.kind, e.payload, this.timestamp(), e.payloadText));
      } catch (err) {
        if (err instanceof FormatError && entries.length > 1) throw new FormatError(`entries[${i}].${err.path}`, err.reason);
        throw err;
      }
    }
    const bytes = built.length === 1 ? built[0]!.bytes : concatBytes(...built.map((b) => b.bytes));
    const size = fs.fstatSync(this.fd).size;
    if (size !== this.chain.byteLength)
      this.fail(
        new ProtocolError(
          `${this.path}: the file is ${size} bytes, but this writer wrote ${this.chain.byteLength}: something else modified it`,
          'log-failed',
        ),
      );
    try {
      writeAll(this.fd, bytes);
      fs.fsyncSync(this.fd);
    } catch (e) {
      try {
        fs.ftruncateSync(this.fd, this.chain.byteLength);
        fs.fsyncSync(this.fd);
      } catch {
        /* reopening will find and verify whatever is on disk */
      }
      this.fail(new ProtocolError(`${this.path}: append failed (${(e as Error).message}); close and reopen the log`, 'log-failed'), e);
    }
    this.chain = draft;
    return built.map((b) => b.receipt);
  }

  /** Closes the file and releases the lock. Everything appended is already durable. Idempotent. */
  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      fs.closeSync(fd);
    } finally {
      this.lock.release();
    }
  }

  private timestamp(): string {
    const d = this.clock();
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new FormatError('clock', 'expected the clock to return a valid Date');
    return d.toISOString();
  }

  private usable(): void {
    if (this.fd < 0) throw new ProtocolError(`${this.path}: the log is closed`, 'log-closed');
    if (this.failure !== null)
      throw new ProtocolError(`${this.path}: an earlier append failed (${this.failure.message}); close and reopen the log`, 'log-failed');
  }

  private fail(err: ProtocolError, cause?: unknown): never {
    if (cause !== undefined) (err as { cause?: unknown }).cause = cause;
    this.failure = err;
    throw err;
  }
}
