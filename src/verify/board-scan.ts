/**
 * A tolerant, streaming reader of `board.jsonl` for the verifier (check 5). Unlike the board's
 * own reader (`src/board/reader.ts`), which throws at the first damaged line, it reports every
 * problem as a check-5 failure and keeps going, so that the other checks still run on every
 * entry it can read:
 *
 * - each line must be UTF-8 JSON in canonical form (`serializeEntry`), version 1, with exactly
 *   the envelope fields;
 * - `seq` must follow the previous line's `seq` (after a gap it resynchronises, so one deleted
 *   line is one failure, not one per following line); `prev` must be the chain hash of the
 *   previous line as it is in the file (the genesis hash of the election for line 1);
 * - kinds follow the lifecycle; after an out-of-order entry the lifecycle resynchronises on it,
 *   except after the seal, where every further ballot or audit is reported;
 * - the seal records the entries and head before it; the board is complete (ends with a result),
 *   its last line has a newline, and its final head is the one `record.json` publishes.
 *
 * It holds one read chunk and one line in memory at a time. It reads the board from a
 * {@link RecordStore} (a directory, a web server, files picked in a page). Browser-safe.
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import { concatBytes } from '../bytes.js';
import {
  BALLOT_HEAD_RE,
  BOARD_VERSION,
  DEFAULT_MAX_LINE_BYTES,
  decodeLine,
  entryHash,
  genesisHash,
  isCanonicalEntryText,
  isTime,
  lineText,
  serializeEntry,
} from '../board/chain.js';
import { isCanonicalJsonText, isPlainObject, type JsonObject } from '../json/canonical.js';
import { KIND_RE, LifecycleCursor, type Lifecycle } from '../board/lifecycle.js';
import type { Findings } from './report.js';
import { storeErrorReason, type RecordStore } from '../record/store.js';
import { shortJson } from './json-diff.js';

/** One line of the board as the verifier sees it. */
export interface ScannedLine {
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset of the line in the file. */
  readonly offset: number;
  /** Length in bytes, newline excluded. */
  readonly length: number;
  /** The line's chain hash (`SHA-256("mjvote-v1-board\0" ‖ line)`). */
  readonly hash: string;
  /** The entry kind, or null when the line has no usable kind. */
  readonly kind: string | null;
  /**
   * The payload, or null when the line has no object payload; undefined for a `ballot` line
   * whose whole text was recognised as a valid, canonical next entry without parsing it (parse
   * `text` for its payload: the ballot checker does).
   */
  readonly payload: JsonObject | null | undefined;
  /** The line as text (null when it is not UTF-8 JSON). */
  readonly text: string | null;
  /** True when a seal line comes before this line. */
  readonly afterSeal: boolean;
}

/** What the scan established once the file has been read to the end. */
export interface BoardScanSummary {
  /** Complete lines read. */
  readonly lines: number;
  /** Bytes of complete lines (newlines included). */
  readonly byteLength: number;
  /** Chain hash of the last complete line (the genesis hash for an empty board). */
  readonly head: string;
  /** Line number of the (first) seal, or null. */
  readonly sealLine: number | null;
}

/** Options of {@link scanBoard}. */
export interface ScanBoardOptions {
  /** Where the board is. */
  readonly store: RecordStore;
  /** Its name in the store and in failures (e.g. `board.jsonl`). */
  readonly file: string;
  /** The election id the genesis hash is derived from. */
  readonly electionId: string;
  readonly lifecycle: Lifecycle;
  /** The head the board must end at (the one `record.json` publishes), or null when none is published. */
  readonly expectedHead: string | null;
  /** Where the expected head comes from (`record.json`), where a wrong head is reported. */
  readonly indexFile: string;
  /**
   * How far the board must go: `result` (default: the whole lifecycle, a published record), or
   * `tally` (a record in the making: sealed, its tally published, not yet decrypted).
   */
  readonly upTo?: 'result' | 'tally';
  readonly findings: Findings;
  /** Longest line accepted (default {@link DEFAULT_MAX_LINE_BYTES}); longer lines are reported and skipped. */
  readonly maxLineBytes?: number;
  /** Called after each chunk read, with bytes read so far and the file size (0 when the store does not know it). */
  readonly onBytes?: (done: number, total: number) => void;
  /**
   * Recognise valid canonical `ballot` lines without parsing them (default true; their
   * `payload` is then undefined). False parses every line: the same findings, the reference
   * the tests compare with.
   */
  readonly recogniseBallots?: boolean;
}

const ENVELOPE_KEYS = ['v', 'seq', 'prev', 'kind', 'time', 'payload'];
const HASH_RE = /^[0-9a-f]{64}$/;
const PLACEHOLDER_HASH = '0'.repeat(64);

/** An entry's payload as the verifier uses it: the object, or null for anything else. */
export function entryPayload(value: unknown): JsonObject | null {
  return isPlainObject(value) ? (value as JsonObject) : null;
}

/** The tolerant chain state: advances on every line, whatever it holds. */
class TolerantChain {
  private prevHash: string;
  private prevSeq = -1;
  private cursor: LifecycleCursor;
  private sealSeen = false;
  /** The kinds accepted so far. */
  readonly seen = new Set<string>();
  lines = 0;
  byteLength = 0;
  sealLine: number | null = null;

  constructor(
    private readonly o: ScanBoardOptions,
    genesis: string,
  ) {
    this.prevHash = genesis;
    this.cursor = new LifecycleCursor(o.lifecycle);
  }

  get head(): string {
    return this.prevHash;
  }
  get complete(): boolean {
    return this.cursor.complete;
  }
  expected(): string[] {
    return this.cursor.expected();
  }

  private fail(line: number, path: string | undefined, reason: string): void {
    this.o.findings.fail({ check: 5, file: this.o.file, line, ...(path !== undefined && { path }), reason });
  }

  /**
   * Whether a line's text is, as a whole, a valid canonical next `ballot` entry: the writer's
   * envelope with the expected seq and prev, a valid time, and a canonical object payload
   * ({@link isCanonicalJsonText}). Such a line has nothing to report, so it needs no parsing
   * here (most lines of a board are ballots).
   */
  private isRecognisedBallot(text: string, prevHash: string): boolean {
    const m = BALLOT_HEAD_RE.exec(text);
    if (m === null || Number(m[1]) !== this.prevSeq + 1 || m[2] !== prevHash || !isTime(m[3])) return false;
    const start = m[0].length - 1; // the payload's opening brace
    return text.charCodeAt(text.length - 1) === 0x7d && isCanonicalJsonText(text, start, text.length - 1);
  }

  /** Checks one complete line (newline excluded) and advances. */
  next(bytes: Uint8Array, offset: number): ScannedLine {
    const line = ++this.lines;
    const hash = entryHash(bytes);
    const prevHash = this.prevHash;
    this.prevHash = hash;
    this.byteLength += bytes.length + 1;
    const afterSeal = this.sealSeen;
    const utf8 = lineText(bytes);
    if (utf8 !== null && this.o.recogniseBallots !== false && this.isRecognisedBallot(utf8, prevHash)) {
      this.prevSeq++;
      this.lifecycle(line, 'ballot');
      return { line, offset, length: bytes.length, hash, kind: 'ballot', payload: undefined, text: utf8, afterSeal };
    }
    const d = decodeLine(bytes, utf8);
    const text = d.ok ? d.text : null;
    const out = (kind: string | null, payload: JsonObject | null): ScannedLine => ({
      line,
      offset,
      length: bytes.length,
      hash,
      kind,
      payload,
      text,
      afterSeal,
    });

    if (!d.ok) {
      this.fail(line, undefined, `${d.why}: not a board line`);
      return out(null, null);
    }
    const o = d.value;
    if (!isPlainObject(o)) {
      this.fail(line, undefined, 'expected a JSON object');
      return out(null, null);
    }
    if (o.v !== BOARD_VERSION) this.fail(line, 'v', `expected version ${BOARD_VERSION}, found ${shortJson(o.v)}`);
    for (const k of Object.keys(o)) if (!ENVELOPE_KEYS.includes(k)) this.fail(line, k, 'unexpected field');
    for (const k of ENVELOPE_KEYS) if (!Object.hasOwn(o, k)) this.fail(line, k, 'missing');

    const seqOk = typeof o.seq === 'number' && Number.isSafeInteger(o.seq) && o.seq >= 0;
    const expectedSeq = this.prevSeq + 1;
    if (!seqOk) this.fail(line, 'seq', 'expected a non-negative integer');
    else if (o.seq !== expectedSeq)
      this.fail(line, 'seq', `expected ${expectedSeq}, found ${o.seq as number} (a line was deleted, inserted or moved)`);
    this.prevSeq = seqOk ? (o.seq as number) : expectedSeq;

    const prevOk = typeof o.prev === 'string' && HASH_RE.test(o.prev);
    if (!prevOk) this.fail(line, 'prev', 'expected 64 lowercase hex digits');
    else if (o.prev !== prevHash)
      this.fail(
        line,
        'prev',
        line === 1
          ? `is not the genesis hash of election ${JSON.stringify(this.o.electionId)} (the board belongs to another election, or the line was altered)`
          : `is not the chain hash of line ${line - 1} (line ${line - 1} was altered, removed or inserted, or this line's prev was)`,
      );

    const kindOk = typeof o.kind === 'string' && KIND_RE.test(o.kind);
    if (!kindOk) this.fail(line, 'kind', `expected a kind matching ${KIND_RE}`);
    const payload = entryPayload(o.payload);
    if (payload === null) this.fail(line, 'payload', 'expected a JSON object');

    // Canonical form (and a valid time): recognised in the text when it is so (the usual case),
    // else serialized with placeholders for fields already reported, and compared.
    const fields = {
      seq: seqOk ? (o.seq as number) : 0,
      prev: prevOk ? (o.prev as string) : PLACEHOLDER_HASH,
      kind: kindOk ? (o.kind as string) : 'x',
      time: o.time as string,
      payload: payload ?? {},
    };
    const allOk = seqOk && prevOk && kindOk && payload !== null && o.v === BOARD_VERSION;
    if (!allOk || !isCanonicalEntryText(fields, d.text)) {
      try {
        const text = serializeEntry(fields);
        if (allOk && text !== d.text)
          this.fail(
            line,
            undefined,
            'not in canonical form (field order, whitespace, escapes or number spelling differ from what the writer produces)',
          );
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        this.fail(line, e.path, e.reason);
      }
    }

    if (!kindOk) return out(null, payload);
    const kind = o.kind as string;
    this.lifecycle(line, kind);
    if (kind === this.o.lifecycle.seal) {
      this.sealSeen = true;
      this.sealLine ??= line;
      if (payload !== null) {
        if (payload.entries !== o.seq)
          this.fail(line, 'payload.entries', `the seal must record the ${line - 1} entries before it, found ${shortJson(payload.entries)}`);
        if (payload.head !== o.prev || payload.head !== prevHash)
          this.fail(line, 'payload.head', 'the seal must record the chain hash of the line before it');
      }
    }
    return out(kind, payload);
  }

  private lifecycle(line: number, kind: string): void {
    const c = this.cursor.clone();
    try {
      c.accept(kind);
      this.cursor = c;
      this.seen.add(kind);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.fail(line, 'kind', e.message);
      // Resynchronise on a known kind (one missing or misplaced entry is one failure), but never
      // move back before the seal: every entry of a pre-seal kind after it is reported.
      const step = this.o.lifecycle.steps.findIndex((s) => s.kinds.includes(kind));
      if (step >= 0 && e.code !== 'sealed') this.cursor = new LifecycleCursor(this.o.lifecycle, step, 1);
    }
  }
}

/**
 * Streams the board's lines, reporting every envelope, chain, lifecycle and seal problem to
 * `findings` as a check-5 failure, and yielding every line (usable or not) in order. Returns the
 * summary when the iteration ends. A missing or unreadable file is reported and yields nothing.
 */
export async function* scanBoard(o: ScanBoardOptions): AsyncGenerator<ScannedLine, BoardScanSummary | null, undefined> {
  const maxLine = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chain = new TolerantChain(o, genesisHash(o.electionId));
  const cannotRead = (reason: string): null => {
    o.findings.fail({ check: 5, file: o.file, reason: `cannot read the board: ${reason}` });
    return null;
  };
  const opened = await o.store.stream(o.file);
  if (!opened.ok) return cannotRead(opened.reason);
  const size = opened.value.size;
  const chunks = opened.value.chunks[Symbol.asyncIterator]();
  let finished = false;
  try {
    let parts: Uint8Array[] = [];
    let partsLength = 0;
    let lineStart = 0;
    let tooLong = false;
    for (let pos = 0; ;) {
      // Only what the store throws is a read failure; anything thrown below is a bug, and thrown.
      let next: IteratorResult<Uint8Array>;
      try {
        next = await chunks.next();
      } catch (e) {
        finished = true;
        return cannotRead(storeErrorReason(e));
      }
      if (next.done) {
        finished = true;
        break;
      }
      const chunk = next.value;
      if (!(chunk instanceof Uint8Array)) return cannotRead('the store gave something other than bytes');
      if (chunk.length === 0) continue;
      let start = 0;
      while (start < chunk.length) {
        const nl = chunk.indexOf(10, start);
        const end = nl < 0 ? chunk.length : nl;
        if (!tooLong) {
          if (partsLength + end - start > maxLine) {
            tooLong = true;
            parts = [];
            partsLength = 0;
          } else {
            parts.push(chunk.slice(start, end));
            partsLength += end - start;
          }
        }
        if (nl < 0) break;
        const offset = lineStart;
        lineStart = pos + nl + 1;
        if (tooLong) {
          // Reported and skipped; the chain hash of the next line cannot match it.
          chain.lines++;
          o.findings.fail({
            check: 5,
            file: o.file,
            line: chain.lines,
            reason: `line is longer than the limit of ${maxLine} bytes: skipped`,
          });
          tooLong = false;
        } else {
          const bytes = parts.length === 1 ? parts[0]! : concatBytes(...parts);
          parts = [];
          partsLength = 0;
          yield chain.next(bytes, offset);
        }
        start = nl + 1;
      }
      pos += chunk.length;
      o.onBytes?.(pos, size === null ? 0 : Math.max(size, pos));
    }
    if (partsLength > 0 || tooLong)
      o.findings.fail({
        check: 5,
        file: o.file,
        line: chain.lines + 1,
        reason: 'the last line has no final newline: the board is truncated (an append was interrupted)',
      });
    if (chain.lines === 0) o.findings.fail({ check: 5, file: o.file, reason: 'the board is empty' });
    else if (o.upTo === 'tally') {
      if (!chain.seen.has('tally'))
        o.findings.fail({
          check: 5,
          file: o.file,
          line: chain.lines,
          reason: 'the board has no tally entry: the election is not tallied yet',
        });
    } else if (!chain.complete) {
      const next = chain.expected();
      o.findings.fail({
        check: 5,
        file: o.file,
        line: chain.lines,
        reason: `the board is incomplete: it must end with a result entry (next expected: ${next.map((k) => `'${k}'`).join(' or ')})`,
      });
    }
    if (chain.sealLine === null) o.findings.fail({ check: 5, file: o.file, reason: 'the board has no seal entry' });
    if (o.expectedHead !== null && chain.head !== o.expectedHead)
      o.findings.fail({
        check: 5,
        file: o.indexFile,
        path: 'boardHead',
        reason: `the board ends at head ${chain.head}, not at the head record.json publishes (${o.expectedHead}): entries were altered, added or removed`,
      });
    return { lines: chain.lines, byteLength: chain.byteLength, head: chain.head, sealLine: chain.sealLine };
  } finally {
    // Stopped early (an error, or the consumer stopped iterating): let the store close the file or connection.
    if (!finished) await chunks.return?.().catch(() => undefined);
  }
}
