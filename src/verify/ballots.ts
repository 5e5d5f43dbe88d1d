/**
 * Check 4 (every ballot) and the counting rule, one chunk of board lines at a time.
 *
 * {@link verifyBallotChunk} takes a chunk of `ballot` lines (with their global line numbers) and
 * returns a {@link BallotPartial}: counts, failures, the ballot hashes and first ciphertexts it
 * saw, the last ballot of each credential in the chunk, and the encrypted sum of the chunk's
 * counted ballots. Partials of consecutive chunks merge associatively
 * ({@link BallotPartial.merge}), so chunks can be checked in any order, by any number of workers,
 * and folded left to right. Per ballot, only small things outlive the chunk: its hash, its first
 * α (replay index) and, per credential, where its last ballot is.
 *
 * Counting rule: for each credential, its last `ballot` entry before the seal counts. Every
 * readable ballot before the seal is added to the chunk's tally; a ballot superseded inside the
 * chunk is subtracted at once; one superseded by a later chunk is listed in
 * {@link BallotPartial.superseded} (a few bytes: where it is) and subtracted by
 * {@link subtractSuperseded}, a second, targeted read of just those lines.
 * @module
 */
import { FormatError, MjvoteError } from '../errors.js';
import { BatchVerifier } from '../proofs/batch.js';
import { expectObject } from '../json/guards.js';
import type { Election } from '../election/election.js';
import type { Ciphertext } from '../elgamal.js';
import type { CredentialList } from '../election/credential.js';
import { ballotReplayKey } from '../ballot/hash.js';
import { parseBallot } from '../ballot/parse.js';
import { type Ballot } from '../ballot/ballot.js';
import { ballotCombination, ballotEquationCount, checkBallot } from '../ballot/check.js';
import { BALLOT_HEAD_RE, entryHash } from '../board/chain.js';
import { parseCanonicalBallotText } from '../ballot/canonical-text.js';
import { entryPayload } from './board-scan.js';
import { TallyAccumulator, encryptedTallyToJson, parseEncryptedTally, type EncryptedTallyJson } from '../tally/aggregate.js';
import { OccurrenceIndex, type OccurrenceIndexWire } from './occurrences.js';
import type { Findings, VerificationFailure } from './report.js';
import { storeErrorReason, type RecordStore } from '../record/store.js';

/** A `ballot` line of the board, as handed to {@link verifyBallotChunk}. */
export interface BallotLine {
  /** 1-based line number in the whole board. */
  readonly line: number;
  /** Byte offset and length (newline excluded) of the line: where {@link subtractSuperseded} finds it again. */
  readonly offset: number;
  readonly length: number;
  /** The line's chain hash (to check that a second read sees the same bytes). */
  readonly hash: string;
  /** The entry's payload, `{ballot: BallotJson}` (untrusted). */
  readonly payload: unknown;
  /**
   * The whole line's JSON text, when known. Worker threads are sent this string instead of the
   * parsed payload (a string crosses threads ten times cheaper than the object tree), and
   * {@link verifyBallotChunk} parses it again with the same `JSON.parse` when `payload` is
   * undefined, which gives the same payload.
   */
  readonly text?: string;
  /** True for a ballot after the seal: checked, never counted. */
  readonly afterSeal: boolean;
}

/** What every chunk needs (the same for the whole board). */
export interface BallotCheckContext<E> {
  readonly election: Election<E>;
  /** The published credential list; null when it could not be read (listing is then not checked). */
  readonly credentials: CredentialList<E> | null;
  /** Check proofs in one random-linear-combination batch per chunk (default) or one by one. */
  readonly batch: boolean;
  /** The board's file name, for failures. */
  readonly file: string;
}

/** Where a credential's last ballot is. */
export interface BallotRef {
  readonly line: number;
  readonly offset: number;
  readonly length: number;
  readonly hash: string;
  /** False when the ballot could not be parsed (its ciphertexts are unknown). */
  readonly readable: boolean;
}

/** The mergeable result of checking a run of consecutive ballot lines. */
export class BallotPartial<E> {
  /** Ballot entries seen. */
  ballots = 0;
  /** Ballot entries before the seal (what the seal's `ballots` counts). */
  beforeSeal = 0;
  /** Ballots that replaced an earlier ballot of the same credential (revotes). */
  revotes = 0;
  /** Check-4 failures, in the order found. */
  readonly failures: VerificationFailure[] = [];
  /** Lines with at least one check-4 failure. */
  readonly badLines = new Set<number>();
  /** Ballot hash → occurrences (duplicates). */
  readonly hashes = new OccurrenceIndex<null>();
  /** First ciphertext α → occurrences tagged with the credential (replays). */
  readonly replays = new OccurrenceIndex<string>();
  /** Credential (hex; for an unreadable ballot its raw value or its line) → its last ballot before the seal. */
  readonly last = new Map<string, BallotRef>();
  /** Readable ballots added to {@link tally} and superseded by a later partial: to subtract. */
  readonly superseded: BallotRef[] = [];
  /** Σ of the readable ballots before the seal, minus those superseded inside this partial. */
  readonly tally: TallyAccumulator<E>;

  constructor(readonly context: BallotCheckContext<E>) {
    const e = context.election;
    this.tally = new TallyAccumulator(e.group, e.candidateCount, e.gradeCount);
  }

  /** Records a check-4 failure. */
  fail(line: number, path: string | undefined, reason: string): void {
    this.failures.push({ check: 4, file: this.context.file, line, ...(path !== undefined && { path }), reason });
    this.badLines.add(line);
  }

  /**
   * Merges the partial of the lines that directly follow this one's (associative: any grouping
   * of consecutive partials gives the same counts, tally, indexes and failures).
   */
  merge(later: BallotPartial<E>): void {
    this.ballots += later.ballots;
    this.beforeSeal += later.beforeSeal;
    this.revotes += later.revotes;
    this.failures.push(...later.failures);
    for (const l of later.badLines) this.badLines.add(l);
    this.hashes.merge(later.hashes, (prev, next) =>
      this.fail(next.line, 'payload.ballot', `duplicate: the same ballot as line ${prev.line}`),
    );
    this.replays.merge(later.replays, (prev, next) => {
      if (prev.tag !== next.tag)
        this.fail(
          next.line,
          'payload.ballot.answers[0].choices[0]',
          `replay: these ciphertexts were cast by another credential at line ${prev.line}`,
        );
    });
    for (const [credential, ref] of later.last) {
      const prev = this.last.get(credential);
      if (prev !== undefined) {
        this.revotes++;
        if (prev.readable) this.superseded.push(prev);
      }
      this.last.set(credential, ref);
    }
    this.superseded.push(...later.superseded);
    this.tally.merge(later.tally.result());
  }
}

/** Wire form of a {@link BallotPartial} (structured-clonable: what a worker thread sends back). */
export interface BallotPartialWire {
  ballots: number;
  beforeSeal: number;
  revotes: number;
  failures: VerificationFailure[];
  badLines: number[];
  hashes: OccurrenceIndexWire<null>;
  replays: OccurrenceIndexWire<string>;
  last: [string, BallotRef][];
  superseded: BallotRef[];
  tally: EncryptedTallyJson;
}

/** A partial's wire form. */
export function ballotPartialToWire<E>(p: BallotPartial<E>): BallotPartialWire {
  return {
    ballots: p.ballots,
    beforeSeal: p.beforeSeal,
    revotes: p.revotes,
    failures: p.failures,
    badLines: [...p.badLines],
    hashes: p.hashes.toWire(),
    replays: p.replays.toWire(),
    last: [...p.last],
    superseded: p.superseded,
    tally: encryptedTallyToJson(p.context.election.group, p.tally.result()),
  };
}

/** Rebuilds a partial from its wire form (the tally's elements are decoded and checked). */
export function ballotPartialFromWire<E>(ctx: BallotCheckContext<E>, w: BallotPartialWire): BallotPartial<E> {
  const e = ctx.election;
  const p = new BallotPartial(ctx);
  p.ballots = w.ballots;
  p.beforeSeal = w.beforeSeal;
  p.revotes = w.revotes;
  p.failures.push(...w.failures);
  for (const l of w.badLines) p.badLines.add(l);
  Object.assign(p, { hashes: OccurrenceIndex.fromWire(w.hashes), replays: OccurrenceIndex.fromWire(w.replays) });
  for (const [k, r] of w.last) p.last.set(k, r);
  p.superseded.push(...w.superseded);
  p.tally.merge(parseEncryptedTally(e.group, w.tally, e.candidateCount, e.gradeCount, 'worker.tally'));
  return p;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Parses `{ballot}`; a FormatError names the path inside the line. */
function parseBallotPayload<E>(election: Election<E>, payload: unknown): Ballot<E> {
  const o = expectObject(payload, 'payload', ['ballot']);
  return parseBallot(o.ballot, election, 'payload.ballot');
}

/**
 * Checks a chunk of consecutive `ballot` lines (check 4) and applies the counting rule to it.
 * Batch mode verifies every signature and proof of the chunk in one random-linear-combination
 * MSM (bisecting to find the failing ballots); each failing ballot, in both modes, is then named
 * by `checkBallot` one by one, so both modes report the same failures. Never throws for a bad
 * ballot.
 */
export function verifyBallotChunk<E>(ctx: BallotCheckContext<E>, lines: readonly BallotLine[]): BallotPartial<E> {
  const { election } = ctx;
  const part = new BallotPartial(ctx);
  // One pass, line by line: a ballot is parsed, its equations go into the batch, and the
  // checks and the counting rule run at once; then only small things outlive it (its
  // ciphertexts, in case a later ballot of the chunk supersedes it). A line sent as text is
  // parsed here and its JSON tree dropped as soon as the ballot is read. (Trees and ballots
  // that lived until the end of the chunk were copied by every young-generation collection
  // meanwhile.) A ballot the batch then names is parsed again to say what fails.
  const batch = ctx.batch ? new BatchVerifier<E, number>(election.group) : null;
  const choicesByLine = new Map<number, Choices<E>>();
  const equationCount = ballotEquationCount(election);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    part.ballots++;
    if (!l.afterSeal) part.beforeSeal++;
    // A line in canonical form is read straight from its text; anything else (or anything the
    // fast path does not take) is parsed as JSON and checked field by field, which names faults.
    let b = ballotOfCanonicalLine(election, l);
    if (b === null) {
      const payload = payloadOf(l);
      try {
        b = parseBallotPayload(election, payload);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        part.fail(l.line, e.path, `malformed: ${e.reason}`);
        countBallot(part, l, rawCredential(payload) ?? `#line-${l.line}`, null, choicesByLine);
        continue;
      }
    }
    // Signatures and proofs: batched (failures named after the batch), or one by one.
    if (batch !== null) batch.addCombination(i, equationCount, (rho) => ballotCombination(election, b, rho));
    else checkProofs(part, l, election, b);
    if (ctx.credentials !== null && !ctx.credentials.hasHex(b.credentialHex))
      part.fail(l.line, 'payload.ballot.credential', 'unknown-credential: the credential is not on the published list');
    const dup = part.hashes.add(b.hashHex, l.line, null);
    if (dup !== undefined) part.fail(l.line, 'payload.ballot', `duplicate: the same ballot as line ${dup.line}`);
    const prev = part.replays.add(ballotReplayKey(b), l.line, b.credentialHex);
    if (prev !== undefined && prev.tag !== b.credentialHex)
      part.fail(
        l.line,
        'payload.ballot.answers[0].choices[0]',
        `replay: these ciphertexts were cast by another credential at line ${prev.line}`,
      );
    countBallot(
      part,
      l,
      b.credentialHex,
      b.answers.map((a) => a.choices),
      choicesByLine,
    );
  }
  if (batch !== null)
    for (const i of batch.verify().failed) {
      const l = lines[i]!;
      checkProofs(part, l, election, parseBallotPayload(election, payloadOf(l)));
    }
  return part;
}

/** A ballot's ciphertexts, candidate by candidate. */
type Choices<E> = readonly (readonly Ciphertext<E>[])[];

/**
 * The ballot of a line sent as text, when the line is a canonical `ballot` entry
 * (`{"v":1,…,"kind":"ballot",…,"payload":{"ballot":{…}}}`) and its ballot passes
 * parseCanonicalBallotText: the same ballot as `parseBallotPayload(election, payloadOf(l))`
 * (the envelope's pattern admits only valid JSON, so `JSON.parse(text).payload` is
 * `{ballot: …}` with the ballot read). Null otherwise.
 */
function ballotOfCanonicalLine<E>(election: Election<E>, l: BallotLine): Ballot<E> | null {
  const t = l.text;
  if (l.payload !== undefined || t === undefined) return null;
  const m = BALLOT_HEAD_RE.exec(t);
  if (m === null || !t.startsWith('"ballot":', m[0].length)) return null;
  const r = parseCanonicalBallotText(t, m[0].length + 9, election);
  return r !== null && r.end + 2 === t.length && t.endsWith('}}') ? r.ballot : null;
}

/** A line's payload: the parsed one, or the text parsed again (see BallotLine.text). */
function payloadOf(l: BallotLine): unknown {
  return l.payload === undefined && l.text !== undefined ? payloadOfText(l.text) : l.payload;
}

/** Checks a ballot's signature and proofs one by one, and records the first failure. */
function checkProofs<E>(part: BallotPartial<E>, l: BallotLine, election: Election<E>, b: Ballot<E>): void {
  const c = checkBallot(election, b, { batch: false });
  if (!c.ok) part.fail(l.line, `payload.${c.path}`, `${c.code}: ${c.reason}`);
}

/**
 * The counting rule inside a chunk: add the ballot's ciphertexts (null: unreadable), and
 * subtract the credential's previous ballot if it is in this chunk.
 */
function countBallot<E>(
  part: BallotPartial<E>,
  l: BallotLine,
  credential: string,
  choices: Choices<E> | null,
  chunk: Map<number, Choices<E>>,
): void {
  if (l.afterSeal) return;
  if (choices !== null) {
    part.tally.add(choices);
    chunk.set(l.line, choices);
  }
  const prev = part.last.get(credential);
  if (prev !== undefined) {
    part.revotes++;
    // prev is in this chunk: part.last only holds this chunk's lines.
    if (prev.readable) part.tally.subtract(chunk.get(prev.line)!);
  }
  part.last.set(credential, { line: l.line, offset: l.offset, length: l.length, hash: l.hash, readable: choices !== null });
}

/**
 * The payload of a board line's text, as the board scan gives it (BallotLine.text: the same
 * `JSON.parse` of the same text gives the same payload).
 */
function payloadOfText(text: string): unknown {
  return entryPayload((JSON.parse(text) as { payload?: unknown } | null)?.payload);
}

/** The credential of an unparsable ballot, when it at least has one in hex (for the counting rule). */
function rawCredential(payload: unknown): string | undefined {
  const b = (payload as { ballot?: { credential?: unknown } } | null)?.ballot;
  const c = typeof b === 'object' && b !== null ? b.credential : undefined;
  return typeof c === 'string' && HEX64.test(c) ? c : undefined;
}

/**
 * Subtracts the superseded ballots from the tally: reads just their lines again from `store`
 * (they must hash as in the first pass), parses them and subtracts their ciphertexts. A line
 * that changed in between is a check-5 failure (the file is being modified); so is a line the
 * store cannot give again (the tally then lacks its subtraction, and check 6 fails too).
 */
export async function subtractSuperseded<E>(
  store: RecordStore,
  ctx: BallotCheckContext<E>,
  refs: readonly BallotRef[],
  tally: TallyAccumulator<E>,
  findings: Findings,
  onLine?: (done: number) => void,
): Promise<void> {
  if (refs.length === 0) return;
  const sorted = [...refs].sort((a, b) => a.offset - b.offset);
  const changed = (r: BallotRef, reason = 'the line changed while the board was being verified'): void =>
    findings.fail({ check: 5, file: ctx.file, line: r.line, reason });
  let done = 0;
  let unread = 'the store gave no bytes for it';
  try {
    for await (const buf of store.readRanges(ctx.file, sorted)) {
      const r = sorted[done];
      if (r === undefined) break;
      done++;
      onLine?.(done);
      if (!(buf instanceof Uint8Array) || buf.length !== r.length || entryHash(buf) !== r.hash) {
        changed(r);
        continue;
      }
      try {
        const entry = JSON.parse(new TextDecoder().decode(buf)) as { payload: unknown };
        tally.subtract(parseBallotPayload(ctx.election, entry.payload).answers.map((a) => a.choices));
      } catch (e) {
        if (!(e instanceof MjvoteError) && !(e instanceof SyntaxError)) throw e;
        changed(r);
      }
    }
  } catch (e) {
    unread = storeErrorReason(e);
  }
  for (const r of sorted.slice(done)) changed(r, `cannot read the line again: ${unread}`);
}
