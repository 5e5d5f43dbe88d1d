/**
 * What the `mjvote trustee` tests share: running the command in-process (main()), each trustee
 * with its own directory, identity file and state file, public messages through a shared
 * "platform" directory; version-2 manifests listing the identities the trustees made with
 * `mjvote trustee identity`; and the election record a platform builds around a ceremony, with
 * the library (createElection, credentials, ballots cast into a BallotBox, seal, tally — the
 * calls `mjvote demo` makes), honest or forged.
 *
 * Identity and state files use the test-only scrypt cost MJVOTE_TEST_ONLY_SCRYPT_LOG_N=4; trustee
 * i's identity and state share one passphrase, {@link pass}(i), in MJVOTE_PASSPHRASE.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { TrusteeIo } from '../../src/cli/trustee-state.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { parseManifest, type Manifest } from '../../src/election/manifest.js';
import { createElection, electionToJson, type Election } from '../../src/election/election.js';
import { createCredentialList, credentialListToJson, generateCredential } from '../../src/election/credential.js';
import type { TrusteeIdentity } from '../../src/election/trustee-identity.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { BallotBox, ELECTION_LIFECYCLE } from '../../src/board/ballot-box.js';
import { openLog } from '../../src/board/log.js';
import { canonicalSha256, type JsonObject } from '../../src/json/canonical.js';
import { encryptedTallyToJson, TallyAccumulator } from '../../src/tally/aggregate.js';
import { ceremonyParamsForManifest } from '../../src/ceremony/params.js';
import { beginCeremony } from '../../src/ceremony/trustee.js';
import { buildCeremonyTranscript, parseCeremonyTranscript, type CeremonyTranscriptJson } from '../../src/ceremony/transcript.js';
import { schnorrProofToJson } from '../../src/proofs/wire.js';
import { fromHex } from '../../src/bytes.js';

export const g = ristretto255;
export const root = mkdtempSync(join(tmpdir(), 'mjvote-trustee-'));
/** Trustee i's passphrase (identity file and state file). */
export const pass = (i: number): string => `correct horse battery staple #${i}`;
export const WEAK = { MJVOTE_TEST_ONLY_SCRYPT_LOG_N: '4' };

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Everything any command printed, to check that no secret ever appears in it. */
export const printed: string[] = [];

export async function mjvote(args: string[], env: Record<string, string> = {}, extra: Partial<TrusteeIo> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: TrusteeIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { ...WEAK, ...env }, ...extra };
  const code = await main(args, io);
  printed.push(stdout, stderr);
  return { code, stdout, stderr };
}

/** A trustee's run: its passphrase in MJVOTE_PASSPHRASE. */
export const asTrustee = (i: number, args: string[]): Promise<Run> => mjvote(['trustee', ...args], { MJVOTE_PASSPHRASE: pass(i) });

export function expectOk(r: Run): void {
  expect(r.code, r.stderr).toBe(0);
}

/** Lines of stderr but the test-only cost warnings. */
export function stderrLines(r: Run): string[] {
  return r.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '' && !l.includes('MJVOTE_TEST_ONLY_SCRYPT_LOG_N'));
}

/** A refusal: the exit code, exactly one line on stderr matching `pattern`, no stack trace. */
export function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = stderrLines(r);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

export const readJson = (p: string): any => JSON.parse(readFileSync(p, 'utf8'));
export const writeJson = (p: string, v: unknown): void => writeFileSync(p, JSON.stringify(v, null, 1));

export const CANDIDATES = [
  { id: 'ada', name: 'Ada' },
  { id: 'bob', name: 'Bob' },
  { id: 'cy', name: 'Cy' },
];

/** A version-2 manifest listing the given identity keys (hex), trustee i's at index i − 1. */
export function manifestFor(electionId: string, t: number, identities: readonly string[], candidates = CANDIDATES): Manifest {
  return parseManifest({
    version: 2,
    electionId,
    title: 'Club board election',
    candidates,
    grades: ['Very good', 'Good', 'Fair', 'Poor'],
    group: 'ristretto255',
    trustees: { n: identities.length, t, identities: [...identities] },
  });
}

/** Trustee i makes its identity with the command, in its own directory; returns its public key. */
export async function makeIdentity(home: string, i: number): Promise<{ path: string; pubPath: string; publicKey: string }> {
  mkdirSync(home, { recursive: true });
  const path = join(home, 'identity.json');
  const pubPath = join(home, 'identity.pub.json');
  const r = await asTrustee(i, ['identity', '--out', path]);
  expectOk(r);
  return { path, pubPath, publicKey: readJson(pubPath).publicKey };
}

/** One ceremony's directories: the platform's public directory and each trustee's own. */
export interface Ceremony {
  dir: string;
  manifest: Manifest;
  manifestPath: string;
  platform: string;
  state: (i: number) => string;
  identity: (i: number) => string;
  home: (i: number) => string;
}

/**
 * A new ceremony: n trustees each make an identity (`mjvote trustee identity`, in its home), the
 * organiser lists their public keys in a version-2 manifest.
 */
export async function newCeremony(name: string, electionId: string, n: number, t: number): Promise<Ceremony> {
  const dir = join(root, name);
  const platform = join(dir, 'platform');
  mkdirSync(platform, { recursive: true });
  const home = (i: number): string => {
    const h = join(dir, `trustee-${i}`);
    mkdirSync(h, { recursive: true });
    return h;
  };
  const keys: string[] = [];
  for (const i of indices(n)) keys.push((await makeIdentity(home(i), i)).publicKey);
  const manifest = manifestFor(electionId, t, keys);
  const manifestPath = join(dir, 'manifest.json');
  writeJson(manifestPath, manifest);
  return {
    dir,
    manifest,
    manifestPath,
    platform,
    home,
    state: (i) => join(home(i), 'me.state'),
    identity: (i) => join(home(i), 'identity.json'),
  };
}

export const indices = (n: number): number[] => Array.from({ length: n }, (_, k) => k + 1);

export const initArgs = (c: Ceremony, i: number): string[] => [
  'init',
  '--manifest',
  c.manifestPath,
  '--index',
  String(i),
  '--identity',
  c.identity(i),
  '--state',
  c.state(i),
  '--out',
  join(c.platform, `commit-${i}.json`),
];

export async function initAll(c: Ceremony, who: number[]): Promise<void> {
  for (const i of who) expectOk(await asTrustee(i, initArgs(c, i)));
}

export async function revealAll(c: Ceremony, who: number[]): Promise<void> {
  const commits = readdirSync(c.platform)
    .filter((f) => f.startsWith('commit-'))
    .map((f) => join(c.platform, f));
  for (const i of who)
    expectOk(
      await asTrustee(i, [
        'reveal',
        '--state',
        c.state(i),
        '--commitments',
        ...commits,
        '--out',
        join(c.platform, `reveal-${i}.json`),
        '--shares-out',
        join(c.platform, `shares-${i}.json`),
      ]),
    );
}

export async function checkAll(c: Ceremony, who: number[]): Promise<void> {
  for (const i of who)
    expectOk(
      await asTrustee(i, ['check', '--state', c.state(i), '--messages', c.platform, '--out', join(c.platform, `complaints-${i}.json`)]),
    );
}

export const jointKeyLine = (r: Run): string => r.stdout.split('\n').find((l) => l.startsWith('joint public key:'))!;

/**
 * A whole version-2 ceremony played with the library, every trustee honest: what a platform
 * holding every identity (its own) would publish. Returns the transcript's JSON.
 */
export function libraryCeremony(manifest: Manifest, identities: readonly TrusteeIdentity[]): CeremonyTranscriptJson {
  const params = ceremonyParamsForManifest(g, manifest);
  const idx = indices(params.n);
  const r1 = idx.map((i) => beginCeremony(params, i, { identity: identities[i - 1]! }).commit());
  const commitments = r1.map((r) => r.message);
  const r2 = r1.map((r) => r.next.reveal(commitments));
  const reveals = r2.map((r) => r.reveal);
  const shares = r2.flatMap((r) => r.shares);
  const r3 = r2.map((r) => r.next.check(reveals, shares));
  const complaints = r3.flatMap((r) => r.complaints);
  return buildCeremonyTranscript(params, { commitments, reveals, shares, complaints }).toJson();
}

export function electionOf(manifest: Manifest, transcript: ReturnType<typeof parseCeremonyTranscript<any>>): Election<any> {
  return createElection(manifest, {
    coefficientCommitments: transcript.result.qualified.map((i) => transcript.reveals.find((r) => r.trustee === i)!.coefficientCommitments),
    jointPublicKey: transcript.result.jointPublicKey,
  });
}

/**
 * Builds a record with the library around a given ceremony transcript JSON: what a platform
 * does. Voter 0 first votes otherwise, then changes its mind: only its last ballot counts.
 */
export async function buildRecord(
  dir: string,
  manifest: Manifest,
  ceremony: any,
  votes: number[][],
): Promise<{ election: Election<any>; expected: bigint[][] }> {
  mkdirSync(dir, { recursive: true });
  const transcript = parseCeremonyTranscript(ceremony, g);
  const election = electionOf(manifest, transcript);
  const creds = votes.map(() => generateCredential(g, manifest.electionId));
  const list = createCredentialList(
    g,
    manifest.electionId,
    creds.map((x) => x.publicKey),
  );
  writeJson(join(dir, 'manifest.json'), manifest);
  writeJson(join(dir, 'ceremony.json'), ceremony);
  writeJson(join(dir, 'credentials.json'), credentialListToJson(list));
  const box = BallotBox.create(join(dir, 'board.jsonl'), election, list, canonicalSha256(ceremony));
  expect(
    box.cast(
      ballotToJson(
        encryptBallot(
          election,
          creds[0]!,
          votes[0]!.map((x) => 3 - x),
        ).cast(),
      ),
    ),
  ).toMatchObject({ accepted: true });
  votes.forEach((v, k) => expect(box.cast(ballotToJson(encryptBallot(election, creds[k]!, v).cast()))).toMatchObject({ accepted: true }));
  box.seal();
  const { tally } = await box.tally();
  writeJson(join(dir, 'tally.json'), encryptedTallyToJson(g, tally));
  box.close();
  const expected = manifest.candidates.map((_, j) => manifest.grades.map((_, k) => BigInt(votes.filter((v) => v[j] === k).length)));
  return { election, expected };
}

/**
 * A record written straight into the hash-chained log, bypassing the ballot box's checks: a
 * dishonest platform's board. `tally: 'first-ballot'` publishes one ballot's ciphertexts as the
 * tally; `badProof` casts a ballot with a broken 0/1 proof (re-signed); `seal: false` leaves the
 * board open.
 */
export async function forgedRecord(
  dir: string,
  manifest: Manifest,
  ceremony: any,
  votes: number[][],
  o: { seal?: boolean; tally?: 'first-ballot'; badProof?: boolean },
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const election = electionOf(manifest, parseCeremonyTranscript(ceremony, g));
  const creds = votes.map(() => generateCredential(g, manifest.electionId));
  const list = createCredentialList(
    g,
    manifest.electionId,
    creds.map((x) => x.publicKey),
  );
  writeJson(join(dir, 'manifest.json'), manifest);
  writeJson(join(dir, 'ceremony.json'), ceremony);
  writeJson(join(dir, 'credentials.json'), credentialListToJson(list));
  const { log } = openLog(join(dir, 'board.jsonl'), { electionId: manifest.electionId, lifecycle: ELECTION_LIFECYCLE, create: true });
  log.appendMany([
    { kind: 'setup', payload: { election: electionToJson(election) as unknown as JsonObject, ceremonySha256: canonicalSha256(ceremony) } },
    { kind: 'credentials', payload: { count: list.size, credentialsSha256: canonicalSha256(credentialListToJson(list)) } },
  ]);
  const acc = new TallyAccumulator(g, election.candidateCount, election.gradeCount);
  let firstCells: any;
  votes.forEach((v, k) => {
    const json = ballotToJson(encryptBallot(election, creds[k]!, v).cast());
    if (o.badProof && k === 1) {
      json.answers[0]!.proofs[0]![0]!.response = g.scalarToHex(7n);
      json.signature = schnorrProofToJson(g, creds[k]!.signBallotHash(election.fingerprint, fromHex(parseBallot(json, election).hashHex)));
    }
    const b = parseBallot(json, election);
    acc.add(b.answers.map((a) => a.choices));
    firstCells ??= b.answers.map((a) => a.choices);
    log.appendEntry('ballot', { ballot: json as unknown as JsonObject });
  });
  const tally = o.tally === 'first-ballot' ? { ballots: votes.length, cells: firstCells } : acc.result();
  const tallyJson = encryptedTallyToJson(g, tally);
  writeJson(join(dir, 'tally.json'), tallyJson);
  if (o.seal !== false) {
    log.seal({ ballots: votes.length, counted: votes.length });
    log.appendEntry('tally', { tally: tallyJson as unknown as JsonObject });
  }
  log.close();
  return dir;
}
