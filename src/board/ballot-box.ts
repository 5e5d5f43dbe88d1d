/**
 * The election ballot box: the election layer on top of the hash-chained {@link BoardLog}.
 *
 * Entries (lifecycle {@link ELECTION_LIFECYCLE}):
 * - `setup`: the election parameters (manifest, trustees' coefficient commitments, joint key,
 *   fingerprint) and the SHA-256 of the ceremony transcript file;
 * - `credentials`: the number of registered voters and the SHA-256 of the credential list file;
 * - `ballot` (accepted ballots, in order) and `audit` (published Benaloh openings), mixed;
 * - `seal`; `tally` (the encrypted tally and the ballots it counts); `decryption-share` (one per
 *   trustee); `result` (merit profiles and ranking).
 *
 * Casting checks the ballot fully (format, election, credential listed, signature, every proof)
 * plus what needs the board: duplicate, replay of another voter's ciphertexts, audited, sealed.
 * A ballot is acknowledged only once its line is written and fsync'ed. The last ballot per
 * credential counts. Node-only (files).
 * @module
 */
import { FormatError, MjvoteError, ProtocolError } from '../errors.js';
import type { Election } from '../election/election.js';
import { electionToJson } from '../election/election.js';
import type { CredentialList } from '../election/credential.js';
import { credentialListToJson } from '../election/credential.js';
import { ballotReplayKey, boardBallotKeys, trackingCode, type BallotIndexKeys } from '../ballot/hash.js';
import { fromHex } from '../bytes.js';
import { ballotToJson, type BallotJson } from '../ballot/json.js';
import { parseBallot } from '../ballot/parse.js';
import { type Ballot } from '../ballot/ballot.js';
import { checkBallot, type BallotRejection } from '../ballot/check.js';
import { checkOpening, openingToJson, parseOpening, type BallotOpening } from '../ballot/opening.js';
import { TallyAccumulator, encryptedTallyToJson, type EncryptedTally } from '../tally/aggregate.js';
import { canonicalJson, canonicalSha256, type JsonObject } from '../json/canonical.js';
import { MJVOTE_LIFECYCLE, type Lifecycle } from './lifecycle.js';
import { openLog, type BoardLog, type Recovery } from './log.js';
import { readEntries } from './reader.js';
import type { EntryReceipt } from './chain.js';
import { parseIdentityKey } from '../election/trustee-identity.js';
import { toHex } from '../bytes.js';

/** The lifecycle of an mjvote election board (the board layer's default, docs/record.md §2). */
export const ELECTION_LIFECYCLE: Lifecycle = MJVOTE_LIFECYCLE;

/** Why the box refused a ballot: the ballot checks' reasons plus the board's own. */
export type CastRejection = BallotRejection | 'duplicate' | 'replay' | 'sealed' | 'revote-limit';

/** What {@link BallotBox.cast} answers. */
export type CastResult =
  | {
      readonly accepted: true;
      readonly trackingCode: string;
      readonly ballotHash: string;
      readonly receipt: EntryReceipt;
      readonly revote: boolean;
    }
  | {
      readonly accepted: false;
      readonly code: CastRejection;
      readonly reason: string;
      readonly path: string;
      /** For `duplicate`: the seq of the entry that holds this very ballot (a client's retry). */
      readonly seq?: number;
    };

/**
 * A ballot that passed every check that needs no board — format, election, credential listed,
 * signature, every proof — with what the board indexes it by. Made by the ballot checker
 * (`checkBallotTexts`, on worker threads in the server); {@link BallotBox.castPrechecked}
 * trusts these fields and adds the board's own checks.
 */
export interface PrecheckedBallot {
  /** The ballot's canonical JSON text, `canonicalJson(ballotToJson(ballot))` (what goes on the board). */
  readonly text: string;
  readonly hashHex: string;
  readonly credentialHex: string;
  readonly replayKeyHex: string;
  readonly trackingCode: string;
}

/** Options of {@link BallotBox.castPrechecked}. */
export interface CastOptions {
  /**
   * The most ballots one credential may cast (its first and its revotes); one more is refused
   * as `revote-limit`. Default: no cap.
   */
  readonly maxBallotsPerCredential?: number;
}

/** Where a tracking code stands on the board (see {@link BallotBox.track}). */
export type BoxTracking =
  | {
      /** `counted`: the last ballot of its credential; `superseded`: a later ballot of the same credential counts instead. */
      readonly status: 'counted' | 'superseded';
      readonly seq: number;
      readonly ballotHash: string;
      /** For `superseded`: the seq of the credential's counted ballot. */
      readonly countedSeq?: number;
    }
  | { readonly status: 'audited'; readonly seq: number; readonly ballotHash: string }
  | { readonly status: 'absent' };

/** Raised for ballot-box misuse (wrong step, wrong election). */
export class BallotBoxError extends MjvoteError {
  constructor(message: string) {
    super('ballot-box', message);
  }
}

/** A ballot entry, as the box indexes it. */
interface BallotRecord {
  readonly seq: number;
  readonly hashHex: string;
  readonly credentialHex: string;
}

/** Everything the box keeps in memory (rebuilt from the file when it is reopened). */
interface BoxState {
  /**
   * Tracking code → the ballot entry. A ballot's hash is looked up under its tracking code (the
   * hash's first 150 bits) and then compared in full, so one map serves duplicates and tracking.
   */
  readonly ballots: Map<string, BallotRecord>;
  /** The first ciphertext α of every ballot → its credential: detects copied ciphertexts. */
  readonly replayKeys: Map<string, string>;
  /** Credential → the seq of its last ballot (the counted one) and how many ballots it cast. */
  readonly voters: Map<string, { seq: number; ballots: number }>;
  /** Tracking code → the audit entry of an audited (opened) ballot: never castable. */
  readonly audited: Map<string, { readonly seq: number; readonly hashHex: string }>;
  /** Byte offset of every entry in the file, by seq (grown by doubling). */
  offsets: Float64Array;
  /** The kind of the last entry. */
  lastKind: string;
}

function newState(): BoxState {
  return {
    ballots: new Map(),
    replayKeys: new Map(),
    voters: new Map(),
    audited: new Map(),
    offsets: new Float64Array(1024),
    lastKind: '',
  };
}

function trackingCodeOfHex(hashHex: string): string {
  return trackingCode(fromHex(hashHex, 'ballot hash', 32));
}

/** The box's audited ballots, by hash, as {@link checkBallot} asks. */
function auditedByHash(state: BoxState): { has(hashHex: string): boolean } {
  return { has: (h) => state.audited.get(trackingCodeOfHex(h))?.hashHex === h };
}

function rememberOffset(state: BoxState, seq: number, offset: number, kind = 'ballot'): void {
  state.lastKind = kind;
  if (seq >= state.offsets.length) {
    const grown = new Float64Array(Math.max(2 * state.offsets.length, seq + 1));
    grown.set(state.offsets);
    state.offsets = grown;
  }
  state.offsets[seq] = offset;
}

/** Options to create or open a box. */
export interface BallotBoxOptions {
  /** The clock stamping entries (reproducible demos and tests). */
  clock?: () => Date;
}

/**
 * A point the board is known to have reached (what {@link BallotBox.checkpoint} returned, kept
 * where the board cannot reach it): the number of entries and the chain head after them.
 */
export interface BoardCheckpoint {
  readonly entries: number;
  readonly head: string;
}

/** Options to create a box. */
export interface CreateBallotBoxOptions extends BallotBoxOptions {
  /**
   * The box's receipt-signing public key (64 lowercase hex digits, `BallotBoxKey.publicKeyHex`),
   * published in the setup entry as `receiptKey` so that the receipts the box signs are evidence
   * against it. Without it the setup entry has no `receiptKey` and the box signs no receipts.
   */
  receiptKey?: string;
}

/** Options to reopen a box. */
export interface OpenBallotBoxOptions extends BallotBoxOptions {
  /**
   * The board must still hold this checkpoint: at least `entries` entries, the `entries`-th
   * ending at `head`. A board cut back to an earlier line (a restored backup, an edited file) or
   * rewritten from there is refused, instead of reopening silently and accepting again a ballot
   * it had acknowledged. Without it, only the chain's own consistency is checked.
   */
  expected?: BoardCheckpoint;
}

/** The sealed, append-only ballot box of one election. */
export class BallotBox<E> {
  private constructor(
    readonly election: Election<E>,
    readonly credentials: CredentialList<E>,
    private readonly log: BoardLog,
    private readonly state: BoxState,
  ) {}

  /**
   * Creates a new board file and writes `setup` and `credentials`.
   * `ceremonySha256` is {@link canonicalSha256} of the ceremony transcript JSON published with the record.
   */
  static create<E>(
    path: string,
    election: Election<E>,
    credentials: CredentialList<E>,
    ceremonySha256: string,
    opts: CreateBallotBoxOptions = {},
  ): BallotBox<E> {
    if (opts.receiptKey !== undefined) parseIdentityKey(opts.receiptKey, 'receiptKey');
    if (credentials.electionId !== election.manifest.electionId || credentials.group.id !== election.group.id)
      throw new BallotBoxError('the credential list is for another election or group');
    const { log } = openLog(path, {
      electionId: election.manifest.electionId,
      lifecycle: ELECTION_LIFECYCLE,
      create: true,
      clock: opts.clock,
    });
    if (log.entries !== 0) {
      log.close();
      throw new BallotBoxError(`${path} already holds a board`);
    }
    const receiptKey = opts.receiptKey ?? null;
    const first = log.appendMany([
      {
        kind: 'setup',
        payload: {
          election: electionToJson(election) as unknown as JsonObject,
          ceremonySha256,
          ...(receiptKey !== null && { receiptKey }),
        },
      },
      { kind: 'credentials', payload: { count: credentials.size, credentialsSha256: canonicalSha256(credentialListToJson(credentials)) } },
    ]);
    const state = newState();
    for (const r of first) rememberOffset(state, r.seq, r.offset, r.kind);
    const box = new BallotBox(election, credentials, log, state);
    box.#receiptKey = receiptKey;
    return box;
  }

  /**
   * Reopens a board after a restart or crash: verifies the whole chain, discards (and reports) a
   * torn last line, checks that it belongs to this election and credential list, and rebuilds
   * the box's state from the entries.
   */
  static open<E>(
    path: string,
    election: Election<E>,
    credentials: CredentialList<E>,
    opts: OpenBallotBoxOptions = {},
  ): { box: BallotBox<E>; recovered: Recovery | null } {
    const state = newState();
    const expected = opts.expected;
    if (
      expected !== undefined &&
      (!Number.isSafeInteger(expected.entries) || expected.entries < 0 || !/^[0-9a-f]{64}$/.test(expected.head))
    )
      throw new RangeError('expected: entries must be a non-negative integer and head 64 lowercase hex digits');
    let headThere: string | undefined;
    let receiptKey: string | null = null;
    const expectedElection = canonicalJson(electionToJson(election));
    const fingerprint = election.fingerprint;
    const expectedCredentials = canonicalSha256(credentialListToJson(credentials));
    const { log, recovered } = openLog(path, {
      electionId: election.manifest.electionId,
      lifecycle: ELECTION_LIFECYCLE,
      clock: opts.clock,
      onEntry: (e) => {
        if (expected !== undefined && e.seq === expected.entries - 1) headThere = e.hash;
        rememberOffset(state, e.seq, e.offset, e.kind);
        const p = e.payload as Record<string, unknown>;
        if (e.kind === 'setup' && canonicalJson(p.election) !== expectedElection)
          throw new BallotBoxError('the board is for another election (setup differs)');
        if (e.kind === 'setup' && p.receiptKey !== undefined)
          receiptKey = toHex(parseIdentityKey(p.receiptKey, 'setup.payload.receiptKey'));
        if (e.kind === 'credentials' && p.credentialsSha256 !== expectedCredentials)
          throw new BallotBoxError('the board was set up with another credential list');
        if (e.kind === 'ballot') {
          // The board only ever holds checked ballots: their indexes come from the JSON's hex
          // strings, no element decoded (boardBallotKeys); anything unexpected is parsed in full.
          const json = (p as { ballot: unknown }).ballot;
          const keys = boardBallotKeys(election.group, json, fingerprint);
          if (keys !== null) rememberKeys(state, keys, e.seq);
          else remember(state, parseBallot(json, election, `line ${e.line}.payload.ballot`), e.seq);
        }
        if (e.kind === 'audit') {
          const hashHex = String((p as { opening: { ballotHash: string } }).opening.ballotHash);
          state.audited.set(trackingCodeOfHex(hashHex), { seq: e.seq, hashHex });
        }
      },
    });
    if (expected !== undefined && expected.entries > 0 && headThere !== expected.head) {
      log.close();
      throw new BallotBoxError(
        headThere === undefined
          ? `the board holds ${log.entries} entries, fewer than the ${expected.entries} it was known to hold: it was rolled back (acknowledged entries are missing)`
          : `the board's entry ${expected.entries} ends at head ${headThere}, not at the known head ${expected.head}: it was rewritten`,
      );
    }
    const box = new BallotBox(election, credentials, log, state);
    box.#receiptKey = receiptKey;
    return { box, recovered };
  }

  #receiptKey: string | null = null;

  /**
   * The receipt-signing public key the setup entry publishes (lowercase hex), or null for a
   * board set up without one (its box signs no receipts).
   */
  get receiptKey(): string | null {
    return this.#receiptKey;
  }

  /** Where the board stands now: keep it outside the board, and reopen with it as `expected`. */
  checkpoint(): BoardCheckpoint {
    return { entries: this.log.entries, head: this.log.head };
  }

  /** The board file. */
  get path(): string {
    return this.log.path;
  }
  /** Number of board entries. */
  get entries(): number {
    return this.log.entries;
  }
  /** Chain head (hash of the last entry). */
  get head(): string {
    return this.log.head;
  }
  /** True once sealed. */
  get sealed(): boolean {
    return this.log.sealed;
  }
  /** Number of credentials that have a counted ballot. */
  get voters(): number {
    return this.state.voters.size;
  }
  /**
   * How many ballots the credential (canonical hex) has on the board, and the seq of the one
   * that counts; `{ ballots: 0 }` for a credential without a ballot. Public: the board shows it.
   */
  ballotsOf(credentialHex: string): { ballots: number; counted?: number } {
    const v = this.state.voters.get(credentialHex);
    return v === undefined ? { ballots: 0 } : { ballots: v.ballots, counted: v.seq };
  }
  /** Number of ballot entries. */
  get ballots(): number {
    return this.state.ballots.size;
  }
  /** Number of audit entries (published Benaloh openings). */
  get audits(): number {
    return this.state.audited.size;
  }
  /**
   * Where the election stands, from the board's last entry: `open` (ballots accepted), `sealed`,
   * `tallied`, `decrypting` (some decryption shares appended) or `published` (the result).
   */
  get phase(): 'open' | 'sealed' | 'tallied' | 'decrypting' | 'published' {
    switch (this.state.lastKind) {
      case 'seal':
        return 'sealed';
      case 'tally':
        return 'tallied';
      case 'decryption-share':
        return 'decrypting';
      case 'result':
        return 'published';
      default:
        return 'open';
    }
  }
  /** Length of the board file in bytes (every byte of it acknowledged). */
  get byteLength(): number {
    return this.log.byteLength;
  }

  /**
   * Where the entry `seq` starts in the file, in bytes (it ends at the next entry's offset, or
   * at {@link BallotBox.byteLength}, newline included).
   * @throws RangeError when there is no such entry.
   */
  entryOffset(seq: number): number {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= this.log.entries) throw new RangeError(`no entry ${seq} on the board`);
    return this.state.offsets[seq]!;
  }

  /**
   * Where a tracking code stands: the ballot entry that carries it, counted (its credential's
   * last ballot) or superseded (a later ballot of the credential counts); an audited ballot's
   * entry; or absent. `code` must be canonical (parseTrackingCode).
   */
  track(code: string): BoxTracking {
    const b = this.state.ballots.get(code);
    if (b !== undefined) {
      const counted = this.state.voters.get(b.credentialHex)!.seq;
      return counted === b.seq
        ? { status: 'counted', seq: b.seq, ballotHash: b.hashHex }
        : { status: 'superseded', seq: b.seq, ballotHash: b.hashHex, countedSeq: counted };
    }
    const a = this.state.audited.get(code);
    if (a !== undefined) return { status: 'audited', seq: a.seq, ballotHash: a.hashHex };
    return { status: 'absent' };
  }

  /**
   * Casts a ballot from its (untrusted) JSON. Accepted ballots are on disk before this returns.
   * Never throws for a bad ballot: the result names the reason and the JSON path.
   */
  cast(json: unknown): CastResult {
    if (this.log.sealed) return SEALED;
    let ballot: Ballot<E>;
    try {
      ballot = parseBallot(json, this.election);
    } catch (e) {
      if (e instanceof FormatError) return { accepted: false, code: 'malformed', reason: e.reason, path: e.path };
      throw e;
    }
    const item: PrecheckedBallot = {
      text: canonicalJson(ballotToJson(ballot)),
      hashHex: ballot.hashHex,
      credentialHex: ballot.credentialHex,
      replayKeyHex: ballotReplayKey(ballot),
      trackingCode: ballot.trackingCode,
    };
    // The board's cheap refusals first (a client's retry is not checked again).
    const board = this.boardRefusal(item);
    if (board !== null) return board;
    const check = checkBallot(this.election, ballot, { credentials: this.credentials, audited: auditedByHash(this.state), batch: true });
    if (!check.ok) return { accepted: false, code: check.code, reason: check.reason, path: check.path };
    return this.castPrechecked([item])[0]!;
  }

  /**
   * What the board alone says against a ballot, or null: `duplicate` (this very ballot is on
   * the board: its seq is given, so that a retry can be answered with the original receipt) or
   * `replay` (its ciphertexts were cast under another credential). A caller that checked the
   * ballot elsewhere and found it bad asks this first, to answer as {@link BallotBox.cast} does.
   */
  boardRefusal(keys: {
    readonly hashHex: string;
    readonly credentialHex: string;
    readonly replayKeyHex: string;
    readonly trackingCode: string;
  }): CastResult | null {
    const before = this.state.ballots.get(keys.trackingCode);
    if (before !== undefined && before.hashHex === keys.hashHex)
      return {
        accepted: false,
        code: 'duplicate',
        reason: `this ballot is already on the board (entry ${before.seq + 1})`,
        path: 'ballot',
        seq: before.seq,
      };
    const owner = this.state.replayKeys.get(keys.replayKeyHex);
    if (owner !== undefined && owner !== keys.credentialHex)
      return {
        accepted: false,
        code: 'replay',
        reason: "this ballot's ciphertexts were cast by another voter",
        path: 'ballot.answers[0].choices[0]',
      };
    return null;
  }

  /**
   * Casts ballots that passed every check needing no board ({@link PrecheckedBallot}, from the
   * ballot checker), in order, with the board's own checks — sealed, duplicate, replay, audited,
   * the revote cap — applied to each as if the ones before it were on the board already. The
   * accepted ones are appended together with one fsync (group commit) before this returns; one
   * answer per item. Never throws for a refused ballot.
   */
  castPrechecked(items: readonly PrecheckedBallot[], opts: CastOptions = {}): CastResult[] {
    const cap = opts.maxBallotsPerCredential;
    if (cap !== undefined && (!Number.isSafeInteger(cap) || cap < 1))
      throw new RangeError('maxBallotsPerCredential must be a positive integer');
    if (this.log.sealed) return items.map(() => SEALED);
    const out: (CastResult | null)[] = [];
    const accepted: { item: PrecheckedBallot; at: number }[] = [];
    // Within the batch, what the ballots before this one would have added to the board.
    const batchHashes = new Map<string, number>();
    const batchReplay = new Map<string, string>();
    const batchCount = new Map<string, number>();
    for (const item of items) {
      const refusal = this.boardRefusal(item);
      if (refusal !== null) {
        out.push(refusal);
        continue;
      }
      const twin = batchHashes.get(item.hashHex);
      if (twin !== undefined) {
        // The same ballot twice in one batch: the second waits for the first's receipt.
        out.push({ accepted: false, code: 'duplicate', reason: 'this ballot is already on the board', path: 'ballot', seq: -1 - twin });
        continue;
      }
      const owner = batchReplay.get(item.replayKeyHex);
      if (owner !== undefined && owner !== item.credentialHex) {
        out.push({
          accepted: false,
          code: 'replay',
          reason: "this ballot's ciphertexts were cast by another voter",
          path: 'ballot.answers[0].choices[0]',
        });
        continue;
      }
      if (this.state.audited.get(item.trackingCode)?.hashHex === item.hashHex) {
        out.push({
          accepted: false,
          code: 'audited',
          reason: 'this ballot was opened by a Benaloh audit and can never be cast',
          path: 'ballot',
        });
        continue;
      }
      const cast = (this.state.voters.get(item.credentialHex)?.ballots ?? 0) + (batchCount.get(item.credentialHex) ?? 0);
      if (cap !== undefined && cast >= cap) {
        out.push({
          accepted: false,
          code: 'revote-limit',
          reason: `this credential has cast ${cast} ballots, the most allowed`,
          path: 'ballot.credential',
        });
        continue;
      }
      batchHashes.set(item.hashHex, accepted.length);
      batchReplay.set(item.replayKeyHex, item.credentialHex);
      batchCount.set(item.credentialHex, (batchCount.get(item.credentialHex) ?? 0) + 1);
      accepted.push({ item, at: out.length });
      out.push(null);
    }
    if (accepted.length > 0) {
      // The ballots' canonical texts go on the board as they are (the log checks they are canonical).
      const receipts = this.log.appendMany(
        accepted.map(({ item }) => ({ kind: 'ballot', payload: {}, payloadText: `{"ballot":${item.text}}` })),
      );
      accepted.forEach(({ item, at }, i) => {
        const receipt = receipts[i]!;
        const revote = this.state.voters.has(item.credentialHex);
        rememberOffset(this.state, receipt.seq, receipt.offset);
        rememberKeys(this.state, item, receipt.seq);
        out[at] = { accepted: true, trackingCode: item.trackingCode, ballotHash: item.hashHex, receipt, revote };
      });
    }
    // A twin's seq now points at its first copy's entry.
    return out.map((r) => {
      if (r === null) throw new Error('castPrechecked: an answer is missing');
      if (!r.accepted && r.code === 'duplicate' && r.seq !== undefined && r.seq < 0) {
        const first = accepted[-1 - r.seq]!;
        const seq = (out[first.at] as { receipt: EntryReceipt }).receipt.seq;
        return { ...r, reason: `this ballot is already on the board (entry ${seq + 1})`, seq };
      }
      return r;
    });
  }

  /**
   * Appends ballots WITHOUT checking them (one group commit for all): for trusted producers only,
   * such as the large synthetic-record generator of the benchmarks, which made every ballot
   * itself. Each item carries what the box would otherwise learn by parsing the ballot. A real
   * ballot box always uses {@link BallotBox.cast}; the verifier checks every ballot either way.
   */
  unsafeAppendUncheckedBallots(
    items: readonly { json: BallotJson; hashHex: string; credentialHex: string; replayKeyHex: string }[],
  ): EntryReceipt[] {
    if (this.log.sealed) throw new ProtocolError('the ballot box is sealed', 'sealed');
    const receipts = this.log.appendMany(items.map((it) => ({ kind: 'ballot', payload: { ballot: it.json as unknown as JsonObject } })));
    items.forEach((it, i) => {
      rememberOffset(this.state, receipts[i]!.seq, receipts[i]!.offset);
      rememberKeys(this.state, it, receipts[i]!.seq);
    });
    return receipts;
  }

  /**
   * Publishes a Benaloh audit: the opened ballot and its opening, checked against each other.
   * The ballot can never be cast afterwards.
   */
  publishAudit(ballotJson: unknown, openingJson: unknown): EntryReceipt {
    if (this.log.sealed) throw new ProtocolError('the ballot box is sealed', 'sealed');
    const ballot = parseBallot(ballotJson, this.election, 'audit.ballot');
    const opening: BallotOpening = parseOpening(openingJson, this.election, 'audit.opening');
    const c = checkOpening(this.election, ballot, opening);
    if (!c.ok) throw new FormatError(c.path, c.reason);
    if (this.state.ballots.get(ballot.trackingCode)?.hashHex === ballot.hashHex)
      throw new ProtocolError('this ballot was cast: it cannot be audited any more', 'cast');
    if (auditedByHash(this.state).has(ballot.hashHex)) throw new ProtocolError('this ballot was audited already', 'already-audited');
    // Checked as a cast ballot is (signature, every proof, a listed credential): an opening of a
    // ballot that would not have been accepted proves nothing about the booth.
    const check = checkBallot(this.election, ballot, { credentials: this.credentials, batch: true });
    if (!check.ok) throw new BallotBoxError(`the audited ballot fails its checks (${check.code}) at audit.${check.path}: ${check.reason}`);
    const receipt = this.log.appendEntry('audit', {
      ballot: ballotToJson(ballot) as unknown as JsonObject,
      opening: openingToJson(this.election, opening) as unknown as JsonObject,
    });
    rememberOffset(this.state, receipt.seq, receipt.offset, 'audit');
    this.state.audited.set(ballot.trackingCode, { seq: receipt.seq, hashHex: ballot.hashHex });
    return receipt;
  }

  /** Seals the box: no ballot is accepted afterwards. */
  seal(): EntryReceipt {
    return this.remembered(this.log.seal({ ballots: this.state.ballots.size, counted: this.state.voters.size }));
  }

  /**
   * The encrypted tally of the counted ballots (the last per credential), streamed from the board
   * file, appended as the `tally` entry. Ballots on the board were fully checked when cast, so
   * only their ciphertexts are decoded here (validating decode: canonical, in the group).
   * `onProgress(done, total)` hears the counted ballots summed, every 1,024 and at the end.
   */
  async tally(onProgress: (done: number, total: number) => void = () => {}): Promise<{ tally: EncryptedTally<E>; receipt: EntryReceipt }> {
    if (!this.log.sealed) throw new ProtocolError('seal the ballot box before tallying', 'not-sealed');
    const g = this.election.group;
    const counted = new Set<number>();
    for (const v of this.state.voters.values()) counted.add(v.seq);
    let done = 0;
    const acc = new TallyAccumulator(g, this.election.candidateCount, this.election.gradeCount);
    const reader = readEntries(this.log.path, {
      electionId: this.election.manifest.electionId,
      lifecycle: ELECTION_LIFECYCLE,
      end: this.log.byteLength,
    });
    for await (const e of reader) {
      if (e.kind !== 'ballot' || !counted.has(e.seq)) continue;
      if ((++done & 1023) === 0) onProgress(done, counted.size);
      const answers = (e.payload as unknown as { ballot: BallotJson }).ballot.answers;
      const p = `line ${e.line}.payload.ballot.answers`;
      acc.add(
        answers.map((a, j) =>
          a.choices.map((c, k) => ({
            alpha: g.fromHex(c.alpha, `${p}[${j}].choices[${k}].alpha`),
            beta: g.fromHex(c.beta, `${p}[${j}].choices[${k}].beta`, { allowIdentity: true }),
          })),
        ),
      );
    }
    onProgress(done, counted.size);
    const tally = acc.result();
    const receipt = this.remembered(this.log.appendEntry('tally', { tally: encryptedTallyToJson(g, tally) as unknown as JsonObject }));
    return { tally, receipt };
  }

  /** Appends one trustee's decryption-share message (already checked by the caller). */
  appendDecryptionShare(message: JsonObject): EntryReceipt {
    return this.remembered(this.log.appendEntry('decryption-share', { shares: message }));
  }

  /** Appends the result (merit profiles and ranking). */
  appendResult(result: JsonObject): EntryReceipt {
    return this.remembered(this.log.appendEntry('result', { result }));
  }

  private remembered(receipt: EntryReceipt): EntryReceipt {
    rememberOffset(this.state, receipt.seq, receipt.offset, receipt.kind);
    return receipt;
  }

  /** Closes the file and releases the writer's lock. */
  close(): void {
    this.log.close();
  }
}

const SEALED: CastResult = Object.freeze({ accepted: false, code: 'sealed', reason: 'the ballot box is sealed', path: 'ballot' });

function remember<E>(state: BoxState, b: Ballot<E>, seq: number): void {
  rememberKeys(
    state,
    { hashHex: b.hashHex, credentialHex: b.credentialHex, replayKeyHex: ballotReplayKey(b), trackingCode: b.trackingCode },
    seq,
  );
}

function rememberKeys(state: BoxState, k: BallotIndexKeys & { trackingCode?: string }, seq: number): void {
  const code = k.trackingCode ?? trackingCodeOfHex(k.hashHex);
  state.ballots.set(code, { seq, hashHex: k.hashHex, credentialHex: k.credentialHex });
  state.replayKeys.set(k.replayKeyHex, k.credentialHex);
  const v = state.voters.get(k.credentialHex);
  if (v === undefined) state.voters.set(k.credentialHex, { seq, ballots: 1 });
  else {
    v.seq = seq;
    v.ballots++;
  }
}

export type { BallotJson };
