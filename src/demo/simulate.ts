/**
 * A complete simulated majority-judgment election, end to end, as `mjvote demo` runs it, on the
 * election authority's own path (src/authority: the same steps as `mjvote election`):
 *
 * ```
 * trustees' identity keys → the version-2 manifest listing them
 * key ceremony among the n trustees (library rounds; every message signed by its trustee)
 * registerVoters                   one credential per voter (delivery codes, public list)
 * openElection                     the election directory: setup and credentials entries
 * castBallots                      the voters' ballots, revotes, Benaloh audits ({ballot, opening}
 *                                  lines) and bad ballots the box must refuse
 * closeElection, tallyElection     seal, homomorphic tally
 * t trustees decrypt               each a decryption-share file, as `mjvote trustee decrypt` writes it
 * publishElection                  shares and result on the board, the record files
 * ```
 * The directory it leaves is the version-2 election record (with the authority's
 * `board.checkpoint`, which the verifier does not read). Node-only (files).
 *
 * Every cryptographic secret comes from the platform CSPRNG; `seed` only drives the simulated
 * opinions and choices (who revotes, which trustees decrypt …), so runs are comparable.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Group } from '../group/group.js';
import { groupById } from '../group/index.js';
import { parseManifest, type Manifest } from '../election/manifest.js';
import type { Election } from '../election/election.js';
import { generateTrusteeIdentity, type TrusteeIdentity } from '../election/trustee-identity.js';
import { beginCeremony } from '../ceremony/trustee.js';
import { buildCeremonyTranscript, type CeremonyTranscript } from '../ceremony/transcript.js';
import { ceremonyParams, ceremonyParamsForManifest, type CeremonyParams } from '../ceremony/params.js';
import type { TrusteeKey } from '../ceremony/trustee-key.js';
import { credentialFromCode, credentialListToJson, generateCredential, type Credential } from '../election/credential.js';
import { encryptBallot } from '../ballot/encrypt.js';
import { ballotToJson, type BallotJson } from '../ballot/json.js';
import { parseBallot } from '../ballot/parse.js';
import { fromHex } from '../bytes.js';
import { schnorrProofToJson } from '../proofs/wire.js';
import { openingToJson } from '../ballot/opening.js';
import type { CastRejection } from '../board/ballot-box.js';
import type { EncryptedTally } from '../tally/aggregate.js';
import { decryptionShares } from '../decrypt/shares.js';
import { decryptionShareFileToJson } from '../decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../decrypt/tally.js';
import type { MjResult } from '../mj/rank.js';
import {
  castBallots,
  closeElection,
  ElectionDirectoryError,
  openElection,
  publishElection,
  tallyElection,
  type CastAnswer,
  type ElectionDirectory,
} from '../authority/election-directory.js';
import { numberedVoters, registerVoters, type Delivery } from '../authority/register.js';
import { OpinionModel, SeededRandom } from './opinions.js';

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

/** What {@link prepareElection} sets up: the open election directory, and every secret the demo plays with. */
export interface PreparedElection<E> {
  readonly opts: DemoOptions;
  /** The election directory the authority opened (manifest, group, transcript, election, credential list). */
  readonly directory: ElectionDirectory<E>;
  /** The trustees' identities. */
  readonly identities: readonly TrusteeIdentity[];
  /** Every trustee's key (the demo plays every trustee). */
  readonly keys: ReadonlyMap<number, TrusteeKey<E>>;
  /** The registrar's delivery file, voter `k + 1` at index k (secret: the demo plays every voter). */
  readonly deliveries: readonly Delivery[];
  /** Voter `voter + 1`'s credential, from its delivered code. */
  credential(voter: number): Credential<E>;
}

/**
 * Steps 1–2 of an election: the trustees' identities, the version-2 manifest listing them, key
 * ceremony, the registrar's credentials (`registerVoters`), and the election directory opened by
 * the authority (`openElection`: the record's first files and the board with its setup and
 * credentials entries). `group` overrides the group object (e.g. the noble ristretto255 backend);
 * its id must be the manifest's.
 */
export function prepareElection<E = any>(opts: DemoOptions, group?: Group<E>): PreparedElection<E> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  // Refused before the ceremony, not after it (openElection would refuse it too).
  if (existsSync(opts.out) && readdirSync(opts.out).length > 0)
    throw new ElectionDirectoryError(`${opts.out} is not empty: an election directory is made once`);
  const identities = opts.identities ?? Array.from({ length: opts.trustees }, () => generateTrusteeIdentity());
  if (identities.length !== opts.trustees) throw new RangeError(`identities: expected ${opts.trustees}, one per trustee`);
  const manifest = demoManifest({ ...opts, identities: identities.map((id) => id.publicKeyHex) });
  // ristretto255 runs on the fastest backend here (WebAssembly where available: its secret paths are constant-time too, docs/wasm.md).
  const g = group ?? (groupById(manifest.group, 'group') as Group<E>);
  log(`trustees: identity fingerprints ${identities.map((id, i) => `${i + 1} ${id.fingerprint.slice(0, 9)}…`).join(', ')}`);
  const { transcript, keys } = runTrusteeCeremony(ceremonyParamsForManifest(g, manifest), identities);
  const registration = registerVoters(g, manifest, numberedVoters(opts.voters), (done, total) => progress('credentials', done, total));
  const directory = openElection<E>(
    opts.out,
    { manifest, ceremony: transcript.toJson(), credentials: credentialListToJson(registration.list) },
    { group: g },
  );
  const result0 = directory.transcript.result;
  log(
    `ceremony: ${opts.trustees} trustees, threshold ${opts.threshold}, qualified ${result0.qualified.join(', ')}; fingerprint ${directory.election.fingerprintHex.slice(0, 16)}…`,
  );
  log(`registrar: ${opts.voters} credentials published`);
  const { deliveries } = registration;
  return {
    opts,
    directory,
    identities,
    keys,
    deliveries,
    credential: (voter) => credentialFromCode(g, manifest.electionId, deliveries[voter]!.code),
  };
}

/** What {@link finishElection} did. */
export interface FinishedElection<E> {
  tally: EncryptedTally<E>;
  /** Merit profiles, per candidate, best grade first. */
  decrypted: bigint[][];
  /** The trustees who decrypted. */
  decrypting: number[];
  result: MjResult;
  /** The board's final head. */
  head: string;
}

/**
 * Steps 4–6 of an election, on the authority's path: `closeElection` seals the box,
 * `tallyElection` writes the encrypted tally; t of the qualified trustees (a random subset drawn
 * from `rng`: every trustee is qualified after an honest ceremony) each compute their decryption
 * shares with `keys` and make the decryption-share file `mjvote trustee decrypt` writes;
 * `publishElection` checks and combines them and writes the rest of the record.
 */
export async function finishElection<E>(
  d: ElectionDirectory<E>,
  keys: ReadonlyMap<number, TrusteeKey<E>>,
  rng: SeededRandom,
  o: { onProgress?: (step: string, done: number, total: number) => void; log?: (line: string) => void } = {},
): Promise<FinishedElection<E>> {
  const progress = o.onProgress ?? (() => {});
  const log = o.log ?? (() => {});
  const params = d.transcript.params;
  await closeElection(d);
  const { tally, head: tallyHead, tallySha256 } = await tallyElection(d);
  const qualified = d.transcript.result.qualified;
  const decrypting = rng
    .subset(qualified.length, params.t)
    .map((k) => qualified[k - 1]!)
    .sort((a, b) => a - b);
  const ciphertexts = flattenTally(tally);
  const ctx = tallyDecryptionContext(d.election);
  const shareFiles = decrypting.map((i, n) => {
    const message = decryptionShares(d.group, keys.get(i)!, ciphertexts, ctx);
    const subject = { electionId: d.manifest.electionId, fingerprintHex: d.election.fingerprintHex, tallySha256, boardHead: tallyHead };
    const file = decryptionShareFileToJson(params, subject, message);
    progress('decryption', n + 1, decrypting.length);
    return { name: `decryption-share-${i}.json`, json: file };
  });
  const { result, combined, head } = await publishElection(d, shareFiles);
  log(`decryption: trustees ${decrypting.join(', ')} of ${params.n}`);
  const K = d.manifest.grades.length;
  const decrypted = d.manifest.candidates.map((_, j) => combined.plaintexts.slice(j * K, (j + 1) * K));
  return { tally, decrypted, decrypting, result, head };
}

/** One line the demo hands to `castBallots`, and what it stands for. */
interface Submission {
  readonly line: string;
  /** The voter whose grades these are (−1: no registered voter). */
  readonly voter: number;
  readonly grades: number[];
  /** How the refusal is reported. */
  readonly what: string;
  readonly audit?: boolean;
}

/** What the voters did, as the ballot box answered. */
interface Voting {
  cast: number;
  revotes: number;
  audits: number;
  rejected: { code: CastRejection; what: string }[];
  /** Voter → grades of its last accepted ballot. */
  counted: Map<number, number[]>;
}

/**
 * Step 3: every voter's ballot through `castBallots`, with revotes, Benaloh audits (an audit
 * line, then the audited ballot cast anyway) and, at the end, bad ballots the box must refuse.
 * Lines are made as the box asks for them, so that each is made after the previous one is answered.
 */
async function vote<E>(
  setup: PreparedElection<E>,
  rng: SeededRandom,
  progress: (step: string, done: number, total: number) => void,
): Promise<Voting> {
  const { opts, directory: d } = setup;
  const { election, group, manifest } = d;
  const opinions = new OpinionModel(rng, opts.candidates, opts.grades);
  const auditsWanted = opts.audits ?? Math.min(2, opts.voters);
  const revoteRate = opts.revoteRate ?? 0.03;
  const v: Voting = { cast: 0, revotes: 0, audits: 0, rejected: [], counted: new Map() };
  const ballot = (voter: number, grades: number[]): BallotJson =>
    ballotToJson(encryptBallot(election, setup.credential(voter), grades).cast());
  const submission = (json: BallotJson, voter: number, grades: number[], what: string): Submission => ({
    line: JSON.stringify(json),
    voter,
    grades,
    what,
  });

  function* submissions(): Generator<Submission> {
    let audits = 0;
    let firstBallot: BallotJson | undefined;
    for (let k = 0; k < opts.voters; k++) {
      const grades = opinions.ballot();
      if (audits < auditsWanted && k % Math.max(1, Math.floor(opts.voters / Math.max(1, auditsWanted))) === 0) {
        // Benaloh audit: the voter opens one encryption, checks it, then encrypts again and casts.
        const handle = encryptBallot(election, setup.credential(k), grades);
        const ballotJson = ballotToJson(handle.ballot);
        const opening = openingToJson(election, handle.audit());
        yield { line: JSON.stringify({ ballot: ballotJson, opening }), voter: k, grades, what: `voter ${k}'s audit`, audit: true };
        audits++;
        // Casting an audited ballot is refused.
        yield submission(ballotJson, k, grades, 'an audited ballot cast anyway');
      }
      const json = ballot(k, grades);
      firstBallot ??= json;
      yield submission(json, k, grades, `voter ${k}`);
      if (rng.next() < revoteRate) {
        const again = opinions.ballot();
        yield submission(ballot(k, again), k, again, `voter ${k} (revote)`);
      }
      progress('ballots', k + 1, opts.voters);
    }
    // Bad ballots the box must refuse (and that change nothing).
    if (firstBallot && opts.voters >= 2) {
      yield submission(firstBallot, 0, v.counted.get(0)!, 'the same ballot submitted twice');
      yield submission(
        { ...firstBallot, credential: setup.credential(1).publicKeyHex },
        1,
        [],
        "voter 0's ballot replayed under voter 1's credential",
      );
      const outsider = generateCredential(group, manifest.electionId);
      yield submission(
        ballotToJson(encryptBallot(election, outsider, opinions.ballot()).cast()),
        -1,
        [],
        'a ballot signed by an unlisted credential',
      );
      const tampered = structuredClone(ballot(1, v.counted.get(1)!));
      const p = tampered.answers[0]!.proofs[0]![0]!;
      p.response = p.response.slice(0, -2) + (p.response.endsWith('00') ? '01' : '00');
      yield submission(tampered, 1, [], 'a ballot with a tampered 0/1 proof (signature no longer matches)');
      // The same tampering by the voter's own (faulty or malicious) booth, which re-signs it.
      const resigned = parseBallot(tampered, election);
      tampered.signature = schnorrProofToJson(group, setup.credential(1).signBallotHash(election.fingerprint, fromHex(resigned.hashHex)));
      yield submission(tampered, 1, [], 'a re-signed ballot with a tampered 0/1 proof');
    }
  }

  // castBallots answers each line before it asks for the next: `inFlight` holds the few unanswered.
  const inFlight = new Map<number, Submission>();
  let sent = 0;
  const lines = function* (): Generator<string> {
    for (const s of submissions()) {
      inFlight.set(sent++, s);
      yield s.line;
    }
  };
  const hear = (a: CastAnswer, index: number): void => {
    const s = inFlight.get(index)!;
    inFlight.delete(index);
    if ('audit' in a) {
      // The demo's own audits are valid: a refusal is a bug, not a simulated event.
      if (!a.accepted) throw new Error(`${s.what} was refused: ${a.code}: ${a.reason}`);
      v.audits++;
    } else if (a.accepted) {
      v.cast++;
      if (a.revote) v.revotes++;
      v.counted.set(s.voter, s.grades);
    } else if (a.code === 'malformed') throw new Error(`${s.what}: the demo made a malformed line: ${a.reason}`);
    else v.rejected.push({ code: a.code, what: `${s.what}: ${a.reason}` });
  };
  await castBallots(d, lines(), hear);
  return v;
}

/** Runs the whole election and writes the record. */
export async function runDemoElection(opts: DemoOptions): Promise<DemoReport<any>> {
  const log = opts.log ?? (() => {});
  const progress = opts.onProgress ?? (() => {});
  const rng = new SeededRandom(opts.seed);

  const setup = prepareElection(opts);
  const { directory: d, identities } = setup;
  const { manifest, transcript, election } = d;

  const v = await vote(setup, rng, progress);
  log(`voting: ${v.cast} ballots accepted (${v.revotes} revotes), ${v.audits} audited, ${v.rejected.length} refused`);

  const { tally, decrypted, decrypting, result, head } = await finishElection(d, setup.keys, rng, { onProgress: progress, log });
  const K = opts.grades;

  // What the decryption must give: the plaintext grades of the counted ballots, counted directly.
  const expected = manifest.candidates.map((_, j) => {
    const row = Array.from({ length: K }, () => 0n);
    for (const grades of v.counted.values()) row[grades[j]!]!++;
    return row;
  });
  return {
    dir: opts.out,
    election,
    manifest,
    transcript,
    identities,
    registered: opts.voters,
    cast: v.cast,
    revotes: v.revotes,
    audits: v.audits,
    rejected: v.rejected,
    counted: tally.ballots,
    decryptingTrustees: decrypting,
    decrypted,
    expected,
    result,
    encryptedTally: tally,
    boardHead: head,
  };
}
