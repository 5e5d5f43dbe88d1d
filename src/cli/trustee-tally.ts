/**
 * `mjvote trustee decrypt` and `mjvote trustee combine`: a trustee's decryption share of an
 * election's tally, and the public combination of t valid shares into the result.
 *
 * A trustee decrypts nothing but the tally of the election its key is for, and only when that
 * tally is the homomorphic sum of the counted ballots of the sealed board (docs/trustees.md
 * §What decrypt checks): the record's ceremony is the one the key comes from, the board's setup
 * is this election (fingerprint), the board's hash chain holds and it is sealed, every counted
 * ballot (the last per credential) passes every ballot check, their sum is `tally.json`, and the
 * tally counts at least `--min-ballots` ballots.
 *
 * Decryption-share file:
 * ```
 * { "format": "mjvote-decryption-share", "version": 1, "election", "fingerprint",
 *   "tallySha256", "boardHead", "message": DecryptionShareMessageJson }
 * ```
 * Node-only.
 * @module
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, ProtocolError } from '../errors.js';
import type { Group } from '../group/group.js';
import { createElection, electionToJson, type Election } from '../election.js';
import type { Manifest } from '../ballot/manifest.js';
import { parseCredentialList } from '../credential.js';
import { parseCeremonyTranscript, verifyCeremonyTranscript } from '../ceremony/transcript.js';
import type { CeremonyResult } from '../ceremony/outcome.js';
import type { CeremonyParams } from '../ceremony/params.js';
import type { TrusteeKey } from '../ceremony/trustee-key.js';
import { combineDecryptionShares, decryptionShareMessageToJson, decryptionShares, InsufficientSharesError, parseDecryptionShareMessage, type DecryptionShareMessage } from '../decrypt/index.js';
import { parseEncryptedTally, TallyAccumulator, talliesEqual, type EncryptedTally } from '../tally/aggregate.js';
import { flattenTally, tallyDecryptionContext } from '../demo/simulate.js';
import { electionResult } from '../record/result.js';
import { ELECTION_LIFECYCLE, canonicalSha256 } from '../board/ballot-box.js';
import { canonicalJson } from '../board/canonical-json.js';
import { readEntries } from '../board/reader.js';
import { availableParallelism } from 'node:os';
import type { CredentialList } from '../credential.js';
import type { BallotCheckContext, BallotPartial } from '../verify/ballots.js';
import { BallotChunker } from '../verify/pool.js';
import { DEFAULT_CHUNK_SIZE } from '../verify/verify-record.js';
import { RECORD_FILES } from '../record/files.js';
import { expectObject } from '../proofs/wire.js';
import { EXIT_OK, parseJsonInput, readTextInput, UsageError, type CliIo } from './command.js';
import { formatRankTable } from './rank.js';
import { assertAbsent, commitStep } from './trustee-files.js';
import { integerOption, listOption, manifestParams, manifestSha256, openState, optionalString, readManifest, reporter, requiredString, type TrusteeSub } from './trustee-options.js';
import { unlockState } from './trustee-state.js';

/** `format` of a decryption-share file. */
export const DECRYPTION_SHARE_FILE_FORMAT = 'mjvote-decryption-share';
/** `version` of a decryption-share file. */
export const DECRYPTION_SHARE_FILE_VERSION = 1;
/** Default of `--min-ballots`: never decrypt a tally of a single ballot. */
export const DEFAULT_MIN_BALLOTS = 2;

/** Wire form of a decryption-share file. */
export interface DecryptionShareFileJson {
  format: typeof DECRYPTION_SHARE_FILE_FORMAT;
  version: typeof DECRYPTION_SHARE_FILE_VERSION;
  election: string;
  /** The election fingerprint (hex). */
  fingerprint: string;
  /** canonicalSha256 of `tally.json`: the tally these shares decrypt. */
  tallySha256: string;
  /** The head of the sealed board the trustee checked. */
  boardHead: string;
  message: ReturnType<typeof decryptionShareMessageToJson>;
}

/** The pieces of a record every tally step needs, read and checked. */
interface RecordElection<E> {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly params: CeremonyParams<E>;
  readonly group: Group<E>;
  readonly ceremonyJson: unknown;
  /** The ceremony outcome recomputed from the transcript's messages. */
  readonly ceremony: CeremonyResult<E>;
  readonly election: Election<E>;
  readonly tallyJson: unknown;
  readonly tally: EncryptedTally<E>;
}

async function readRecordJson(dir: string, name: string, io: CliIo): Promise<{ path: string; json: unknown }> {
  const path = join(dir, name);
  return { path, json: parseJsonInput(await readTextInput(path, io), path) };
}

/** Runs a parser; its FormatError becomes a UsageError naming the file. */
function parsing<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

/**
 * Reads manifest.json, ceremony.json (which must verify and be the manifest's ceremony) and
 * tally.json, and rebuilds the election (its fingerprint) from them.
 * @throws UsageError for a missing or malformed file; ProtocolError when they do not fit together.
 */
async function loadRecordElection(dir: string, io: CliIo): Promise<RecordElection<any>> {
  const manifestPath = join(dir, RECORD_FILES.manifest);
  const manifest = await readManifest(manifestPath, io);
  const params = manifestParams(manifest, manifestPath);
  const group = params.group;
  const c = await readRecordJson(dir, RECORD_FILES.ceremony, io);
  const transcript = parsing(c.path, () => parseCeremonyTranscript(c.json, group));
  if (transcript.params.ceremonyId !== params.ceremonyId || transcript.params.n !== params.n || transcript.params.t !== params.t)
    throw new ProtocolError(`${c.path} is the ceremony of election '${transcript.params.ceremonyId}' (n = ${transcript.params.n}, t = ${transcript.params.t}), not of the manifest's '${params.ceremonyId}' (n = ${params.n}, t = ${params.t})`, 'record-mismatch');
  const v = verifyCeremonyTranscript(transcript);
  if (!v.ok) throw new ProtocolError(`${c.path} does not verify: ${v.failures.map((f) => `${f.check}: ${f.reason}`).join('; ')}`, 'record-mismatch');
  const ceremony = v.recomputed!;
  const election = createElection(manifest, {
    coefficientCommitments: ceremony.qualified.map((i) => transcript.reveals.find((r) => r.trustee === i)!.coefficientCommitments),
    jointPublicKey: ceremony.jointPublicKey,
  });
  const t = await readRecordJson(dir, RECORD_FILES.tally, io);
  const tally = parsing(t.path, () => parseEncryptedTally(group, t.json, election.candidateCount, election.gradeCount));
  return { dir, manifest, params, group, ceremonyJson: c.json, ceremony, election, tallyJson: t.json, tally };
}

/** The trustee refuses to decrypt (exit 1). */
class RefusedError extends ProtocolError {
  constructor(why: string) {
    super(`refusing to decrypt: ${why}`, 'refused');
  }
}

/** What the board check established. */
interface SealedBoard {
  readonly head: string;
  readonly counted: number;
  readonly ballots: number;
}

type Payload = Record<string, unknown>;
const field = (p: Payload, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Payload)[k] : undefined), p);

/**
 * Streams the board twice. Pass 1: hash chain and lifecycle (the reader), setup = this election
 * and this ceremony, credentials = credentials.json, the last ballot per credential, the audited
 * ballots, the seal and the tally entry (= tally.json). Pass 2 (the same bytes, pinned by the
 * head): every counted ballot parsed and fully checked, and their sum compared with tally.json.
 * @throws RefusedError naming the line and the reason; BoardCorruptError for a damaged board.
 */
async function checkSealedBoard<E>(rec: RecordElection<E>, io: CliIo, expectedHead?: string): Promise<SealedBoard> {
  const { election, group, dir } = rec;
  const electionId = election.manifest.electionId;
  const boardPath = join(dir, RECORD_FILES.board);
  try {
    statSync(boardPath);
  } catch {
    throw new UsageError(`cannot read ${boardPath}: no such file`);
  }
  const cred = await readRecordJson(dir, RECORD_FILES.credentials, io);
  const credentials = parsing(cred.path, () => parseCredentialList(cred.json, group, { electionId }));
  const at = (line: number, why: string): RefusedError => new RefusedError(`${boardPath} line ${line}: ${why}`);

  const expectedSetup = canonicalJson(electionToJson(election));
  const lastBallot = new Map<string, number>();
  const audited = new Set<string>();
  let ballots = 0;
  let seal: Payload | undefined;
  let tallyEntry: { line: number; tally: unknown } | undefined;
  const pass1 = readEntries(boardPath, { electionId, lifecycle: ELECTION_LIFECYCLE, ...(expectedHead === undefined ? {} : { expectedHead }) });
  for await (const e of pass1) {
    const p = e.payload as Payload;
    if (e.kind === 'setup') {
      if (canonicalJson(p.election) !== expectedSetup)
        throw at(e.line, `the board was set up for another election (fingerprint ${String(field(p, 'election', 'fingerprint'))}) than manifest.json and ceremony.json give (${election.fingerprintHex})`);
      if (p.ceremonySha256 !== canonicalSha256(rec.ceremonyJson)) throw at(e.line, 'ceremony.json is not the transcript the board was set up with');
    } else if (e.kind === 'credentials') {
      if (p.credentialsSha256 !== canonicalSha256(cred.json) || p.count !== credentials.size) throw at(e.line, 'credentials.json is not the credential list the board was set up with');
    } else if (e.kind === 'ballot') {
      ballots++;
      const credential = field(p, 'ballot', 'credential');
      if (typeof credential !== 'string') throw at(e.line, 'a ballot without a credential');
      lastBallot.set(credential, e.seq);
    } else if (e.kind === 'audit') {
      const h = field(p, 'opening', 'ballotHash');
      if (typeof h === 'string') audited.add(h);
    } else if (e.kind === 'seal') seal = p;
    else if (e.kind === 'tally') tallyEntry = { line: e.line, tally: p.tally };
  }
  const summary = pass1.summary!;
  if (!summary.seal || !seal) throw at(summary.entries, 'the board is not sealed: ballots may still be added, so there is no final tally yet');
  if (seal.ballots !== ballots || seal.counted !== lastBallot.size)
    throw at(summary.seal.seq + 1, `the seal says ${String(seal.ballots)} ballots and ${String(seal.counted)} counted, the board holds ${ballots} ballots and ${lastBallot.size} counted`);
  if (!tallyEntry) throw at(summary.entries, 'no tally was published on the board after the seal');
  if (canonicalJson(tallyEntry.tally) !== canonicalJson(rec.tallyJson)) throw at(tallyEntry.line, 'tally.json differs from the tally published on the board');
  if (rec.tally.ballots !== lastBallot.size) throw at(tallyEntry.line, `the tally says ${rec.tally.ballots} ballots, the sealed board has ${lastBallot.size} counted ballots`);

  // Pass 2: the counted ballots, checked in batches by the verifier's chunk checker, in worker
  // threads (public data only: the trustee's secret share is not involved).
  const counted = new Set(lastBallot.values());
  const ctx: BallotCheckContext<E> = { election, credentials: credentials as unknown as CredentialList<E>, batch: true, file: boardPath };
  const acc = new TallyAccumulator(group, election.candidateCount, election.gradeCount);
  const absorb = (part: BallotPartial<E>): void => {
    const bad = part.failures[0];
    if (bad !== undefined) throw at(bad.line ?? 0, `a counted ballot fails its checks (${bad.reason}${bad.path === undefined ? '' : ` at ${bad.path}`})`);
    for (const h of part.hashes.keys()) if (audited.has(h)) throw at(part.hashes.firstLine(h) ?? 0, 'a counted ballot was opened by a Benaloh audit');
    acc.merge(part.tally.result());
  };
  const workers = Math.max(1, Math.min(availableParallelism(), 8));
  const init = { electionJson: electionToJson(election), credentials: [...credentials.hex], groupId: group.id, batch: true, file: boardPath };
  const chunker = new BallotChunker(ctx, init, workers, DEFAULT_CHUNK_SIZE, absorb);
  try {
    const pass2 = readEntries(boardPath, { electionId, lifecycle: ELECTION_LIFECYCLE, end: summary.byteLength, expectedHead: summary.head });
    for await (const e of pass2) {
      if (e.kind !== 'ballot' || !counted.has(e.seq)) continue;
      await chunker.push({ line: e.line, offset: e.offset, length: e.byteLength, hash: e.hash, payload: e.payload, afterSeal: false });
    }
  } catch (e) {
    await chunker.stop();
    throw e;
  }
  await chunker.finish();
  if (!talliesEqual(group, acc.result(), rec.tally)) throw at(tallyEntry.line, 'tally.json is not the sum of the counted ballots on the sealed board');
  return { head: summary.head, counted: lastBallot.size, ballots };
}

/** The key's ceremony must be the record's: same election, joint key and verification keys. */
function assertSameCeremony<E>(key: TrusteeKey<E>, rec: RecordElection<E>, statePath: string): void {
  const g = rec.group;
  const mine = key.result;
  const theirs = rec.ceremony;
  const sameKeys =
    mine.verificationKeys.size === theirs.verificationKeys.size && [...mine.verificationKeys].every(([j, K]) => theirs.verificationKeys.has(j) && g.equals(K, theirs.verificationKeys.get(j)!));
  if (!g.equals(mine.jointPublicKey, theirs.jointPublicKey) || !sameKeys)
    throw new RefusedError(`${join(rec.dir, RECORD_FILES.ceremony)} is not the ceremony ${statePath}'s key comes from (the joint or verification keys differ)`);
}

export const decryptSub: TrusteeSub = {
  name: 'decrypt',
  summary: "produce this trustee's decryption share of the election's tally",
  usage: `Usage: mjvote trustee decrypt --state FILE --record DIR [--out decryption-share-i.json]
                              [--min-ballots N] [--board-head HASH] [--passphrase-file F]

Computes this trustee's share of the decryption of the election's tally, with a proof for
every ciphertext, after checking that the record DIR is the election this trustee's key is
for and that its tally.json is the tally of the sealed board:
  manifest.json and ceremony.json: the ceremony verifies and is the one of this key;
  board.jsonl: hash chain intact, set up for this election (fingerprint) and ceremony, with
    credentials.json, sealed; every counted ballot (the last per credential) passes every
    ballot check; their sum is tally.json, which the board publishes after the seal;
  the tally counts at least N ballots (default 2: a single ballot is never decrypted);
  with --board-head, the board ends at that head hash (one published independently, e.g.
  by the auditors who verified the board: it rules out a second, forked board).
Checking every counted ballot takes time on a large election (see docs/trustees.md).
Writes the share file (default decryption-share-i.json; - for standard output): publish it.
Passphrase: --passphrase-file FILE, else MJVOTE_PASSPHRASE, else a prompt on the terminal.
`,
  options: {
    state: { type: 'string' },
    'passphrase-file': { type: 'string' },
    record: { type: 'string' },
    out: { type: 'string' },
    'min-ballots': { type: 'string' },
    'board-head': { type: 'string' },
  },
  async run(v, io) {
    const { h } = await openState(v, 'key', 'decrypt', io);
    const dir = requiredString(v, 'record', 'decrypt');
    const out = optionalString(v, 'out') ?? `decryption-share-${h.trustee}.json`;
    const minBallots = integerOption(v, 'min-ballots', 0, Number.MAX_SAFE_INTEGER, DEFAULT_MIN_BALLOTS);
    const head = optionalString(v, 'board-head');
    if (head !== undefined && !/^[0-9a-f]{64}$/.test(head)) throw new UsageError('--board-head: expected 64 lowercase hex digits (a board head hash)');
    assertAbsent(out, 'output');
    const rec = await loadRecordElection(dir, io);
    if (h.election !== rec.params.ceremonyId || h.group.id !== rec.group.id || h.n !== rec.params.n || h.t !== rec.params.t)
      throw new RefusedError(`${h.path} holds a key of election '${h.election}' (group ${h.group.id}, n = ${h.n}, t = ${h.t}); ${dir} is election '${rec.params.ceremonyId}' (group ${rec.group.id}, n = ${rec.params.n}, t = ${rec.params.t})`);
    const board = await checkSealedBoard(rec, io, head);
    if (rec.tally.ballots < minBallots) throw new RefusedError(`the tally counts ${rec.tally.ballots} ballot(s), fewer than --min-ballots ${minBallots}`);
    const { state } = await unlockState(h, optionalString(v, 'passphrase-file'), io);
    const key = state as TrusteeKey<any>;
    assertSameCeremony(key, rec, h.path);
    if (!rec.ceremony.qualified.includes(key.trustee)) throw new RefusedError(`trustee ${key.trustee} is not a qualified trustee of the ceremony`);
    const message = decryptionShares(rec.group, key, flattenTally(rec.tally), tallyDecryptionContext(rec.election));
    const file: DecryptionShareFileJson = {
      format: DECRYPTION_SHARE_FILE_FORMAT,
      version: DECRYPTION_SHARE_FILE_VERSION,
      election: rec.params.ceremonyId,
      fingerprint: rec.election.fingerprintHex,
      tallySha256: canonicalSha256(rec.tallyJson),
      boardHead: board.head,
      message: decryptionShareMessageToJson(rec.params, message),
    };
    commitStep(io, [{ path: out, value: file }]);
    const say = reporter(io, out);
    say(`election '${rec.params.ceremonyId}', fingerprint ${rec.election.fingerprintHex}`);
    say(`manifest sha256: ${manifestSha256(rec.manifest)}`);
    say(`board: sealed, head ${board.head}; ${board.ballots} ballots cast, ${board.counted} counted, every counted ballot checked; tally.json is their sum`);
    say(`trustee ${key.trustee}: decryption shares of ${message.shares.length} ciphertexts ${out === '-' ? 'on standard output' : `in ${out}`} (publish it)`);
    return EXIT_OK;
  },
};

/** One share file that could not be used, and why. */
interface UnusableFile {
  readonly file: string;
  readonly reason: string;
}

/** Reads a share file: a decryption-share file, the record's decryption-shares.json, or a bare message. */
function sharesInFile<E>(rec: RecordElection<E>, json: unknown, tallySha256: string): DecryptionShareMessage<E>[] {
  const o = json as Record<string, unknown>;
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && o.format === DECRYPTION_SHARE_FILE_FORMAT) {
    const w = expectObject(json, 'file', ['format', 'version', 'election', 'fingerprint', 'tallySha256', 'boardHead', 'message']);
    if (w.version !== DECRYPTION_SHARE_FILE_VERSION) throw new FormatError('file.version', `expected ${DECRYPTION_SHARE_FILE_VERSION}`);
    if (w.election !== rec.params.ceremonyId || w.fingerprint !== rec.election.fingerprintHex) throw new FormatError('file.fingerprint', 'shares of another election');
    if (w.tallySha256 !== tallySha256) throw new FormatError('file.tallySha256', 'shares of another tally than tally.json');
    return [parseDecryptionShareMessage(rec.params, w.message, 'file.message')];
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'version' in o) {
    const r = expectObject(json, 'file', ['version', 'shares']);
    if (r.version !== 1) throw new FormatError('file.version', 'expected 1');
    if (!Array.isArray(r.shares)) throw new FormatError('file.shares', 'expected an array');
    return r.shares.map((m, k) => parseDecryptionShareMessage(rec.params, m, `file.shares[${k}]`));
  }
  return [parseDecryptionShareMessage(rec.params, json, 'file')];
}

export const combineSub: TrusteeSub = {
  name: 'combine',
  summary: 'combine t valid decryption shares into the result (anyone can)',
  usage: `Usage: mjvote trustee combine --record DIR [--shares FILE...] [--out result.json]

Public: needs no secret. Reads the record DIR (manifest.json, ceremony.json, tally.json),
checks every decryption share's proofs against its trustee's verification key, names and
excludes the invalid ones, and combines t valid shares into the merit profiles (the number
of each grade for each candidate) and the majority-judgment ranking. Writes result.json
(default; - for standard output) in the record's format, and prints the ranking.
Share files: the trustees' decryption-share files (default: DIR/decryption-shares.json).
Exit status 1 when fewer than t valid shares are given (the message names the missing and
invalid trustees).
`,
  options: { record: { type: 'string' }, shares: { type: 'string', multiple: true }, out: { type: 'string' } },
  async run(v, io) {
    const dir = requiredString(v, 'record', 'combine');
    const out = optionalString(v, 'out') ?? 'result.json';
    assertAbsent(out, 'output');
    const rec = await loadRecordElection(dir, io);
    const files = listOption(v, 'shares');
    if (files.length === 0) files.push(join(dir, RECORD_FILES.decryptionShares));
    const tallySha256 = canonicalSha256(rec.tallyJson);
    const messages: DecryptionShareMessage<any>[] = [];
    const unusable: UnusableFile[] = [];
    for (const file of files) {
      const text = await readTextInput(file, io);
      try {
        messages.push(...sharesInFile(rec, parseJsonInput(text, file), tallySha256));
      } catch (e) {
        if (e instanceof FormatError) unusable.push({ file, reason: e.message });
        else if (e instanceof UsageError) unusable.push({ file, reason: e.message });
        else throw e;
      }
    }
    const unusableText = unusable.map((u) => `${u.file} (${u.reason})`).join('; ');
    const ciphertexts = flattenTally(rec.tally);
    let combined;
    try {
      combined = combineDecryptionShares(rec.ceremony, ciphertexts, messages, tallyDecryptionContext(rec.election), rec.tally.ballots);
    } catch (e) {
      if (e instanceof InsufficientSharesError && unusable.length > 0) throw new ProtocolError(`${e.message}; unusable files: ${unusableText}`, e.code);
      throw e;
    }
    const K = rec.election.gradeCount;
    const profiles = rec.manifest.candidates.map((_, j) => combined.plaintexts.slice(j * K, (j + 1) * K));
    profiles.forEach((row, j) => {
      const sum = row.reduce((a, b) => a + b, 0n);
      if (sum !== BigInt(rec.tally.ballots))
        throw new ProtocolError(`candidate ${rec.manifest.candidates[j]!.id}: the decrypted counts sum to ${sum}, not to the ${rec.tally.ballots} ballots of the tally`, 'inconsistent-counts');
    });
    const { result, json: resultJson } = electionResult(rec.manifest, profiles, rec.tally.ballots);
    commitStep(io, [{ path: out, value: resultJson }]);
    const say = reporter(io, out);
    say(formatRankTable(result, `${rec.manifest.title}: ${rec.tally.ballots} ballots`).trimEnd());
    say('');
    say(`decrypted with the shares of trustees ${combined.used.join(', ')} (valid: ${combined.valid.join(', ')})`);
    for (const x of combined.invalid) say(`excluded: trustee ${x.trustee}: ${x.code} (${x.reason})`);
    for (const u of unusable) say(`unusable: ${u.file}: ${u.reason}`);
    say(`result: ${out === '-' ? 'standard output' : out}`);
    return EXIT_OK;
  },
};
