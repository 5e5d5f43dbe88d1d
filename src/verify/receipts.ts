/**
 * Check 10: the receipts voters were given (`VerifyOptions.receipts`), held against the board.
 * A receipt signed by the key the board's setup entry publishes (`receiptKey`) is the ballot
 * box's word that the board holds, at line `seq + 1`, a `ballot` entry with the receipt's chain
 * hash, time and ballot hash; if it does not, check 10 fails and names the receipt. A receipt
 * that is not signed by that key is not evidence: it is reported, and fails nothing.
 *
 * Streaming: before the board is read the receipts are parsed and the lines they name noted
 * (a small map, one slot per line named); while the board streams, each such line is kept in
 * brief (kind, chain hash, seq, time, ballot hash); nothing else of the board is held.
 * @module
 */
import { FormatError } from '../errors.js';
import { isPlainObject } from '../json/canonical.js';
import { parseBallot } from '../ballot/parse.js';
import { boardBallotKeys } from '../ballot/hash.js';
import { toHex } from '../bytes.js';
import { parseBallotReceipt, verifyBallotReceiptSignature, type BallotReceipt } from '../board/receipt.js';
import type { ScannedLine } from './board-scan.js';
import type { RecordContext } from './context.js';
import { RECEIPT_ADVICE, RECEIPTS_CHECK, type ReceiptReport, type ReceiptStatus } from './report.js';

/** A receipt given to the verifier: its JSON value and where it came from (named in the report). */
export interface GivenReceipt {
  /** The receipt's JSON value, as read (it is parsed strictly here). */
  readonly json: unknown;
  /** Where it came from, for the report (a file name, `FILE line N`); default `receipts[i]`. */
  readonly source?: string;
}

/** A given receipt, parsed or not. */
interface Given {
  readonly source: string;
  readonly receipt: BallotReceipt | null;
  /** Why it does not parse. */
  readonly malformed?: string;
}

/** What the board holds at a line a receipt names. */
interface Seen {
  readonly kind: string | null;
  /** The line's chain hash. */
  readonly hash: string;
  /** The envelope's `seq` and `time`, as written. */
  readonly seq: unknown;
  readonly time: unknown;
  /** For a ballot entry: its ballot's hash (null when it does not parse). */
  readonly ballotHash: string | null;
}

/** What the board pass tells check 10. */
export interface BoardExtent {
  /** Whether the board could be read at all. */
  readonly read: boolean;
  /** Its number of lines. */
  readonly lines: number;
}

/** The receipts given, and what the board holds at the lines they name. */
export class ReceiptChecks<E> {
  private readonly given: Given[];
  /** Board line → what it holds (undefined until the line is read). */
  private readonly seen = new Map<number, Seen | undefined>();

  /** Parses every receipt (a malformed one is reported, not thrown) and notes the lines they name. */
  constructor(
    private readonly ctx: RecordContext<E>,
    given: readonly GivenReceipt[],
  ) {
    this.given = given.map((g, i): Given => {
      if (typeof g !== 'object' || g === null || !Object.hasOwn(g, 'json'))
        throw new TypeError(`receipts[${i}]: expected { json, source? } (the receipt's JSON value is its json member)`);
      const source = g.source ?? `receipts[${i}]`;
      try {
        const receipt = parseBallotReceipt(g.json);
        this.seen.set(receipt.seq + 1, undefined);
        return { source, receipt };
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        return { source, receipt: null, malformed: e.message };
      }
    });
  }

  /** Keeps, in brief, a board line that a receipt names. */
  observe(l: ScannedLine): void {
    if (!this.seen.has(l.line)) return;
    let envelope: Record<string, unknown> | null = null;
    if (l.text !== null)
      try {
        const v: unknown = JSON.parse(l.text);
        if (isPlainObject(v)) envelope = v;
      } catch {
        /* not JSON: check 5 reports it; its chain hash still differs from the receipt's */
      }
    const payload = envelope !== null && isPlainObject(envelope.payload) ? envelope.payload : null;
    this.seen.set(l.line, {
      kind: l.kind,
      hash: l.hash,
      seq: envelope?.seq,
      time: envelope?.time,
      ballotHash: l.kind === 'ballot' && payload !== null ? this.ballotHash(payload.ballot) : null,
    });
  }

  /** The hash of a ballot on the board, as the box computed it when it accepted the ballot. */
  private ballotHash(json: unknown): string | null {
    const election = this.ctx.election;
    if (election === null) return null;
    const keys = boardBallotKeys(election.group, json, election.fingerprint);
    if (keys !== null) return keys.hashHex;
    try {
      return parseBallot(json, election).hashHex;
    } catch {
      return null; // check 4 names the fault
    }
  }

  /** Judges every receipt, records check 10's failures, counts and skip; the reports, in the order given. */
  finish(board: BoardExtent): ReceiptReport[] {
    const { ctx } = this;
    const findings = ctx.findings;
    const key = ctx.receiptKey;
    const election = ctx.election;
    const unusable =
      this.given.length === 0
        ? 'no receipt given'
        : key === null
          ? "the board's setup entry publishes no receipt key: this ballot box signed no receipts"
          : key === undefined
            ? "no usable receipt key: the board's setup entry is missing or unusable (check 1)"
            : election === null
              ? 'no usable election parameters (checks 1 and 2)'
              : !board.read
                ? 'the board cannot be read (check 5)'
                : null;
    if (unusable !== null) findings.skip(RECEIPTS_CHECK, unusable);
    if (this.given.length === 0) return [];
    const counts = { receipts: this.given.length, signed: 0, onBoard: 0 };
    const reports = this.given.map((g): ReceiptReport => {
      const r = g.receipt;
      const report = (status: ReceiptStatus, reason: string): ReceiptReport => ({
        source: g.source,
        status,
        ...(r !== null && { trackingCode: r.trackingCode, line: r.seq + 1 }),
        reason,
        advice: RECEIPT_ADVICE[status],
      });
      if (r === null) return report('malformed', g.malformed!);
      if (key === null) return report('not-signed-by-this-box', "the board's setup entry publishes no receipt key");
      // (unusable is null exactly when key and election are usable; the second test narrows their types)
      if (unusable !== null || key === undefined || election === null) return report('unchecked', unusable ?? 'not checked');
      const keyHex = toHex(key);
      if (!verifyBallotReceiptSignature(r, key))
        return report(
          'not-signed-by-this-box',
          r.receiptKey !== keyHex
            ? `it names the key ${r.receiptKey}, not the ballot box's key ${keyHex} that the board's setup entry publishes`
            : "its signature does not verify under the ballot box's key: it was altered or forged",
        );
      counts.signed++;
      if (r.electionId !== ctx.manifest.electionId || r.fingerprint !== election.fingerprintHex)
        return report(
          'other-election',
          r.electionId !== ctx.manifest.electionId
            ? `it is a receipt of election ${JSON.stringify(r.electionId)}, not of ${JSON.stringify(ctx.manifest.electionId)}`
            : `its election fingerprint ${r.fingerprint} is not this election's (${election.fingerprintHex})`,
        );
      const wrong = this.discrepancy(r, board);
      if (wrong === null) {
        counts.onBoard++;
        return report('on-board', `line ${r.seq + 1} holds the acknowledged ballot entry (chain hash ${r.entryHash})`);
      }
      ctx.fail(
        RECEIPTS_CHECK,
        'board',
        r.seq < board.lines ? { line: r.seq + 1 } : {},
        `receipt ${g.source} (tracking code ${r.trackingCode}, entry ${r.seq + 1}): the ballot box acknowledged this ballot, but it is not on the board as acknowledged: ${wrong}`,
      );
      return report('missing', wrong);
    });
    findings.count(RECEIPTS_CHECK, 'receipts', counts.receipts);
    findings.count(RECEIPTS_CHECK, 'signed', counts.signed);
    findings.count(RECEIPTS_CHECK, 'onBoard', counts.onBoard);
    return reports;
  }

  /** How the board differs from what a (signed) receipt states, or null when it holds it. */
  private discrepancy(r: BallotReceipt, board: BoardExtent): string | null {
    const line = r.seq + 1;
    const s = this.seen.get(line);
    if (s === undefined) return `the board has ${board.lines} lines: there is no line ${line}`;
    if (s.hash !== r.entryHash)
      return `line ${line} has the chain hash ${s.hash}, not the acknowledged ${r.entryHash}: it, or a line before it, is not what the ballot box acknowledged`;
    // The line is, byte for byte, the one acknowledged; the box's receipt must also describe it.
    if (s.kind !== 'ballot') return `line ${line} is ${s.kind === null ? 'not a board entry' : `a '${s.kind}' entry`}, not a ballot`;
    if (s.seq !== r.seq) return `line ${line} has seq ${JSON.stringify(s.seq)}, the receipt ${r.seq}`;
    if (s.time !== r.time) return `line ${line} has the time ${JSON.stringify(s.time)}, the receipt ${r.time}`;
    if (s.ballotHash !== r.ballotHash)
      return s.ballotHash === null
        ? `the ballot of line ${line} does not parse (check 4)`
        : `the ballot of line ${line} has the hash ${s.ballotHash}, the receipt ${r.ballotHash}`;
    return null;
  }
}
