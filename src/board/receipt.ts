/**
 * Ballot receipts: what the ballot box gives a voter once the ballot's board line is on disk,
 * signed with the box's own key (`box-key.ts`), whose public key the board's `setup` entry
 * publishes as `receiptKey`. A voter whose acknowledged ballot is missing from the published
 * board shows the receipt: anyone can check that the box signed it and that the board does not
 * hold the entry it names (`mjvote verify --receipt`, check 10).
 *
 * ```
 * { "version": 1, "electionId": "…", "fingerprint": hex(32),
 *   "trackingCode": "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX", "ballotHash": hex(32),
 *   "seq": N, "entryHash": hex(32), "time": "YYYY-MM-DDTHH:MM:SS.sssZ",
 *   "receiptKey": hex(32), "signature": hex(64) }
 * signature = Ed25519(box secret key, UTF-8("mjvote-v1-receipt\0") ‖ UTF-8(canonical JSON of
 *             every member but "signature"))                      (RFC 8032, verified strictly)
 * ```
 * `seq`, `entryHash` and `time` are the ballot entry's: its position, its chain hash and its
 * time. The chain hash of an entry is the board's head right after it, and it commits to every
 * earlier entry (the setup entry and its `receiptKey` included): that is the "board head after
 * the ballot" the receipt states. `trackingCode` is the one of `ballotHash` (ballot.md).
 *
 * A receipt is a function of the board line and the key only (Ed25519 signatures are
 * deterministic), so a client that posts the same ballot again gets the same bytes, even from a
 * restarted server. Browser-safe: the booth checks receipts in the page.
 * @module
 */
import { FormatError } from '../errors.js';
import { bytesEqual, fromHex, toHex, typeName } from '../bytes.js';
import { canonicalJson } from '../json/canonical.js';
import { expectObject } from '../json/guards.js';
import { parseIdentityKey, parseIdentitySignature, verifyIdentitySignature } from '../election/trustee-identity.js';
import { trackingCode } from '../ballot/hash.js';
import { checkElectionId, isTime } from './chain.js';
import { receiptSignedBytes, signReceiptBody, type BallotBoxKey } from './box-key.js';

/** `version` of a receipt. */
export const RECEIPT_VERSION = 1;

/** The wire form of a ballot receipt (module notes). */
export interface BallotReceiptJson {
  /** The receipt format's version: 1. */
  version: typeof RECEIPT_VERSION;
  /** The election's id (its manifest's). */
  electionId: string;
  /** The election fingerprint, lowercase hex (ballot.md §2). */
  fingerprint: string;
  /** The ballot's tracking code, canonical (six groups of five symbols). */
  trackingCode: string;
  /** The ballot hash, lowercase hex. */
  ballotHash: string;
  /** The ballot entry's position on the board (from 0; its line is `seq + 1`). */
  seq: number;
  /** The ballot entry's chain hash: the board's head right after it. */
  entryHash: string;
  /** The ballot entry's time (`YYYY-MM-DDTHH:MM:SS.sssZ`, UTC). */
  time: string;
  /** The box's public key, lowercase hex (the setup entry's `receiptKey`). */
  receiptKey: string;
  /** The Ed25519 signature, lowercase hex (module notes). */
  signature: string;
}

/** A receipt as {@link parseBallotReceipt} returns it: every member checked, frozen. */
export type BallotReceipt = Readonly<BallotReceiptJson>;

/** The members of a receipt, in the order it is written. */
const MEMBERS = [
  'version',
  'electionId',
  'fingerprint',
  'trackingCode',
  'ballotHash',
  'seq',
  'entryHash',
  'time',
  'receiptKey',
  'signature',
] as const;

/** The election a receipt is about (an `Election` fits). */
export interface ReceiptElection {
  /** Its manifest (the election id is all a receipt names of it). */
  readonly manifest: { readonly electionId: string };
  /** The election fingerprint, lowercase hex. */
  readonly fingerprintHex: string;
}

/** What a receipt states about the entry it acknowledges (a board `EntryReceipt` fits). */
export interface ReceiptEntry {
  /** The entry's position on the board, from 0. */
  readonly seq: number;
  /** The entry's chain hash. */
  readonly hash: string;
  /** The entry's time (`YYYY-MM-DDTHH:MM:SS.sssZ`). */
  readonly time: string;
}

/** What a receipt states about the ballot (a parsed `Ballot` fits). */
export interface ReceiptBallot {
  /** The ballot hash, lowercase hex. */
  readonly hashHex: string;
  /** Its tracking code, canonical. */
  readonly trackingCode: string;
}

/**
 * The receipt of a ballot entry, signed with the box's key. Deterministic: the same entry,
 * ballot and key give the same receipt, byte for byte.
 * @throws FormatError naming the receipt member (`receipt.seq`, …) when an input is not what a
 *   board entry holds (the box signs nothing it would not accept back).
 */
export function ballotReceipt(key: BallotBoxKey, election: ReceiptElection, entry: ReceiptEntry, ballot: ReceiptBallot): BallotReceiptJson {
  const body = receiptBody({
    version: RECEIPT_VERSION,
    electionId: election.manifest.electionId,
    fingerprint: election.fingerprintHex,
    trackingCode: ballot.trackingCode,
    ballotHash: ballot.hashHex,
    seq: entry.seq,
    entryHash: entry.hash,
    time: entry.time,
    receiptKey: key.publicKeyHex,
  });
  checkBody(body, 'receipt');
  return { ...body, signature: toHex(signReceiptBody(key, canonicalJson(body))) };
}

/**
 * Parses a receipt strictly: exactly its members, `version` 1, an election id, hex of the right
 * lengths (lowercase), a tracking code that is `ballotHash`'s, a non-negative integer `seq`, a
 * valid time, a `receiptKey` that is a canonical Ed25519 key not of small order. The signature
 * is not verified here ({@link verifyBallotReceiptSignature}).
 * @throws FormatError naming the member (`label.member`).
 */
export function parseBallotReceipt(json: unknown, label = 'receipt'): BallotReceipt {
  const o = expectObject(json, label, MEMBERS);
  const body = receiptBody(o as UncheckedBody); // expectObject: every member is there
  checkBody(body, label);
  parseIdentitySignature(o.signature, `${label}.signature`);
  return Object.freeze({ ...body, signature: o.signature as string });
}

/**
 * Whether `receipt`'s signature verifies (strict RFC 8032) under its `receiptKey`, and, when
 * `expectedKey` is given (the setup entry's `receiptKey`, hex or bytes), whether that key is the
 * expected one. False on any fault, never throws.
 */
export function verifyBallotReceiptSignature(receipt: BallotReceipt, expectedKey?: string | Uint8Array): boolean {
  try {
    const key = parseIdentityKey(receipt.receiptKey, 'receiptKey');
    if (expectedKey !== undefined) {
      const expected = typeof expectedKey === 'string' ? fromHex(expectedKey, 'expectedKey', 32) : expectedKey;
      if (!bytesEqual(key, expected)) return false;
    }
    const signature = parseIdentitySignature(receipt.signature, 'signature');
    return verifyIdentitySignature(key, receiptSignedBytes(canonicalJson(receiptBody(receipt))), signature);
  } catch {
    return false;
  }
}

/** The signed members of a receipt. */
type ReceiptBody = Omit<BallotReceiptJson, 'signature'>;
/** The same, as read from outside: not checked yet. */
type UncheckedBody = { [K in keyof ReceiptBody]: unknown };

/** The signed members of a receipt (every one but `signature`), in the order written. */
function receiptBody<T extends UncheckedBody>(r: T): { [K in keyof ReceiptBody]: T[K] } {
  return {
    version: r.version,
    electionId: r.electionId,
    fingerprint: r.fingerprint,
    trackingCode: r.trackingCode,
    ballotHash: r.ballotHash,
    seq: r.seq,
    entryHash: r.entryHash,
    time: r.time,
    receiptKey: r.receiptKey,
  };
}

/** Checks every signed member. @throws FormatError naming `label.member` */
function checkBody(b: UncheckedBody, label: string): asserts b is ReceiptBody {
  if (b.version !== RECEIPT_VERSION) throw new FormatError(`${label}.version`, `expected ${RECEIPT_VERSION}, got ${show(b.version)}`);
  checkElectionId(b.electionId, `${label}.electionId`);
  fromHex(b.fingerprint, `${label}.fingerprint`, 32);
  const hash = fromHex(b.ballotHash, `${label}.ballotHash`, 32);
  if (typeof b.trackingCode !== 'string')
    throw new FormatError(`${label}.trackingCode`, `expected a tracking code, got ${typeName(b.trackingCode)}`);
  const code = trackingCode(hash);
  if (b.trackingCode !== code)
    throw new FormatError(`${label}.trackingCode`, `not the tracking code of ballotHash (${code}), in its canonical form`);
  if (typeof b.seq !== 'number' || !Number.isSafeInteger(b.seq) || b.seq < 0)
    throw new FormatError(`${label}.seq`, `expected a non-negative integer, got ${show(b.seq)}`);
  fromHex(b.entryHash, `${label}.entryHash`, 32);
  if (!isTime(b.time)) throw new FormatError(`${label}.time`, 'expected YYYY-MM-DDTHH:MM:SS.sssZ (a valid UTC instant)');
  parseIdentityKey(b.receiptKey, `${label}.receiptKey`);
}

/** A short rendering of an unexpected value for a message. */
function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : typeName(v);
}
