/**
 * The election authority's steps over an **election directory**: the directory that becomes the
 * published record (docs/record.md), and the only state the organiser keeps. Every step reads
 * the directory, checks what it needs, and appends to the board through the ballot box (whose
 * single-writer lock makes concurrent steps fail fast instead of interleaving).
 *
 * ```
 * openElection     manifest + ceremony transcript + credential list → private/box-key.json (SECRET), manifest.json,
 *                  ceremony.json, credentials.json, board.jsonl (setup, credentials), board.checkpoint
 * readBoxKey       private/box-key.json → the ballot box's receipt-signing key (for the server)
 * castBallots      ballots → one answer each (receipt or typed refusal)        board: ballot*
 * publishAudits    Benaloh openings → published audits                          board: audit*
 * closeElection    seal                                                          board: seal
 * tallyElection    the encrypted tally → tally.json                              board: tally
 * publishElection  ≥ t decryption-share files → decryption-shares.json, result.json, record.json
 *                                                                                board: decryption-share*, result
 * electionStatus   phase, counts and head, from the board alone
 * ```
 * **Checkpoint.** After each step the directory's `board.checkpoint` holds the number of entries
 * and the head the board reached; the next step reopens the board with it as `expected`, so a
 * board cut back or rewritten (a restored backup, an edited file) is refused instead of accepting
 * again a ballot it had acknowledged. Keep a copy of the checkpoint (or of the heads the steps
 * print) outside the directory too: a copy of the whole directory, checkpoint included, cannot
 * be told from the original by the directory alone.
 *
 * Node-only (files).
 * @module
 */
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { FormatError, MjvoteError, ProtocolError } from '../errors.js';
import { readRegularFileSync } from '../files.js';
import { bytesEqual, fromHex, toHex } from '../bytes.js';
import { trackingCode } from '../ballot/hash.js';
import type { Group } from '../group/group.js';
import { groupById } from '../group/index.js';
import { parseJson } from '../json/parse.js';
import { canonicalSha256, type JsonObject } from '../json/canonical.js';
import { expectObject } from '../json/guards.js';
import { manifestBytes, parseManifest, type Manifest } from '../election/manifest.js';
import { createElection, type Election } from '../election/election.js';
import { credentialListToJson, parseCredentialList, type CredentialList } from '../election/credential.js';
import { ceremonyParamsForManifest, sameCeremony } from '../ceremony/params.js';
import {
  electionKeysFromTranscript,
  parseCeremonyTranscript,
  verifyCeremonyTranscript,
  type CeremonyTranscript,
} from '../ceremony/transcript.js';
import { combineDecryptionShares, type CombinedDecryption } from '../decrypt/combine.js';
import { decryptionShareMessageToJson, parseDecryptionShareMessage } from '../decrypt/wire.js';
import { parseDecryptionShareFile } from '../decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../decrypt/tally.js';
import { encryptedTallyToJson, parseEncryptedTally, type EncryptedTally } from '../tally/aggregate.js';
import { electionResult } from '../record/result.js';
import { RECORD_FILES, RECORD_FORMAT, writeJsonFile, type RecordIndexJson } from '../record/files.js';
import type { MjResult } from '../mj/rank.js';
import { BallotBox, type BoardCheckpoint, type CastResult } from '../board/ballot-box.js';
import type { EntryReceipt } from '../board/chain.js';
import type { Recovery } from '../board/log.js';
import { readEntries } from '../board/reader.js';
import { ELECTION_LIFECYCLE } from '../board/ballot-box.js';
import type { DecryptionShareMessage } from '../decrypt/shares.js';
import { BOX_KEY_FILE, ballotBoxKeyFileToJson, generateBallotBoxKey, parseBallotBoxKeyFile, type BallotBoxKey } from '../board/box-key.js';

/** The checkpoint file inside an election directory. */
export const CHECKPOINT_FILE = 'board.checkpoint';

/** Options of the steps that accept test-only groups. */
export interface ElectionDirectoryOptions {
  /** Accept the insecure test group (tests of protocol code only). */
  allowInsecureTestGroup?: boolean;
  /** Accept a version-1 manifest (no trustee identities: trustees unauthenticated). Default false. */
  allowUnauthenticatedTrustees?: boolean;
  /**
   * The group object to run on, when not the registry's (a backend of the manifest's group, e.g.
   * `ristretto255With('noble')`); its id must be the manifest's. Default: `groupById(manifest.group)`.
   */
  group?: Group<any>;
}

/** An election directory's fixed parts, read and checked. */
export interface ElectionDirectory<E> {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly group: Group<E>;
  readonly transcript: CeremonyTranscript<E>;
  readonly election: Election<E>;
  readonly credentials: CredentialList<E>;
  /** canonicalSha256 of ceremony.json (what the setup entry binds). */
  readonly ceremonySha256: string;
}

/** A step refused: the directory or its inputs do not fit (names the file or field). */
export class ElectionDirectoryError extends MjvoteError {
  constructor(message: string) {
    super('election-directory', message);
  }
}

function readJson(path: string, what: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(path);
  } catch (e) {
    throw new ElectionDirectoryError(`${what}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FormatError(what, 'not valid UTF-8');
  }
  return parseJson(text, what);
}

/**
 * Checks that a manifest, a ceremony transcript and a credential list belong together and build
 * the election: the manifest parses (version 2 unless `allowUnauthenticatedTrustees`), the
 * transcript is this manifest's ceremony (same parameters, manifest hash and identities) and
 * verifies, the credential list is for this election and group and not empty.
 * @throws FormatError naming the field; ElectionDirectoryError when the three do not fit.
 */
export function checkElectionInputs<E = any>(
  manifestInput: unknown,
  transcriptJson: unknown,
  credentialsJson: unknown,
  opts: ElectionDirectoryOptions = {},
): { manifest: Manifest; group: Group<E>; transcript: CeremonyTranscript<E>; election: Election<E>; credentials: CredentialList<E> } {
  const manifest = parseManifest(manifestInput, opts);
  if (manifest.version === 1 && !opts.allowUnauthenticatedTrustees)
    throw new ElectionDirectoryError(
      'the manifest is version 1: it names no trustee identity, so nothing stops whoever relays the ceremony from standing in for the trustees; write a version-2 manifest (mjvote election new)',
    );
  const group = (opts.group ?? groupById(manifest.group, 'manifest.group')) as Group<E>;
  const params = ceremonyParamsForManifest(group, manifest, opts);
  const transcript = parseCeremonyTranscript(transcriptJson, group, opts);
  if (!sameCeremony(transcript.params, params)) {
    const tp = transcript.params;
    // The ceremony context binds the manifest's hash, not the identity keys the transcript lists
    // (signatures are checked against those): sameCeremony compares them one by one, and the
    // message names the first trustee someone else played.
    const other = (params.identities ?? []).findIndex((k, i) => tp.identities?.[i] === undefined || !bytesEqual(tp.identities[i], k));
    const what =
      tp.ceremonyId !== params.ceremonyId || tp.n !== params.n || tp.t !== params.t || tp.version !== params.version
        ? `election '${tp.ceremonyId}', n = ${tp.n}, t = ${tp.t}, version ${tp.version}; the manifest's: '${params.ceremonyId}', n = ${params.n}, t = ${params.t}, version ${params.version}`
        : tp.manifestSha256 && params.manifestSha256 && !bytesEqual(tp.manifestSha256, params.manifestSha256)
          ? `it is the ceremony of the manifest with sha256 ${toHex(tp.manifestSha256)}, not of this one (${toHex(params.manifestSha256)})`
          : `the transcript's identity key of trustee ${other + 1} is not the one the manifest lists: someone else acted as trustee ${other + 1}`;
    throw new ElectionDirectoryError(`the ceremony transcript is not this manifest's ceremony: ${what}`);
  }
  const v = verifyCeremonyTranscript(transcript);
  if (!v.ok)
    throw new ElectionDirectoryError(
      `the ceremony transcript does not verify: ${v.failures.map((f) => `${f.check}: ${f.reason}`).join('; ')}`,
    );
  const election = createElection(manifest, electionKeysFromTranscript(transcript), {
    group,
    allowInsecureTestGroup: opts.allowInsecureTestGroup,
  });
  const credentials = parseCredentialList(credentialsJson, group, { electionId: manifest.electionId }, 'credentials');
  if (credentials.size === 0) throw new FormatError('credentials.credentials', 'no registered voter');
  return { manifest, group, transcript, election, credentials };
}

function writeCheckpoint(dir: string, c: BoardCheckpoint): void {
  const path = join(dir, CHECKPOINT_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ entries: c.entries, head: c.head }) + '\n');
  renameSync(tmp, path);
}

function readCheckpoint(dir: string): BoardCheckpoint | undefined {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) return undefined;
  const o = expectObject(readJson(path, CHECKPOINT_FILE), CHECKPOINT_FILE, ['entries', 'head']);
  if (!Number.isSafeInteger(o.entries) || (o.entries as number) < 0)
    throw new FormatError(`${CHECKPOINT_FILE}.entries`, 'expected a count');
  if (typeof o.head !== 'string' || !/^[0-9a-f]{64}$/.test(o.head))
    throw new FormatError(`${CHECKPOINT_FILE}.head`, 'expected 64 hex digits');
  return { entries: o.entries as number, head: o.head };
}

/**
 * Creates the election directory `dir` (absent or empty) from the three inputs (checked with
 * {@link checkElectionInputs}): makes the ballot box's receipt-signing key (platform CSPRNG) and
 * writes it to `private/box-key.json` (SECRET, mode 600, in a folder of mode 700, never replaced, never part of the published
 * record), writes the manifest's canonical bytes, the transcript and the credential list,
 * creates the board with its `setup` entry (which publishes the box's public key as
 * `receiptKey`) and `credentials` entry, and the checkpoint. Returns the public `receiptKey`.
 */
export function openElection<E = any>(
  dir: string,
  inputs: { manifest: unknown; ceremony: unknown; credentials: unknown },
  opts: ElectionDirectoryOptions = {},
): ElectionDirectory<E> & { checkpoint: BoardCheckpoint; receiptKey: string } {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new ElectionDirectoryError(`${dir} is not empty: an election directory is made once`);
  const c = checkElectionInputs<E>(inputs.manifest, inputs.ceremony, inputs.credentials, opts);
  mkdirSync(dir, { recursive: true });
  // The key first: the setup entry publishes it, so it must exist before the board does.
  const boxKey = generateBallotBoxKey();
  writeSecretFile(join(dir, BOX_KEY_FILE), JSON.stringify(ballotBoxKeyFileToJson(boxKey, c.manifest.electionId), null, 1) + '\n');
  writeFileSync(join(dir, RECORD_FILES.manifest), manifestBytes(c.manifest));
  const ceremonyJson = c.transcript.toJson();
  writeJsonFile(dir, RECORD_FILES.ceremony, ceremonyJson);
  writeJsonFile(dir, RECORD_FILES.credentials, credentialListToJson(c.credentials));
  const ceremonySha256 = canonicalSha256(ceremonyJson);
  const box = BallotBox.create(join(dir, RECORD_FILES.board), c.election, c.credentials, ceremonySha256, {
    receiptKey: boxKey.publicKeyHex,
  });
  const checkpoint = box.checkpoint();
  box.close();
  writeCheckpoint(dir, checkpoint);
  return { dir, ...c, ceremonySha256, checkpoint, receiptKey: boxKey.publicKeyHex };
}

/**
 * Writes a new secret file: created exclusively (an existing file is never replaced) with mode
 * 600 from the start (never readable by others, not even for a moment), written and fsync'ed.
 */
/**
 * The folder of an election directory that holds what must never be published (the box key;
 * the running server's admin token), mode 700: copy the record's files, never this folder.
 */
export const PRIVATE_DIR = 'private';

function writeSecretFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The ballot box's receipt-signing key, from the election directory's `private/box-key.json`, for the
 * process that runs the box (`mjvote serve`): the file must be this election's, its secret key
 * must give its public key, that key must be the one the board's setup entry publishes (a box
 * signing with any other key would give receipts nobody can hold it to), and, on POSIX systems,
 * the file must not be readable by other users (mode 600).
 * @throws ElectionDirectoryError naming the file and what is wrong; FormatError naming a field.
 */
export async function readBoxKey<E>(d: ElectionDirectory<E>): Promise<BallotBoxKey> {
  const path = join(d.dir, BOX_KEY_FILE);
  if (process.platform !== 'win32' && existsSync(path) && (statSync(path).mode & 0o077) !== 0)
    throw new ElectionDirectoryError(`${path} can be read by other users of this machine: it is a secret key (chmod 600 ${path})`);
  const { electionId, key } = parseBallotBoxKeyFile(readJson(path, BOX_KEY_FILE), BOX_KEY_FILE);
  if (electionId !== d.manifest.electionId)
    throw new ElectionDirectoryError(`${path} is the box key of election '${electionId}', not of '${d.manifest.electionId}'`);
  let published: unknown = undefined;
  for await (const e of readEntries(join(d.dir, RECORD_FILES.board), {
    electionId: d.manifest.electionId,
    lifecycle: ELECTION_LIFECYCLE,
    allowTornTail: true,
  })) {
    published = (e.payload as Record<string, unknown>).receiptKey;
    break; // the setup entry is the first
  }
  if (published === undefined)
    throw new ElectionDirectoryError(`the board's setup entry publishes no receipt key: this election's ballot box signs no receipts`);
  if (published !== key.publicKeyHex)
    throw new ElectionDirectoryError(
      `${path} holds the key ${key.publicKeyHex}, not the receipt key the board's setup entry publishes (${JSON.stringify(published)})`,
    );
  return key;
}

/** Reads and checks an election directory's fixed parts (manifest, ceremony, credentials). */
export function readElectionDirectory<E = any>(dir: string, opts: ElectionDirectoryOptions = {}): ElectionDirectory<E> {
  // As a record reader does (docs/record.md §1.1): the manifest file is a JSON value, whatever its spelling.
  const manifestJson = readJson(join(dir, RECORD_FILES.manifest), 'manifest.json');
  const ceremonyJson = readJson(join(dir, RECORD_FILES.ceremony), 'ceremony.json');
  const credentialsJson = readJson(join(dir, RECORD_FILES.credentials), 'credentials.json');
  const c = checkElectionInputs<E>(manifestJson, ceremonyJson, credentialsJson, opts);
  return { dir, ...c, ceremonySha256: canonicalSha256(ceremonyJson) };
}

/**
 * Where a step runs: by default it opens the directory's board itself; a process that holds
 * the board open already (the ballot-box server, `mjvote serve`) passes its box, so that the
 * organiser's steps go through the one writer instead of being refused by its lock.
 */
export interface StepOptions<E> {
  /** The directory's ballot box, open in this process. */
  readonly box?: BallotBox<E>;
}

/**
 * Opens the directory's ballot box for a long-running writer (the server), against the
 * checkpoint as every step does. Record where it stands with {@link saveCheckpoint}, and close it.
 */
export function openBallotBox<E>(d: ElectionDirectory<E>): { box: BallotBox<E>; recovered: Recovery | null } {
  const expected = readCheckpoint(d.dir);
  return BallotBox.open(join(d.dir, RECORD_FILES.board), d.election, d.credentials, expected ? { expected } : {});
}

/** Records where the box stands in the directory's checkpoint (see the module notes). */
export function saveCheckpoint<E>(d: ElectionDirectory<E>, box: BallotBox<E>): void {
  writeCheckpoint(d.dir, box.checkpoint());
}

/**
 * Runs `step` with the directory's ballot box open (reopened against the checkpoint), then
 * records the new checkpoint and closes the box, whatever happens. With `open` (the box a
 * server holds), runs `step` on it, records the checkpoint and leaves it open.
 */
export async function withBallotBox<E, T>(
  d: ElectionDirectory<E>,
  step: (box: BallotBox<E>) => T | Promise<T>,
  open?: BallotBox<E>,
): Promise<T> {
  if (open !== undefined) {
    try {
      return await step(open);
    } finally {
      writeCheckpoint(d.dir, open.checkpoint());
    }
  }
  const expected = readCheckpoint(d.dir);
  const { box } = BallotBox.open(join(d.dir, RECORD_FILES.board), d.election, d.credentials, expected ? { expected } : {});
  try {
    return await step(box);
  } finally {
    writeCheckpoint(d.dir, box.checkpoint());
    box.close();
  }
}

/** One answer of {@link castBallots}, in input order. */
export type CastAnswer = CastResult | MalformedLine | AuditAnswer;

/** A line that is not JSON within the bounds. */
export interface MalformedLine {
  readonly accepted: false;
  readonly code: 'malformed';
  readonly reason: string;
  readonly path: string;
}

/** The answer to an audit line: published, or refused with the error's code. */
export type AuditAnswer =
  | {
      readonly audit: true;
      readonly accepted: true;
      readonly trackingCode: string;
      readonly ballotHash: string;
      readonly receipt: EntryReceipt;
    }
  | { readonly audit: true; readonly accepted: false; readonly code: string; readonly reason: string; readonly path: string };

/**
 * Casts ballots (JSON text, one per item: a JSON line of a batch file) with the ballot box's
 * full checks; one answer per ballot: its receipt, or a typed refusal naming the field. A line
 * `{"ballot": …, "opening": …}` is a Benaloh audit to publish (what `mjvote vote --audit`
 * writes): the opening is checked against the ballot, the ballot as a cast one would be, and
 * it is never castable afterwards. A line that is not JSON within the bounds is refused as
 * `malformed`; nothing stops the batch. `onAnswer` hears each answer as soon as it is final (an
 * accepted ballot is on disk by then), so a caller can acknowledge as it goes.
 */
export async function castBallots<E>(
  d: ElectionDirectory<E>,
  lines: Iterable<string> | AsyncIterable<string>,
  onAnswer: (answer: CastAnswer, index: number) => void = () => {},
): Promise<CastAnswer[]> {
  return withBallotBox(d, async (box) => {
    const out: CastAnswer[] = [];
    const answer = (a: CastAnswer): void => {
      out.push(a);
      onAnswer(a, out.length - 1);
    };
    let k = 0;
    for await (const line of lines) {
      const path = `ballot ${++k}`;
      let json: unknown;
      try {
        json = parseJson(line, path);
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        const m: MalformedLine = { accepted: false, code: 'malformed', reason: e.reason, path: e.path };
        answer(m);
        continue;
      }
      if (isAuditLine(json)) {
        try {
          const receipt = box.publishAudit(json.ballot, json.opening);
          const hash = String((json.opening as { ballotHash?: unknown }).ballotHash);
          const a: AuditAnswer = {
            audit: true,
            accepted: true,
            trackingCode: trackingCode(fromHex(hash, 'opening.ballotHash')),
            ballotHash: hash,
            receipt,
          };
          answer(a);
        } catch (e) {
          if (!(e instanceof MjvoteError)) throw e;
          const a: AuditAnswer = {
            audit: true,
            accepted: false,
            code: e.code,
            reason: e.message,
            path: e instanceof FormatError ? e.path : 'audit',
          };
          answer(a);
        }
        continue;
      }
      answer(box.cast(json));
    }
    return out;
  });
}

function isAuditLine(v: unknown): v is { ballot: unknown; opening: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && keys.includes('ballot') && keys.includes('opening');
}

/** The entries after the last ballot that later steps depend on, read from the board. */
interface BoardTail {
  readonly status: ElectionStatus;
  readonly seal?: { readonly entries: number; readonly head: string };
  readonly tally?: { readonly json: unknown; readonly head: string };
  /** decryption-share payloads by trustee, in board order. */
  readonly shares: Map<number, unknown>;
  readonly result?: { readonly json: unknown; readonly head: string };
}

async function boardTail<E>(d: ElectionDirectory<E>): Promise<BoardTail> {
  return readBoard(join(d.dir, RECORD_FILES.board), d.manifest.electionId);
}

/** One pass over the board: where the election stands, and the entries after the ballots. */
async function readBoard(boardPath: string, electionId: string): Promise<BoardTail> {
  let entries = 0;
  let head = '';
  let registered = 0;
  let ballots = 0;
  let audits = 0;
  let shareEntries = 0;
  const voters = new Set<string>();
  let phase: ElectionStatus['phase'] = 'open';
  const shares = new Map<number, unknown>();
  let seal: BoardTail['seal'];
  let tally: BoardTail['tally'];
  let result: BoardTail['result'];
  for await (const e of readEntries(boardPath, { electionId, lifecycle: ELECTION_LIFECYCLE, allowTornTail: true })) {
    entries++;
    head = e.hash;
    const p = e.payload as Record<string, unknown>;
    if (e.kind === 'credentials') registered = p.count as number;
    else if (e.kind === 'ballot') {
      ballots++;
      voters.add(String((p.ballot as { credential?: unknown }).credential));
    } else if (e.kind === 'audit') audits++;
    else if (e.kind === 'seal') {
      phase = 'sealed';
      seal = { entries: e.seq + 1, head: e.hash };
    } else if (e.kind === 'tally') {
      phase = 'tallied';
      tally = { json: p.tally, head: e.hash };
    } else if (e.kind === 'decryption-share') {
      phase = 'decrypting';
      shareEntries++;
      shares.set((p.shares as { trustee: number }).trustee, p.shares);
    } else if (e.kind === 'result') {
      phase = 'published';
      result = { json: p.result, head: e.hash };
    }
  }
  if (entries === 0) throw new ProtocolError(`${boardPath}: an empty board`, 'inconsistent-board');
  const status: ElectionStatus = {
    electionId,
    phase,
    entries,
    head,
    registered,
    ballots,
    voters: voters.size,
    audits,
    decryptionShares: shareEntries,
  };
  return { status, seal, tally, shares, result };
}

function outOfOrder(step: string, phase: ElectionStatus['phase'], needs: string): ElectionDirectoryError {
  return new ElectionDirectoryError(`${step}: the election is ${phase === 'open' ? 'open' : phase}; ${needs}`);
}

/**
 * Seals the box: nothing more is accepted. Returns the number of entries and the head after the
 * seal. A box sealed already (a rerun) is left as it is; a tallied one is refused (out of order).
 */
export async function closeElection<E>(
  d: ElectionDirectory<E>,
  opts: StepOptions<E> = {},
): Promise<{ entries: number; head: string; already: boolean }> {
  // A box held open (the server's) knows its phase: the board is not read again.
  if (opts.box !== undefined && opts.box.phase === 'open') return withBallotBox(d, sealNow, opts.box);
  const tail = await boardTail(d);
  if (tail.status.phase === 'sealed') return { ...tail.seal!, already: true };
  if (tail.status.phase !== 'open') throw outOfOrder('close', tail.status.phase, 'it was closed and tallied already');
  return withBallotBox(d, sealNow, opts.box);
}

function sealNow<E>(box: BallotBox<E>): { entries: number; head: string; already: boolean } {
  const r = box.seal();
  return { entries: r.seq + 1, head: r.hash, already: false };
}

/**
 * Computes the encrypted tally of the sealed box, appends it to the board and writes tally.json.
 * When the board holds its tally already (a rerun after a crash), tally.json is written from it.
 */
export async function tallyElection<E>(
  d: ElectionDirectory<E>,
  onProgress: (done: number, total: number) => void = () => {},
  opts: StepOptions<E> = {},
): Promise<{ tally: EncryptedTally<E>; head: string; tallySha256: string; already: boolean }> {
  // A box held open and sealed, not tallied yet (the server's): the board is read once, by the tally.
  const tail = opts.box !== undefined && opts.box.phase === 'sealed' ? null : await boardTail(d);
  if (tail !== null) {
    if (tail.status.phase === 'open') throw outOfOrder('tally', 'open', 'close it first (mjvote election close)');
    if (tail.status.phase === 'decrypting' || tail.status.phase === 'published')
      throw outOfOrder('tally', tail.status.phase, 'its tally was decrypted already (tally.json is written from the board by publish)');
    if (tail.tally) {
      const tally = parseEncryptedTally(d.group, tail.tally.json, d.election.candidateCount, d.election.gradeCount, 'board tally');
      writeJsonFile(d.dir, RECORD_FILES.tally, tail.tally.json);
      return { tally, head: tail.tally.head, tallySha256: canonicalSha256(tail.tally.json), already: true };
    }
  }
  return withBallotBox(
    d,
    async (box) => {
      const { tally, receipt } = await box.tally(onProgress);
      const json = encryptedTallyToJson(d.group, tally);
      writeJsonFile(d.dir, RECORD_FILES.tally, json);
      return { tally, head: receipt.hash, tallySha256: canonicalSha256(json), already: false };
    },
    opts.box,
  );
}

/** What {@link publishElection} did. */
export interface Publication<E> {
  readonly result: MjResult;
  readonly combined: CombinedDecryption<E>;
  /** The board's final head (in record.json). */
  readonly head: string;
}

/**
 * Publishes the result: parses each decryption-share file (docs/trustees.md; it must be about
 * this election and its tally), checks and combines at least t valid ones, appends the valid
 * shares and the result to the board, and writes decryption-shares.json, result.json and, last,
 * record.json. Invalid shares are named and left out (never silently used). After a crash, a
 * rerun with the same files finishes the job: shares already on the board are not appended
 * again (the board's copy is kept), nor is the result.
 * @throws ElectionDirectoryError before the tally (out of order); InsufficientSharesError naming
 *   the missing and invalid trustees; FormatError naming a share file's field.
 */
export async function publishElection<E>(
  d: ElectionDirectory<E>,
  shareFiles: readonly { name: string; json: unknown }[],
  opts: StepOptions<E> = {},
): Promise<Publication<E>> {
  const tail = await boardTail(d);
  if (!tail.tally) throw outOfOrder('publish', tail.status.phase, 'close and tally it first, then have t trustees decrypt');
  const tallyJson = tail.tally.json;
  const tally = parseEncryptedTally(d.group, tallyJson, d.election.candidateCount, d.election.gradeCount, 'board tally');
  const expected = {
    electionId: d.manifest.electionId,
    fingerprintHex: d.election.fingerprintHex,
    tallySha256: canonicalSha256(tallyJson),
  };
  const params = d.transcript.params;
  // One message per trustee: the board's copy first, then the files (copies of one file count
  // once; two different files of one trustee are refused).
  const byTrustee = new Map<number, { name: string; message: DecryptionShareMessage<E>; text: string; onBoard: boolean }>();
  for (const [j, json] of tail.shares)
    byTrustee.set(j, {
      name: 'the board',
      message: parseDecryptionShareMessage(params, json, `board decryption share of trustee ${j}`),
      text: '',
      onBoard: true,
    });
  for (const f of shareFiles) {
    const message = parseDecryptionShareFile(params, f.json, expected, f.name);
    const text = canonicalSha256(f.json);
    const before = byTrustee.get(message.trustee);
    if (before?.onBoard) continue;
    if (before && before.text !== text)
      throw new ElectionDirectoryError(
        `two different decryption-share files from trustee ${message.trustee}: ${before.name} and ${f.name} (keep the one the trustee sent)`,
      );
    byTrustee.set(message.trustee, { name: f.name, message, text, onBoard: false });
  }
  const messages = [...byTrustee.values()].map((x) => x.message).sort((a, b) => a.trustee - b.trustee);
  const ciphertexts = flattenTally(tally);
  const ctx = tallyDecryptionContext(d.election);
  const combined = combineDecryptionShares(d.transcript.result, ciphertexts, messages, ctx, tally.ballots);
  const K = d.manifest.grades.length;
  const profiles = d.manifest.candidates.map((_, j) => combined.plaintexts.slice(j * K, (j + 1) * K));
  const { result, json: resultJson } = electionResult(d.manifest, profiles, tally.ballots);
  if (tail.result && canonicalSha256(tail.result.json) !== canonicalSha256(resultJson))
    throw new ElectionDirectoryError('the board holds another result than these shares give: the board was published from other shares');
  // Every valid message goes on the board (the verifier checks each); invalid ones were named and left out.
  const valid = combined.valid.map((j) => byTrustee.get(j)!);
  const head =
    tail.result?.head ??
    (await withBallotBox(
      d,
      (box) => {
        for (const x of valid)
          if (!x.onBoard) box.appendDecryptionShare(decryptionShareMessageToJson(params, x.message) as unknown as JsonObject);
        return box.appendResult(resultJson as unknown as JsonObject).hash;
      },
      opts.box,
    ));
  const onBoardAfter = [...tail.shares.keys(), ...valid.filter((x) => !x.onBoard).map((x) => x.message.trustee)];
  const sharesJson = onBoardAfter.map((j) => decryptionShareMessageToJson(params, byTrustee.get(j)!.message));
  writeJsonFile(d.dir, RECORD_FILES.tally, tallyJson);
  writeJsonFile(d.dir, RECORD_FILES.decryptionShares, { version: 1, shares: sharesJson });
  writeJsonFile(d.dir, RECORD_FILES.result, resultJson);
  const index: RecordIndexJson = {
    format: RECORD_FORMAT,
    version: d.manifest.version,
    electionId: d.manifest.electionId,
    group: d.group.id,
    boardHead: head,
    files: RECORD_FILES,
  };
  writeJsonFile(d.dir, RECORD_FILES.index, index);
  return { result, combined, head };
}

/** Where an election stands, from its board alone. */
export interface ElectionStatus {
  readonly electionId: string;
  /** `open` (accepting ballots), `sealed`, `tallied`, `decrypting` (some shares appended), `published`. */
  readonly phase: 'open' | 'sealed' | 'tallied' | 'decrypting' | 'published';
  readonly entries: number;
  readonly head: string;
  /** Registered voters (the credentials entry). */
  readonly registered: number;
  /** Ballot entries (every cast, revotes included). */
  readonly ballots: number;
  /** Credentials with at least one ballot (the ballots that will be counted). */
  readonly voters: number;
  readonly audits: number;
  readonly decryptionShares: number;
}

/**
 * Reads the board (streaming, chain checked; a torn last line is left out) and says where the
 * election stands. Needs no lock: it reads while the box may be writing.
 */
export async function electionStatus(boardPath: string, electionId: string): Promise<ElectionStatus> {
  return (await readBoard(boardPath, electionId)).status;
}
