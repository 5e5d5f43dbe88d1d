/**
 * `mjvote trustee`: whole ceremonies driven only through the command line (in-process `main()`,
 * each trustee with its own directory, identity file and state file, public messages through a
 * shared "platform" directory), then the decryption of a small election's tally whose key came
 * from that ceremony, and every refusal and error the steps must give. The helpers (and the
 * record a platform builds around the ceremony) are in trustee-helpers.ts.
 */
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { readHiddenLine } from '../../src/cli/trustee-state.js';
import { expandListOptions } from '../../src/cli/options.js';
import type { Election } from '../../src/election/election.js';
import { generateTrusteeIdentity, trusteeIdentitySecret } from '../../src/election/trustee-identity.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { encryptedTallyToJson } from '../../src/tally/aggregate.js';
import { ceremonyParamsForManifest } from '../../src/ceremony/params.js';
import { parseCeremonyTranscript, verifyCeremonyTranscript } from '../../src/ceremony/transcript.js';
import { importTrusteeState } from '../../src/ceremony/state-file.js';
import { importTrusteeIdentity } from '../../src/ceremony/identity-file.js';
import { trusteeStateData, type TrusteeRound3 } from '../../src/ceremony/trustee.js';
import { TrusteeKey, trusteeSecretShare } from '../../src/ceremony/trustee-key.js';
import { encryptShare } from '../../src/ceremony/share-encryption.js';
import { evaluatePolynomial } from '../../src/ceremony/polynomial.js';
import { encryptedShareBodyJson, encryptedShareToJson } from '../../src/ceremony/wire.js';
import { signAsTrustee } from '../../src/ceremony/signatures.js';
import { toHex } from '../../src/bytes.js';
import {
  asTrustee,
  buildRecord,
  checkAll,
  expectOk,
  expectOneLineError,
  forgedRecord,
  g,
  indices,
  initAll,
  initArgs,
  jointKeyLine,
  libraryCeremony,
  manifestFor,
  mjvote,
  newCeremony,
  pass,
  printed,
  readJson,
  revealAll,
  writeJson,
  type Ceremony,
  type Run,
} from './trustee-helpers.js';

describe('mjvote trustee: a 3-of-5 ceremony and a tally decryption, only through the command line', () => {
  let c: Ceremony;
  let record: string;
  let ceremonyJson: string;
  let expected: bigint[][] = [];
  let election: Election<any>;
  beforeAll(async () => {
    c = await newCeremony('main', 'club-2025', 5, 3);
    record = join(c.dir, 'record');
    ceremonyJson = join(c.dir, 'ceremony.json');
  });

  it('init, reveal, check, finish: every trustee ends with a key share and the same joint key; the transcript verifies', async () => {
    // Trustee 2 keeps its passphrase in a file instead of the environment.
    const passFile = join(c.home(2), 'passphrase.txt');
    writeFileSync(passFile, `${pass(2)}\n`, { mode: 0o600 });
    await initAll(c, indices(5));
    expect(readdirSync(c.platform).sort()).toEqual(['commit-1.json', 'commit-2.json', 'commit-3.json', 'commit-4.json', 'commit-5.json']);
    const header = readJson(c.state(1));
    expect(header).toMatchObject({
      format: 'mjvote-trustee-state',
      round: 2,
      trustee: 1,
      ceremony: 'club-2025',
      ceremonyVersion: 2,
      identities: c.manifest.trustees.identities,
      kdf: { name: 'scrypt', logN: 4 },
    });

    // Round 2: a shell glob gives the commitments as several words after one option.
    await revealAll(c, [1, 3, 4, 5]);
    const commits = indices(5).map((i) => join(c.platform, `commit-${i}.json`));
    expectOk(
      await mjvote([
        'trustee',
        'reveal',
        '--state',
        c.state(2),
        '--passphrase-file',
        passFile,
        '--commitments',
        ...commits,
        '--out',
        join(c.platform, 'reveal-2.json'),
        '--shares-out',
        join(c.platform, 'shares-2.json'),
      ]),
    );
    expect(readJson(join(c.platform, 'shares-3.json')).message.map((s: any) => s.recipient)).toEqual([1, 2, 4, 5]);

    await checkAll(c, indices(5));
    for (const i of indices(5))
      expect(readJson(join(c.platform, `complaints-${i}.json`))).toMatchObject({ kind: 'complaints', trustee: i, message: [] });

    // Anyone builds the transcript; it verifies as a verifier reads it.
    const tr = await mjvote(['trustee', 'transcript', '--manifest', c.manifestPath, '--messages', c.platform, '--out', ceremonyJson]);
    expectOk(tr);
    const transcript = parseCeremonyTranscript(readJson(ceremonyJson), g);
    const check = verifyCeremonyTranscript(transcript);
    expect(check.ok).toBe(true);
    expect(transcript.result.qualified).toEqual([1, 2, 3, 4, 5]);

    // Round 4: trustees 1–3 finish from the published transcript, 4 and 5 from the message files.
    const keys: string[] = [];
    for (const i of [1, 3]) {
      const r = await asTrustee(i, ['finish', '--state', c.state(i), '--transcript', ceremonyJson]);
      expectOk(r);
      keys.push(jointKeyLine(r));
    }
    const r2 = await mjvote(['trustee', 'finish', '--state', c.state(2), '--passphrase-file', passFile, '--transcript', ceremonyJson]);
    expectOk(r2);
    keys.push(jointKeyLine(r2));
    for (const i of [4, 5]) {
      const args = [
        'finish',
        '--state',
        c.state(i),
        '--commitments',
        c.platform,
        '--reveals',
        c.platform,
        '--shares',
        c.platform,
        '--complaints',
        c.platform,
      ];
      if (i === 5) args.push('--transcript-out', join(c.dir, 'ceremony-5.json'));
      const r = await asTrustee(i, args);
      expectOk(r);
      keys.push(jointKeyLine(r));
    }
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(`joint public key: ${g.toHex(transcript.result.jointPublicKey)}`);
    // Trustee 5's transcript is the same public record.
    expect(verifyCeremonyTranscript(parseCeremonyTranscript(readJson(join(c.dir, 'ceremony-5.json')), g)).ok).toBe(true);
    expect(readJson(join(c.dir, 'ceremony-5.json')).result).toEqual(readJson(ceremonyJson).result);

    // Each state file now holds the key share s_i with K_i = s_i·G as the transcript says.
    for (const i of indices(5)) {
      const key = importTrusteeState(readJson(c.state(i)), pass(i), g, { allowWeakKdf: true });
      expect(key).toBeInstanceOf(TrusteeKey);
      expect(g.equals(g.G.multiply(trusteeSecretShare(key as TrusteeKey<any>)), transcript.result.verificationKeys.get(i)!)).toBe(true);
    }
    const status = await mjvote(['trustee', 'status', '--state', c.state(3)]);
    expectOk(status);
    expect(status.stdout).toMatch(/holds: +the final key share/);
    expect(status.stdout).toMatch(/scrypt: +N = 2\^4/);
    expect(status.stdout).toMatch(/ceremony: +version 2, bound to the manifest with sha256 [0-9a-f]{64}/);
    expect(status.stdout).toContain(`identity:   ${readJson(join(c.home(3), 'identity.pub.json')).fingerprint} (trustee 3's`);
  });

  it('the platform builds the record around the CLI ceremony: ballots, seal, tally', async () => {
    const built = await buildRecord(record, c.manifest, readJson(ceremonyJson), [
      [0, 1, 3],
      [1, 1, 2],
      [0, 2, 2],
      [3, 0, 1],
      [1, 1, 0],
      [0, 3, 3],
    ]);
    expected = built.expected;
    election = built.election;
    expect(existsSync(join(record, 'board.jsonl'))).toBe(true);
  });

  it('decrypt by t trustees, then combine: the merit profiles are the votes counted in the clear', async () => {
    const shares = (i: number): string => join(c.platform, `decryption-share-${i}.json`);
    for (const i of [1, 3, 5]) {
      const r = await asTrustee(i, ['decrypt', '--state', c.state(i), '--record', record, '--out', shares(i)]);
      expectOk(r);
      expect(r.stdout).toMatch(/the record verifies up to its tally \(checks 1–6 and 9\)/);
      expect(readJson(shares(i))).toMatchObject({
        format: 'mjvote-decryption-share',
        election: 'club-2025',
        fingerprint: election.fingerprintHex,
        message: { trustee: i },
      });
    }
    const out = join(c.dir, 'result.json');
    const r = await mjvote(['trustee', 'combine', '--record', record, '--shares', shares(1), shares(3), shares(5), '--out', out]);
    expectOk(r);
    const result = readJson(out);
    expect(result.ballots).toBe(6);
    expect(result.meritProfiles.map((p: any) => p.counts.map(BigInt))).toEqual(expected);
    expect(result.meritProfiles.map((p: any) => p.candidate)).toEqual(['ada', 'bob', 'cy']);
    expect(r.stdout).toMatch(/decrypted with the shares of trustees 1, 3, 5/);
    expect(r.stdout).toMatch(/Ada/);
  });

  it('combine names an invalid or unsigned share, excludes it, and fails with fewer than t valid ones', async () => {
    const shares = (i: number): string => join(c.platform, `decryption-share-${i}.json`);
    for (const i of [2, 4]) expectOk(await asTrustee(i, ['decrypt', '--state', c.state(i), '--record', record, '--out', shares(i)]));
    // Trustee 2's share of the first ciphertext is replaced by trustee 4's, and trustee 2 signs
    // that (a trustee publishing a bad share): its proof fails.
    const params = ceremonyParamsForManifest(g, c.manifest);
    const bad = readJson(shares(2));
    bad.message.shares[0].share = readJson(shares(4)).message.shares[0].share;
    const { identitySignature: _, ...body } = bad.message;
    const identity2 = importTrusteeIdentity(readJson(c.identity(2)), pass(2), { allowWeakKdf: true });
    bad.message.identitySignature = toHex(signAsTrustee(params, identity2, 2, 'decryption-share', body));
    const badPath = join(c.platform, 'decryption-share-2-bad.json');
    writeJson(badPath, bad);
    const ok = await mjvote(['trustee', 'combine', '--record', record, '--shares', shares(1), badPath, shares(4), shares(5), '--out', '-']);
    expectOk(ok);
    expect(JSON.parse(ok.stdout).meritProfiles.map((p: any) => p.counts.map(BigInt))).toEqual(expected);
    expect(ok.stderr).toMatch(/excluded: trustee 2: invalid-proof/);
    // The same change made by whoever relays the file (who cannot sign as trustee 2): unsigned.
    const relayed = readJson(shares(2));
    relayed.message.shares[0].share = readJson(shares(4)).message.shares[0].share;
    const relayedPath = join(c.platform, 'decryption-share-2-relayed.json');
    writeJson(relayedPath, relayed);
    const unsigned = await mjvote([
      'trustee',
      'combine',
      '--record',
      record,
      '--shares',
      shares(1),
      relayedPath,
      shares(4),
      '--out',
      join(c.dir, 'never.json'),
    ]);
    expectOneLineError(unsigned, 1, /2 valid decryption share message\(s\) \(trustees 1, 4\).*invalid: trustee 2 \(unsigned\)/);
    expect(existsSync(join(c.dir, 'never.json'))).toBe(false);
    // A share file made for another tally is named and left out.
    const otherTally = { ...readJson(shares(3)), tallySha256: 'cd'.repeat(32) };
    const otherPath = join(c.platform, 'decryption-share-3-other-tally.json');
    writeJson(otherPath, otherTally);
    const named = await mjvote([
      'trustee',
      'combine',
      '--record',
      record,
      '--shares',
      otherPath,
      shares(1),
      shares(4),
      shares(5),
      '--out',
      '-',
    ]);
    expectOk(named);
    expect(named.stderr).toMatch(
      /unusable: .*decryption-share-3-other-tally\.json: file\.tallySha256: shares of another tally than tally\.json/,
    );
    // Without --shares, combine reads the record's decryption-shares.json.
    const withShares = join(c.dir, 'record-with-shares');
    cpSync(record, withShares, { recursive: true });
    writeJson(join(withShares, 'decryption-shares.json'), { version: 1, shares: [1, 4, 5].map((i) => readJson(shares(i)).message) });
    const fromRecord = await mjvote(['trustee', 'combine', '--record', withShares, '--out', join(withShares, 'result.json')]);
    expectOk(fromRecord);
    expect(readJson(join(withShares, 'result.json')).meritProfiles.map((p: any) => p.counts.map(BigInt))).toEqual(expected);
    const few = await mjvote([
      'trustee',
      'combine',
      '--record',
      record,
      '--shares',
      shares(1),
      badPath,
      shares(4),
      '--out',
      join(c.dir, 'never.json'),
    ]);
    expectOneLineError(
      few,
      1,
      /2 valid decryption share message\(s\) \(trustees 1, 4\).*missing: 3, 5.*invalid: trustee 2 \(invalid-proof\)/,
    );
    expect(existsSync(join(c.dir, 'never.json'))).toBe(false);
  });

  it('decrypt refuses a tally that is not the sealed board’s, a record of another election, too few ballots', async () => {
    const copy = (name: string): string => {
      const d = join(c.dir, name);
      cpSync(record, d, { recursive: true });
      return d;
    };
    const decrypt = (dir: string, ...more: string[]): Promise<Run> =>
      asTrustee(1, ['decrypt', '--state', c.state(1), '--record', dir, '--out', join(dir, 'share.json'), ...more]);

    // tally.json replaced by one ballot's ciphertexts (what a platform wanting one vote decrypted would do).
    const one = copy('one-ballot');
    const board = readFileSync(join(one, 'board.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const first = parseBallot(board.find((e) => e.kind === 'ballot').payload.ballot, election);
    writeJson(join(one, 'tally.json'), encryptedTallyToJson(g, { ballots: 6, cells: first.answers.map((a) => a.choices) }));
    expectOneLineError(
      await decrypt(one),
      1,
      /refusing to decrypt: the record does not verify up to its tally .*check 6 \(tally\) tally\.json tally\.cells.*: differs from the board's tally entry/,
    );

    expectOneLineError(
      await decrypt(record, '--min-ballots', '7'),
      1,
      /refusing to decrypt: the tally counts 6 ballot\(s\), fewer than --min-ballots 7/,
    );
    // The board must end at the head published independently (no forked board).
    expectOneLineError(
      await decrypt(record, '--board-head', 'ab'.repeat(32)),
      1,
      /check 5 \(board\) board\.jsonl: the board ends at head [0-9a-f]{64}, not at the expected head abab/,
    );
    const head = readJson(join(c.platform, 'decryption-share-1.json')).boardHead;
    expectOk(await asTrustee(1, ['decrypt', '--state', c.state(1), '--record', record, '--board-head', head, '--out', '-']));

    // The record of another election (its own ceremony) with this trustee's key.
    const other = join(c.dir, 'other-election');
    const strangers = indices(5).map(() => generateTrusteeIdentity());
    const otherManifest = manifestFor(
      'another-election',
      3,
      strangers.map((x) => x.publicKeyHex),
    );
    await buildRecord(other, otherManifest, libraryCeremony(otherManifest, strangers), [
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expectOneLineError(
      await decrypt(other),
      1,
      /refusing to decrypt: .*holds a key of election 'club-2025'.*is election 'another-election'/,
    );

    // Same election id, but the platform re-ran the ceremony without the trustees: it cannot sign
    // as them, so it listed identities of its own in a manifest of its own.
    const rekeyed = join(c.dir, 'rekeyed');
    const impostors = indices(5).map(() => generateTrusteeIdentity());
    const rekeyedManifest = manifestFor(
      'club-2025',
      3,
      impostors.map((x) => x.publicKeyHex),
    );
    await buildRecord(rekeyed, rekeyedManifest, libraryCeremony(rekeyedManifest, impostors), [
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expectOneLineError(
      await decrypt(rekeyed),
      1,
      /refusing to decrypt: .*rekeyed\/manifest\.json is not the manifest .*me\.state's key was made for, although it has the same election id 'club-2025': its ceremony would be bound to the manifest with sha256 [0-9a-f]{64}, not [0-9a-f]{64}/,
    );

    // A record whose ceremony.json is not the one the board was set up with.
    const swapped = copy('swapped-ceremony');
    writeJson(join(swapped, 'ceremony.json'), readJson(join(rekeyed, 'ceremony.json')));
    expectOneLineError(
      await decrypt(swapped),
      1,
      /refusing to decrypt: the record does not verify up to its tally .*check 1 \(parameters\) board\.jsonl line 1 payload\.election\.coefficientCommitments: not the qualified trustees' coefficient commitments of ceremony\.json/,
    );

    for (const d of [one, other, rekeyed, swapped]) expect(existsSync(join(d, 'share.json'))).toBe(false);
  });

  it('decrypt refuses a board that is not sealed, or whose counted ballots do not check out or do not sum to the tally', async () => {
    const decrypt = (dir: string): Promise<Run> =>
      asTrustee(3, ['decrypt', '--state', c.state(3), '--record', dir, '--out', join(dir, 'share.json')]);
    const transcript = readJson(ceremonyJson);
    const votes = [
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 0],
    ];

    const unsealed = await forgedRecord(join(c.dir, 'unsealed'), c.manifest, transcript, votes, { seal: false });
    expectOneLineError(
      await decrypt(unsealed),
      1,
      /refusing to decrypt: the record does not verify up to its tally \(failed: checks 5, 6\).*check 5 \(board\) board\.jsonl: the board has no seal entry; check 5 \(board\) board\.jsonl line \d+: the board has no tally entry: the election is not tallied yet; check 6 \(tally\) tally\.json: has no board entry to be compared with/,
    );

    // The forging helper itself makes a valid record: it passes every check of the verifier, and is
    // refused only because it is another board of the election trustee 3 decrypted already (a fork).
    const honest = await forgedRecord(join(c.dir, 'forged-honest'), c.manifest, transcript, votes, {});
    expectOneLineError(
      await decrypt(honest),
      1,
      /refusing to decrypt: .*me\.state already decrypted a tally of election 'club-2025': the board with head [0-9a-f]{64}/,
    );

    // The platform publishes as "tally" the ciphertexts of one voter's ballot, with a board
    // whose tally entry agrees (ballot count 3): the sum of the counted ballots differs.
    const single = await forgedRecord(join(c.dir, 'forged-single'), c.manifest, transcript, votes, { tally: 'first-ballot' });
    expectOneLineError(
      await decrypt(single),
      1,
      /refusing to decrypt: .*check 6 \(tally\) tally\.json tally\.cells\[0\]\[\d\]: not the sum of the counted ballots' ciphertexts/,
    );

    // A counted ballot whose 0/1 proof does not verify (re-signed by its voter's credential).
    const badProof = await forgedRecord(join(c.dir, 'forged-proof'), c.manifest, transcript, votes, { badProof: true });
    expectOneLineError(await decrypt(badProof), 1, /refusing to decrypt: .*check 4 \(ballots\) board\.jsonl line 4 .*proof/);

    // An edited line breaks the hash chain.
    const edited = join(c.dir, 'edited-board');
    cpSync(record, edited, { recursive: true });
    const lines = readFileSync(join(edited, 'board.jsonl'), 'utf8').split('\n');
    lines[3] = lines[3]!.replace('"ballot":{', '"ballot":{ ');
    writeFileSync(join(edited, 'board.jsonl'), lines.join('\n'));
    const r = await decrypt(edited);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/check 5 \(board\) board\.jsonl line 4/);
  });

  it('no secret ever appears in what the commands print or publish', () => {
    const published = readdirSync(c.platform).map((f) => readFileSync(join(c.platform, f), 'utf8'));
    const text = [...printed, ...published, readFileSync(ceremonyJson, 'utf8')].join('\n');
    for (const i of indices(5)) {
      const key = importTrusteeState(readJson(c.state(i)), pass(i), g, { allowWeakKdf: true }) as TrusteeKey<any>;
      expect(text).not.toContain(g.scalarToHex(trusteeSecretShare(key)));
      expect(text).not.toContain(pass(i));
      const identity = importTrusteeIdentity(readJson(c.identity(i)), pass(i), { allowWeakKdf: true });
      expect(text).not.toContain(toHex(trusteeIdentitySecret(identity)));
    }
  });
});

describe('mjvote trustee: a cheating trustee, missing messages, passphrases and state files', () => {
  it('a trustee that sends another a wrong share is accused, judged and disqualified; the others finish without it', async () => {
    const c = await newCeremony('cheat', 'cheat-2025', 4, 2);
    await initAll(c, indices(4));
    await revealAll(c, [1, 2, 3, 4]);
    // Trustee 2 (the cheater, played with the library) re-encrypts and signs f_2(4) + 1 for
    // trustee 4, and signs that with its identity: one share file, so no equivocation.
    const params = ceremonyParamsForManifest(g, c.manifest);
    const s2 = importTrusteeState(readJson(c.state(2)), pass(2), g, { allowWeakKdf: true }) as TrusteeRound3<any>;
    const d = trusteeStateData(s2);
    const key = (i: number): any => d.round1!.find((m) => m.trustee === i)!.communicationKey;
    const bare = encryptShare(params, 2, d.commSecret, key(2), 4, key(4), g.Fq.add(evaluatePolynomial(g, d.coefficients, 4), 1n));
    const forged = {
      ...bare,
      identitySignature: signAsTrustee(params, d.identity!, 2, 'encrypted-share', encryptedShareBodyJson(params, bare)),
    };
    const sharesFile = join(c.platform, 'shares-2.json');
    const file = readJson(sharesFile);
    file.message = file.message.map((s: any) => (s.recipient === 4 ? encryptedShareToJson(params, forged) : s));
    writeJson(sharesFile, file);

    await checkAll(c, [1, 2, 3, 4]);
    const complaints = readJson(join(c.platform, 'complaints-4.json')).message;
    expect(complaints.map((x: any) => [x.complainer, x.accused])).toEqual([[4, 2]]);

    const transcript = join(c.dir, 'ceremony.json');
    const tr = await mjvote(['trustee', 'transcript', '--manifest', c.manifestPath, '--messages', c.platform, '--out', transcript]);
    expectOk(tr);
    expect(tr.stdout).toMatch(/disqualified: trustee 2: bad-share/);
    expect(tr.stdout).toMatch(/complaint of trustee 4 against trustee 2: upheld/);
    expect(readJson(transcript).result.qualified).toEqual([1, 3, 4]);
    for (const i of [1, 3, 4]) {
      const r = await asTrustee(i, ['finish', '--state', c.state(i), '--transcript', transcript]);
      expectOk(r);
      expect(r.stdout).toMatch(/qualified trustees: 1, 3, 4/);
    }
    const cheater = await asTrustee(2, ['finish', '--state', c.state(2), '--transcript', transcript]);
    expectOneLineError(cheater, 1, /trustee 2 was disqualified: sent trustee 4 a bad share/);
    expect(readJson(c.state(2)).round).toBe(4); // its state file is untouched
  });

  it('a missing message stops the step unless --allow-missing; then the absent trustee is left out', async () => {
    const c = await newCeremony('absent', 'absent-2025', 4, 2);
    await initAll(c, [1, 2, 3]);
    const args = (i: number): string[] => [
      'reveal',
      '--state',
      c.state(i),
      '--messages',
      c.platform,
      '--out',
      join(c.platform, `reveal-${i}.json`),
      '--shares-out',
      join(c.platform, `shares-${i}.json`),
    ];
    expectOneLineError(await asTrustee(1, args(1)), 2, /no commitment from trustee\(s\) 4: .*--allow-missing/);
    expect(readJson(c.state(1)).round).toBe(2);
    expect(existsSync(join(c.platform, 'reveal-1.json'))).toBe(false);
    for (const i of [1, 2, 3]) {
      const r = await asTrustee(i, [...args(i), '--allow-missing']);
      expectOk(r);
      expect(r.stdout).toMatch(/excluded \(no share sent\): trustee 4: missing-commitment/);
    }
    // Trustee 3's shares are not published yet: trustee 1 waits.
    rmSync(join(c.platform, 'shares-3.json'));
    expectOneLineError(
      await asTrustee(1, ['check', '--state', c.state(1), '--messages', c.platform, '--out', join(c.platform, 'complaints-1.json')]),
      2,
      /missing messages: trustee 3: missing-share/,
    );
    expect(readJson(c.state(1)).round).toBe(3);
  });

  it('wrong passphrase, tampered state, state of another round, no passphrase: one line, exit 2, state untouched', async () => {
    const c = await newCeremony('errors', 'errors-2025', 3, 2);
    await initAll(c, indices(3));
    const before = readFileSync(c.state(1), 'utf8');
    const revealArgs = [
      'reveal',
      '--state',
      c.state(1),
      '--messages',
      c.platform,
      '--out',
      join(c.dir, 'r1.json'),
      '--shares-out',
      join(c.dir, 's1.json'),
    ];

    expectOneLineError(
      await mjvote(['trustee', ...revealArgs], { MJVOTE_PASSPHRASE: 'not the passphrase' }),
      2,
      /me\.state: wrong passphrase/,
    );

    const tampered = JSON.parse(before);
    tampered.ciphertext = tampered.ciphertext.slice(0, 10) + (tampered.ciphertext[10] === '0' ? '1' : '0') + tampered.ciphertext.slice(11);
    writeJson(c.state(1), tampered);
    expectOneLineError(await asTrustee(1, revealArgs), 2, /me\.state: trustee state file was altered/);
    // A header edit (round 2 → 3, to skip a step) is authenticated too.
    writeJson(c.state(1), { ...JSON.parse(before), round: 3 });
    expectOneLineError(
      await asTrustee(1, ['check', '--state', c.state(1), '--messages', c.platform]),
      2,
      /me\.state: trustee state file was altered/,
    );
    writeFileSync(c.state(1), before);

    // A state used for the wrong step names the round it holds and the one expected.
    expectOneLineError(
      await asTrustee(1, ['check', '--state', c.state(1), '--messages', c.platform]),
      2,
      /me\.state holds trustee 1's round-2 state \(written by `mjvote trustee init`\), for `mjvote trustee reveal`; `mjvote trustee check` needs the round-3 state \(written by `mjvote trustee reveal`\)/,
    );
    expectOneLineError(await asTrustee(1, ['decrypt', '--state', c.state(1), '--record', c.dir]), 2, /needs the final key share/);

    // A state file written with the test-only scrypt cost is refused without the variable.
    expectOneLineError(
      await mjvote(['trustee', ...revealArgs], { MJVOTE_PASSPHRASE: pass(1), MJVOTE_TEST_ONLY_SCRYPT_LOG_N: '' }),
      2,
      /me\.state: state\.kdf\.logN: expected an integer in \[15, 20\] \(lower costs need allowWeakKdf, for tests only\)/,
    );

    // No passphrase anywhere (no file, no environment, no terminal).
    expectOneLineError(
      await mjvote(['trustee', ...revealArgs]),
      2,
      /no passphrase for trustee 1's state file .*: use --passphrase-file FILE, set MJVOTE_PASSPHRASE, or run on a terminal/,
    );
    expect(readFileSync(c.state(1), 'utf8')).toBe(before);
    expect(existsSync(join(c.dir, 'r1.json'))).toBe(false);

    // init never replaces a state file, and wants a passphrase of 12 characters or more, hard to guess.
    const init1 = (...more: string[]): string[] => [
      'init',
      '--manifest',
      c.manifestPath,
      '--identity',
      c.identity(1),
      '--out',
      join(c.dir, 'x.json'),
      ...more,
    ];
    expectOneLineError(await asTrustee(1, init1('--index', '1', '--state', c.state(1))), 2, /me\.state already exists/);
    // The identity's passphrase from its own file; the new state's from the environment.
    const identityPass = join(c.home(1), 'identity-passphrase.txt');
    writeFileSync(identityPass, `${pass(1)}\n`, { mode: 0o600 });
    const initWith = (passphrase: string): Promise<Run> =>
      mjvote(['trustee', ...init1('--index', '1', '--state', join(c.dir, 'new.state'), '--identity-passphrase-file', identityPass)], {
        MJVOTE_PASSPHRASE: passphrase,
      });
    const refusals: [string, RegExp][] = [
      ['short', /at least 12 characters/],
      ['123456789012', /too easy to guess \(about 10\^4 guesses; at least 10\^12 are needed\): This is a commonly used password\./],
      ['aaaaaaaaaaaa', /too easy to guess .*Repeated characters/],
      ['password1234', /too easy to guess/],
    ];
    for (const [passphrase, why] of refusals) expectOneLineError(await initWith(passphrase), 2, why);
    expectOneLineError(
      await asTrustee(1, init1('--index', '4', '--state', join(c.dir, 'new.state'))),
      2,
      /--index: expected an integer in \[1, 3\], got 4/,
    );
    // The identity file's passphrase is checked before the new state's is asked.
    expectOneLineError(
      await mjvote(['trustee', ...init1('--index', '1', '--state', join(c.dir, 'new.state'))], { MJVOTE_PASSPHRASE: 'not the passphrase' }),
      2,
      /identity\.json: wrong passphrase/,
    );
    expect(existsSync(join(c.dir, 'new.state'))).toBe(false);

    // A message file of another election is refused before any passphrase is asked.
    const o = await newCeremony('elsewhere', 'elsewhere', 3, 2);
    await initAll(o, [1]);
    expectOneLineError(
      await mjvote(['trustee', ...revealArgs.slice(0, 3), '--commitments', join(o.platform, 'commit-1.json')]),
      2,
      /commit-1\.json: file\.election: message of election "elsewhere", not 'errors-2025'/,
    );
  });

  it('asks for the passphrases on the terminal when no file or variable gives them (twice for a new file)', async () => {
    const c = await newCeremony('prompt', 'prompt-2025', 3, 2);
    const asked: string[] = [];
    const answers = [pass(1), pass(1), pass(1)];
    const promptSecret = async (q: string): Promise<string> => {
      asked.push(q);
      return answers.shift()!;
    };
    const init = await mjvote(['trustee', ...initArgs(c, 1)], {}, { promptSecret });
    expectOk(init);
    expect(asked).toEqual([
      `Passphrase for the identity file ${c.identity(1)}: `,
      `Passphrase for trustee 1's new state file ${c.state(1)}: `,
      'Repeat the passphrase: ',
    ]);
    answers.push(pass(2), 'one passphrase typed', 'and another one typed');
    expectOneLineError(await mjvote(['trustee', ...initArgs(c, 2)], {}, { promptSecret }), 2, /the two passphrases differ/);
    // A new identity file: its passphrase asked twice too.
    asked.length = 0;
    answers.push(pass(9), pass(9));
    expectOk(await mjvote(['trustee', 'identity', '--out', join(c.dir, 'new-identity.json')], {}, { promptSecret }));
    expect(asked).toEqual([`Passphrase for the new identity file ${join(c.dir, 'new-identity.json')}: `, 'Repeat the passphrase: ']);
    // A passphrase file readable by others works, with a warning.
    const loose = join(c.dir, 'loose.txt');
    writeFileSync(loose, pass(1));
    chmodSync(loose, 0o644);
    const st = await mjvote([
      'trustee',
      'reveal',
      '--state',
      c.state(1),
      '--passphrase-file',
      loose,
      '--messages',
      c.platform,
      '--allow-missing',
      '--out',
      join(c.dir, 'r.json'),
      '--shares-out',
      join(c.dir, 's.json'),
    ]);
    expectOk(st);
    expect(st.stderr).toMatch(/loose\.txt can be read by other users/);
  });

  it('readHiddenLine: no echo, backspace edits, Enter ends, Ctrl-C cancels, the terminal mode is restored', async () => {
    const fakeTty = () => {
      const s = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (m: boolean) => void; modes: boolean[] };
      s.isTTY = true;
      s.modes = [];
      s.setRawMode = (m) => void s.modes.push(m);
      return s;
    };
    let echoed = '';
    const out = { write: (x: string) => void (echoed += x) };
    const a = fakeTty();
    const p = readHiddenLine('Passphrase: ', a, out);
    a.write('secret wordz');
    a.write('\u007fs\r');
    expect(await p).toBe('secret words');
    expect(echoed).toBe('Passphrase: \n');
    expect(a.modes).toEqual([true, false]);
    const b = fakeTty();
    const q = readHiddenLine('Passphrase: ', b, out);
    b.write('abc\u0003');
    await expect(q).rejects.toThrow(/cancelled/);
    expect(b.modes).toEqual([true, false]);
  });

  it('list options take several words (shell globs), and --help is there for every step', async () => {
    expect(
      expandListOptions(['--commitments', 'a', 'b', '--out', 'o', '--shares=x', 'y', '--allow-missing', 'z'], ['commitments', 'shares']),
    ).toEqual(['--commitments', 'a', '--commitments', 'b', '--out', 'o', '--shares=x', '--shares', 'y', '--allow-missing', 'z']);
    for (const step of ['identity', 'fingerprint', 'init', 'reveal', 'check', 'finish', 'transcript', 'decrypt', 'combine', 'status']) {
      const r = await mjvote(['trustee', step, '--help']);
      expectOk(r);
      expect(r.stdout).toMatch(new RegExp(`^Usage: mjvote trustee ${step}`));
    }
    const top = await mjvote(['trustee', '--help']);
    expect(top.stdout).toMatch(/init +start the ceremony/);
    expectOneLineError(await mjvote(['trustee', 'nonsense']), 2, /unknown step "nonsense"/);
    expectOneLineError(await mjvote(['trustee', 'init', '--bogus']), 2, /unknown option '--bogus'/);
  });
});
