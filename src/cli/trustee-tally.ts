/**
 * `mjvote trustee decrypt` and `mjvote trustee combine`: a trustee's decryption share of an
 * election's tally, and the public combination of t valid shares into the result.
 *
 * A trustee decrypts nothing but the tally of the election its key is for, and only when that
 * tally is the homomorphic sum of the counted ballots of the sealed board: before decrypting,
 * `decrypt` runs the record verifier up to the tally (`verifyRecord` with `upTo: 'tally'`,
 * checks 1–6 and 9 of docs/verification.md: the ceremony verifies, the board is set up for this
 * election and sealed, every ballot passes every check, the tally is the sum of the counted
 * ones, no counted ballot was audited), then checks that the record's ceremony is the one its key
 * comes from and that the tally counts at least `--min-ballots` ballots. The key is bound to
 * its manifest (version 2: the ceremony's context holds the manifest's hash), so a record with
 * another manifest under the same election id is refused before the verifier runs. A key
 * decrypts one tally per election: the state file remembers the board head and tally hash of
 * the one it decrypted, and is rewritten to say so BEFORE the share file is written.
 * `combine` excludes a share not signed by its trustee's identity key (`unsigned`).
 *
 * Records are read through the record reader (`record/reader.ts`), which follows `record.json`
 * where there is one. The share file's format is `decrypt/share-file.ts`. Node-only.
 * @module
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { FormatError, ProtocolError } from '../errors.js';
import type { Group } from '../group/group.js';
import { createElection, type Election } from '../election/election.js';
import type { Manifest } from '../election/manifest.js';
import { parseCeremonyTranscript, verifyCeremonyTranscript } from '../ceremony/transcript.js';
import type { CeremonyResult } from '../ceremony/outcome.js';
import { sameCeremony, type CeremonyParams } from '../ceremony/params.js';
import type { DecryptedTally, TrusteeKey } from '../ceremony/trustee-key.js';
import { combineDecryptionShares, InsufficientSharesError } from '../decrypt/combine.js';
import { parseDecryptionShareMessage } from '../decrypt/wire.js';
import { decryptionShares, type DecryptionShareMessage } from '../decrypt/shares.js';
import { flattenTally, tallyDecryptionContext } from '../decrypt/tally.js';
import { decryptionShareFileToJson, isDecryptionShareFile, parseDecryptionShareFile } from '../decrypt/share-file.js';
import { parseEncryptedTally, type EncryptedTally } from '../tally/aggregate.js';
import { electionResult } from '../record/result.js';
import { openRecord, RecordUnreadableError, type RecordRole, type RecordSource } from '../record/reader.js';
import { canonicalSha256 } from '../json/canonical.js';
import { expectObject } from '../json/guards.js';
import { verifyRecordState } from '../verify/verify-record.js';
import { RECEIPTS_CHECK } from '../verify/report.js';
import { EXIT_OK, readTextInput, parseJsonInput, UsageError } from './command.js';
import { formatRankTable } from './rank.js';
import { assertAbsent, commitStep } from './trustee-files.js';
import {
  ceremonyDifference,
  integerOption,
  listOption,
  manifestCeremonyParams,
  manifestSha256,
  openState,
  optionalString,
  reporter,
  requiredString,
  type TrusteeSub,
} from './trustee-options.js';
import { sealState, unlockState, type StateHeader } from './trustee-state.js';

/** Default of `--min-ballots`: never decrypt a tally of a single ballot. */
export const DEFAULT_MIN_BALLOTS = 2;

/** The pieces of a record every tally step needs, read and checked. */
interface RecordElection<E> {
  readonly record: RecordSource;
  readonly manifest: Manifest;
  readonly params: CeremonyParams<E>;
  readonly group: Group<E>;
  /** The ceremony outcome recomputed from the transcript's messages. */
  readonly ceremony: CeremonyResult<E>;
  readonly election: Election<E>;
  readonly tallyJson: unknown;
  readonly tally: EncryptedTally<E>;
}

/** Opens a record (record.json optional: a record in the making has none yet); unreadable is a usage error. */
async function openTallyRecord(dir: string): Promise<RecordSource> {
  try {
    return await openRecord(dir, { indexRequired: false });
  } catch (e) {
    if (e instanceof RecordUnreadableError) throw new UsageError(`${join(dir, e.path)}: ${e.reason}`);
    throw e;
  }
}

/** Reads a role's JSON file of the record; a problem is a usage error naming the file. */
async function readRole(rec: RecordSource, role: RecordRole): Promise<unknown> {
  const r = await rec.readJson(role);
  if (!r.ok) throw new UsageError(`${rec.path(role)}: ${r.reason}`);
  return r.value;
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
 * Reads the manifest, the ceremony (which must verify and be the manifest's ceremony) and the
 * tally of the record in `dir`, and rebuilds the election (its fingerprint) from them. Checks
 * nothing on the board: `combine` is public arithmetic on published values.
 * @throws UsageError for a missing or malformed file; ProtocolError when they do not fit together.
 */
async function loadRecordElection(dir: string): Promise<RecordElection<any>> {
  const record = await openTallyRecord(dir);
  const manifest = record.manifest;
  const params = manifestCeremonyParams(manifest, record.path('manifest'));
  const group = params.group;
  const ceremonyPath = record.path('ceremony');
  const ceremonyJson = await readRole(record, 'ceremony');
  const transcript = parsing(ceremonyPath, () => parseCeremonyTranscript(ceremonyJson, group));
  if (transcript.params.ceremonyId !== params.ceremonyId || transcript.params.n !== params.n || transcript.params.t !== params.t)
    throw new ProtocolError(
      `${ceremonyPath} is the ceremony of election '${transcript.params.ceremonyId}' (n = ${transcript.params.n}, t = ${transcript.params.t}), not of the manifest's '${params.ceremonyId}' (n = ${params.n}, t = ${params.t})`,
      'record-mismatch',
    );
  // Version 2: the transcript is bound to one manifest and its trustees' identities; this one.
  if (!sameCeremony(transcript.params, params))
    throw new ProtocolError(
      `${ceremonyPath} is not the ceremony of ${record.path('manifest')}: ${ceremonyDifference(transcript.params, params)}`,
      'record-mismatch',
    );
  const v = verifyCeremonyTranscript(transcript);
  if (!v.ok)
    throw new ProtocolError(
      `${ceremonyPath} does not verify: ${v.failures.map((f) => `${f.check}: ${f.reason}`).join('; ')}`,
      'record-mismatch',
    );
  const ceremony = v.recomputed!;
  const election = createElection(manifest, {
    coefficientCommitments: ceremony.qualified.map((i) => transcript.reveals.find((r) => r.trustee === i)!.coefficientCommitments),
    jointPublicKey: ceremony.jointPublicKey,
  });
  const tallyJson = await readRole(record, 'tally');
  const tally = parsing(record.path('tally'), () => parseEncryptedTally(group, tallyJson, election.candidateCount, election.gradeCount));
  return { record, manifest, params, group, ceremony, election, tallyJson, tally };
}

/** The trustee refuses to decrypt (exit 1). */
class RefusedError extends ProtocolError {
  constructor(why: string) {
    super(`refusing to decrypt: ${why}`, 'refused');
  }
}

/** At most this many failures are quoted when the verifier refuses a record. */
const QUOTED_FAILURES = 5;

/**
 * The record verified up to its tally (checks 1–6 and 9) by the verifier itself, on worker
 * threads: what `decrypt` requires before it touches the key.
 * @throws RefusedError naming the failed checks and their first failures.
 */
async function verifiedTally(
  dir: string,
  expectedHead: string | undefined,
): Promise<RecordElection<any> & { readonly boardHead: string; readonly counted: number; readonly ballots: number }> {
  const workers = Math.max(1, Math.min(availableParallelism(), 8));
  const v = await verifyRecordState(dir, { upTo: 'tally', workers, ...(expectedHead !== undefined && { expectedHead }) });
  const r = v.report;
  if (!r.ok) {
    // Skipped on request: 7 and 8 (up to the tally), 10 (no receipt given).
    const failed = r.checks.filter(
      (c) => c.status === 'fail' || (c.status === 'skipped' && c.number !== 7 && c.number !== 8 && c.number !== RECEIPTS_CHECK),
    );
    const quoted = failed
      .flatMap((c) =>
        c.failures.map(
          (f) =>
            `check ${c.number} (${c.name}) ${f.file}${f.line === undefined ? '' : ` line ${f.line}`}${f.path === undefined ? '' : ` ${f.path}`}: ${f.reason}`,
        ),
      )
      .slice(0, QUOTED_FAILURES);
    const skipped = failed.filter((c) => c.status === 'skipped').map((c) => `check ${c.number} (${c.name}) skipped: ${c.skipped}`);
    throw new RefusedError(
      `the record does not verify up to its tally (failed: check${failed.length > 1 ? 's' : ''} ${failed.map((c) => c.number).join(', ')}); run \`mjvote verify ${dir} --up-to tally${expectedHead === undefined ? '' : ` --board-head ${expectedHead}`}\` for the full report: ${[...quoted, ...skipped].join('; ')}`,
    );
  }
  const election = v.election!;
  const transcript = v.transcript!;
  const tallyJson = await readRole(v.record, 'tally');
  return {
    record: v.record,
    manifest: v.record.manifest,
    params: transcript.params,
    group: election.group,
    ceremony: transcript.result,
    election,
    tallyJson,
    tally: v.tally!,
    boardHead: v.boardHead!,
    counted: r.counts.counted ?? 0,
    ballots: r.counts.ballots ?? 0,
  };
}

/** The key's ceremony must be the record's: same election, joint key and verification keys. */
function assertSameCeremony<E>(key: TrusteeKey<E>, rec: RecordElection<E>, statePath: string): void {
  const g = rec.group;
  const mine = key.result;
  const theirs = rec.ceremony;
  const sameKeys =
    mine.verificationKeys.size === theirs.verificationKeys.size &&
    [...mine.verificationKeys].every(([j, K]) => theirs.verificationKeys.has(j) && g.equals(K, theirs.verificationKeys.get(j)!));
  if (!g.equals(mine.jointPublicKey, theirs.jointPublicKey) || !sameKeys)
    throw new RefusedError(
      `${rec.record.path('ceremony')} is not the ceremony ${statePath}'s key comes from (the joint or verification keys differ)`,
    );
}

export const decryptSub: TrusteeSub = {
  name: 'decrypt',
  summary: "produce this trustee's decryption share of the election's tally",
  usage: `Usage: mjvote trustee decrypt --state FILE --record DIR [--out decryption-share-i.json]
                              [--min-ballots N] [--board-head HASH] [--passphrase-file F]

Computes this trustee's share of the decryption of the election's tally, with a proof for
every ciphertext, signed with the trustee's identity, after checking that the record DIR is
the election this trustee's key is for and that its tally.json is the tally of the sealed
board. The record is checked by the verifier itself, up to its tally (checks 1-6 and 9 of
\`mjvote verify\`):
  the manifest (the very one the key's ceremony was bound to: same hash) and the ceremony
    (which must be the one of this key);
  board.jsonl: hash chain intact, set up for this election with credentials.json, sealed;
    every ballot passes every check; the tally published after the seal is tally.json and is
    the sum of the counted ballots (the last per credential); no counted ballot was audited;
  the tally counts at least N ballots (default 2: a single ballot is never decrypted);
  with --board-head, the board ends at that head hash (one published independently, e.g.
  by the auditors who verified the board: it rules out a second, forked board).
A trustee decrypts ONE tally per election: the state file records the board head and tally
it decrypted (before the share file is written), and refuses any other tally of the same
election (the same tally again is fine). Compare the BOARD HEAD it prints with the one the
organiser and the other trustees announce.
DIR may hold record.json (whose file names are followed) or not yet (default names).
Checking every ballot takes time on a large election (see docs/trustees.md).
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
    const { h, params: keyParams } = await openState(v, 'key', 'decrypt', io);
    const dir = requiredString(v, 'record', 'decrypt');
    const out = optionalString(v, 'out') ?? `decryption-share-${h.trustee}.json`;
    const minBallots = integerOption(v, 'min-ballots', 0, Number.MAX_SAFE_INTEGER, DEFAULT_MIN_BALLOTS);
    const head = optionalString(v, 'board-head');
    if (head !== undefined && !/^[0-9a-f]{64}$/.test(head))
      throw new UsageError('--board-head: expected 64 lowercase hex digits (a board head hash)');
    assertAbsent(out, 'output');
    // The key's ceremony first (cheap, from the manifest), then the whole record up to its tally.
    const opened = await openTallyRecord(dir);
    assertKeyOfManifest(h, keyParams, opened.manifest, opened.path('manifest'), dir);
    const rec = await verifiedTally(dir, head);
    if (!sameCeremony(rec.params, keyParams))
      throw new RefusedError(
        `${rec.record.path('ceremony')} is not the ceremony ${h.path}'s key comes from: ${ceremonyDifference(rec.params, keyParams)}`,
      );
    if (rec.tally.ballots < minBallots)
      throw new RefusedError(`the tally counts ${rec.tally.ballots} ballot(s), fewer than --min-ballots ${minBallots}`);
    const { state, passphrase } = await unlockState(h, optionalString(v, 'passphrase-file'), io);
    const key = state as TrusteeKey<any>;
    assertSameCeremony(key, rec, h.path);
    if (!rec.ceremony.qualified.includes(key.trustee))
      throw new RefusedError(`trustee ${key.trustee} is not a qualified trustee of the ceremony`);
    const tallySha256 = canonicalSha256(rec.tallyJson);
    const tally: DecryptedTally = { fingerprint: rec.election.fingerprintHex, boardHead: rec.boardHead, tallySha256 };
    assertFirstTally(key, tally, h.path, rec.params.ceremonyId);
    const again = key.decrypted.some((d) => d.fingerprint === tally.fingerprint);
    const message = decryptionShares(rec.group, key, flattenTally(rec.tally), tallyDecryptionContext(rec.election));
    const file = decryptionShareFileToJson(
      rec.params,
      { electionId: rec.params.ceremonyId, fingerprintHex: rec.election.fingerprintHex, tallySha256, boardHead: rec.boardHead },
      message,
    );
    // The state records the tally before the share exists anywhere but in memory: a crash in
    // between leaves a state that remembers a tally whose share was never written (decrypting
    // the same tally again is allowed), never a share out with a state that forgot it.
    if (!again) commitStep(io, [], { path: h.path, value: sealState(key.withDecrypted(tally), passphrase, io) });
    commitStep(io, [{ path: out, value: file }]);
    const say = reporter(io, out);
    say(`election '${rec.params.ceremonyId}', fingerprint ${rec.election.fingerprintHex}`);
    say(`manifest sha256: ${manifestSha256(rec.manifest)}`);
    say(
      `board: sealed; ${rec.ballots} ballots cast, ${rec.counted} counted; the record verifies up to its tally (checks 1–6 and 9): tally.json is the sum of the counted ballots`,
    );
    say('');
    say(`    BOARD HEAD  ${rec.boardHead}`);
    say(
      head === undefined
        ? '    compare it with the head the organiser and the other trustees announce: another head is another board (a fork) of this election'
        : '    the same as --board-head: this board ends at the head you were given',
    );
    say('');
    say(
      `trustee ${key.trustee}: decryption shares of ${message.shares.length} ciphertexts ${out === '-' ? 'on standard output' : `in ${out}`} (publish it)`,
    );
    say(
      again
        ? `state: ${h.path} had already recorded this tally (the same board head and tally): these are shares of the same tally again`
        : `state: ${h.path} now records this tally: it will refuse to decrypt any other tally of this election`,
    );
    return EXIT_OK;
  },
};

/**
 * Refuses a record whose manifest is not the one the key's ceremony was made for: another
 * election, or (version 2) the same election id with another manifest (other candidates,
 * grades, title or trustees), whose tally the key must not decrypt.
 * @throws RefusedError naming both.
 */
function assertKeyOfManifest(h: StateHeader, keyParams: CeremonyParams<any>, m: Manifest, manifestPath: string, dir: string): void {
  if (h.election !== m.electionId || h.group.id !== m.group || h.n !== m.trustees.n || h.t !== m.trustees.t)
    throw new RefusedError(
      `${h.path} holds a key of election '${h.election}' (group ${h.group.id}, n = ${h.n}, t = ${h.t}); ${dir} is election '${m.electionId}' (group ${m.group}, n = ${m.trustees.n}, t = ${m.trustees.t})`,
    );
  const recordParams = manifestCeremonyParams(m, manifestPath);
  if (!sameCeremony(recordParams, keyParams))
    throw new RefusedError(
      `${manifestPath} is not the manifest ${h.path}'s key was made for, although it has the same election id '${m.electionId}': its ceremony would be ${ceremonyDifference(recordParams, keyParams)}. A key share decrypts the tally of its own manifest only`,
    );
}

/**
 * Refuses a second, different tally of an election this key share has decrypted a tally of
 * (`TrusteeKey.assertMayDecrypt`): the difference of two tallies is the votes in which they
 * differ.
 * @throws RefusedError quoting the board head decrypted before.
 */
function assertFirstTally(key: TrusteeKey<any>, t: DecryptedTally, statePath: string, election: string): void {
  try {
    key.assertMayDecrypt(t);
    return;
  } catch (e) {
    if (!(e instanceof ProtocolError && e.code === 'already-decrypted')) throw e;
  }
  const before = key.decrypted.find((d) => d.fingerprint === t.fingerprint)!;
  throw new RefusedError(
    `${statePath} already decrypted a tally of election '${election}': the board with head ${before.boardHead} (tally sha256 ${before.tallySha256}). ` +
      `This record's board ends at head ${t.boardHead} (tally sha256 ${t.tallySha256}): another board of the same election, a fork. ` +
      `Decrypting two tallies of one election reveals the votes in which they differ, so a trustee decrypts one: if ${before.boardHead} is the head the organiser and the other trustees announced, this record is not the election's`,
  );
}

/** One share file that could not be used, and why. */
interface UnusableFile {
  readonly file: string;
  readonly reason: string;
}

/** Reads a share file: a decryption-share file, the record's decryption-shares.json, or a bare message. */
function sharesInFile<E>(rec: RecordElection<E>, json: unknown, tallySha256: string): DecryptionShareMessage<E>[] {
  if (isDecryptionShareFile(json))
    return [
      parseDecryptionShareFile(rec.params, json, {
        electionId: rec.params.ceremonyId,
        fingerprintHex: rec.election.fingerprintHex,
        tallySha256,
      }),
    ];
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && Object.hasOwn(json, 'version')) {
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
    const rec = await loadRecordElection(dir);
    const files = listOption(v, 'shares');
    if (files.length === 0) files.push(rec.record.path('decryptionShares'));
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
      if (e instanceof InsufficientSharesError && unusable.length > 0)
        throw new InsufficientSharesError(e.t, e.valid, e.missing, e.invalid, `unusable files: ${unusableText}`);
      throw e;
    }
    const K = rec.election.gradeCount;
    const profiles = rec.manifest.candidates.map((_, j) => combined.plaintexts.slice(j * K, (j + 1) * K));
    profiles.forEach((row, j) => {
      const sum = row.reduce((a, b) => a + b, 0n);
      if (sum !== BigInt(rec.tally.ballots))
        throw new ProtocolError(
          `candidate ${rec.manifest.candidates[j]!.id}: the decrypted counts sum to ${sum}, not to the ${rec.tally.ballots} ballots of the tally`,
          'inconsistent-counts',
        );
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
