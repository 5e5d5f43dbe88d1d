/**
 * A complete simulated majority-judgment election, end to end, as `mjvote demo` runs it:
 * trustees' identity keys listed in a version-2 manifest, key ceremony among the n trustees
 * (every message signed by its trustee's identity), registrar's credentials, voters encrypting
 * ballots (with a few revotes, Benaloh audits and bad ballots the box must refuse), sealing,
 * homomorphic tally, threshold decryption by a random t-subset of trustees (signed shares), merit
 * profiles and MJ ranking, and the version-2 election record written to a directory. Node-only
 * (files).
 *
 * Every cryptographic secret comes from the platform CSPRNG; `seed` only drives the simulated
 * opinions and choices (who revotes, which trustees decrypt …), so runs are comparable.
 * @module
 */
import { mkdirSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Group } from '../group/group.js';
import { groupById } from '../group/index.js';
import { parseManifest, type Manifest } from '../election/manifest.js';
import { createElection, type Election } from '../election/election.js';
import { generateTrusteeIdentity, type TrusteeIdentity } from '../election/trustee-identity.js';
import { beginCeremony } from '../ceremony/trustee.js';
import { buildCeremonyTranscript, type CeremonyTranscript } from '../ceremony/transcript.js';
import { ceremonyParams, ceremonyParamsForManifest, type CeremonyParams } from '../ceremony/params.js';
import { type TrusteeKey } from '../ceremony/trustee-key.js';
import { createCredentialList, credentialListToJson, generateCredential, type Credential } from '../election/credential.js';
import { encryptBallot } from '../ballot/encrypt.js';
import { ballotToJson, type BallotJson } from '../ballot/json.js';
import { parseBallot } from '../ballot/parse.js';
import { fromHex } from '../bytes.js';
import { schnorrProofToJson } from '../proofs/wire.js';
import { openingToJson } from '../ballot/opening.js';
import { BallotBox, type CastRejection } from '../board/ballot-box.js';
import { canonicalSha256 } from '../json/canonical.js';
import { encryptedTallyToJson, type EncryptedTally } from '../tally/aggregate.js';
import { decryptionShares } from '../decrypt/shares.js';
import { combineDecryptionShares } from '../decrypt/combine.js';
import { decryptionShareMessageToJson } from '../decrypt/wire.js';
import { flattenTally, tallyDecryptionContext } from '../decrypt/tally.js';
import type { MjResult } from '../mj/rank.js';
import { electionResult } from '../record/result.js';
import { RECORD_FILES, RECORD_FORMAT, writeJsonFile, type RecordIndexJson } from '../record/files.js';
import { OpinionModel, SeededRandom } from './opinions.js';
import type { JsonObject } from '../json/canonical.js';

/** Options of {@link runDemoElection}. */
export interface DemoOptions {
  voters: number;
  candidates: number;
  grades: number;
  trustees: number;
  threshold: number;
  /** Record directory (created; must be empty or absent). */
  out: string;
  /** Drives the simulated opinions and choices only. */
  seed: string;
  /** Group id (default ristretto255). */
  group?: string;
  /** Election id (default `mjvote-demo`). */
  electionId?: string;
  /** The trustees' identities, trustee i's at index i − 1 (default: a new one each, from the CSPRNG). */
  identities?: readonly TrusteeIdentity[];
  /** Share of voters who cast a second ballot (default 0.03). */
  revoteRate?: number;
  /** Benaloh audits performed by voters before casting (default: 2). */
  audits?: number;
  /** Progress callback for long steps. */
  onProgress?: (step: string, done: number, total: number) => void;
  /** Log lines (one per step). */
  log?: (line: string) => void;
}

/** What the demo did, for the CLI and tests. */
export interface DemoReport<E = unknown> {
  dir: string;
  election: Election<E>;
  manifest: Manifest;
  transcript: CeremonyTranscript<E>;
  /** The trustees' identities (their secret keys too: the demo plays every trustee). */
  identities: readonly TrusteeIdentity[];
  registered: number;
  cast: number;
  revotes: number;
  audits: number;
  rejected: { code: CastRejection; what: string }[];
  counted: number;
  decryptingTrustees: number[];
  /** Merit profiles recovered by threshold decryption, per candidate, best grade first. */
  decrypted: bigint[][];
  /** The same profiles counted directly from the simulated plaintext grades (must be equal). */
  expected: bigint[][];
  result: MjResult;
  encryptedTally: EncryptedTally<E>;
  boardHead: string;
}

const GRADE_LABELS: Record<number, string[]> = {
  5: ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant'],
  6: ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant', 'À rejeter'],
  7: ['Excellent', 'Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant', 'À rejeter'],
};
const CANDIDATE_NAMES = [
  'Ada Lovelace',
  'Alan Turing',
  'Grace Hopper',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Frances Allen',
  'John McCarthy',
  'Margaret Hamilton',
  'Claude Shannon',
  'Radia Perlman',
  'Tony Hoare',
];

/**
 * The demo's manifest: version 2 listing `identities` (the trustees' identity keys, hex) when
 * given, else version 1 (no identities: for tests and benchmarks of version-1 code).
 */
export function demoManifest(o: {
  candidates: number;
  grades: number;
  trustees: number;
  threshold: number;
  group?: string;
  electionId?: string;
  identities?: readonly string[];
}): Manifest {
  const grades =
    GRADE_LABELS[o.grades] ??
    Array.from({ length: o.grades }, (_, i) =>
      i === 0 ? 'Grade 1 (best)' : i === o.grades - 1 ? `Grade ${i + 1} (worst)` : `Grade ${i + 1}`,
    );
  return parseManifest({
    version: o.identities === undefined ? 1 : 2,
    electionId: o.electionId ?? 'mjvote-demo',
    title: 'mjvote demo election (simulated voters)',
    candidates: Array.from({ length: o.candidates }, (_, j) => ({ id: `c${j + 1}`, name: CANDIDATE_NAMES[j] ?? `Candidate ${j + 1}` })),
    grades,
    group: o.group ?? 'ristretto255',
    trustees:
      o.identities === undefined ? { n: o.trustees, t: o.threshold } : { n: o.trustees, t: o.threshold, identities: [...o.identities] },
  });
}

/** A ceremony's public transcript and every trustee's key. */
export interface DemoCeremony<E> {
  transcript: CeremonyTranscript<E>;
  keys: Map<number, TrusteeKey<E>>;
}

/**
 * Runs a version-1 key ceremony (no trustee identities: nothing is signed) among all n trustees,
 * all honest. For tests and benchmarks of version-1 code; elections use {@link runTrusteeCeremony}.
 */
export function runCeremony<E>(group: Group<E>, ceremonyId: string, n: number, t: number): DemoCeremony<E> {
  return runTrusteeCeremony(ceremonyParams(group, { ceremonyId, n, t }), []);
}

/**
 * Runs the key ceremony of `params` among all n trustees, all honest, trustee i playing with
 * `identities[i − 1]` (version 2: it signs every message, so it must be the identity `params`
 * lists for trustee i; version 1: none). Returns the transcript and every trustee's key.
 */
export function runTrusteeCeremony<E>(params: CeremonyParams<E>, identities: readonly TrusteeIdentity[]): DemoCeremony<E> {
  const idx = Array.from({ length: params.n }, (_, i) => i + 1);
  const r1 = idx.map((i) => beginCeremony(params, i, params.version === 2 ? { identity: identities[i - 1] } : {}).commit());
  const commitments = r1.map((r) => r.message);
  const r2 = r1.map((r) => r.next.reveal(commitments));
  const reveals = r2.map((r) => r.reveal);
  const shares = r2.flatMap((r) => r.shares);
  const r3 = r2.map((r) => r.next.check(reveals, shares));
  const complaints = r3.flatMap((r) => r.complaints);
  const messages = { commitments, reveals, shares, complaints };
  const keys = new Map<number, TrusteeKey<E>>();
  r3.forEach((r, i) => keys.set(i + 1, r.next.finish(messages).key));
  return { transcript: buildCeremonyTranscript(params, messages), keys };
}

/** What {@link prepareElection} sets up: the election, its trustees' keys, the voters' credentials, the open box. */
export interface PreparedElection<E> {
  opts: DemoOptions;
  manifest: Manifest;
  group: Group<E>;
  /** The trustees' identities (empty for a version-1 election). */
  identities: readonly TrusteeIdentity[];
  transcript: CeremonyTranscript<E>;
  keys: Map<number, TrusteeKey<E>>;
  election: Election<E>;
  creds: Credential<E>[];
  box: BallotBox<E>;
}

/** The record directory must be absent or empty. */
function assertEmptyDirectory(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
}

/**
 * Steps 1–2 of an election: the trustees' identities, the version-2 manifest listing them, key
 * ceremony, election fingerprint, the registrar's credentials, the record's first files and the
 * ballot box with its setup and credential entries. `group` overrides the group object (e.g. the
 * WebAssembly ristretto255 backend); its id must be the manifest's.
 */
export function prepareElection<E = any>(opts: DemoOptions, group?: Group<E>): PreparedElection<E> {
  assertEmptyDirectory(opts.out);
  const identities = opts.identities ?? Array.from({ length: opts.trustees }, () => generateTrusteeIdentity());
  if (identities.length !== opts.trustees) throw new RangeError(`identities: expected ${opts.trustees}, one per trustee`);
  const manifest = demoManifest({ ...opts, identities: identities.map((id) => id.publicKeyHex) });
  // ristretto255 runs on the fastest backend here (WebAssembly where available: its secret paths are constant-time too, docs/wasm.md).
  const g = group ?? (groupById(manifest.group, 'group') as Group<E>);
  (opts.log ?? (() => {}))(
    `trustees: identity fingerprints ${identities.map((id, i) => `${i + 1} ${id.fingerprint.slice(0, 9)}…`).join(', ')}`,
  );
  const ceremony = runTrusteeCeremony(ceremonyParamsForManifest(g, manifest), identities);
  return openElection(opts, g, manifest, identities, ceremony);
}

/**
 * Step 2 of an election whose manifest and ceremony are given: election fingerprint, the
 * registrar's credentials, the record's first files (manifest, ceremony, credentials) and the
 * ballot box with its setup and credential entries. `prepareElection` calls it after an honest
 * ceremony; tests call it with a ceremony of their making (one a platform ran with trustees of
 * its own, say) to build the record such an election would have.
 */
export function openElection<E>(
  opts: DemoOptions,
  g: Group<E>,
  manifest: Manifest,
  identities: readonly TrusteeIdentity[],
  ceremony: DemoCeremony<E>,
): PreparedElection<E> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  assertEmptyDirectory(opts.out);
  mkdirSync(opts.out, { recursive: true });
  const { transcript, keys } = ceremony;
  const result0 = transcript.result;
  const election = createElection(
    manifest,
    {
      coefficientCommitments: result0.qualified.map((i) => transcript.reveals.find((r) => r.trustee === i)!.coefficientCommitments),
      jointPublicKey: result0.jointPublicKey,
    },
    { group: g },
  );
  log(
    `ceremony: ${opts.trustees} trustees, threshold ${opts.threshold}, qualified ${result0.qualified.join(', ')}; fingerprint ${election.fingerprintHex.slice(0, 16)}…`,
  );
  writeJsonFile(opts.out, RECORD_FILES.manifest, manifest);
  const ceremonyJson = transcript.toJson();
  writeJsonFile(opts.out, RECORD_FILES.ceremony, ceremonyJson);
  const creds: Credential<E>[] = [];
  for (let v = 0; v < opts.voters; v++) {
    creds.push(generateCredential(g, manifest.electionId));
    if ((v & 63) === 63 || v === opts.voters - 1) progress('credentials', v + 1, opts.voters);
  }
  const credentialList = createCredentialList(
    g,
    manifest.electionId,
    creds.map((c) => c.publicKey),
  );
  writeJsonFile(opts.out, RECORD_FILES.credentials, credentialListToJson(credentialList));
  const box = BallotBox.create(join(opts.out, RECORD_FILES.board), election, credentialList, canonicalSha256(ceremonyJson));
  log(`registrar: ${opts.voters} credentials published`);
  return { opts, manifest, group: g, identities, transcript, keys, election, creds, box };
}

/**
 * Steps 4–5: seal, tally, decryption by a random t-subset of the qualified trustees, result;
 * writes the remaining record files and closes the box.
 */
export async function closeElection<E>(
  setup: PreparedElection<E>,
  rng: SeededRandom,
  progress: (step: string, done: number, total: number) => void = () => {},
  log: (line: string) => void = () => {},
): Promise<{ tally: EncryptedTally<E>; decrypted: bigint[][]; decrypting: number[]; result: MjResult; head: string }> {
  const { opts, manifest, group, transcript, keys, election, box } = setup;
  const result0 = transcript.result;
  box.seal();
  const { tally } = await box.tally();
  writeJsonFile(opts.out, RECORD_FILES.tally, encryptedTallyToJson(group, tally));
  // t of the qualified trustees (every trustee, after an honest ceremony).
  const qualified = result0.qualified;
  const decrypting = rng
    .subset(qualified.length, opts.threshold)
    .map((k) => qualified[k - 1]!)
    .sort((a, b) => a - b);
  const ciphertexts = flattenTally(tally);
  const ctx = tallyDecryptionContext(election);
  const messages = decrypting.map((i, n) => {
    const m = decryptionShares(group, keys.get(i)!, ciphertexts, ctx);
    progress('decryption', n + 1, decrypting.length);
    return m;
  });
  const sharesJson = messages.map((m) => decryptionShareMessageToJson(transcript.params, m));
  for (const sj of sharesJson) box.appendDecryptionShare(sj as unknown as JsonObject);
  writeJsonFile(opts.out, RECORD_FILES.decryptionShares, { version: 1, shares: sharesJson });
  const combined = combineDecryptionShares(result0, ciphertexts, messages, ctx, tally.ballots);
  const K = manifest.grades.length;
  const decrypted = manifest.candidates.map((_, j) => combined.plaintexts.slice(j * K, (j + 1) * K));
  log(`decryption: trustees ${decrypting.join(', ')} of ${opts.trustees}`);
  const { result, json: resultJson } = electionResult(manifest, decrypted, tally.ballots);
  box.appendResult(resultJson as unknown as JsonObject);
  writeJsonFile(opts.out, RECORD_FILES.result, resultJson);
  const head = box.head;
  box.close();
  const index: RecordIndexJson = {
    format: RECORD_FORMAT,
    // A record has its manifest's version (docs/record.md §4): 2 here, with the trustees' identities.
    version: manifest.version,
    electionId: manifest.electionId,
    group: group.id,
    boardHead: head,
    files: RECORD_FILES,
  };
  writeJsonFile(opts.out, RECORD_FILES.index, index);
  return { tally, decrypted, decrypting, result, head };
}

/** Runs the whole election and writes the record. */
export async function runDemoElection(opts: DemoOptions): Promise<DemoReport<any>> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  const rng = new SeededRandom(opts.seed);

  const setup = prepareElection(opts);
  const { manifest, group, identities, transcript, election, creds, box } = setup;

  // 3. Voting, with revotes, audits and bad ballots.
  const opinions = new OpinionModel(rng, opts.candidates, opts.grades);
  const counted = new Map<number, number[]>(); // voter → grades of the last accepted ballot
  const rejected: DemoReport['rejected'] = [];
  let cast = 0;
  let revotes = 0;
  let audits = 0;
  const auditsWanted = opts.audits ?? Math.min(2, opts.voters);
  const revoteRate = opts.revoteRate ?? 0.03;
  const submit = (json: BallotJson, voter: number, grades: number[], what: string) => {
    const r = box.cast(json);
    if (r.accepted) {
      cast++;
      if (r.revote) revotes++;
      counted.set(voter, grades);
    } else rejected.push({ code: r.code, what: `${what}: ${r.reason}` });
    return r;
  };
  const jsonOf = (voter: number, grades: number[]) => ballotToJson(encryptBallot(election, creds[voter]!, grades).cast());
  let firstBallot: BallotJson | undefined;
  for (let v = 0; v < opts.voters; v++) {
    const grades = opinions.ballot();
    if (audits < auditsWanted && v % Math.max(1, Math.floor(opts.voters / Math.max(1, auditsWanted))) === 0) {
      // Benaloh audit: the voter opens one encryption, checks it, then encrypts again and casts.
      const handle = encryptBallot(election, creds[v]!, grades);
      const ballotJson = ballotToJson(handle.ballot);
      const opening = handle.audit();
      box.publishAudit(ballotJson, openingToJson(election, opening));
      audits++;
      // Casting an audited ballot is refused.
      submit(ballotJson, v, grades, 'an audited ballot cast anyway');
    }
    const json = jsonOf(v, grades);
    firstBallot ??= json;
    submit(json, v, grades, `voter ${v}`);
    if (rng.next() < revoteRate) {
      const again = opinions.ballot();
      submit(jsonOf(v, again), v, again, `voter ${v} (revote)`);
    }
    progress('ballots', v + 1, opts.voters);
  }
  // Bad ballots the box must refuse (and that change nothing).
  if (firstBallot && opts.voters >= 2) {
    submit(firstBallot, 0, counted.get(0)!, 'the same ballot submitted twice');
    submit({ ...firstBallot, credential: creds[1]!.publicKeyHex }, 1, [], "voter 0's ballot replayed under voter 1's credential");
    const outsider = generateCredential(group, manifest.electionId);
    submit(ballotToJson(encryptBallot(election, outsider, opinions.ballot()).cast()), -1, [], 'a ballot signed by an unlisted credential');
    const tampered = structuredClone(jsonOf(1, counted.get(1)!));
    const p = tampered.answers[0]!.proofs[0]![0]!;
    p.response = p.response.slice(0, -2) + (p.response.endsWith('00') ? '01' : '00');
    submit(tampered, 1, [], 'a ballot with a tampered 0/1 proof (signature no longer matches)');
    // The same tampering by the voter's own (faulty or malicious) booth, which re-signs it.
    const resigned = parseBallot(tampered, election);
    tampered.signature = schnorrProofToJson(group, creds[1]!.signBallotHash(election.fingerprint, fromHex(resigned.hashHex)));
    submit(tampered, 1, [], 'a re-signed ballot with a tampered 0/1 proof');
  }
  log(`voting: ${cast} ballots accepted (${revotes} revotes), ${audits} audited, ${rejected.length} refused`);

  const closed = await closeElection(setup, rng, progress, log);
  const { tally, decrypted, decrypting, result, head } = closed;
  const K = opts.grades;

  // What the decryption must give: the plaintext grades of the counted ballots, counted directly.
  const expected = manifest.candidates.map((_, j) => {
    const row = Array.from({ length: K }, () => 0n);
    for (const grades of counted.values()) row[grades[j]!]!++;
    return row;
  });
  return {
    dir: opts.out,
    election,
    manifest,
    transcript,
    identities,
    registered: opts.voters,
    cast,
    revotes,
    audits,
    rejected,
    counted: tally.ballots,
    decryptingTrustees: decrypting,
    decrypted,
    expected,
    result,
    encryptedTally: tally,
    boardHead: head,
  };
}
