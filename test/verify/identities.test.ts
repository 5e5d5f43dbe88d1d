/**
 * Authenticated trustees (issue 20, part 1) as the verifier sees them: a version-2 record names
 * its trustees' identity keys in the manifest, and check 1 fails unless the ceremony transcript
 * is this manifest's, lists the same keys and every message in it is signed by its trustee;
 * check 7 fails for a decryption-share message its trustee did not sign. Each case edits a copy
 * of the frozen golden v2 record as a forger would (ceremony.json's hash in the setup entry
 * updated, the board re-chained), so that only the check that should catch it fails.
 *
 * The forged-trustees case builds a whole election the way the issue describes the attack: the
 * platform runs trustees 2 and 3 itself (identities that are not the manifest's), publishes their
 * messages and decrypts with them alone.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSha256 } from '../../src/json/canonical.js';
import { toHex } from '../../src/bytes.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { generateTrusteeIdentity, type TrusteeIdentity } from '../../src/election/trustee-identity.js';
import { ceremonyParams, ceremonyParamsForManifest, manifestSha256 } from '../../src/ceremony/params.js';
import { beginCeremony } from '../../src/ceremony/trustee.js';
import { buildCeremonyTranscript } from '../../src/ceremony/transcript.js';
import { collectCeremonyMessages, taggedMessages } from '../../src/ceremony/signatures.js';
import type { TrusteeKey } from '../../src/ceremony/trustee-key.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { SeededRandom } from '../../src/demo/opinions.js';
import { demoManifest, finishElection, runTrusteeCeremony, type DemoCeremony } from '../../src/demo/simulate.js';
import { castBallots, openElection, type ElectionDirectory } from '../../src/authority/election-directory.js';
import { numberedVoters, registerVoters } from '../../src/authority/register.js';
import { credentialFromCode, credentialListToJson, type CredentialList } from '../../src/election/credential.js';
import { createElection } from '../../src/election/election.js';
import type { Manifest } from '../../src/election/manifest.js';
import { electionKeysFromTranscript, type CeremonyTranscript } from '../../src/ceremony/transcript.js';
import { BallotBox } from '../../src/board/ballot-box.js';
import { writeJsonFile } from '../../src/record/files.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import type { VerificationReport } from '../../src/verify/report.js';
import {
  allFailures,
  copyRecord,
  failedChecks,
  flipHex,
  lineOf,
  manifestCeremonyParams,
  mjvote,
  readBoard,
  readJson,
  removeCopies,
  resign,
  tempDir,
  writeBoardRechained,
  writeJson,
} from './helpers.js';

afterAll(removeCopies);

const GOLDEN_V2 = fileURLToPath(new URL('../fixtures/golden-record-v2', import.meta.url));

/** Writes ceremony.json and re-binds it, as a forger would: the setup entry's ceremonySha256, the board re-chained. */
function publishCeremony(dir: string, transcript: unknown): void {
  writeJson(dir, 'ceremony.json', transcript);
  const lines = readBoard(dir);
  lines[0]!.payload = { ...lines[0]!.payload, ceremonySha256: canonicalSha256(transcript) };
  writeBoardRechained(dir, lines);
}

/** A copy of the golden v2 record whose ceremony.json is edited by `edit` (and re-bound). */
async function withCeremony(edit: (transcript: any, dir: string) => void): Promise<VerificationReport> {
  const dir = copyRecord(GOLDEN_V2);
  const t = readJson(dir, 'ceremony.json');
  edit(t, dir);
  publishCeremony(dir, t);
  return verifyRecord(dir);
}

/** A copy of the golden v2 record whose k-th decryption-share message is edited alike in the file and on the board (re-chained). */
async function withShareMessage(k: number, edit: (message: any) => void): Promise<VerificationReport> {
  const dir = copyRecord(GOLDEN_V2);
  const lines = readBoard(dir);
  edit(lines[lineOf(lines, 'decryption-share', k)]!.payload.shares);
  writeBoardRechained(dir, lines);
  const file = readJson(dir, 'decryption-shares.json');
  edit(file.shares[k]);
  writeJson(dir, 'decryption-shares.json', file);
  return verifyRecord(dir);
}

/** The record as it is before the decryption: the board cut after its tally entry, no record.json, shares or result. */
function inTheMaking(dir: string): string {
  const lines = readBoard(dir);
  writeBoardRechained(dir, lines.slice(0, lineOf(lines, 'tally') + 1));
  for (const f of ['record.json', 'decryption-shares.json', 'result.json']) rmSync(join(dir, f));
  return dir;
}

/** The check's failures as `path: reason` lines. */
function failuresOf(r: VerificationReport, check: number): string[] {
  return r.checks[check - 1]!.failures.map((f) => `${f.file} ${f.path ?? ''}: ${f.reason}`);
}

/** Check 1 fails and check 2 is skipped (its outcome cannot be recomputed from unsigned messages); the rest pass. */
function expectUnsignedCeremony(r: VerificationReport): void {
  expect(failedChecks(r), allFailures(r)).toEqual([1, 2]);
  expect(r.checks[1]!.status).toBe('skipped');
  expect(r.checks[1]!.skipped).toMatch(/not signed by their trustees' identity keys \(check 1\)/);
}

describe("a version-2 ceremony transcript must be the manifest trustees' (check 1)", () => {
  it('a message re-signed by an identity key the manifest does not list: check 1 names it', async () => {
    const stranger = generateTrusteeIdentity();
    const r = await withCeremony((t, dir) => resign(manifestCeremonyParams(dir), 'reveal', t.reveals[1], stranger));
    expectUnsignedCeremony(r);
    expect(failuresOf(r, 1)).toEqual([
      "ceremony.json transcript.reveals[1].identitySignature: this reveal is not signed by trustee 2's identity key: trustee 2 did not write it",
    ]);
  });

  it('a byte of a signature flipped: check 1 names the message', async () => {
    const r = await withCeremony((t) => (t.shares[4].identitySignature = flipHex(t.shares[4].identitySignature, 70)));
    expectUnsignedCeremony(r);
    expect(failuresOf(r, 1)).toEqual([
      expect.stringMatching(
        /^ceremony\.json transcript\.shares\[4\]\.identitySignature: this encrypted share is not signed by trustee 3's/,
      ),
    ]);
  });

  it("a trustee's identity key replaced in the transcript, its messages re-signed with it: check 1 says someone else acted as that trustee", async () => {
    const stranger = generateTrusteeIdentity();
    const r = await withCeremony((t, dir) => {
      t.identities[2] = stranger.publicKeyHex;
      // Signed under the transcript's parameters (same context: the manifest's hash), with the stranger's key.
      const params = manifestCeremonyParams(dir);
      resign(params, 'commitment', t.commitments[2], stranger);
      resign(params, 'reveal', t.reveals[2], stranger);
      for (const s of t.shares) if (s.sender === 3) resign(params, 'encrypted-share', s, stranger);
    });
    // The transcript is consistent with itself (check 2 passes): only the binding to the manifest fails.
    expect(failedChecks(r), allFailures(r)).toEqual([1]);
    expect(failuresOf(r, 1)).toEqual([
      `ceremony.json transcript.identities[2]: trustee 3's identity key (fingerprint ${stranger.fingerprint}) is not the one the manifest lists (fingerprint ZNM5-4P3R-XD49-TZS3-46ZM-5XHJ-66XH-E1QB): someone else acted as trustee 3`,
    ]);
  });

  it("the transcript's manifestSha256 another manifest's: check 1 (and no signature verifies under this manifest's ceremony)", async () => {
    const r = await withCeremony((t) => (t.manifestSha256 = flipHex(t.manifestSha256, 5)));
    expect(failedChecks(r)).toContain(1);
    expect(failuresOf(r, 1)).toContainEqual(
      expect.stringMatching(
        /^ceremony\.json transcript\.manifestSha256: not the SHA-256 of the manifest's canonical bytes \([0-9a-f]{64}\)/,
      ),
    );
  });

  it('a version-1 transcript (no identities, unsigned) for the version-2 manifest: check 1', async () => {
    const r = await withCeremony((t) => {
      t.version = 1;
      delete t.manifestSha256;
      delete t.identities;
      delete t.equivocations;
      for (const list of ['commitments', 'reveals', 'shares', 'complaints']) for (const m of t[list]) delete m.identitySignature;
    });
    expect(failedChecks(r)).toContain(1);
    expect(failuresOf(r, 1)).toContainEqual(
      expect.stringMatching(
        /^ceremony\.json transcript\.version: a version-1 transcript \(no trustee identities, unsigned messages\) for a version-2 manifest/,
      ),
    );
  });

  it('mutated identity signatures are always rejected, whichever message and bit (ceremony: check 1; decryption shares: check 7)', async () => {
    const ceremony = readJson(GOLDEN_V2, 'ceremony.json');
    const shares = readJson(GOLDEN_V2, 'decryption-shares.json').shares as any[];
    const lists = ['commitments', 'reveals', 'shares'] as const;
    const targets = [
      ...lists.flatMap((list) => (ceremony[list] as unknown[]).map((_, k) => ({ list, k }) as const)),
      ...shares.map((_, k) => ({ list: 'decryption' as const, k })),
    ];
    const flipBit = (hex: string, bit: number): string => {
      const b = Buffer.from(hex, 'hex');
      b[bit >> 3]! ^= 1 << (bit & 7);
      return b.toString('hex');
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.integer({ min: 0, max: 511 }), async (target, bit) => {
        if (target.list === 'decryption') {
          const r = await withShareMessage(target.k, (m) => (m.identitySignature = flipBit(m.identitySignature, bit)));
          expect(failedChecks(r), allFailures(r)).toEqual([7]);
          expect(failuresOf(r, 7)).toContainEqual(
            expect.stringContaining(`trustee ${shares[target.k].trustee}: unsigned: not signed by the identity key the manifest lists`),
          );
        } else {
          const r = await withCeremony((t) => {
            const m = t[target.list][target.k];
            m.identitySignature = flipBit(m.identitySignature, bit);
          });
          expectUnsignedCeremony(r);
          expect(r.checks[0]!.failures.map((f) => f.path)).toEqual([`transcript.${target.list}[${target.k}].identitySignature`]);
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('every decryption-share message of a version-2 election is signed by its trustee (check 7)', () => {
  it('a signature that does not verify: check 7 names the trustee, and it is not counted towards t', async () => {
    const r = await withShareMessage(1, (m) => (m.identitySignature = flipHex(m.identitySignature, 0)));
    expect(failedChecks(r), allFailures(r)).toEqual([7]);
    const f = failuresOf(r, 7);
    expect(f).toContainEqual(
      expect.stringMatching(
        /^board\.jsonl payload\.shares: trustee 3: unsigned: not signed by the identity key the manifest lists for trustee 3 \(fingerprint ZNM5-4P3R-XD49-TZS3-46ZM-5XHJ-66XH-E1QB\): trustee 3 did not write it$/,
      ),
    );
    // t = 2 and two messages: one left out leaves too few; trustee 3 is listed as invalid (trustee 2 sent nothing).
    expect(f).toContainEqual(expect.stringMatching(/\(trustees 1\), threshold t = 2; missing: 2; invalid: trustee 3 \(unsigned\)$/));
  });

  it('no identity signature at all: check 7 names the trustee', async () => {
    const r = await withShareMessage(0, (m) => delete m.identitySignature);
    expect(failedChecks(r), allFailures(r)).toEqual([7]);
    expect(failuresOf(r, 7)).toContainEqual(
      "board.jsonl payload.shares.identitySignature: trustee 1: the message has no identity signature; in a version-2 election every decryption-share message is signed by its trustee's identity key",
    );
  });

  it('a message signed by another trustee (trustee 1 signs as trustee 3): check 7', async () => {
    const dir = copyRecord(GOLDEN_V2);
    const other = generateTrusteeIdentity(); // stands for trustee 1's key: any key but trustee 3's
    const params = manifestCeremonyParams(dir);
    const r = await withShareMessage(1, (m) => resign(params, 'decryption-share', m, other));
    expect(failedChecks(r), allFailures(r)).toEqual([7]);
    expect(failuresOf(r, 7).join('\n')).toMatch(/trustee 3: unsigned/);
  });
});

describe("the record's version is its manifest's (check 1)", () => {
  it('record.json version 1 over a version-2 manifest: check 1', async () => {
    const dir = copyRecord(GOLDEN_V2);
    writeJson(dir, 'record.json', { ...readJson<object>(dir, 'record.json'), version: 1 });
    const r = await verifyRecord(dir);
    expect(failedChecks(r), allFailures(r)).toEqual([1]);
    expect(failuresOf(r, 1)).toEqual([
      "record.json version: a version-1 record with a version-2 manifest: a record has its manifest's version (docs/record.md §4)",
    ]);
  });

  it('a version-2 record in the making (no record.json) is read as version 2, from its manifest', async () => {
    const r = await verifyRecord(inTheMaking(copyRecord(GOLDEN_V2)), { upTo: 'tally' });
    expect(r.ok, allFailures(r)).toBe(true);
    expect(r.recordVersion).toBe(2);
    expect(r.notes).toEqual([]);
    // Check 1 holds the trustees to the manifest before the decryption too.
    const dir = copyRecord(GOLDEN_V2);
    const t = readJson(dir, 'ceremony.json');
    t.commitments[0].identitySignature = flipHex(t.commitments[0].identitySignature, 3);
    publishCeremony(dir, t);
    const bad = await verifyRecord(inTheMaking(dir), { upTo: 'tally' });
    expect(bad.ok).toBe(false);
    expect(bad.checks[0]!.failures.map((f) => f.path)).toEqual(['transcript.commitments[0].identitySignature']);
  });
});

/**
 * A small election over the ceremony `ceremony` makes, its record written to a new directory,
 * on the authority's path: registerVoters, openElection, castBallots, then the demo's close,
 * tally, decryption and publish. openElection refuses a transcript whose trustees are not the
 * manifest's; with `forged`, after checking that refusal, the directory is opened as the
 * platform that forged the ceremony would open it, without those checks (its files and board
 * written directly).
 */
async function electionOver(
  manifestIdentities: readonly TrusteeIdentity[],
  ceremony: (manifest: Manifest) => DemoCeremony<any>,
  decryptSeed: string,
  o: { forged?: boolean } = {},
): Promise<string> {
  const dir = tempDir();
  const manifest = demoManifest({
    candidates: 2,
    grades: 2,
    trustees: 3,
    threshold: 2,
    identities: manifestIdentities.map((id) => id.publicKeyHex),
  });
  const { transcript, keys } = ceremony(manifest);
  const registration = registerVoters(ristretto255, manifest, numberedVoters(3));
  const inputs = { manifest, ceremony: transcript.toJson(), credentials: credentialListToJson(registration.list) };
  let d: ElectionDirectory<any>;
  if (o.forged) {
    expect(() => openElection(dir, inputs)).toThrow(/identity key of trustee 2 is not the one the manifest lists/);
    d = openAsForger(dir, manifest, transcript, registration.list);
  } else d = openElection(dir, inputs);
  const lines = registration.deliveries.map((x, v) =>
    JSON.stringify(
      ballotToJson(encryptBallot(d.election, credentialFromCode(ristretto255, manifest.electionId, x.code), [v % 2, (v + 1) % 2]).cast()),
    ),
  );
  const answers = await castBallots(d, lines);
  expect(answers.map((a) => a.accepted)).toEqual([true, true, true]);
  await finishElection(d, keys, new SeededRandom(decryptSeed));
  return dir;
}

/**
 * What a platform that skips openElection's checks writes: the manifest, its own transcript and
 * the credential list, and a board set up over them; the later steps take it from there.
 */
function openAsForger(
  dir: string,
  manifest: Manifest,
  transcript: CeremonyTranscript<any>,
  credentials: CredentialList<any>,
): ElectionDirectory<any> {
  const election = createElection(manifest, electionKeysFromTranscript(transcript), { group: ristretto255 });
  const ceremonyJson = transcript.toJson();
  writeJsonFile(dir, 'manifest.json', manifest);
  writeJsonFile(dir, 'ceremony.json', ceremonyJson);
  writeJsonFile(dir, 'credentials.json', credentialListToJson(credentials));
  const ceremonySha256 = canonicalSha256(ceremonyJson);
  BallotBox.create(join(dir, 'board.jsonl'), election, credentials, ceremonySha256).close();
  return { dir, manifest, group: ristretto255, transcript, election, credentials, ceremonySha256 };
}

/** A seed whose SeededRandom picks trustees `want` (of 3, t = 2) first: closeElection's choice of decrypting trustees. */
function seedPicking(want: readonly number[]): string {
  for (let i = 0; ; i++) if (JSON.stringify(new SeededRandom(`pick-${i}`).subset(3, 2)) === JSON.stringify(want)) return `pick-${i}`;
}

describe('forged trustees: the platform runs trustees 2 and 3 itself (issue 20 §1)', () => {
  const real = [generateTrusteeIdentity(), generateTrusteeIdentity(), generateTrusteeIdentity()];
  const forged = [real[0]!, generateTrusteeIdentity(), generateTrusteeIdentity()];
  let dir: string;

  beforeAll(async () => {
    // The manifest lists the real trustees; the platform relays trustee 1's messages as they are
    // and plays trustees 2 and 3 with identities of its own (the same ceremony context: the
    // manifest's hash), so that trustees 2 and 3 — itself — can decrypt anything alone.
    dir = await electionOver(
      real,
      (manifest) => {
        const params = ceremonyParams(ristretto255, {
          ceremonyId: manifest.electionId,
          n: 3,
          t: 2,
          binding: { manifestSha256: manifestSha256(manifest), identities: forged.map((id) => id.publicKey) },
        });
        return runTrusteeCeremony(params, forged);
      },
      seedPicking([2, 3]),
      { forged: true },
    );
  });

  it("with its own trustees' keys in the transcript: mjvote verify fails check 1 naming trustees 2 and 3, and check 7 their shares", async () => {
    const r = await mjvote(['verify', dir, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as VerificationReport;
    expect(report.checks.filter((c) => c.status !== 'pass' && c.number !== 10).map((c) => c.number)).toEqual([1, 7]);
    expect(report.checks[0]!.failures.map((f) => f.path)).toEqual(['transcript.identities[1]', 'transcript.identities[2]']);
    expect(report.checks[0]!.failures.map((f) => f.reason).join('\n')).toMatch(
      /someone else acted as trustee 2[\s\S]*someone else acted as trustee 3/,
    );
    const shares = report.checks[6]!.failures.map((f) => f.reason).join('\n');
    expect(shares).toMatch(/trustee 2: unsigned: not signed by the identity key the manifest lists for trustee 2/);
    expect(shares).toMatch(/trustee 3: unsigned: not signed by the identity key the manifest lists for trustee 3/);
  });

  it("with the manifest's keys copied into the transcript: check 1 names every message of trustees 2 and 3", async () => {
    const copy = copyRecord(dir);
    const t = readJson(copy, 'ceremony.json');
    t.identities = real.map((id) => id.publicKeyHex);
    publishCeremony(copy, t);
    const r = await verifyRecord(copy);
    expect(r.ok).toBe(false);
    expect(failedChecks(r)).toEqual(expect.arrayContaining([1, 7]));
    const signers = r.checks[0]!.failures.map((f) => /not signed by trustee (\d)/.exec(f.reason)?.[1]);
    // Trustee 2's and 3's commitment, reveal and two shares each: eight messages, none of trustee 1.
    expect(signers.sort()).toEqual(['2', '2', '2', '2', '3', '3', '3', '3']);
  });
});

describe('equivocation evidence in a version-2 record', () => {
  let dir: string;
  const ids = [generateTrusteeIdentity(), generateTrusteeIdentity(), generateTrusteeIdentity()];

  beforeAll(async () => {
    // Trustee 3 signs two different round-1 commitments; the relay delivers both. The ceremony
    // goes on with trustees 1 and 2, and the transcript keeps both messages as evidence.
    dir = await electionOver(
      ids,
      (manifest): DemoCeremony<any> => {
        const params = ceremonyParamsForManifest(ristretto255, manifest);
        const r1 = [1, 2, 3].map((i) => beginCeremony(params, i, { identity: ids[i - 1]! }).commit());
        const second = beginCeremony(params, 3, { identity: ids[2]! }).commit().message;
        const commitments = r1.map((r) => r.message);
        const r2 = r1.map((r) => r.next.reveal(commitments));
        const reveals = r2.map((r) => r.reveal);
        const shares = r2.flatMap((r) => r.shares);
        const r3 = r2.map((r) => r.next.check(reveals, shares));
        const all = taggedMessages({ commitments, reveals, shares, complaints: r3.flatMap((r) => r.complaints) });
        const collected = collectCeremonyMessages(params, [...all, { kind: 'commitment', message: second }]);
        expect(collected.equivocations.map((e) => e.trustee)).toEqual([3]);
        const keys = new Map<number, TrusteeKey<any>>();
        for (const j of [1, 2]) keys.set(j, r3[j - 1]!.next.finish(collected).key);
        return { transcript: buildCeremonyTranscript(params, collected), keys };
      },
      'equivocation',
    );
  });

  it('verifies, with trustee 3 disqualified for equivocation and the two messages kept', async () => {
    const r = await verifyRecord(dir);
    expect(r.ok, allFailures(r)).toBe(true);
    const t = readJson(dir, 'ceremony.json');
    expect(t.equivocations.map((e: any) => [e.trustee, e.kind, e.messages.length])).toEqual([[3, 'commitment', 2]]);
    expect(t.result.qualified).toEqual([1, 2]);
    expect(t.result.disqualified.map((d: any) => [d.trustee, d.code])).toEqual([[3, 'equivocation']]);
  });

  it('the evidence removed (the disqualification kept): check 2', async () => {
    const copy = copyRecord(dir);
    const t = readJson(copy, 'ceremony.json');
    t.equivocations = [];
    publishCeremony(copy, t);
    const r = await verifyRecord(copy);
    expect(failedChecks(r), allFailures(r)).toEqual([2]);
    expect(r.checks[1]!.failures.map((f) => f.path)).toContain('ceremony.disqualifications');
  });

  it('evidence whose second message is not signed by the trustee: check 2 says it proves nothing', async () => {
    const copy = copyRecord(dir);
    const t = readJson(copy, 'ceremony.json');
    const m = t.equivocations[0].messages[1];
    m.identitySignature = toHex(new Uint8Array(64).fill(1));
    publishCeremony(copy, t);
    const r = await verifyRecord(copy);
    expect(failedChecks(r), allFailures(r)).toEqual([2]);
    expect(r.checks[1]!.failures).toEqual([
      expect.objectContaining({
        path: 'ceremony.equivocations',
        reason: expect.stringMatching(
          /^equivocations\[0\] \(trustee 3\) proves nothing: a message is not signed by trustee 3's identity key/,
        ),
      }),
    ]);
  });
});
