/**
 * `mjvote election` and `mjvote vote` in-process: each step's files, answers, exit codes and
 * refusals. The ceremony and the trustees' share files are made with the library here (the
 * process-separated test in election-e2e.test.ts runs the trustees' commands too).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';
import { parseManifest } from '../../src/election/manifest.js';
import { generateTrusteeIdentity } from '../../src/election/trustee-identity.js';
import { ceremonyParamsForManifest } from '../../src/ceremony/params.js';
import { runTrusteeCeremony } from '../../src/demo/simulate.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
import { decryptionShareFileToJson } from '../../src/decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../../src/decrypt/tally.js';
import { parseEncryptedTally } from '../../src/tally/aggregate.js';
import { canonicalSha256 } from '../../src/json/canonical.js';
import { readElectionDirectory } from '../../src/authority/election-directory.js';
import { verifyRecord } from '../../src/verify/verify-record.js';

const tmp = mkdtempSync(join(tmpdir(), 'mjvote-election-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (name: string): string => join(tmp, name);

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: { ...env } };
  const code = await main(args, io);
  return { code, out, err };
}

const ids = [generateTrusteeIdentity(), generateTrusteeIdentity(), generateTrusteeIdentity()];
ids.forEach((id, k) => writeFileSync(at(`identity-${k + 1}.pub.json`), JSON.stringify({ publicKey: id.publicKeyHex })));

describe('mjvote election new', () => {
  it('writes a version-2 manifest from options and prints the fingerprints to compare', async () => {
    const r = await run([
      'election',
      'new',
      '--out',
      at('manifest.json'),
      '--id',
      'cli-election',
      '--title',
      'Primaire de test',
      '--candidate',
      'a=Ada',
      '--candidate',
      'b=Bob',
      '--grade',
      'Très bien',
      '--grade',
      'Bien',
      '--grade',
      'Insuffisant',
      '--threshold',
      '2',
      ...ids.flatMap((_, k) => ['--identity', at(`identity-${k + 1}.pub.json`)]),
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const m = parseManifest(readFileSync(at('manifest.json')));
    expect(m).toMatchObject({ version: 2, electionId: 'cli-election', trustees: { n: 3, t: 2 } });
    for (const id of ids) expect(r.out).toContain(id.fingerprint);
  });

  it('reads the same from --from, and refuses a replaced file, a bad threshold or no identities', async () => {
    const input = {
      electionId: 'from-file',
      title: 'T',
      candidates: [{ id: 'x', name: 'X' }],
      grades: ['Oui', 'Non'],
      threshold: 1,
      identities: [ids[0]!.publicKeyHex],
    };
    writeFileSync(at('input.json'), JSON.stringify(input));
    expect((await run(['election', 'new', '--out', at('m2.json'), '--from', at('input.json')])).code).toBe(0);
    expect(parseManifest(readFileSync(at('m2.json'))).group).toBe('ristretto255');
    const again = await run(['election', 'new', '--out', at('m2.json'), '--from', at('input.json')]);
    expect([again.code, again.err]).toEqual([2, expect.stringContaining('never replaces')]);
    writeFileSync(at('bad-t.json'), JSON.stringify({ ...input, threshold: 2 }));
    const badT = await run(['election', 'new', '--out', at('m3.json'), '--from', at('bad-t.json')]);
    expect([badT.code, badT.err]).toEqual([2, expect.stringContaining('manifest.trustees.t')]);
    const none = await run([
      'election',
      'new',
      '--out',
      at('m4.json'),
      '--id',
      'x',
      '--title',
      'x',
      '--candidate',
      'a=A',
      '--grade',
      'g1',
      '--grade',
      'g2',
      '--threshold',
      '1',
    ]);
    expect([none.code, none.err]).toEqual([2, expect.stringContaining('no trustee identity')]);
  });
});

describe('mjvote election register, open, cast, close, tally, publish, status; mjvote vote', () => {
  it('runs an election whose record verifies', async () => {
    const manifest = parseManifest(readFileSync(at('manifest.json')));
    // The registrar.
    writeFileSync(at('voters.csv'), 'email,name\nada@example.org,Ada\nbob@example.org,Bob\ncy@example.org,Cy\n');
    const reg = await run([
      'election',
      'register',
      '--manifest',
      at('manifest.json'),
      '--voters',
      at('voters.csv'),
      '--delivery-out',
      at('delivery.csv'),
      '--credentials-out',
      at('credentials.json'),
    ]);
    expect(reg.code).toBe(0);
    expect(statSync(at('delivery.csv')).mode & 0o777).toBe(0o600);
    const delivery = readFileSync(at('delivery.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(delivery.map((r) => r[0])).toEqual(['ada@example.org', 'bob@example.org', 'cy@example.org']);
    for (const [, code] of delivery) expect(reg.out + reg.err).not.toContain(code);
    // The trustees (library here).
    const params = ceremonyParamsForManifest(ristretto255, manifest);
    const { transcript, keys } = runTrusteeCeremony(params, ids);
    writeFileSync(at('ceremony.json'), JSON.stringify(transcript.toJson()));
    // The organiser opens.
    const dir = at('election');
    const bad = await run([
      'election',
      'open',
      dir,
      '--manifest',
      at('m2.json'),
      '--ceremony',
      at('ceremony.json'),
      '--credentials',
      at('credentials.json'),
    ]);
    expect([bad.code, bad.err]).toEqual([1, expect.stringContaining("not this manifest's ceremony")]);
    const open = await run([
      'election',
      'open',
      dir,
      '--manifest',
      at('manifest.json'),
      '--ceremony',
      at('ceremony.json'),
      '--credentials',
      at('credentials.json'),
    ]);
    expect(open.code, open.err).toBe(0);
    expect(open.out).toMatch(/3 registered voters/);
    expect(open.out).toMatch(
      /\nreceipt key: [0-9a-f]{64} \(the ballot box's; its secret is .*box-key\.json: keep it there, never publish it\)\n/,
    );
    // Voters.
    const vote = async (k: number, grades: string[], extra: string[] = []): Promise<{ code: number; out: string; err: string }> => {
      writeFileSync(at(`code-${k}`), `${delivery[k]![1]}\n`);
      return run(['vote', '--election', dir, '--code-file', at(`code-${k}`), ...grades.flatMap((g) => ['--grade', g]), ...extra]);
    };
    const v0 = await vote(0, ['a=Très bien', 'b=bien']);
    expect(v0.code, v0.err).toBe(0);
    const tracking0 = /tracking code ([0-9A-Z-]+)/.exec(v0.err)![1]!;
    const v1 = await vote(1, ['a=Insuffisant', 'b=Très bien']);
    const audit = await vote(2, ['a=Bien', 'b=Bien'], ['--audit']);
    expect(audit.err).toContain('AUDITED');
    expect(JSON.parse(audit.out)).toHaveProperty('opening');
    const missing = await vote(2, ['a=Bien']);
    expect([missing.code, missing.err]).toEqual([2, expect.stringContaining('missing: b')]);
    const typo = await run(['vote', '--election', dir, '--grade', 'a=Bien', '--grade', 'b=Bien'], { MJVOTE_CREDENTIAL_CODE: 'AAAA' });
    expect(typo.code).toBe(2);
    const v2 = await vote(2, ['a=Bien', 'b=Insuffisant']);
    writeFileSync(at('ballots.jsonl'), v0.out + v1.out + audit.out + v2.out + v0.out + 'not json\n');
    const cast = await run(['election', 'cast', dir, at('ballots.jsonl'), '--json']);
    expect(cast.code).toBe(1);
    const answers = cast.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => (a.accepted ? (a.audit ? 'audit' : 'ok') : a.code))).toEqual([
      'ok',
      'ok',
      'audit',
      'ok',
      'duplicate',
      'malformed',
    ]);
    expect(answers[0].trackingCode).toBe(tracking0);
    const status = await run(['election', 'status', dir, '--json']);
    expect(JSON.parse(status.out)).toMatchObject({ phase: 'open', registered: 3, ballots: 3, voters: 3, audits: 1 });
    expect((await run(['election', 'close', dir])).code).toBe(0);
    const tally = await run(['election', 'tally', dir]);
    expect(tally.code, tally.err).toBe(0);
    const head = /board head: ([0-9a-f]{64})/.exec(tally.out)![1]!;
    // Trustees 2 and 3 decrypt (what mjvote trustee decrypt writes).
    const d = readElectionDirectory(dir);
    const tallyJson = JSON.parse(readFileSync(join(dir, 'tally.json'), 'utf8'));
    const t = parseEncryptedTally(ristretto255, tallyJson, 2, 3);
    for (const j of [2, 3])
      writeFileSync(
        at(`share-${j}.json`),
        JSON.stringify(
          decryptionShareFileToJson(
            params,
            {
              electionId: manifest.electionId,
              fingerprintHex: d.election.fingerprintHex,
              tallySha256: canonicalSha256(tallyJson),
              boardHead: head,
            },
            decryptionShares(ristretto255, keys.get(j)!, flattenTally(t), tallyDecryptionContext(d.election)),
          ),
        ),
      );
    const few = await run(['election', 'publish', dir, '--shares', at('share-2.json')]);
    expect([few.code, few.err]).toEqual([1, expect.stringContaining('threshold t = 2')]);
    const pub = await run(['election', 'publish', dir, '--shares', at('share-2.json'), '--shares', at('share-3.json')]);
    expect(pub.code, pub.err).toBe(0);
    expect(pub.out).toMatch(/Ada|Bob/);
    expect(JSON.parse((await run(['election', 'status', dir, '--json'])).out)).toMatchObject({ phase: 'published', decryptionShares: 2 });
    const report = await verifyRecord(dir);
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.failures.length > 0))).toBe(true);
  });

  it('every step has --help and refuses a missing directory', async () => {
    for (const step of ['new', 'register', 'open', 'cast', 'close', 'tally', 'publish', 'status']) {
      const h = await run(['election', step, '--help']);
      expect([h.code, h.out]).toEqual([0, expect.stringContaining(`mjvote election ${step}`)]);
    }
    expect((await run(['vote', '--help'])).code).toBe(0);
    expect((await run(['election', 'close'])).code).toBe(2);
    expect((await run(['election', 'bogus'])).code).toBe(2);
  });
});
