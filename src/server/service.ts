/**
 * The ballot box as a long-running service: one election directory's board held open by one
 * writer, ballots checked off the event loop and appended with group commit, signed receipts,
 * tracking-code lookups, the board served from any entry (and followed live), and the
 * organiser's steps (close, tally, publish) run through the same writer while it serves.
 *
 * The path of a ballot:
 * 1. {@link BallotBoxService.submit} takes the request body's text (its size bounded by the
 *    caller) and queues it for the checker pool — at most `maxPending` ballots wait or are being
 *    checked, beyond that the answer is `busy` (the HTTP layer answers 503 with Retry-After);
 * 2. a worker thread parses it within the JSON limits and checks everything that needs no
 *    board, several pending ballots in one batch verification (bisecting a failing batch);
 * 3. on the main thread the writer takes every ballot checked since its last turn, applies the
 *    board's own checks (sealed, duplicate, replay, audited, the revote cap) and appends the
 *    accepted ones with **one** fsync ({@link BallotBox.castPrechecked});
 * 4. only then is each answered: a receipt signed with the box's key, or a typed refusal. A
 *    ballot already on the board (a client's retry) gets the receipt of its entry, which is the
 *    same receipt byte for byte (receipts are deterministic from the entry).
 *
 * Node-only (files, worker threads).
 * @module
 */
import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { recordArchive, type RecordArchive } from './record-archive.js';
import { join } from 'node:path';
import { fromHex } from '../bytes.js';
import { parseJson } from '../json/parse.js';
import type { JsonObject } from '../json/canonical.js';
import { canonicalSha256 } from '../json/canonical.js';
import { FormatError, MjvoteError } from '../errors.js';
import { electionToJson, type ElectionJson } from '../election/election.js';
import { credentialListToJson } from '../election/credential.js';
import { trackingCode as trackingCodeOf } from '../ballot/hash.js';
import { entryHash } from '../board/chain.js';
import { BallotBox, type BoxTracking, type CastRejection, type CastResult, type PrecheckedBallot } from '../board/ballot-box.js';
import { RECORD_FILES } from '../record/files.js';
import {
  closeElection,
  openBallotBox,
  publishElection,
  readElectionDirectory,
  readBoxKey,
  saveCheckpoint,
  tallyElection,
  type ElectionDirectory,
  type ElectionDirectoryOptions,
  type ElectionStatus,
  type Publication,
} from '../authority/election-directory.js';
import { ballotReceipt, type BallotReceiptJson } from '../board/receipt.js';
import type { BallotBoxKey } from '../board/box-key.js';
import { BallotCheckerPool, type CheckerPoolOptions } from './checker-pool.js';
import type { BallotCheckOutcome } from './checker.js';

/** Options of {@link BallotBoxService.start}. */
export interface BallotBoxServiceOptions extends ElectionDirectoryOptions {
  /** The checker pool: worker threads, largest batch, batching on or off. */
  readonly checker?: CheckerPoolOptions;
  /** Most ballots queued or being checked at once; one more is answered `busy`. Default 1,024. */
  readonly maxPending?: number;
  /** Most ballots one credential may cast (first ballot and revotes). Default: no cap. */
  readonly maxBallotsPerCredential?: number;
  /** The box's receipt-signing key, when not the directory's (`private/box-key.json`). */
  readonly boxKey?: BallotBoxKey;
}

/** The answer to a submitted ballot. */
export type SubmitAnswer =
  /** On the board (fsync'ed): its receipt, and whether the credential had voted before. */
  | { readonly kind: 'accepted'; readonly receipt: BallotReceiptJson; readonly revote: boolean }
  /** This very ballot was on the board already (a client's retry): the receipt of its entry. */
  | { readonly kind: 'retry'; readonly receipt: BallotReceiptJson }
  /** Refused, with the library's code, reason and JSON path. */
  | { readonly kind: 'refused'; readonly code: CastRejection; readonly reason: string; readonly path: string }
  /** Too many ballots pending: try again later. */
  | { readonly kind: 'busy' }
  /** The service is shutting down. */
  | { readonly kind: 'stopping' };

/** The answer to a submitted Benaloh audit. */
export type AuditSubmitAnswer =
  | {
      readonly kind: 'published';
      readonly seq: number;
      readonly entryHash: string;
      readonly trackingCode: string;
      readonly ballotHash: string;
    }
  | { readonly kind: 'refused'; readonly code: string; readonly reason: string; readonly path: string }
  | { readonly kind: 'stopping' };

/** One board entry as read back from the file. */
export interface BoardLine {
  readonly seq: number;
  /** The line's chain hash. */
  readonly hash: string;
  /** The line as it is on the board (canonical JSON, no newline). */
  readonly text: string;
  readonly entry: { readonly kind: string; readonly time: string; readonly payload: JsonObject };
}

/** Where a tracking code stands, with the entry that shows it and the board's head now. */
export type TrackingAnswer = BoxTracking & {
  readonly trackingCode: string;
  /** The board entry (for counted, superseded and audited), as published. */
  readonly entry?: unknown;
  readonly boardEntries: number;
  readonly boardHead: string;
};

/** What `GET /credentials/{key}` shows. */
export interface CredentialAnswer {
  /** The credential's public key (canonical hex). */
  readonly credential: string;
  /** Whether it is on the election's credential list. */
  readonly registered: boolean;
  /** Its ballots on the board (first ballot and revotes). */
  readonly ballots: number;
  /** The seq of its ballot that counts (its last), when it has one. */
  readonly counted?: number;
  /** The most ballots one credential may cast (the server's `--max-revotes`), or null for no cap. */
  readonly maxBallots: number | null;
}

/** What `GET /election` shows: the public parameters and where the election stands. */
export interface ElectionInfo {
  readonly electionId: string;
  readonly election: ElectionJson;
  readonly fingerprint: string;
  readonly credentialsSha256: string;
  readonly registered: number;
  readonly receiptKey: string;
  readonly phase: ElectionStatus['phase'];
  readonly entries: number;
  readonly head: string;
  readonly ballots: number;
  readonly voters: number;
  readonly audits: number;
}

/** Raised when the service cannot go on (the board's writer failed). */
export class BallotBoxServiceError extends MjvoteError {
  constructor(message: string) {
    super('service', message);
  }
}

interface Ready {
  readonly outcome: BallotCheckOutcome;
  readonly resolve: (a: SubmitAnswer) => void;
  readonly reject: (e: unknown) => void;
}

/** The ballot box of one election directory, served. */
export class BallotBoxService<E = unknown> {
  private readonly ready: Ready[] = [];
  private flushScheduled = false;
  private inflight = 0;
  private idle: (() => void)[] = [];
  private stopping = false;
  private failure: Error | null = null;
  private readonly waiters = new Set<() => void>();
  private checkpointTimer: NodeJS.Timeout | null = null;
  private readonly readFd: number;
  private adminBusy = false;
  private closed = false;

  private constructor(
    readonly directory: ElectionDirectory<E>,
    private readonly box: BallotBox<E>,
    private readonly pool: BallotCheckerPool,
    private readonly key: BallotBoxKey,
    private readonly opts: BallotBoxServiceOptions,
    /** The public parameters GET /election shows: fixed, so made once (hashing the credential list is not cheap). */
    private readonly fixed: { readonly election: ElectionJson; readonly credentialsSha256: string },
  ) {
    this.readFd = openSync(box.path, 'r');
  }

  /**
   * Opens the election directory's board (against its checkpoint: a board rolled back is
   * refused), loads the box's key and starts the checker pool.
   * @throws ProtocolError `locked` when another process holds the board (a second server).
   */
  static async start<E = unknown>(dir: string, opts: BallotBoxServiceOptions = {}): Promise<BallotBoxService<E>> {
    const maxPending = opts.maxPending ?? 1024;
    if (!Number.isSafeInteger(maxPending) || maxPending < 1) throw new RangeError('maxPending must be a positive integer');
    const d = readElectionDirectory<E>(dir, opts);
    const key = opts.boxKey ?? (await readBoxKey(d));
    const { box } = openBallotBox(d);
    try {
      if (box.receiptKey !== key.publicKeyHex)
        throw new BallotBoxServiceError(
          box.receiptKey === null
            ? "the board's setup publishes no receipt key: it was opened by an mjvote without signed receipts; open a new election directory"
            : "the box key is not the one the board's setup publishes (the receipt key): receipts signed with it would not verify",
        );
      const electionJson = electionToJson(d.election);
      const credentialsJson = credentialListToJson(d.credentials);
      const pool = await BallotCheckerPool.start(electionJson, credentialsJson, opts.checker);
      return new BallotBoxService(
        d,
        box,
        pool,
        key,
        { ...opts, maxPending },
        {
          election: electionJson,
          credentialsSha256: canonicalSha256(credentialsJson),
        },
      );
    } catch (e) {
      box.close();
      throw e;
    }
  }

  /** The election's phase now (`open` while ballots are accepted). */
  get phase(): ElectionStatus['phase'] {
    return this.box.phase;
  }
  /** Ballots queued or being checked. */
  get pending(): number {
    return this.inflight;
  }
  /** Board entries. */
  get entries(): number {
    return this.box.entries;
  }
  /** The board's head now. */
  get head(): string {
    return this.box.head;
  }
  /** The checker's batches and ballots so far (for the benchmark). */
  get checkerStats(): { batches: number; ballots: number } {
    return this.pool.stats;
  }
  /** The box's public receipt key (hex), as the setup publishes it. */
  get receiptKey(): string {
    return this.key.publicKeyHex;
  }

  /** The public parameters and where the election stands. */
  info(): ElectionInfo {
    const d = this.directory;
    return {
      electionId: d.manifest.electionId,
      election: this.fixed.election,
      fingerprint: d.election.fingerprintHex,
      credentialsSha256: this.fixed.credentialsSha256,
      registered: d.credentials.size,
      receiptKey: this.key.publicKeyHex,
      phase: this.box.phase,
      entries: this.box.entries,
      head: this.box.head,
      ballots: this.box.ballots,
      voters: this.box.voters,
      audits: this.box.audits,
    };
  }

  /**
   * Submits a ballot (the untrusted text of a request body, whose size the caller bounded).
   * Resolves once the ballot is on disk with its receipt, or refused; never rejects for a bad
   * ballot. Rejects (BallotBoxServiceError) only when the board's writer failed.
   */
  async submit(text: string): Promise<SubmitAnswer> {
    if (this.stopping) return { kind: 'stopping' };
    if (this.failure !== null) throw new BallotBoxServiceError(`the ballot box failed: ${this.failure.message}`);
    if (this.box.sealed) return { kind: 'refused', code: 'sealed', reason: 'the ballot box is sealed', path: 'ballot' };
    if (this.inflight >= this.opts.maxPending!) return { kind: 'busy' };
    this.inflight++;
    try {
      const outcome = await this.pool.check(text);
      return await new Promise<SubmitAnswer>((resolve, reject) => {
        this.ready.push({ outcome, resolve, reject });
        this.scheduleFlush();
      });
    } finally {
      this.done();
    }
  }

  private done(): void {
    this.inflight--;
    if (this.inflight === 0) for (const f of this.idle.splice(0)) f();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After the pending I/O callbacks: every check that came back meanwhile joins this commit.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** The writer's turn: every ballot checked since the last one, one group commit. */
  private flush(): void {
    const batch = this.ready.splice(0);
    if (batch.length === 0) return;
    const answers: (CastResult | null)[] = new Array(batch.length).fill(null);
    const ok: { at: number; item: PrecheckedBallot }[] = [];
    batch.forEach(({ outcome }, i) => {
      if (outcome.ok) ok.push({ at: i, item: outcome });
      else {
        // Refused by the checker: the board's own refusal (a retry, a replay) comes first, as
        // BallotBox.cast orders them, when the ballot could be read at all.
        const board = outcome.keys !== undefined ? this.box.boardRefusal(outcome.keys) : null;
        answers[i] = board ?? { accepted: false, code: outcome.code, reason: outcome.reason, path: outcome.path };
      }
    });
    let results: CastResult[];
    try {
      results = this.box.castPrechecked(
        ok.map((x) => x.item),
        { maxBallotsPerCredential: this.opts.maxBallotsPerCredential },
      );
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      for (const r of batch) r.reject(new BallotBoxServiceError(`the ballot box failed: ${this.failure.message}`));
      return;
    }
    ok.forEach(({ at }, k) => (answers[at] = results[k]!));
    if (ok.length > 0) {
      this.notify();
      this.scheduleCheckpoint();
    }
    batch.forEach((r, i) => {
      const a = answers[i]!;
      if (a.accepted) {
        const receipt = ballotReceipt(
          this.key,
          this.directory.election,
          { seq: a.receipt.seq, hash: a.receipt.hash, time: a.receipt.time },
          { hashHex: a.ballotHash, trackingCode: a.trackingCode },
        );
        r.resolve({ kind: 'accepted', receipt, revote: a.revote });
      } else if (a.code === 'duplicate' && a.seq !== undefined) {
        const o = r.outcome;
        const keys = o.ok ? o : o.keys!;
        try {
          r.resolve({ kind: 'retry', receipt: this.receiptOfEntry(a.seq, keys) });
        } catch (e) {
          r.reject(e);
        }
      } else r.resolve({ kind: 'refused', code: a.code, reason: a.reason, path: a.path });
    });
  }

  /** The receipt of the ballot entry `seq` that holds this ballot (what its first submission got). */
  private receiptOfEntry(seq: number, ballot: { readonly hashHex: string; readonly trackingCode: string }): BallotReceiptJson {
    const line = this.readLine(seq);
    if (line.entry.kind !== 'ballot') throw new BallotBoxServiceError(`entry ${seq} is not a ballot`);
    return ballotReceipt(this.key, this.directory.election, { seq, hash: line.hash, time: line.entry.time }, ballot);
  }

  /**
   * Publishes a Benaloh audit (the text of `{ballot, opening}`): the opening checked against
   * the ballot, the ballot as a cast one would be. Runs on the main thread (audits are few).
   */
  audit(text: string): AuditSubmitAnswer {
    if (this.stopping) return { kind: 'stopping' };
    let json: unknown;
    try {
      json = parseJson(text, 'audit', { maxDepth: 16 });
      if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new FormatError('audit', 'expected an object {ballot, opening}');
      const keys = Object.keys(json);
      if (keys.length !== 2 || !('ballot' in json) || !('opening' in json))
        throw new FormatError('audit', 'expected exactly the members ballot and opening');
      const o = json;
      const receipt = this.box.publishAudit(o.ballot, o.opening);
      this.notify();
      this.scheduleCheckpoint();
      const ballotHash = String((o.opening as { ballotHash: unknown }).ballotHash);
      return {
        kind: 'published',
        seq: receipt.seq,
        entryHash: receipt.hash,
        ballotHash,
        trackingCode: trackingCodeOf(fromHex(ballotHash)),
      };
    } catch (e) {
      if (!(e instanceof MjvoteError)) throw e;
      return {
        kind: 'refused',
        code: e.code,
        reason: e instanceof FormatError ? e.reason : e.message,
        path: e instanceof FormatError ? e.path : 'audit',
      };
    }
  }

  /** Where a tracking code (canonical, see parseTrackingCode) stands, with its entry. */
  /**
   * Whether a credential (its public key, canonical hex) is registered, and its ballots on the
   * board: what the booth checks right after a voter types a code, before the voter grades.
   * Public information (the credential list and the board are).
   */
  credential(credentialHex: string): CredentialAnswer {
    const registered = this.directory.credentials.hasHex(credentialHex);
    return {
      credential: credentialHex,
      registered,
      ...(registered ? this.box.ballotsOf(credentialHex) : { ballots: 0 }),
      maxBallots: this.opts.maxBallotsPerCredential ?? null,
    };
  }

  track(code: string): TrackingAnswer {
    const t = this.box.track(code);
    const entry = t.status === 'absent' ? undefined : (JSON.parse(this.readLine(t.seq).text) as unknown);
    return {
      ...t,
      trackingCode: code,
      ...(entry !== undefined ? { entry } : {}),
      boardEntries: this.box.entries,
      boardHead: this.box.head,
    };
  }

  /** Reads the board line `seq` back from the file. */
  readLine(seq: number): BoardLine {
    const start = this.box.entryOffset(seq);
    const end = seq + 1 < this.box.entries ? this.box.entryOffset(seq + 1) : this.box.byteLength;
    const bytes = new Uint8Array(end - start - 1); // without the newline
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(this.readFd, bytes, got, bytes.length - got, start + got);
      if (n === 0) throw new BallotBoxServiceError(`the board file ends inside entry ${seq}`);
      got += n;
    }
    const text = new TextDecoder().decode(bytes);
    const entry = JSON.parse(text) as BoardLine['entry'];
    return { seq, hash: entryHash(bytes), text, entry };
  }

  /**
   * The board's bytes from entry `from` (whole lines): up to the end of the board as it is when
   * called, or, with `follow`, on and on as entries are appended, until `signal` aborts or the
   * service stops. Reads 64 KiB at a time, when the consumer pulls (back-pressure).
   * @throws RangeError when `from` is beyond the board's end.
   */
  boardBytes(from: number, opts: { follow?: boolean; signal?: AbortSignal; heartbeatMs?: number } = {}): AsyncIterable<Uint8Array> {
    if (!Number.isSafeInteger(from) || from < 0 || from > this.box.entries)
      throw new RangeError(`from: the board has ${this.box.entries} entries (0 … ${this.box.entries})`);
    const pos = from === this.box.entries ? this.box.byteLength : this.box.entryOffset(from);
    return { [Symbol.asyncIterator]: () => this.bytesFrom(pos, this.box.byteLength, opts) };
  }

  private async *bytesFrom(
    pos: number,
    snapshotEnd: number,
    opts: { follow?: boolean; signal?: AbortSignal; heartbeatMs?: number },
  ): AsyncGenerator<Uint8Array> {
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      if (opts.signal?.aborted || this.closed) return;
      const end = opts.follow ? this.box.byteLength : snapshotEnd;
      if (pos < end) {
        const n = readSync(this.readFd, buf, 0, Math.min(buf.length, end - pos), pos);
        if (n === 0) return;
        pos += n;
        yield buf.slice(0, n);
        continue;
      }
      if (!opts.follow || this.stopping || this.box.phase === 'published') return;
      // An empty chunk when nothing came for heartbeatMs: the caller's keep-alive.
      if ((await this.nextAppend(opts.signal, opts.heartbeatMs)) === 'timeout') yield new Uint8Array(0);
    }
  }

  /** Resolves at the next append, when the service stops, when `signal` aborts, or after `timeoutMs` (`'timeout'`). */
  nextAppend(signal?: AbortSignal, timeoutMs?: number): Promise<'woken' | 'timeout'> {
    return new Promise((resolve) => {
      if (this.stopping || signal?.aborted) return resolve('woken');
      let timer: NodeJS.Timeout | undefined;
      const end = (why: 'woken' | 'timeout'): void => {
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', wake);
        if (timer !== undefined) clearTimeout(timer);
        resolve(why);
      };
      const wake = (): void => end('woken');
      this.waiters.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(() => end('timeout'), timeoutMs);
    });
  }

  /**
   * A file of the published record (one of RECORD_FILES), streamed; null before the record is
   * published (record.json is written last) or for any other name.
   */
  recordFile(name: string, range?: { readonly start: number; readonly end: number }): AsyncIterable<Uint8Array> | null {
    if (this.recordFileSize(name) === null) return null;
    return createReadStream(join(this.directory.dir, name), {
      highWaterMark: 64 * 1024,
      ...(range !== undefined && { start: range.start, end: range.end }),
    });
  }

  /**
   * The published record as one ustar archive (`ELECTIONID-record/` and the record's files, in
   * `record.json`'s order), or null before publication.
   */
  recordArchive(): (RecordArchive & { readonly name: string }) | null {
    if (this.recordFileSize(RECORD_FILES.index) === null) return null;
    const folder = `${this.directory.manifest.electionId}-record`;
    const names = [...new Set(Object.values(RECORD_FILES) as string[])].filter((n) => this.recordFileSize(n) !== null);
    return { name: `${folder}.tar`, ...recordArchive(this.directory.dir, folder, names) };
  }

  /** The size in bytes of a file of the published record, or null (not a record file, or not published). */
  recordFileSize(name: string): number | null {
    if (!(Object.values(RECORD_FILES) as string[]).includes(name)) return null;
    if (this.box.phase !== 'published' || !existsSync(join(this.directory.dir, RECORD_FILES.index))) return null;
    const path = join(this.directory.dir, name);
    return existsSync(path) ? statSync(path).size : null;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private scheduleCheckpoint(): void {
    if (this.checkpointTimer !== null) return;
    // At most once a second: the checkpoint guards against a board rolled back between runs;
    // one a second behind is still a floor the board must reach.
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      if (!this.closed) saveCheckpoint(this.directory, this.box);
    }, 1000);
    this.checkpointTimer.unref();
  }

  // ---- The organiser's steps, through this writer ----

  private async admin<T>(f: () => Promise<T>): Promise<T> {
    if (this.stopping) throw new BallotBoxServiceError('the server is stopping');
    if (this.adminBusy) throw new BallotBoxServiceError('another administrative step is running: wait for it to finish');
    this.adminBusy = true;
    try {
      return await f();
    } finally {
      this.adminBusy = false;
      this.notify();
    }
  }

  /** Seals the box (closeElection through this writer); ballots checked meanwhile are answered first. */
  close(): Promise<{ entries: number; head: string; already: boolean }> {
    return this.admin(async () => {
      this.flush();
      const r = await closeElection(this.directory, { box: this.box });
      return r;
    });
  }

  /** The encrypted tally (tallyElection through this writer), with progress. */
  tally(
    onProgress: (done: number, total: number) => void = () => {},
  ): Promise<{ ballots: number; head: string; tallySha256: string; already: boolean }> {
    return this.admin(async () => {
      const r = await tallyElection(this.directory, onProgress, { box: this.box });
      return { ballots: r.tally.ballots, head: r.head, tallySha256: r.tallySha256, already: r.already };
    });
  }

  /** Publishes the result from the trustees' share files (publishElection through this writer). */
  publish(shareFiles: readonly { name: string; json: unknown }[]): Promise<Publication<E>> {
    return this.admin(async () => {
      const r = await publishElection(this.directory, shareFiles, { box: this.box });
      return r;
    });
  }

  /**
   * Stops: refuses new ballots, waits for those in flight to be answered (their lines on disk),
   * stops the checkers, records the checkpoint, closes the board. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.notify();
    if (this.inflight > 0) await new Promise<void>((r) => this.idle.push(r));
    this.flush();
    await this.pool.close();
    if (this.checkpointTimer !== null) clearTimeout(this.checkpointTimer);
    if (this.failure === null) saveCheckpoint(this.directory, this.box);
    this.closed = true;
    this.box.close();
    closeSync(this.readFd);
  }
}
