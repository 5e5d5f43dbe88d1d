/**
 * The universal verifier: from an election record alone (docs/record.md), decide whether the
 * published result is the one the ballots give, with every failure named by its check number,
 * file, line or JSON path, and reason (docs/verification.md). The record comes from a
 * {@link RecordStore}: a directory (`verifyRecord` in mjvote/node), a web server
 * ({@link httpRecordStore}), files picked in a page ({@link fileRecordStore}).
 *
 * ```ts
 * const report = await verifyRecordFrom(httpRecordStore('https://example.org/record/'));
 * if (!report.ok) for (const c of report.checks) for (const f of c.failures) console.log(c.number, f.file, f.line, f.reason);
 * ```
 *
 * A record has its manifest's version. In version 2 the manifest names the trustees' identity
 * keys, and checks 1 and 7 hold the ceremony transcript and the decryption shares to them
 * (`setup.ts`, `outcome.ts`); a version-1 record cannot be held to anyone, and its report carries
 * {@link UNAUTHENTICATED_TRUSTEES_NOTE}.
 *
 * It streams `board.jsonl` once (plus a targeted re-read of superseded revotes): ballots are
 * checked in chunks ({@link verifyBallotChunk}) whose partial results merge associatively, and
 * the tally is accumulated in the same pass. Memory per ballot: its hash, its first α and, per
 * credential, where its last ballot is. Browser-safe: ballot chunks are checked on this thread or
 * on threads a {@link VerifyWorkerFactory} starts (Web Workers in a browser, worker threads in Node).
 * @module
 */
import { groupById } from '../group/index.js';
import type { Group } from '../group/group.js';
import { MJVOTE_LIFECYCLE } from '../board/lifecycle.js';
import { scanBoard, type ScannedLine } from './board-scan.js';
import { BallotPartial, subtractSuperseded, type BallotCheckContext } from './ballots.js';
import { AuditChecks } from './audits.js';
import { RecordContext } from './context.js';
import { shortJson } from './json-diff.js';
import { checkDecryption, checkResult, checkTally, readPublishedResult, type CountedBallots, type KeptEntry } from './outcome.js';
import { openRecordFrom, type RecordSource } from '../record/record-source.js';
import type { RecordStore } from '../record/store.js';
import { initRistretto255, ristretto255 } from '../group/ristretto255.js';
import type { CeremonyTranscript } from '../ceremony/transcript.js';
import type { EncryptedTally } from '../tally/aggregate.js';
import {
  Findings,
  DEFAULT_MAX_FAILURES_PER_CHECK,
  TRACKING_CODE_ADVICE,
  UNAUTHENTICATED_TRUSTEES_NOTE,
  RECEIPTS_CHECK,
  type RecomputedResult,
  type TrusteeIdentityReport,
  type TrackingCodeReport,
  type TrackingCodeStatus,
  type VerificationReport,
} from './report.js';
import { parseTrackingCode, trackingCode } from '../ballot/hash.js';
import { fromHex } from '../bytes.js';
import { checkCeremony, checkCredentialList, checkCredentialsEntry, checkIndex, checkSetupEntry } from './setup.js';
import { BallotChunker } from './pool.js';
import type { VerifyWorkerFactory, WorkerInit } from './chunk-worker.js';
import { webVerifyWorkers } from './web-workers.js';
import { electionToJson, type Election } from '../election/election.js';
import { identityFingerprint } from '../election/trustee-identity.js';
import { ReceiptChecks, type GivenReceipt } from './receipts.js';

/** Progress of a verification, for a progress bar. */
export interface VerifyProgress {
  /**
   * `board`: streaming the board (done/total in bytes; total 0 when the store does not know the
   * board's size); `revotes`: re-reading superseded ballots (done/total in lines); `decryption`;
   * `done`.
   */
  readonly phase: 'board' | 'revotes' | 'decryption' | 'done';
  /** How far the phase is (bytes of the board, lines re-read). */
  readonly done: number;
  /** How far it goes (0: not known). */
  readonly total: number;
}

/** Options of {@link verifyRecordFrom} (and of `verifyRecord` in mjvote/node). */
export interface VerifyOptions {
  /** Check ballot proofs in random-linear-combination batches (default true); false checks them one by one. Both report the same failures. */
  readonly batch?: boolean;
  /** Ballots per chunk (default 256): one batch, one partial result. */
  readonly chunkSize?: number;
  /**
   * Number of threads checking ballots (default 1: the calling thread; more start threads with
   * `workerFactory`, or from `workerUrl`).
   */
  readonly workers?: number;
  /**
   * The verifier's worker script, for `workers` > 1.
   * - In a browser ({@link verifyRecordFrom}): required, the URL where the page serves mjvote's
   *   `dist/browser/verify-worker.js`; the threads are module Web Workers ({@link webVerifyWorkers}).
   * - In Node (`verifyRecord`): optional, for when mjvote is bundled into another file: copy
   *   `mjvote/verify-worker` (the package's `dist/verify-worker.mjs`, self-contained) where the
   *   bundle can reach it and pass its URL (or file path). Default: the file beside mjvote's own.
   */
  readonly workerUrl?: URL | string;
  /**
   * How to start each thread, for `workers` > 1, instead of `workerUrl`:
   * {@link webVerifyWorkers}, `nodeVerifyWorkers` (mjvote/node), or your own.
   */
  readonly workerFactory?: VerifyWorkerFactory;
  /** Failures listed per check (default 10,000); the rest are counted in `omitted`. */
  readonly maxFailuresPerCheck?: number;
  /** Progress callback. */
  readonly onProgress?: (p: VerifyProgress) => void;
  /**
   * How far the record goes: `result` (default), a published record; or `tally`, a record in the
   * making, sealed and tallied but not yet decrypted (what a trustee checks before decrypting,
   * and auditors before the trustees do). With `tally`, `record.json` may be absent (the files
   * then have their default names), checks 7 and 8 are skipped, and the board must end at or
   * after its tally entry.
   */
  readonly upTo?: 'result' | 'tally';
  /**
   * The head (64 lowercase hex digits) the board must end at, as published elsewhere (by the
   * auditors, in the press): a board that ends anywhere else fails check 5. Checked in addition
   * to `record.json`'s `boardHead`.
   */
  readonly expectedHead?: string;
  /**
   * Voters' tracking codes to look up on the board (as typed: case, spaces and dashes do not
   * matter): each is reported counted, superseded, audited or absent (`report.trackingCodes`).
   * @throws FormatError for a code that is not one.
   */
  readonly trackingCodes?: readonly string[];
  /**
   * Ballot receipts voters were given (check 10): each is parsed strictly, its signature
   * checked under the receipt key of the board's setup entry, and, when the box signed it, the
   * board must hold the entry it acknowledges (`report.receipts` says what each showed). A
   * receipt that does not parse or is not signed by this box is reported, never thrown, and
   * fails nothing. Without receipts check 10 is skipped.
   * @throws TypeError when an item is not `{ json, source? }`.
   */
  readonly receipts?: readonly GivenReceipt[];
}

/** What a verification established, beyond its report: the election, ceremony and tally it read (each null when it could not). */
export interface VerifiedRecord<E> {
  readonly report: VerificationReport;
  readonly record: RecordSource;
  readonly election: Election<E> | null;
  readonly transcript: CeremonyTranscript<E> | null;
  /** The published encrypted tally, when it parses. */
  readonly tally: EncryptedTally<E> | null;
  /** The head of the board as read (null when it could not be read). */
  readonly boardHead: string | null;
}

/**
 * Default ballots per chunk: a 7 × 5 chunk of 256 makes one MSM of ≈ 58,000 points, whose window
 * (12 bits) costs ≈ 8 % fewer field multiplications per point than a chunk of 128 (29,000 points).
 */
export const DEFAULT_CHUNK_SIZE = 256;

/**
 * Verifies the election record in `store` and returns the report of the ten numbered checks
 * (the tenth, on the receipts given, is skipped without them). Never throws for a bad record or
 * a bad receipt: every problem is a failure of some check, or a receipt's status. The report's
 * `dir` is the store's {@link RecordStore.describe}.
 *
 * ```ts
 * // in a page that serves mjvote's dist/browser/verify-worker.js beside the bundle
 * const report = await verifyRecordFrom(httpRecordStore(new URL('record/', location.href)), {
 *   workers: 2,
 *   workerUrl: new URL('verify-worker.js', import.meta.url),
 *   onProgress: (p) => console.log(p.phase, p.done, p.total),
 * });
 * ```
 * @throws RecordUnreadableError when the record cannot be read at all: the store cannot be
 *   opened, or `record.json` or the manifest is missing, unreadable or invalid.
 * @throws RangeError for a bad option, e.g. `workers` > 1 without `workerUrl` or `workerFactory`.
 * @throws Error when a verifier thread fails (its script cannot be loaded, or it crashes).
 */
export async function verifyRecordFrom(store: RecordStore, options: VerifyOptions = {}): Promise<VerificationReport> {
  return (await verifyRecordStateFrom(store, options)).report;
}

/**
 * {@link verifyRecordFrom}, with what it established (the election, ceremony and tally it read):
 * for tools that act on a record after verifying it, such as a trustee decrypting its tally.
 */
export async function verifyRecordStateFrom(store: RecordStore, options: VerifyOptions = {}): Promise<VerifiedRecord<unknown>> {
  const t0 = Date.now();
  const upTo = options.upTo ?? 'result';
  if (upTo !== 'result' && upTo !== 'tally') throw new RangeError("upTo: expected 'result' or 'tally'");
  if (options.expectedHead !== undefined && !/^[0-9a-f]{64}$/.test(options.expectedHead))
    throw new RangeError('expectedHead: expected 64 lowercase hex digits');
  const batch = options.batch ?? true;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError('chunkSize: expected a positive integer');
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError('workers: expected a positive integer');
  let startWorker = options.workerFactory;
  if (workers > 1 && startWorker === undefined) {
    if (options.workerUrl === undefined)
      throw new RangeError(
        'workers: more than 1 needs workerUrl (where dist/browser/verify-worker.js is served) or workerFactory (in Node: verifyRecord, or nodeVerifyWorkers)',
      );
    startWorker = webVerifyWorkers(options.workerUrl);
  }
  const progress = options.onProgress ?? (() => {});
  const codes = (options.trackingCodes ?? []).map((c, i) => parseTrackingCode(c, `trackingCodes[${i}]`));
  const findings = new Findings(options.maxFailuresPerCheck ?? DEFAULT_MAX_FAILURES_PER_CHECK);

  const record = await openRecordFrom(store, { indexRequired: upTo === 'result' });
  const manifest = record.manifest;
  const group = groupById(manifest.group, 'manifest.group') as Group<unknown>;
  // A browser's main thread compiles the WebAssembly backend asynchronously (a synchronous
  // compilation is refused there); elsewhere this only decides the backend a little earlier.
  if (group === (ristretto255 as Group<unknown>)) await initRistretto255();
  const ctx = new RecordContext(record, group, findings);
  const receipts = new ReceiptChecks(ctx, options.receipts ?? []);

  checkIndex(ctx);
  await checkCeremony(ctx);
  await checkCredentialList(ctx);

  const board = await readBoard(ctx, {
    batch,
    chunkSize,
    progress,
    workers,
    startWorker,
    upTo,
    expectedHead: options.expectedHead ?? null,
    receipts,
  });
  const receiptReports = receipts.finish({ read: board.head !== null, lines: board.lines });

  const counted: CountedBallots<unknown> | null =
    board.ballots === null
      ? null
      : { counted: board.ballots.last.size, tally: board.ballots.tally.result(), unreadable: board.unreadableCounted };
  const tally = await checkTally(ctx, board.tally, counted);
  let result: RecomputedResult | undefined;
  if (upTo === 'result') {
    const published = await readPublishedResult(ctx, board.result, ctx.election?.manifest ?? manifest);
    progress({ phase: 'decryption', done: 0, total: 1 });
    const decrypted = await checkDecryption(ctx, board.shares, tally, counted?.counted ?? null, published);
    result = checkResult(ctx, published, decrypted, counted?.counted ?? null);
  } else {
    findings.skip(7, 'the record is verified up to its tally (not yet decrypted)');
    findings.skip(8, 'the record is verified up to its tally (not yet decrypted)');
  }
  progress({ phase: 'done', done: 1, total: 1 });

  const checks = findings.checks();
  // Check 10 is skipped without receipts (or without a receipt key): evidence not given is no fault of the record.
  const skippedByRequest = upTo === 'tally' ? [7, 8, RECEIPTS_CHECK] : [RECEIPTS_CHECK];
  const report: VerificationReport = {
    ok: checks.every((c) => c.status === 'pass' || (c.status === 'skipped' && skippedByRequest.includes(c.number))),
    dir: record.dir,
    electionId: manifest.electionId,
    group: manifest.group,
    recordVersion: manifest.version,
    ...(manifest.trustees.identities !== undefined && { trustees: trusteesOf(manifest.trustees.identities) }),
    notes: manifest.version === 1 ? [UNAUTHENTICATED_TRUSTEES_NOTE] : [],
    checks,
    ...(codes.length > 0 && { trackingCodes: lookUpTrackingCodes(codes, board) }),
    ...(receiptReports.length > 0 && { receipts: receiptReports }),
    ...(result !== undefined && { result }),
    counts: {
      entries: board.lines,
      ballots: board.ballots?.ballots ?? 0,
      counted: counted?.counted ?? 0,
      revotes: board.ballots?.revotes ?? 0,
      audits: board.audits,
      registered: ctx.credentials?.size ?? 0,
      candidates: manifest.candidates.length,
      grades: manifest.grades.length,
      trustees: manifest.trustees.n,
      threshold: manifest.trustees.t,
      decryptionShares: board.shares.length,
    },
    batch,
    ms: Date.now() - t0,
  };
  return { report, record, election: ctx.election, transcript: ctx.transcript, tally, boardHead: board.head };
}

/** The trustees a version-2 manifest names, with their fingerprints. */
function trusteesOf(identities: readonly string[]): TrusteeIdentityReport[] {
  return identities.map((publicKey, i) => ({
    trustee: i + 1,
    publicKey,
    fingerprint: identityFingerprint(fromHex(publicKey, `manifest.trustees.identities[${i}]`, 32)),
  }));
}

/** Where each tracking code stands on the board, from what the board pass kept (ballot hashes, last ballots, audits). */
function lookUpTrackingCodes<E>(codes: readonly string[], board: BoardPass<E>): TrackingCodeReport[] {
  const wanted = new Set(codes);
  const found = new Map<string, { status: TrackingCodeStatus; line: number }>();
  const b = board.ballots;
  if (b !== null) {
    const counted = new Set([...b.last.values()].map((r) => r.line));
    for (const hash of b.hashes.keys()) {
      const code = trackingCode(fromHex(hash, 'hash', 32));
      if (!wanted.has(code)) continue;
      const line = b.hashes.firstLine(hash)!;
      const status: TrackingCodeStatus = counted.has(line) ? 'counted' : 'superseded';
      const prev = found.get(code);
      if (prev === undefined || (prev.status !== 'counted' && status === 'counted')) found.set(code, { status, line });
    }
  }
  for (const [hash, line] of board.audited) {
    const code = trackingCode(fromHex(hash, 'hash', 32));
    if (wanted.has(code) && !found.has(code)) found.set(code, { status: 'audited', line });
  }
  return codes.map((code) => {
    const f = found.get(code);
    const status = f?.status ?? 'absent';
    return { code, status, ...(f !== undefined && { line: f.line }), advice: TRACKING_CODE_ADVICE[status] };
  });
}

/** What the board pass gives the later checks. */
interface BoardPass<E> {
  /** Audited ballot hash → line of its audit entry. */
  audited: ReadonlyMap<string, number>;
  lines: number;
  /** The chain hash of the board's last line (null when the board could not be read). */
  head: string | null;
  /** Merged ballot partial (null when no election was usable for the ballots). */
  ballots: BallotPartial<E> | null;
  unreadableCounted: number[];
  audits: number;
  tally: KeptEntry | null;
  shares: KeptEntry[];
  result: KeptEntry | null;
}

/**
 * One streaming pass over the board (checks 1, 3, 4, 5, 9 on its entries; the ballots' tally;
 * the lines receipts name, for check 10), then the targeted re-read of superseded ballots.
 */
async function readBoard<E>(
  ctx: RecordContext<E>,
  o: {
    batch: boolean;
    chunkSize: number;
    progress: (p: VerifyProgress) => void;
    workers: number;
    startWorker: VerifyWorkerFactory | undefined;
    upTo: 'result' | 'tally';
    expectedHead: string | null;
    receipts: ReceiptChecks<E>;
  },
): Promise<BoardPass<E>> {
  const { findings } = ctx;
  const audits = new AuditChecks(ctx);
  const out: BoardPass<E> = {
    audited: audits.auditedHashes,
    lines: 0,
    head: null,
    ballots: null,
    unreadableCounted: [],
    audits: 0,
    tally: null,
    shares: [],
    result: null,
  };
  let setupSeen = false;
  let credentialsLine: number | null = null;
  let firstBallotLine: number | null = null;
  let seal: KeptEntry | null = null;
  let ballotCtx: BallotCheckContext<E> | null = null;
  let noElectionBallots = 0;

  // Chunks are checked here (one thread) or by worker threads; partials are absorbed in board order.
  let chunker: BallotChunker<E> | null = null;
  const absorb = (part: BallotPartial<E>): void => {
    if (out.ballots === null) out.ballots = part;
    else out.ballots.merge(part);
    // Failures move to the findings as they are found: the merged partial keeps no list.
    findings.failAll(out.ballots.failures);
    out.ballots.failures.length = 0;
  };
  const onBallot = async (l: ScannedLine): Promise<void> => {
    firstBallotLine ??= l.line;
    if (ballotCtx === null) {
      const election = ctx.election;
      if (election === null) {
        noElectionBallots++;
        return;
      }
      ballotCtx = { election, credentials: ctx.credentials, batch: o.batch, file: ctx.file('board') };
      out.ballots = new BallotPartial(ballotCtx);
      const init: WorkerInit = {
        electionJson: electionToJson(election),
        credentials: ctx.credentials === null ? null : [...ctx.credentials.hex],
        groupId: election.group.id,
        batch: o.batch,
        file: ctx.file('board'),
      };
      chunker = new BallotChunker(ballotCtx, init, o.workers, o.chunkSize, absorb, o.startWorker);
    }
    await chunker!.push({
      line: l.line,
      offset: l.offset,
      length: l.length,
      hash: l.hash,
      payload: l.payload,
      ...(l.text !== null && { text: l.text }),
      afterSeal: l.afterSeal,
    });
  };

  const scan = scanBoard({
    store: ctx.record.store,
    file: ctx.file('board'),
    indexFile: ctx.file('index'),
    electionId: ctx.manifest.electionId,
    lifecycle: MJVOTE_LIFECYCLE,
    expectedHead: ctx.index?.boardHead ?? null,
    upTo: o.upTo,
    findings,
    onBytes: (done, total) => o.progress({ phase: 'board', done, total }),
  });
  let boardRead: boolean;
  try {
    for (;;) {
      const next = await scan.next();
      if (next.done) {
        out.lines = next.value?.lines ?? 0;
        out.head = next.value?.head ?? null;
        boardRead = next.value !== null;
        break;
      }
      const l = next.value;
      o.receipts.observe(l);
      const p = l.payload ?? null; // undefined only for a recognised ballot line
      switch (l.kind) {
        case 'setup':
          if (!setupSeen) checkSetupEntry(ctx, l.line, p);
          setupSeen = true;
          break;
        case 'credentials':
          if (credentialsLine === null) {
            credentialsLine = l.line;
            checkCredentialsEntry(ctx, l.line, p);
          }
          break;
        case 'ballot':
          await onBallot(l);
          break;
        case 'audit':
          firstBallotLine ??= l.line;
          out.audits++;
          audits.add(l.line, p);
          break;
        case 'seal':
          seal ??= { line: l.line, payload: p };
          break;
        case 'tally':
          out.tally ??= { line: l.line, payload: p };
          break;
        case 'decryption-share':
          out.shares.push({ line: l.line, payload: p });
          break;
        case 'result':
          out.result ??= { line: l.line, payload: p };
          break;
        default:
        // Unknown kinds and unusable lines are check-5 failures already.
      }
    }
  } catch (e) {
    // A worker failed (or the scan threw): stop the workers so that nothing keeps the process alive.
    await (chunker as BallotChunker<E> | null)?.stop();
    throw e;
  }
  await (chunker as BallotChunker<E> | null)?.finish();
  // A board without ballots still has a (zero) count and an empty tally.
  if (boardRead && out.ballots === null && noElectionBallots === 0 && ctx.election !== null)
    out.ballots = new BallotPartial({ election: ctx.election, credentials: ctx.credentials, batch: o.batch, file: ctx.file('board') });

  if (!setupSeen) ctx.fail(1, 'board', {}, 'the board has no setup entry: the election parameters are not bound to it');
  if (credentialsLine === null) ctx.fail(3, 'board', {}, 'the board has no credentials entry: the credential list is not bound to it');
  else if (firstBallotLine !== null && firstBallotLine < credentialsLine)
    ctx.fail(
      3,
      'board',
      { line: firstBallotLine },
      `a ballot or audit (line ${firstBallotLine}) comes before the credential list entry (line ${credentialsLine})`,
    );
  if (noElectionBallots > 0) {
    ctx.fail(4, 'board', {}, `${noElectionBallots} ballot entries not checked: no usable election parameters (checks 1 and 2)`);
    findings.skip(6, 'no usable election parameters (checks 1 and 2)');
  }
  if (ctx.credentials === null && out.ballots !== null)
    ctx.fail(4, 'credentials', {}, 'credential listing not checked: no readable credential list (check 3)');

  const b = out.ballots;
  if (b !== null) {
    // Second, targeted read: subtract the ballots superseded across chunks.
    o.progress({ phase: 'revotes', done: 0, total: b.superseded.length });
    const total = b.superseded.length;
    await subtractSuperseded(ctx.record.store, b.context, b.superseded, b.tally, findings, (done) =>
      o.progress({ phase: 'revotes', done, total }),
    );
    b.superseded.length = 0;
    findings.failAll(b.failures);
    b.failures.length = 0;
    out.unreadableCounted = [...b.last.values()].filter((r) => !r.readable).map((r) => r.line);
    findings.count(4, 'ballots', b.ballots);
    findings.count(4, 'valid', b.ballots - b.badLines.size);
    findings.count(5, 'counted', b.last.size);
    findings.count(5, 'revotes', b.revotes);
  }
  audits.finish(b?.hashes ?? null);
  findings.count(5, 'entries', out.lines);
  if (o.expectedHead !== null && out.head !== null && out.head !== o.expectedHead)
    ctx.fail(
      5,
      'board',
      {},
      `the board ends at head ${out.head}, not at the expected head ${o.expectedHead}: it is another board, or entries were altered, added or removed`,
    );
  checkSeal(ctx, seal, b);
  return out;
}

/** Check 5 on the seal's payload: the ballots before it and the credentials with a counted ballot. */
function checkSeal<E>(ctx: RecordContext<E>, seal: KeptEntry | null, ballots: BallotPartial<E> | null): void {
  if (seal === null) return; // reported by the board scan
  const p = seal.payload ?? {};
  const keys = ['ballots', 'counted', 'entries', 'head'];
  for (const k of Object.keys(p))
    if (!keys.includes(k)) ctx.fail(5, 'board', { line: seal.line, path: `payload.${k}` }, 'unexpected field in the seal');
  if (ballots === null) return;
  if (p.ballots !== ballots.beforeSeal)
    ctx.fail(
      5,
      'board',
      { line: seal.line, path: 'payload.ballots' },
      `the seal records ${shortJson(p.ballots)} ballots; ${ballots.beforeSeal} ballot entries come before it`,
    );
  if (p.counted !== ballots.last.size)
    ctx.fail(
      5,
      'board',
      { line: seal.line, path: 'payload.counted' },
      `the seal records ${shortJson(p.counted)} counted ballots; ${ballots.last.size} credentials have a ballot before it`,
    );
}
