/**
 * The ballot box's stateless ballot check (issue 22): every check of a submitted ballot that
 * needs no board, for many ballots at once, on any thread (worker threads in `mjvote serve`,
 * see `checker-pool.ts`; this module imports nothing from Node, so it runs in browsers too).
 *
 * Per ballot, in {@link checkBallotJson}'s order: the request body within limits and valid JSON
 * without duplicate keys ({@link parseJson}; `malformed`), for this election (`wrong-election`),
 * well formed (`malformed`, with the JSON path), its credential on the published list
 * (`unknown-credential`), then its signature (`bad-signature`) and every proof (`bad-proof`).
 * Signatures and proofs of all the ballots go into one random-linear-combination MSM
 * ({@link BatchVerifier}, which bisects a failing batch down to the failing ballots); each
 * ballot the batch names is then checked alone by {@link checkBallot}, which names its reason
 * and path. So one bad ballot never refuses a good one, and batched and one by one give the
 * same outcomes.
 *
 * What is left to the board's writer, which knows the board: duplicates, replays, audited
 * ballots (`audited`: a ballot opened by a Benaloh audit can never be cast), the seal and the
 * revote cap.
 * @module
 */
import { FormatError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import { MAX_JSON_DEPTH, canonicalJson } from '../json/canonical.js';
import { BatchVerifier } from '../proofs/batch.js';
import { parseElection, type Election } from '../election/election.js';
import { parseCredentialList, type CredentialList } from '../election/credential.js';
import { ristretto255, ristretto255With } from '../group/ristretto255.js';
import { type Ballot } from '../ballot/ballot.js';
import { ballotCombination, ballotEquationCount, checkBallot, type BallotCheck, type BallotRejection } from '../ballot/check.js';
import { parseCanonicalBallotText } from '../ballot/canonical-text.js';
import { ballotReplayKey } from '../ballot/hash.js';
import { ballotToJson } from '../ballot/json.js';
import { parseBallot } from '../ballot/parse.js';

/** A submitted ballot that passed every check of {@link checkBallotTexts}, with what the board indexes it by. */
export interface BallotAccepted {
  readonly ok: true;
  /**
   * The ballot's canonical JSON text (`canonicalJson(ballotToJson(ballot))`): what the board
   * writes. The submitted text itself when it was canonical (nothing built), so that the
   * writer neither rebuilds nor re-serializes it, and a worker sends a string, not a tree.
   */
  readonly text: string;
  /** The ballot hash, hex: what the credential signed and what duplicates are found by. */
  readonly hashHex: string;
  /** The voter's public credential, hex (canonical encoding): whose ballot this is. */
  readonly credentialHex: string;
  /** The replay key (`ballotReplayKey`: the first ciphertext's α, hex): what a copied ballot shares. */
  readonly replayKeyHex: string;
  /** The tracking code of the hash, `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`, for the voter's receipt. */
  readonly trackingCode: string;
}

/** A submitted ballot refused, with the first failure in {@link checkBallotJson}'s order and its JSON path. */
export interface BallotRefused {
  readonly ok: false;
  readonly code: BallotRejection;
  /** What is wrong, for people. */
  readonly reason: string;
  /** JSON path of the field at fault (`ballot.answers[2].proofs[0]`, `ballot.signature` …); `ballot` for the whole text. */
  readonly path: string;
  /**
   * What the board indexes the ballot by, when it is this election's and well formed (refused
   * for its credential, signature or proofs): the board's own refusals come first, as `BallotBox.cast` orders them
   * — this very ballot already on the board (a retry) or its ciphertexts cast by another voter
   * (a replay) — and need these.
   */
  readonly keys?: BallotKeys;
}

/** What a board indexes a ballot by. */
export interface BallotKeys {
  readonly hashHex: string;
  readonly credentialHex: string;
  readonly replayKeyHex: string;
  readonly trackingCode: string;
}

/** What {@link checkBallotTexts} says of one submitted ballot. */
export type BallotCheckOutcome = BallotAccepted | BallotRefused;

/** Options of {@link checkBallotTexts}. */
export interface CheckBallotsOptions {
  /**
   * Verify the signatures and proofs of all the ballots in one batch (default true); false:
   * each ballot alone, equation by equation, as {@link checkBallot} does by default (the
   * reference, several times slower: for comparison). The outcomes are the same.
   */
  batch?: boolean;
  /** Deepest JSON nesting accepted (default {@link MAX_JSON_DEPTH}; a ballot nests 6 deep). */
  maxDepth?: number;
  /** Longest text accepted, in UTF-16 code units (default {@link maxBallotTextLength} of the election). */
  maxLength?: number;
}

/** How deep a ballot's JSON nests: the ballot, `answers`, an answer, `proofs`, a proof, a branch. */
const BALLOT_DEPTH = 6;

/**
 * The default bound on a ballot's text for `election`: twice the longest canonical text of a
 * ballot of its shape (M × K, the group's encodings), plus 64 Ki characters, room enough for
 * any whitespace a client's JSON writer puts in (pretty-printing adds less than a line's indent
 * per value, each value being at least 64 characters). A text longer than this is refused
 * before it is scanned.
 */
export function maxBallotTextLength(election: Election<unknown>): number {
  const { candidateCount: M, gradeCount: K, group } = election;
  const points = M * (6 * K + 2) + 2;
  const scalars = M * (4 * K + 2) + 2;
  // Each value: its hex digits, quotes, key (at most 11 characters), colon and separator.
  const value = 24;
  const canonical = points * (2 * group.elementBytes + value) + scalars * (2 * group.scalarBytes + value) + M * (8 * K + 64) + 512;
  return 2 * canonical + 64 * 1024;
}

function refuse(code: BallotRejection, path: string, reason: string): BallotRefused {
  return { ok: false, code, path, reason };
}

/**
 * The ballot of a submitted text, or why it is refused before any proof is looked at: exactly
 * what `checkBallotJson(election, parseJson(text, 'ballot', limits))` decides before it calls
 * `checkBallot`.
 *
 * A text in canonical form (what `canonicalJson(ballotToJson(b))` writes) is read by
 * {@link parseCanonicalBallotText}, which gives the very ballot `parseBallot` would or declines;
 * a canonical text is valid JSON without duplicate keys, nesting {@link BALLOT_DEPTH} deep, so
 * parseJson accepts it whenever it is within the limits, which are checked first.
 */
/** The submitted text of a ballot read from canonical text (the same bytes canonicalJson would write). */
const CANONICAL_TEXT = new WeakMap<object, string>();

function readBallot<E>(election: Election<E>, text: string, maxDepth: number, maxLength: number): Ballot<E> | BallotRefused {
  if (typeof text === 'string' && text.length <= maxLength && maxDepth >= BALLOT_DEPTH) {
    const r = parseCanonicalBallotText(text, 0, election);
    if (r !== null && r.end === text.length) {
      CANONICAL_TEXT.set(r.ballot, text);
      return r.ballot;
    }
  }
  let json: unknown;
  try {
    json = parseJson(text, 'ballot', { maxDepth, maxLength });
  } catch (e) {
    if (e instanceof FormatError) return refuse('malformed', e.path, e.reason);
    throw e;
  }
  // As checkBallotJson: another election's ballot is `wrong-election` even when its shape does
  // not fit this election.
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    if (typeof o.electionId === 'string' && o.electionId !== election.manifest.electionId)
      return refuse('wrong-election', 'ballot.electionId', `ballot for election '${o.electionId}', not '${election.manifest.electionId}'`);
    if (typeof o.fingerprint === 'string' && /^[0-9a-f]{64}$/.test(o.fingerprint) && o.fingerprint !== election.fingerprintHex)
      return refuse('wrong-election', 'ballot.fingerprint', 'ballot for another election (fingerprint differs)');
  }
  try {
    return parseBallot(json, election);
  } catch (e) {
    if (e instanceof FormatError) return refuse('malformed', e.path, e.reason);
    throw e;
  }
}

/** The outcome of a checked ballot. */
function outcome<E>(ballot: Ballot<E>, check: BallotCheck): BallotCheckOutcome {
  const keys: BallotKeys = {
    hashHex: ballot.hashHex,
    credentialHex: ballot.credentialHex,
    replayKeyHex: ballotReplayKey(ballot),
    trackingCode: ballot.trackingCode,
  };
  if (!check.ok)
    return check.code === 'malformed' || check.code === 'wrong-election'
      ? refuse(check.code, check.path, check.reason)
      : { ...refuse(check.code, check.path, check.reason), keys };
  return { ok: true, text: CANONICAL_TEXT.get(ballot) ?? canonicalJson(ballotToJson(ballot)), ...keys };
}

/**
 * Every check of a submitted ballot that needs no board, for many ballots at once: each text
 * (an untrusted request body) within the limits, valid JSON without duplicate keys, for this
 * election, well formed, its credential listed, its signature and every proof verified. With
 * `batch` (the default), all the signatures and proofs go into one random-linear-combination
 * MSM ({@link BatchVerifier}, which bisects a failing batch), and each ballot the batch names is
 * then checked alone by {@link checkBallot} to name its reason and path; so a bad ballot never
 * refuses a good one, and batched and one by one give the same outcomes, those of
 * `checkBallotJson(election, parseJson(text, 'ballot', limits), {credentials})`.
 *
 * Not checked here: whether the ballot was audited (`audited`), and everything else that needs
 * the board (duplicates, replays, the seal, the revote cap): the board's writer does that.
 * @param credentials - the published credential list (its `hasHex`).
 * @returns one outcome per text, in order. Never throws for a bad ballot, whatever its text:
 *   an error thrown is a bug.
 */
export function checkBallotTexts<E>(
  election: Election<E>,
  credentials: { hasHex(credentialHex: string): boolean },
  texts: readonly string[],
  opts: CheckBallotsOptions = {},
): BallotCheckOutcome[] {
  const maxDepth = opts.maxDepth ?? MAX_JSON_DEPTH;
  const maxLength = opts.maxLength ?? maxBallotTextLength(election);
  const out: BallotCheckOutcome[] = new Array(texts.length);
  const batched: Ballot<E>[] = new Array(texts.length);
  const batch = (opts.batch ?? true) ? new BatchVerifier<E, number>(election.group) : null;
  const equations = ballotEquationCount(election);
  for (let i = 0; i < texts.length; i++) {
    const b = readBallot(election, texts[i]!, maxDepth, maxLength);
    if ('ok' in b) out[i] = b;
    else if (batch !== null && passesStatement(election, credentials, b)) {
      batched[i] = b;
      batch.addCombination(i, equations, (rho) => ballotCombination(election, b, rho));
    }
    // Alone: a ballot whose statement fails (checkBallot says why without touching a proof), or
    // every ballot when batching is off.
    else out[i] = outcome(b, checkBallot(election, b, { credentials }));
  }
  if (batch !== null) {
    // Named one by one: the first failing signature or proof, as checkBallot finds it.
    for (const i of batch.verify().failed) out[i] = outcome(batched[i]!, checkBallot(election, batched[i]!, { credentials }));
    for (let i = 0; i < texts.length; i++) if (out[i] === undefined) out[i] = outcome(batched[i]!, { ok: true });
  }
  return out;
}

/**
 * Whether the ballot passes checkBallot's checks before the proofs: this election (parseBallot
 * checked the shape) and listed, asked of the same `hasHex` as checkBallot asks. Only a
 * shortcut: a ballot of another election or shape fails the batch anyway (`ballotCombination`
 * is null) and is then named by checkBallot.
 */
function passesStatement<E>(election: Election<E>, credentials: { hasHex(h: string): boolean }, b: Ballot<E>): boolean {
  return (
    b.electionId === election.manifest.electionId && b.fingerprintHex === election.fingerprintHex && credentials.hasHex(b.credentialHex)
  );
}

/** Which ristretto255 backend a checker thread loads the election on. */
export type CheckerBackend = 'wasm' | 'default';

/** What a checker thread checks ballots against: the election and its published credential list. */
export interface CheckerElection {
  readonly election: Election<unknown>;
  readonly credentials: CredentialList<unknown>;
}

/**
 * Loads the election and the credential list from their published JSON, for
 * {@link checkBallotTexts} on this thread: a ristretto255 election on the WebAssembly backend
 * (`wasm`, the fastest; it throws where WebAssembly cannot run) or on the thread's default
 * (`default`: WebAssembly unless `MJVOTE_BACKEND` says otherwise); another group as it is.
 * Both are validated in full (every credential decoded: about 12 ms per thousand).
 * @throws FormatError naming the JSON path (`election…`, `credentialList…`); ProtocolError as parseElection.
 */
export function loadCheckerElection(electionJson: unknown, credentialsJson: unknown, backend: CheckerBackend = 'wasm'): CheckerElection {
  const groupId = (electionJson as { manifest?: { group?: unknown } } | null)?.manifest?.group;
  const group = backend === 'wasm' && groupId === ristretto255.id ? ristretto255With('wasm') : undefined;
  const election = parseElection(electionJson, group === undefined ? {} : { group });
  const credentials = parseCredentialList(credentialsJson, election.group, { electionId: election.manifest.electionId });
  return { election, credentials };
}
