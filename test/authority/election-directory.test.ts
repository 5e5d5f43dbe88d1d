/**
 * The election authority's steps over an election directory (issue 21): open from a manifest, a
 * ceremony transcript and a credential list; cast; close; tally; publish from the trustees'
 * share files; status — ending in a record the verifier accepts.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest, type Manifest } from '../../src/election/manifest.js';
import { generateTrusteeIdentity } from '../../src/election/trustee-identity.js';
import { credentialFromCode, credentialListToJson } from '../../src/election/credential.js';
import { ceremonyParamsForManifest } from '../../src/ceremony/params.js';
import { runTrusteeCeremony } from '../../src/demo/simulate.js';
import type { TrusteeKey } from '../../src/ceremony/trustee-key.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { castBallot, encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { openingToJson } from '../../src/ballot/opening.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
import { decryptionShareFileToJson } from '../../src/decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../../src/decrypt/tally.js';
import { canonicalSha256 } from '../../src/json/canonical.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import {
  castBallots,
  checkElectionInputs,
  closeElection,
  electionStatus,
  openElection,
  publishElection,
  readElectionDirectory,
  tallyElection,
} from '../../src/authority/election-directory.js';
import { deliveryCsv, numberedVoters, parseVoterList, registerVoters } from '../../src/authority/register.js';

const g = ristretto255;
const tmp = mkdtempSync(join(tmpdir(), 'mjvote-authority-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const identities = [generateTrusteeIdentity(), generateTrusteeIdentity(), generateTrusteeIdentity()];
const manifest: Manifest = parseManifest({
  version: 2,
  electionId: 'authority-test',
  title: 'Élection de test',
  candidates: [
    { id: 'a', name: 'Ada' },
    { id: 'b', name: 'Bob' },
    { id: 'c', name: 'Cy' },
  ],
  grades: ['Très bien', 'Bien', 'Passable', 'Insuffisant'],
  group: 'ristretto255',
  trustees: { n: 3, t: 2, identities: identities.map((x) => x.publicKeyHex) },
});

function ceremony(): { transcriptJson: unknown; keys: Map<number, TrusteeKey<unknown>> } {
  const { transcript, keys } = runTrusteeCeremony(ceremonyParamsForManifest(g, manifest), identities);
  return { transcriptJson: JSON.parse(JSON.stringify(transcript.toJson())), keys };
}

const { transcriptJson, keys } = ceremony();

describe('registering voters', () => {
  it('reads a CSV voter list by column, and refuses duplicates and empty ids naming the line', () => {
    const csv = '\ufeffemail,name\r\nada@example.org,Ada\r\n"bob@example.org","Bob, Jr."\r\n';
    expect(parseVoterList(csv)).toEqual(['ada@example.org', 'bob@example.org']);
    expect(parseVoterList(csv, { column: 'name' })).toEqual(['Ada', 'Bob, Jr.']);
    expect(() => parseVoterList(csv, { column: 'phone' })).toThrow(/no column named "phone"/);
    expect(() => parseVoterList('id\nx\ny\nx\n')).toThrow(expect.objectContaining({ path: 'voters:line 4' }));
    expect(() => parseVoterList('id,n\nx,1\n,2\n')).toThrow(expect.objectContaining({ path: 'voters:line 3' }));
    expect(() => parseVoterList('id\n')).toThrow(/at least one voter/);
    expect(numberedVoters(3)).toEqual(['1', '2', '3']);
  });

  it('makes one credential per voter; the public list is shuffled and the delivery file is CSV', () => {
    const voters = numberedVoters(40);
    const r = registerVoters(g, manifest, voters);
    expect(r.deliveries.map((d) => d.voter)).toEqual(voters);
    const keysInOrder = r.deliveries.map((d) => credentialFromCode(g, manifest.electionId, d.code).publicKeyHex);
    const listed = credentialListToJson(r.list).credentials;
    expect([...listed].sort()).toEqual([...keysInOrder].sort());
    expect(listed).not.toEqual(keysInOrder); // 1/40! chance of a false failure
    const csv = deliveryCsv(manifest, r.deliveries.slice(0, 2));
    expect(csv.split('\n')[0]).toBe('voter,code,electionId,title');
    expect(csv.split('\n')[1]).toBe(`1,${r.deliveries[0]!.code},authority-test,Élection de test`);
  });
});

describe('an election directory from open to publish', () => {
  const dir = join(tmp, 'election');
  const voters = registerVoters(g, manifest, numberedVoters(6));
  const credentials = credentialListToJson(voters.list);

  it('refuses inputs that do not fit together, naming what', () => {
    const v1 = { ...JSON.parse(JSON.stringify(manifest)), version: 1, trustees: { n: 3, t: 2 } };
    expect(() => checkElectionInputs(v1, transcriptJson, credentials)).toThrow(/version 1/);
    const other = { ...JSON.parse(JSON.stringify(manifest)), candidates: [{ id: 'a', name: 'Ada' }] };
    expect(() => checkElectionInputs(other, transcriptJson, credentials)).toThrow(/not this manifest's ceremony/);
    const wrongList = { ...credentials, electionId: 'elsewhere' };
    expect(() => checkElectionInputs(manifest, transcriptJson, wrongList)).toThrow(
      expect.objectContaining({ path: 'credentials.electionId' }),
    );
  });

  it('runs the whole election and the record verifies', async () => {
    const opened = openElection(join(dir), { manifest, ceremony: transcriptJson, credentials });
    expect(opened.checkpoint.entries).toBe(2);
    const d = readElectionDirectory(dir);
    const ballot = (k: number, grades: number[]): string => {
      const cred = credentialFromCode(g, manifest.electionId, voters.deliveries[k]!.code);
      return JSON.stringify(ballotToJson(castBallot(encryptBallot(d.election, cred, grades))));
    };
    const audited = encryptBallot(d.election, credentialFromCode(g, manifest.electionId, voters.deliveries[4]!.code), [1, 2, 3]);
    const opening = openingToJson(d.election, audited.audit());
    const auditLine = JSON.stringify({ ballot: ballotToJson(audited.ballot), opening });
    const lines = [ballot(0, [0, 1, 3]), ballot(1, [1, 1, 2]), ballot(2, [0, 2, 3]), '{"not":', ballot(0, [3, 0, 0]), auditLine, auditLine];
    const answers = await castBallots(d, lines);
    const kind = (a: (typeof answers)[number]): string =>
      'audit' in a ? (a.accepted ? 'audit' : a.code) : a.accepted ? (a.revote ? 'revote' : 'ok') : a.code;
    expect(answers.map(kind)).toEqual(['ok', 'ok', 'ok', 'malformed', 'revote', 'audit', 'already-audited']);
    // The audit's answer names the tracking code the voter saw.
    expect(answers[5]).toMatchObject({ audit: true, accepted: true, trackingCode: audited.trackingCode });
    // An audited ballot is never castable afterwards.
    expect(await castBallots(d, [JSON.stringify(ballotToJson(audited.ballot))])).toEqual([
      expect.objectContaining({ accepted: false, code: 'audited' }),
    ]);
    expect(await castBallots(d, [lines[1]!])).toEqual([expect.objectContaining({ accepted: false, code: 'duplicate' })]);
    const st = await electionStatus(join(dir, 'board.jsonl'), manifest.electionId);
    expect(st).toMatchObject({ phase: 'open', registered: 6, ballots: 4, voters: 3, audits: 1 });
    await closeElection(d);
    expect(await castBallots(d, [ballot(3, [0, 0, 0])])).toEqual([expect.objectContaining({ accepted: false, code: 'sealed' })]);
    const { tally, head, tallySha256 } = await tallyElection(d);
    expect(tally.ballots).toBe(3);
    expect(tallySha256).toBe(canonicalSha256(JSON.parse(readFileSync(join(dir, 'tally.json'), 'utf8'))));
    // Trustees 1 and 3 decrypt (what `mjvote trustee decrypt` writes).
    const shareFile = (j: number): { name: string; json: unknown } => {
      const m = decryptionShares(d.group, keys.get(j)!, flattenTally(tally), tallyDecryptionContext(d.election));
      return {
        name: `share-${j}.json`,
        json: JSON.parse(
          JSON.stringify(
            decryptionShareFileToJson(
              d.transcript.params,
              { electionId: manifest.electionId, fingerprintHex: d.election.fingerprintHex, tallySha256, boardHead: head },
              m,
            ),
          ),
        ),
      };
    };
    const s1 = shareFile(1);
    await expect(publishElection(d, [s1])).rejects.toThrow(expect.objectContaining({ code: 'insufficient-shares' }));
    await expect(publishElection(d, [s1, { ...s1, json: { ...(s1.json as object), boardHead: '00'.repeat(32) } }])).rejects.toThrow(
      /two different decryption-share files from trustee 1/,
    );
    const pub = await publishElection(d, [s1, s1, shareFile(3)]);
    expect(pub.combined.valid).toEqual([1, 3]);
    // Voter 1's revote [3, 0, 0] counts, not its first ballot: merit profiles, best grade first.
    expect(pub.combined.plaintexts).toEqual([1n, 1n, 0n, 1n, 1n, 1n, 1n, 0n, 1n, 0n, 1n, 1n]);
    expect(pub.result.ranking.map((r) => r.candidate).sort()).toEqual(['Ada', 'Bob', 'Cy']);
    const st2 = await electionStatus(join(dir, 'board.jsonl'), manifest.electionId);
    expect(st2).toMatchObject({ phase: 'published', decryptionShares: 2, head: pub.head });
    const report = await verifyRecord(dir);
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.failures.length > 0))).toBe(true);
    // After the decryption, tallying again is out of order (the board moved on).
    await expect(tallyElection(d)).rejects.toThrow(/published; its tally was decrypted already/);
    await expect(closeElection(d)).rejects.toThrow(/closed and tallied already/);
  });

  it('refuses a board cut back to an earlier line (the checkpoint)', async () => {
    const dir2 = join(tmp, 'rolled-back');
    openElection(dir2, { manifest, ceremony: transcriptJson, credentials });
    const d = readElectionDirectory(dir2);
    const cred = credentialFromCode(g, manifest.electionId, voters.deliveries[0]!.code);
    const before = statSync(join(dir2, 'board.jsonl')).size;
    const line = JSON.stringify(ballotToJson(castBallot(encryptBallot(d.election, cred, [0, 0, 0]))));
    expect((await castBallots(d, [line]))[0]!.accepted).toBe(true);
    truncateSync(join(dir2, 'board.jsonl'), before);
    await expect(castBallots(d, [line])).rejects.toThrow(/rolled back/);
  });
});
