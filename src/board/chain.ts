/**
 * The board's line format and hash chain: how one entry is written as one line, how a line
 * is hashed, and the state machine that checks a sequence of lines (seq continuity, `prev`
 * links, canonical form, lifecycle, seal). Pure code with no I/O: the writer (`log.ts`) and
 * the streaming reader (`reader.ts`) both drive a {@link Chain}.
 *
 * A line is `{"v":1,"seq":N,"prev":"<64 hex>","kind":"<kind>","time":"<ISO-8601>","payload":{…}}`
 * followed by `\n`, exactly as {@link serializeEntry} writes it. Its chain hash is
 * `SHA-256("mjvote-v1-board\0" ‖ line bytes without the newline)`; the first line's `prev` is
 * `SHA-256("mjvote-v1-board-genesis\0" ‖ UTF-8(election id))`. Every byte is specified in
 * `docs/board.md`.
 * @module
 */
import { sha256 } from '../sha2.js';
import { FormatError, ProtocolError } from '../errors.js';
import { toHex, utf8 } from '../bytes.js';
import { canonicalJson, canonicalString, isCanonicalJsonText, isPlainObject, MAX_JSON_DEPTH, type JsonObject } from '../json/canonical.js';
import { assertDepthAtMost } from '../json/parse.js';
import { KIND_RE, LifecycleCursor, type Lifecycle } from './lifecycle.js';
import { BoardCorruptError } from './errors.js';

/** The only line format version this code reads and writes (the `v` field). */
export const BOARD_VERSION = 1;
/** Domain-separation prefix of every entry hash. */
export const ENTRY_HASH_DOMAIN = 'mjvote-v1-board\0';
/** Domain-separation prefix of the genesis hash (the first line's `prev`). */
export const GENESIS_DOMAIN = 'mjvote-v1-board-genesis\0';
/** Default upper bound on one line's length in bytes (newline excluded); see `docs/board.md`. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

const ENTRY_PREFIX = utf8(ENTRY_HASH_DOMAIN);
const GENESIS_PREFIX = utf8(GENESIS_DOMAIN);
const HASH_RE = /^[0-9a-f]{64}$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ENVELOPE_KEYS = ['v', 'seq', 'prev', 'kind', 'time', 'payload'] as const;
/** Seal payload fields the log sets itself. */
export const SEAL_FIELDS = ['entries', 'head'] as const;

/** The receipt of an entry: everything about it but its payload. */
export interface EntryReceipt {
  /** 1-based line number in the file (always `seq + 1`). */
  readonly line: number;
  /** Byte offset in the file where the line starts. */
  readonly offset: number;
  /** Length of the line in bytes, newline excluded. */
  readonly byteLength: number;
  /** Position in the log, from 0. */
  readonly seq: number;
  /** Chain hash of the previous line (or the genesis hash for seq 0), lowercase hex. */
  readonly prev: string;
  /** Entry kind (one of the lifecycle's kinds). */
  readonly kind: string;
  /** When the writer appended it: `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC). */
  readonly time: string;
  /** This line's chain hash, lowercase hex: the log's head once it is the last line. */
  readonly hash: string;
}

/** A verified entry as read back from a board file. */
export interface BoardEntry extends EntryReceipt {
  /** The payload as parsed from the line (for the seal kind it includes `entries` and `head`). */
  readonly payload: JsonObject;
}

/** Where the seal is, once the log is sealed. */
export interface SealInfo {
  /** Seq of the seal entry (= the number of entries before it). */
  readonly seq: number;
  /** Chain hash of the last entry before the seal (= the seal's `prev`). */
  readonly head: string;
  /** The seal entry's own chain hash. */
  readonly hash: string;
}

/** The fields of one entry, as {@link serializeEntry} takes them. */
export interface EntryFields {
  readonly seq: number;
  readonly prev: string;
  readonly kind: string;
  readonly time: string;
  readonly payload: JsonObject;
}

/**
 * The genesis hash of an election's board: `SHA-256("mjvote-v1-board-genesis\0" ‖ UTF-8(electionId))`,
 * lowercase hex. It is the first line's `prev`, so a board file belongs to exactly one election.
 */
export function genesisHash(electionId: string): string {
  checkElectionId(electionId);
  return toHex(sha256.create().update(GENESIS_PREFIX).update(utf8(electionId)).digest());
}

/** The chain hash of one line: `SHA-256("mjvote-v1-board\0" ‖ line)`, lowercase hex; `line` excludes the newline. */
export function entryHash(line: Uint8Array): string {
  return toHex(sha256.create().update(ENTRY_PREFIX).update(line).digest());
}

/**
 * The canonical text of one line, without the trailing newline. Validates every field.
 * @throws FormatError naming the field.
 */
export function serializeEntry(e: EntryFields): string {
  if (!Number.isSafeInteger(e.seq) || e.seq < 0) throw new FormatError('seq', 'expected a non-negative safe integer');
  if (typeof e.prev !== 'string' || !HASH_RE.test(e.prev)) throw new FormatError('prev', 'expected 64 lowercase hex digits');
  if (typeof e.kind !== 'string' || !KIND_RE.test(e.kind)) throw new FormatError('kind', `expected a kind matching ${KIND_RE}`);
  if (!isTime(e.time)) throw new FormatError('time', 'expected YYYY-MM-DDTHH:MM:SS.sssZ (a valid UTC instant)');
  if (!isPlainObject(e.payload)) throw new FormatError('payload', 'expected a plain object');
  return `${entryHead(e)}${canonicalJson(e.payload, 'payload')}}`;
}

/** A line's text up to its payload: the envelope in its fixed order (prev, kind and time need no escapes). */
function entryHead(e: EntryFields): string {
  return `{"v":${BOARD_VERSION},"seq":${e.seq},"prev":"${e.prev}","kind":"${e.kind}","time":"${e.time}","payload":`;
}

/**
 * {@link entryHead} of a `ballot` entry as a pattern, up to the payload's opening brace:
 * groups 1–3 are seq (as canonical JSON writes an integer), prev and time (to be checked with
 * {@link isTime}).
 */
export const BALLOT_HEAD_RE = new RegExp(
  `^\\{"v":${BOARD_VERSION},"seq":(0|[1-9][0-9]{0,14}),"prev":"([0-9a-f]{64})","kind":"ballot","time":"([0-9TZ:.-]{24})","payload":\\{`,
);

/**
 * Whether `text` is `serializeEntry(e)`, shown without serializing: the fixed envelope, then a
 * payload in canonical form ({@link isCanonicalJsonText}), then `}`. Precondition: `e.payload`
 * is the payload `JSON.parse(text)` gives (the text's own). False means "not shown": serialize
 * and compare (which also names what is wrong).
 */
export function isCanonicalEntryText(e: EntryFields, text: string): boolean {
  if (!Number.isSafeInteger(e.seq) || e.seq < 0 || typeof e.prev !== 'string' || !HASH_RE.test(e.prev)) return false;
  if (typeof e.kind !== 'string' || !KIND_RE.test(e.kind) || !isTime(e.time) || !isPlainObject(e.payload)) return false;
  const head = entryHead(e);
  return (
    text.length > head.length + 1 &&
    text.startsWith(head) &&
    text.charCodeAt(text.length - 1) === 0x7d &&
    isCanonicalJsonText(text, head.length, text.length - 1)
  );
}

/** Checks an election id: a non-empty string without lone surrogates. */
export function checkElectionId(electionId: unknown, label = 'electionId'): string {
  if (typeof electionId !== 'string' || electionId.length === 0) throw new FormatError(label, 'expected a non-empty string');
  canonicalString(electionId, label);
  return electionId;
}

/** Whether t is a valid UTC instant spelled YYYY-MM-DDTHH:MM:SS.sssZ (as `toISOString` writes it). */
export function isTime(t: unknown): t is string {
  if (typeof t !== 'string' || !TIME_RE.test(t)) return false;
  const d = new Date(t);
  return !Number.isNaN(d.getTime()) && d.toISOString() === t;
}

/** The outcome of decoding one line's bytes: parsed JSON, or why it is not JSON at all. */
export type DecodedLine =
  { readonly ok: true; readonly text: string; readonly value: unknown } | { readonly ok: false; readonly why: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A line's bytes as text (strict UTF-8, a byte-order mark kept so that it fails later), or null when they are not UTF-8. */
export function lineText(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes a line (as {@link lineText}) and parses it as JSON. `text`: the line's text when the
 * caller has decoded it already.
 */
export function decodeLine(bytes: Uint8Array, text: string | null = lineText(bytes)): DecodedLine {
  if (text === null) return { ok: false, why: 'not valid UTF-8' };
  try {
    // A payload nests at most MAX_JSON_DEPTH levels and the envelope adds one: bounded before
    // JSON.parse builds anything (a line of a million nested arrays would otherwise take the heap).
    assertDepthAtMost(text, MAX_JSON_DEPTH + 1, 'line');
  } catch (e) {
    if (e instanceof FormatError) return { ok: false, why: e.reason };
    throw e;
  }
  try {
    return { ok: true, text, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, why: bytes.length === 0 ? 'empty line' : 'not valid JSON' };
  }
}

/** What {@link Chain.append} returns: the line's bytes (newline included) and its receipt. */
export interface BuiltLine {
  readonly bytes: Uint8Array;
  readonly receipt: EntryReceipt;
  readonly payload: JsonObject;
}

/**
 * The state of a board's hash chain: next seq, head hash, byte length, lifecycle position and
 * seal. `append` (writer) and `verifyLine` (reader) advance it by one entry, or throw and leave
 * it unchanged; `clone` gives an independent copy, so that a batch is checked in full before
 * anything is written.
 */
export class Chain {
  /** The election the board belongs to. */
  readonly electionId: string;
  /** The genesis hash of that election (the first line's `prev`). */
  readonly genesis: string;
  /** The file name used in error messages. */
  readonly file: string;
  /** Longest line accepted, in bytes without the newline. */
  readonly maxLineBytes: number;
  private cursor: LifecycleCursor;
  private nextSeq = 0;
  private headHash: string;
  private length = 0;
  private sealInfo: SealInfo | null = null;

  constructor(opts: { electionId: string; lifecycle: Lifecycle; file: string; maxLineBytes?: number }) {
    this.electionId = checkElectionId(opts.electionId);
    this.genesis = genesisHash(opts.electionId);
    this.headHash = this.genesis;
    this.file = opts.file;
    this.cursor = new LifecycleCursor(opts.lifecycle);
    const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isSafeInteger(max) || max < 256) throw new FormatError('maxLineBytes', 'expected an integer ≥ 256');
    this.maxLineBytes = max;
  }

  /** An independent copy of this state. */
  clone(): Chain {
    const c = Object.create(Chain.prototype) as Chain;
    Object.assign(c, this);
    c.cursor = this.cursor.clone();
    return c;
  }

  /** The lifecycle followed. */
  get lifecycle(): Lifecycle {
    return this.cursor.lifecycle;
  }
  /** Number of entries so far (= the seq of the next one). */
  get entries(): number {
    return this.nextSeq;
  }
  /** Chain hash of the last entry, or the genesis hash when there is none. */
  get head(): string {
    return this.headHash;
  }
  /** Bytes of complete lines so far (newlines included). */
  get byteLength(): number {
    return this.length;
  }
  /** Where the seal is, or null before it. */
  get seal(): SealInfo | null {
    return this.sealInfo;
  }
  /** True when the lifecycle could end here (every remaining step may be empty). */
  get complete(): boolean {
    return this.cursor.complete;
  }
  /** The kinds that may come next. */
  expectedKinds(): string[] {
    return this.cursor.expected();
  }

  /**
   * Builds the next line for `kind` and `payload` at `time` and advances the chain. For the
   * seal kind the log adds `entries` and `head` to the payload (the caller must not set them).
   * @throws ProtocolError (`'sealed'`, `'lifecycle'`) or FormatError (bad payload, line too long); the state is then unchanged.
   */
  append(kind: string, payload: JsonObject, time: string, payloadText?: string): BuiltLine {
    if (typeof kind !== 'string' || !KIND_RE.test(kind)) throw new FormatError('kind', `expected a kind matching ${KIND_RE}`);
    if (payloadText !== undefined) return this.appendText(kind, payloadText, time);
    if (!isPlainObject(payload)) throw new FormatError('payload', 'expected a plain object');
    const cursor = this.cursor.clone();
    cursor.accept(kind);
    let stored: JsonObject = payload;
    if (kind === this.lifecycle.seal) {
      for (const f of SEAL_FIELDS)
        if (Object.prototype.hasOwnProperty.call(payload, f))
          throw new FormatError(`payload.${f}`, 'reserved in the seal entry: the log sets it');
      stored = { ...payload, entries: this.nextSeq, head: this.headHash };
    }
    const text = serializeEntry({ seq: this.nextSeq, prev: this.headHash, kind, time, payload: stored });
    const bytes = utf8(`${text}\n`);
    const len = bytes.length - 1;
    if (len > this.maxLineBytes)
      throw new FormatError('payload', `the line would be ${len} bytes, more than the limit of ${this.maxLineBytes}`);
    const receipt = this.advance(cursor, kind, time, bytes.subarray(0, len));
    return { bytes, receipt, payload: stored };
  }

  /** {@link Chain.append} with the payload's canonical text given (not for the seal, whose payload the log completes). */
  private appendText(kind: string, payloadText: string, time: string): BuiltLine {
    if (kind === this.lifecycle.seal) throw new FormatError('payload', 'the seal entry is written from its payload object');
    if (!isTime(time)) throw new FormatError('time', 'expected YYYY-MM-DDTHH:MM:SS.sssZ (a valid UTC instant)');
    if (typeof payloadText !== 'string' || !payloadText.startsWith('{') || !isCanonicalJsonText(payloadText))
      throw new FormatError('payload', 'expected the canonical JSON text of an object');
    const cursor = this.cursor.clone();
    cursor.accept(kind);
    const bytes = utf8(`${entryHead({ seq: this.nextSeq, prev: this.headHash, kind, time, payload: {} })}${payloadText}}\n`);
    const len = bytes.length - 1;
    if (len > this.maxLineBytes)
      throw new FormatError('payload', `the line would be ${len} bytes, more than the limit of ${this.maxLineBytes}`);
    const receipt = this.advance(cursor, kind, time, bytes.subarray(0, len));
    return { bytes, receipt, payload: {} };
  }

  /**
   * Verifies one complete line (newline excluded) as the next entry and advances the chain.
   * @param decoded - the line decoded with {@link decodeLine} (must be `ok`).
   * @throws BoardCorruptError naming the line, the field and what is wrong; the state is then unchanged.
   */
  verifyLine(bytes: Uint8Array, decoded: { text: string; value: unknown }): BoardEntry {
    const line = this.nextSeq + 1;
    const fail = (field: string | null, reason: string): never => {
      throw new BoardCorruptError({ file: this.file, line, offset: this.length, field, reason });
    };
    if (bytes.length > this.maxLineBytes) fail(null, `line is ${bytes.length} bytes, more than the limit of ${this.maxLineBytes}`);
    const o = decoded.value;
    if (!isPlainObject(o)) return fail(null, 'expected a JSON object');
    if (!Object.hasOwn(o, 'v')) fail('v', 'missing (not a board line)');
    if (o.v !== BOARD_VERSION) fail('v', `unknown version ${JSON.stringify(o.v)} (this reader knows version ${BOARD_VERSION})`);
    for (const k of Object.keys(o)) if (!(ENVELOPE_KEYS as readonly string[]).includes(k)) fail(k, 'unexpected field');
    for (const k of ENVELOPE_KEYS) if (!Object.hasOwn(o, k)) fail(k, 'missing');
    const { seq, prev, kind, time, payload } = o;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return fail('seq', 'expected an integer');
    if (seq !== this.nextSeq) fail('seq', `expected ${this.nextSeq}, found ${seq} (a line was deleted, inserted or moved)`);
    if (typeof prev !== 'string' || !HASH_RE.test(prev)) return fail('prev', 'expected 64 lowercase hex digits');
    if (prev !== this.headHash)
      fail(
        'prev',
        seq === 0
          ? `is not the genesis hash of election ${JSON.stringify(this.electionId)} (the board belongs to another election, or this line was altered)`
          : `does not match the chain hash of line ${line - 1} (line ${line - 1} was altered, or this line's prev was)`,
      );
    if (typeof kind !== 'string' || !KIND_RE.test(kind)) return fail('kind', `expected a kind matching ${KIND_RE}`);
    if (!isTime(time)) fail('time', 'expected YYYY-MM-DDTHH:MM:SS.sssZ (a valid UTC instant)');
    if (!isPlainObject(payload)) return fail('payload', 'expected a JSON object');
    const fields = { seq, prev, kind, time: time as string, payload: payload as JsonObject };
    if (!isCanonicalEntryText(fields, decoded.text)) {
      let canonical: string;
      try {
        canonical = serializeEntry(fields);
      } catch (e) {
        if (e instanceof FormatError) return fail(e.path, e.reason);
        throw e;
      }
      if (canonical !== decoded.text)
        fail(null, 'not in canonical form (field order, whitespace, escapes or number spelling differ from what the writer produces)');
    }
    if (kind === this.lifecycle.seal) {
      if (payload.entries !== seq)
        fail('payload.entries', `the seal must record ${seq} entries before it, found ${JSON.stringify(payload.entries)}`);
      if (payload.head !== prev) fail('payload.head', 'the seal must record the head hash before it (its prev)');
    }
    const cursor = this.cursor.clone();
    try {
      cursor.accept(kind);
    } catch (e) {
      if (e instanceof ProtocolError) fail('kind', e.message);
      throw e;
    }
    const receipt = this.advance(cursor, kind, time as string, bytes);
    return { ...receipt, payload: payload as JsonObject };
  }

  private advance(cursor: LifecycleCursor, kind: string, time: string, lineBytes: Uint8Array): EntryReceipt {
    const hash = entryHash(lineBytes);
    const receipt: EntryReceipt = {
      line: this.nextSeq + 1,
      offset: this.length,
      byteLength: lineBytes.length,
      seq: this.nextSeq,
      prev: this.headHash,
      kind,
      time,
      hash,
    };
    if (kind === this.lifecycle.seal) this.sealInfo = { seq: this.nextSeq, head: this.headHash, hash };
    this.cursor = cursor;
    this.nextSeq++;
    this.headHash = hash;
    this.length += lineBytes.length + 1;
    return receipt;
  }
}
