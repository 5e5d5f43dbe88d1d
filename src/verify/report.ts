/**
 * The verifier's report: the numbered checks, what a failure looks like, and the collector that
 * every check writes into. A failure names its check number, the record file, the line (for
 * `board.jsonl`) or the JSON path, and a reason; the verifier collects every failure and never
 * stops at the first. `docs/verification.md` lists each check and its meaning.
 * @module
 */
import { mjResultToJson } from '../mj/json.js';
import { type MjResult } from '../mj/rank.js';

/** The checks, numbered as in docs/verification.md. */
export const CHECKS = Object.freeze([
  {
    number: 1,
    name: 'parameters',
    title: "election parameters: manifest, trustees' identities and signatures, setup entry, fingerprint",
  },
  { number: 2, name: 'ceremony', title: 'key ceremony: commitments, proofs, complaints, qualified set, joint key, verification keys' },
  { number: 3, name: 'credentials', title: 'credential list: well-formed, no duplicates, published before the first ballot' },
  {
    number: 4,
    name: 'ballots',
    title: 'every ballot: format, election, credential listed, signature, every proof, no duplicate, no replay',
  },
  { number: 5, name: 'board', title: 'board: hash chain, seal, nothing after the seal but tally, shares, result; counting rule' },
  { number: 6, name: 'tally', title: 'encrypted tally = sum of the counted ballots' },
  { number: 7, name: 'decryption', title: 'decryption shares: proofs, at least t valid, combination gives the published counts' },
  { number: 8, name: 'result', title: 'result: counts sum to the counted ballots, MJ ranking recomputed' },
  { number: 9, name: 'audits', title: 'audited ballots: openings consistent, never cast' },
  {
    number: 10,
    name: 'receipts',
    title: "receipts given: each signed by the box's key from the setup is on the board as signed",
  },
] as const);

/**
 * The check of the receipts given to the verifier (`VerifyOptions.receipts`). It is about
 * evidence voters hold, not about the record alone: it is `skipped` when no receipt is given (or
 * the setup publishes no receipt key), and that skip never makes a report not `ok`.
 */
export const RECEIPTS_CHECK = 10;

/** A check number (1 … 10). */
export type CheckNumber = (typeof CHECKS)[number]['number'];
/** A check's short name (`parameters`, `ceremony`, …). */
export type CheckName = (typeof CHECKS)[number]['name'];

/** One failed verification: where and why. */
export interface VerificationFailure {
  /** The check that failed (1 … 10). */
  readonly check: CheckNumber;
  /** The record file at fault (its name inside the record directory). */
  readonly file: string;
  /** 1-based line number, for `board.jsonl`. */
  readonly line?: number;
  /** JSON path inside the file (or inside the line), when the fault is one field. */
  readonly path?: string;
  /** What is wrong. */
  readonly reason: string;
}

/** Status of one check: `skipped` when a prerequisite failed (the reason says which). */
export type CheckStatus = 'pass' | 'fail' | 'skipped';

/** The outcome of one numbered check. */
export interface CheckReport {
  /** The check's number, 1 to 10 (docs/verification.md §2). */
  readonly number: CheckNumber;
  /** Its short name (`parameters`, `ceremony`, …, `receipts`). */
  readonly name: CheckName;
  /** What it checks, in a line (English). */
  readonly title: string;
  /** `pass`, `fail` (see `failures`), or `skipped` (see `skipped`). */
  readonly status: CheckStatus;
  /** What the check examined (`ballots`, `valid`, `entries`, …). */
  readonly counts: Readonly<Record<string, number>>;
  /** Every failure of this check (up to `maxFailuresPerCheck`; see `omitted`). */
  readonly failures: readonly VerificationFailure[];
  /** Failures beyond the cap, counted but not listed. */
  readonly omitted: number;
  /** Why the check was skipped. */
  readonly skipped?: string;
}

/** The merit profiles and ranking the verifier recomputed. */
export interface RecomputedResult {
  /** `decryption`: the counts come from the threshold decryption of the tally (check 7); `published`: decryption failed, the profiles of result.json were ranked. */
  readonly source: 'decryption' | 'published';
  /** Per candidate in manifest order: counts best grade first. */
  readonly meritProfiles: readonly { readonly candidate: string; readonly name: string; readonly counts: readonly bigint[] }[];
  /** The MJ ranking of those profiles (rule `majority-judgment`, missing policy `error`). */
  readonly ranking: MjResult;
}

/**
 * Where a voter's tracking code stands on the board: `counted` (the credential's last ballot
 * before the seal), `superseded` (on the board, but not counted: a later ballot of the same
 * credential replaced it), `audited` (opened by a Benaloh audit, so never cast) or `absent`.
 */
export type TrackingCodeStatus = 'counted' | 'superseded' | 'audited' | 'absent';

/** One tracking code looked up on the board. */
export interface TrackingCodeReport {
  /** The code, canonical (six groups of five symbols). */
  readonly code: string;
  /** Where it stands: `counted`, `superseded` (a later ballot of the same credential counts), `audited` or `absent`. */
  readonly status: TrackingCodeStatus;
  /** The board line of the ballot (or of its audit), when present. */
  readonly line?: number;
  /** What the voter should do. */
  readonly advice: string;
}

/** What a voter should do for each status. */
export const TRACKING_CODE_ADVICE: Readonly<Record<TrackingCodeStatus, string>> = Object.freeze({
  counted: 'nothing: this ballot is on the board and counted in the tally',
  superseded:
    'nothing if you voted again afterwards (only your last ballot counts); if you did not, someone else used your credential: report it to the election authority with this code',
  audited: 'nothing: you chose to check (open) this ballot; an audited ballot is never counted, so make sure you cast another one',
  absent:
    'report it to the election authority and to the auditors, with your receipt if you have one: a ballot acknowledged by the ballot box is missing from the board',
});

/**
 * What a receipt given to the verifier shows (check 10):
 * - `on-board`: signed by this ballot box, and the board holds the entry as the receipt states it;
 * - `missing`: signed by this ballot box, but the board does not hold the entry as stated (a
 *   failure of check 10: the box acknowledged a ballot the board does not hold as acknowledged);
 * - `not-signed-by-this-box`: its signature does not verify under the key the board's setup
 *   entry publishes (altered, forged, another box's, or the board publishes no receipt key);
 * - `other-election`: signed by this box's key, but for another election id or fingerprint;
 * - `malformed`: not a receipt (`parseBallotReceipt` refuses it);
 * - `unchecked`: it could not be checked (no usable setup entry, election or board: see check 10).
 *
 * Only `missing` fails the record; the others are reported to whoever gave the receipt.
 */
export type ReceiptStatus = 'on-board' | 'missing' | 'not-signed-by-this-box' | 'other-election' | 'malformed' | 'unchecked';

/** One receipt given to the verifier, as found. */
export interface ReceiptReport {
  /** Where it came from (a file name, `FILE line N`, or `receipts[i]`). */
  readonly source: string;
  /** What it shows ({@link ReceiptStatus}). */
  readonly status: ReceiptStatus;
  /** Its tracking code, when it parses. */
  readonly trackingCode?: string;
  /** The board line of the entry it acknowledges (`seq + 1`), when it parses. */
  readonly line?: number;
  /** What the verifier found. */
  readonly reason: string;
  /** What its holder should do. */
  readonly advice: string;
}

/** What a receipt's holder should do for each status. */
export const RECEIPT_ADVICE: Readonly<Record<ReceiptStatus, string>> = Object.freeze({
  'on-board': 'nothing: the ballot box acknowledged this ballot and the board holds it as acknowledged',
  missing:
    'report it to the election authority and to the auditors, with this receipt: it proves that the ballot box acknowledged a ballot the board does not hold as acknowledged',
  'not-signed-by-this-box':
    "this receipt is not evidence about this board: make sure it is this election's and unaltered; if the ballot box of this election gave it to you as it is, report it (the box signed with a key other than the one it published)",
  'other-election': "this receipt is about another election: check it against that election's record",
  malformed: 'this is not an mjvote ballot receipt: give the file your voting booth saved, unaltered',
  unchecked: 'the receipt could not be checked against this record (see check 10): the record itself fails',
});

/** A trustee as a version-2 manifest names it: its index and identity key. */
export interface TrusteeIdentityReport {
  /** Its index, 1 to n, as the manifest lists it. */
  readonly trustee: number;
  /** The Ed25519 public key, lowercase hex (as the manifest lists it). */
  readonly publicKey: string;
  /** Its fingerprint (8 groups of 4 base32 symbols), for a person to compare with the trustee's own. */
  readonly fingerprint: string;
}

/** What the report says of a version-1 record: its trustees cannot be authenticated. */
export const UNAUTHENTICATED_TRUSTEES_NOTE =
  'version-1 record: its trustees are not authenticated (the manifest names no identity keys and their messages are unsigned, so whoever relayed the messages could have stood in for them); version-2 records authenticate them';

/** The verifier's report. */
export interface VerificationReport {
  /** True when every check passed. */
  readonly ok: boolean;
  /** Where the record was: the directory, or the store's `describe()` (a URL, a folder's name). */
  readonly dir: string;
  /** The manifest's election id. */
  readonly electionId: string;
  /** The manifest's group id (`ristretto255`, …). */
  readonly group: string;
  /** The record's version: its manifest's (1: trustees unauthenticated; 2: trustees named by identity keys). */
  readonly recordVersion: 1 | 2;
  /** Version 2: the trustees the manifest names, in index order (their messages were checked against these keys). */
  readonly trustees?: readonly TrusteeIdentityReport[];
  /**
   * What the reader should know that is not a failure: for a version-1 record,
   * {@link UNAUTHENTICATED_TRUSTEES_NOTE}. Empty when there is nothing to say.
   */
  readonly notes: readonly string[];
  /** The ten checks, in order. */
  readonly checks: readonly CheckReport[];
  /** The tracking codes asked for (`VerifyOptions.trackingCodes`), in the order given. */
  readonly trackingCodes?: readonly TrackingCodeReport[];
  /** The receipts given (`VerifyOptions.receipts`), in the order given. */
  readonly receipts?: readonly ReceiptReport[];
  /** The recomputed result (absent when neither decryption nor the published profiles gave one). */
  readonly result?: RecomputedResult;
  /** Record-wide figures: board entries, ballot entries, counted ballots, revotes, audits, … */
  readonly counts: Readonly<Record<string, number>>;
  /** Whether ballot proofs were checked in batches. */
  readonly batch: boolean;
  /** Wall time of the verification, in milliseconds. */
  readonly ms: number;
}

export { RecordUnreadableError } from '../record/store.js';

/** Default cap on the failures listed per check (the rest are counted in `omitted`). */
export const DEFAULT_MAX_FAILURES_PER_CHECK = 10_000;

/** Where every check writes its failures, counts and skips while the verifier runs. */
export class Findings {
  private readonly failures = new Map<CheckNumber, VerificationFailure[]>();
  private readonly omitted = new Map<CheckNumber, number>();
  private readonly counts = new Map<CheckNumber, Record<string, number>>();
  private readonly skips = new Map<CheckNumber, string>();

  constructor(readonly maxFailuresPerCheck = DEFAULT_MAX_FAILURES_PER_CHECK) {}

  /** Records a failure. */
  fail(f: VerificationFailure): void {
    const list = this.failures.get(f.check) ?? [];
    this.failures.set(f.check, list);
    if (list.length < this.maxFailuresPerCheck) list.push(f);
    else this.omitted.set(f.check, (this.omitted.get(f.check) ?? 0) + 1);
  }

  /** Records many failures (e.g. a partial result's). */
  failAll(fs: Iterable<VerificationFailure>): void {
    for (const f of fs) this.fail(f);
  }

  /** Number of failures recorded for a check (listed and omitted). */
  failureCount(check: CheckNumber): number {
    return (this.failures.get(check)?.length ?? 0) + (this.omitted.get(check) ?? 0);
  }

  /** Sets a count shown with a check. */
  count(check: CheckNumber, name: string, value: number): void {
    const c = this.counts.get(check) ?? {};
    c[name] = value;
    this.counts.set(check, c);
  }

  /** Marks a check as not run (a prerequisite failed); the first reason is kept. */
  skip(check: CheckNumber, reason: string): void {
    if (!this.skips.has(check)) this.skips.set(check, reason);
  }

  /** The per-check reports, failures ordered by file, line and path. */
  checks(): CheckReport[] {
    return CHECKS.map((c): CheckReport => {
      const failures = [...(this.failures.get(c.number) ?? [])].sort(compareFailures);
      const skipped = this.skips.get(c.number);
      const omitted = this.omitted.get(c.number) ?? 0;
      const status: CheckStatus = failures.length > 0 || omitted > 0 ? 'fail' : skipped !== undefined ? 'skipped' : 'pass';
      return {
        number: c.number,
        name: c.name,
        title: c.title,
        status,
        counts: { ...(this.counts.get(c.number) ?? {}) },
        failures,
        omitted,
        ...(skipped !== undefined && { skipped }),
      };
    });
  }
}

/** Orders failures by file, then line, then path, then reason (a deterministic report). */
export function compareFailures(a: VerificationFailure, b: VerificationFailure): number {
  return cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.path ?? '', b.path ?? '') || cmp(a.reason, b.reason);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The report as plain JSON: bigints as decimal strings, the ranking as the MJ result JSON. */
export function verificationReportToJson(report: VerificationReport): unknown {
  const { result, ...rest } = report;
  return {
    ...rest,
    ...(result !== undefined && {
      result: {
        source: result.source,
        meritProfiles: result.meritProfiles.map((p) => ({ candidate: p.candidate, name: p.name, counts: p.counts.map(String) })),
        ranking: mjResultToJson(result.ranking),
      },
    }),
  };
}
