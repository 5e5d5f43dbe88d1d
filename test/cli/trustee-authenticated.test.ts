/**
 * `mjvote trustee` with authenticated trustees (issue 20, part 1): identities made once with
 * `mjvote trustee identity`, listed in a version-2 manifest; `init` refuses a manifest without
 * identities and an identity the manifest does not list at that index; every step sets aside a
 * message not signed by the trustee it claims to be from (the relay's forgery) and goes on
 * without it; a trustee who signs two different messages for one slot (built with the library,
 * as a dishonest trustee would) is disqualified, with both messages in the transcript.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTrusteeIdentity } from '../../src/election/trustee-identity.js';
import { ceremonyParams, ceremonyParamsForManifest } from '../../src/ceremony/params.js';
import { beginCeremony, trusteeStateData, type TrusteeRound3 } from '../../src/ceremony/trustee.js';
import { parseCeremonyTranscript, verifyCeremonyTranscript } from '../../src/ceremony/transcript.js';
import { importTrusteeState } from '../../src/ceremony/state-file.js';
import { importTrusteeIdentity } from '../../src/ceremony/identity-file.js';
import { encryptShare } from '../../src/ceremony/share-encryption.js';
import { evaluatePolynomial } from '../../src/ceremony/polynomial.js';
import { signAsTrustee } from '../../src/ceremony/signatures.js';
import { encryptedShareBodyJson, encryptedShareToJson } from '../../src/ceremony/wire.js';
import { messageFile } from '../../src/cli/trustee-files.js';
import { TrusteeKey } from '../../src/ceremony/trustee-key.js';
import {
  asTrustee,
  checkAll,
  expectOk,
  expectOneLineError,
  g,
  indices,
  initAll,
  initArgs,
  jointKeyLine,
  makeIdentity,
  mjvote,
  newCeremony,
  pass,
  readJson,
  revealAll,
  root,
  stderrLines,
  writeJson,
  type Ceremony,
  type Run,
} from './trustee-helpers.js';

/** The transcript of the platform directory, built and checked by `mjvote trustee transcript`. */
async function transcriptOf(c: Ceremony): Promise<{ run: Run; path: string; json: any }> {
  const path = join(c.dir, 'ceremony.json');
  const run = await mjvote(['trustee', 'transcript', '--manifest', c.manifestPath, '--messages', c.platform, '--out', path]);
  expectOk(run);
  return { run, path, json: readJson(path) };
}

/** Each trustee in `who` finishes from the platform's message files; returns the joint key lines. */
async function finishAll(c: Ceremony, who: number[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (const i of who) {
    const r = await asTrustee(i, ['finish', '--state', c.state(i), '--messages', c.platform]);
    expectOk(r);
    runs.push(r);
  }
  return runs;
}

describe('mjvote trustee identity and fingerprint', () => {
  it('makes an identity once (a sealed secret file, mode 600, and a public file), never replaces one, wants a strong passphrase', async () => {
    const home = join(root, 'identity');
    const made = await makeIdentity(home, 1);
    const secret = readJson(made.path);
    const pub = readJson(made.pubPath);
    expect(secret).toMatchObject({ format: 'mjvote-trustee-identity-secret', version: 1, publicKey: made.publicKey, kdf: { logN: 4 } });
    expect(pub).toEqual({ format: 'mjvote-trustee-identity', version: 1, publicKey: made.publicKey, fingerprint: secret.fingerprint });
    expect(pub.fingerprint).toMatch(/^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/);
    if (process.platform !== 'win32') expect(statSync(made.path).mode & 0o777).toBe(0o600);
    expect(importTrusteeIdentity(secret, pass(1), { allowWeakKdf: true }).publicKeyHex).toBe(made.publicKey);

    const before = readFileSync(made.path, 'utf8');
    expectOneLineError(
      await asTrustee(1, ['identity', '--out', made.path, '--public-out', join(home, 'other.pub.json')]),
      2,
      /identity\.json already exists \(an identity file holds a secret key: this command never replaces one\)/,
    );
    expect(readFileSync(made.path, 'utf8')).toBe(before);
    expectOneLineError(
      await mjvote(['trustee', 'identity', '--out', join(home, 'weak.json')], { MJVOTE_PASSPHRASE: '123456789012' }),
      2,
      /too easy to guess/,
    );
    expectOneLineError(await asTrustee(1, ['identity', '--out', '-']), 2, /--out: the identity file holds a secret key/);
    expect(existsSync(join(home, 'weak.json'))).toBe(false);
  });

  it('fingerprint shows the fingerprint of identity files and of every trustee a manifest lists, without any passphrase', async () => {
    const c = await newCeremony('fingerprints', 'fp-2025', 3, 2);
    const r = await mjvote(['trustee', 'fingerprint', c.manifestPath, c.identity(2), join(c.home(3), 'identity.pub.json')]);
    expectOk(r);
    const fp = (i: number): string => readJson(join(c.home(i), 'identity.pub.json')).fingerprint;
    for (const i of indices(3))
      expect(r.stdout).toContain(`  trustee ${i}: ${fp(i)}  (public key ${c.manifest.trustees.identities![i - 1]})`);
    expect(r.stdout).toContain(`${c.identity(2)}: identity file\n  fingerprint: ${fp(2)}\n`);
    expect(r.stdout).toContain(`identity.pub.json: public identity file\n  fingerprint: ${fp(3)}\n`);
    // A version-1 manifest lists none; anything else is named.
    const v1 = join(c.dir, 'manifest-v1.json');
    writeJson(v1, { ...readJson(c.manifestPath), version: 1, trustees: { n: 3, t: 2 } });
    const r1 = await mjvote(['trustee', 'fingerprint', v1]);
    expectOk(r1);
    expect(r1.stdout).toMatch(/lists no trustee identities \(a version-1 manifest\)/);
    const junk = join(c.dir, 'junk.json');
    writeJson(junk, { hello: 1 });
    expectOneLineError(await mjvote(['trustee', 'fingerprint', junk]), 2, /junk\.json: neither an identity file nor a manifest/);
    expectOneLineError(await mjvote(['trustee', 'fingerprint']), 2, /give at least one identity file or manifest/);
  });
});

describe('mjvote trustee init: the manifest names the trustees', () => {
  it('refuses a version-1 manifest (no identities: nothing to authenticate the messages with)', async () => {
    const c = await newCeremony('v1-manifest', 'v1-2025', 3, 2);
    writeJson(c.manifestPath, { ...readJson(c.manifestPath), version: 1, trustees: { n: 3, t: 2 } });
    expectOneLineError(
      await asTrustee(1, initArgs(c, 1)),
      2,
      /manifest\.json: a version-1 manifest lists no trustee identities, so nothing would tell the trustees' messages from messages the platform made up/,
    );
    expect(existsSync(c.state(1))).toBe(false);
    expect(existsSync(join(c.platform, 'commit-1.json'))).toBe(false);
  });

  it('refuses an identity that is not the one the manifest lists at this index, naming both fingerprints', async () => {
    const c = await newCeremony('wrong-identity', 'wrong-id-2025', 3, 2);
    const fp = (i: number): string => readJson(join(c.home(i), 'identity.pub.json')).fingerprint;
    // Trustee 2's identity file used with --index 1.
    const args = initArgs(c, 1);
    args[args.indexOf('--identity') + 1] = c.identity(2);
    expectOneLineError(
      await asTrustee(2, args),
      2,
      new RegExp(
        `identity\\.json is the identity ${fp(2)}, but .*manifest\\.json lists ${fp(1)} for trustee 1 \\(it lists this identity for trustee 2: check --index\\)`,
      ),
    );
    // An identity the manifest does not list at all.
    const stranger = await makeIdentity(join(c.dir, 'stranger'), 1);
    args[args.indexOf('--identity') + 1] = stranger.path;
    expectOneLineError(await asTrustee(1, args), 2, /lists .* for trustee 1: this identity is not in the manifest; ask the organiser/);
    // The public file instead of the identity file.
    args[args.indexOf('--identity') + 1] = stranger.pubPath;
    expectOneLineError(await asTrustee(1, args), 2, /identity\.pub\.json: a public identity file: give the identity file it was made with/);
    expect(existsSync(c.state(1))).toBe(false);
    // The right one works, and init prints every trustee's fingerprint to compare.
    const ok = await asTrustee(1, initArgs(c, 1));
    expectOk(ok);
    for (const i of indices(3)) expect(ok.stdout).toContain(`  trustee ${i}: ${fp(i)}`);
    expect(ok.stdout).toContain(`trustee 1: ${fp(1)}  (you: ${c.identity(1)})`);
  });
});

describe('mjvote trustee: the relay cannot speak for a trustee', () => {
  it('a commitment injected by the relay (claiming trustee 2, signed by another key) is ignored with a warning; the ceremony completes', async () => {
    const c = await newCeremony('injected', 'injected-2025', 3, 2);
    await initAll(c, indices(3));
    // The platform makes a commitment of its own for trustee 2, under the real ceremony's context
    // (which holds the manifest's hash) but signed with its own identity key.
    const params = ceremonyParamsForManifest(g, c.manifest);
    const platformKey = generateTrusteeIdentity();
    const ids = [...params.identities!];
    ids[1] = platformKey.publicKey;
    const asPlatform = ceremonyParams(g, {
      ceremonyId: params.ceremonyId,
      n: 3,
      t: 2,
      binding: { manifestSha256: params.manifestSha256!, identities: ids },
    });
    expect(asPlatform.context).toEqual(params.context);
    const forged = beginCeremony(asPlatform, 2, { identity: platformKey }).commit().message;
    const forgedPath = join(c.platform, 'commit-2-forged.json');
    writeJson(forgedPath, messageFile(params, 'commitment', 2, forged));

    // With only the forgery on offer, trustee 2 has no commitment: the step waits for the real one.
    const onlyForged = await asTrustee(1, [
      'reveal',
      '--state',
      c.state(1),
      '--commitments',
      join(c.platform, 'commit-1.json'),
      forgedPath,
      join(c.platform, 'commit-3.json'),
    ]);
    expect(onlyForged.code).toBe(2);
    expect(stderrLines(onlyForged)).toEqual([
      expect.stringMatching(/warning: .*commit-2-forged\.json: not signed by trustee 2's identity key/),
      expect.stringMatching(/no commitment from trustee\(s\) 2: wait until every trustee has published one/),
    ]);
    expect(readJson(c.state(1)).round).toBe(2);

    // The forgery beside the real commitment: set aside, the ceremony goes on.
    for (const i of indices(3)) {
      const r = await asTrustee(i, [
        'reveal',
        '--state',
        c.state(i),
        '--messages',
        c.platform,
        '--out',
        join(c.platform, `reveal-${i}.json`),
        '--shares-out',
        join(c.platform, `shares-${i}.json`),
      ]);
      expectOk(r);
      expect(stderrLines(r)).toEqual([
        `mjvote trustee: warning: ${forgedPath}: not signed by trustee 2's identity key (${readJson(join(c.home(2), 'identity.pub.json')).fingerprint}) for this ceremony: ignored (commitment:2); whoever relayed it is not trustee 2`,
      ]);
      expect(r.stdout).not.toMatch(/excluded/);
    }
    await checkAll(c, indices(3));
    const t = await transcriptOf(c);
    expect(t.run.stdout).toMatch(/ignored \(not signed by trustee 2\): .*commit-2-forged\.json/);
    expect(t.json.result.qualified).toEqual([1, 2, 3]);
    expect(t.json.commitments[1]).toEqual(readJson(join(c.platform, 'commit-2.json')).message);
    expect(verifyCeremonyTranscript(parseCeremonyTranscript(t.json, g)).ok).toBe(true);
    const keys = (await finishAll(c, indices(3))).map(jointKeyLine);
    expect(new Set(keys).size).toBe(1);
    for (const i of indices(3))
      expect(importTrusteeState(readJson(c.state(i)), pass(i), g, { allowWeakKdf: true })).toBeInstanceOf(TrusteeKey);
  });

  it('a trustee that signs two different commitments is disqualified for equivocation; the transcript holds both and verifies', async () => {
    const c = await newCeremony('equivocating-commitment', 'equivocate-2025', 3, 2);
    await initAll(c, indices(3));
    // Trustee 3 (dishonest, with the library) signs a second, different commitment.
    const params = ceremonyParamsForManifest(g, c.manifest);
    const identity3 = importTrusteeIdentity(readJson(c.identity(3)), pass(3), { allowWeakKdf: true });
    const second = beginCeremony(params, 3, { identity: identity3 }).commit().message;
    const secondPath = join(c.platform, 'commit-3-again.json');
    writeJson(secondPath, messageFile(params, 'commitment', 3, second));

    const reveal = (i: number): Promise<Run> =>
      asTrustee(i, [
        'reveal',
        '--state',
        c.state(i),
        '--messages',
        c.platform,
        '--out',
        join(c.platform, `reveal-${i}.json`),
        '--shares-out',
        join(c.platform, `shares-${i}.json`),
      ]);
    for (const i of [1, 2]) {
      const r = await reveal(i);
      expectOk(r); // no --allow-missing needed: the equivocator is proven out, not awaited
      expect(r.stdout).toMatch(
        /excluded \(no share sent\): trustee 3: equivocation \(signed two different messages for commitment:3: .*commit-3-again\.json and .*commit-3\.json\)/,
      );
      expect(r.stderr).toMatch(/warning: trustee 3 signed two different messages for commitment:3 .*: it is disqualified for equivocation/);
      expect(readJson(join(c.platform, `shares-${i}.json`)).message.map((s: any) => s.recipient)).toEqual([3 - i]);
    }
    const own = await reveal(3);
    expect(own.code).toBe(1);
    expect(stderrLines(own).at(-1)).toMatch(
      /trustee 3: equivocation .*: this trustee's identity key signed both, so the ceremony disqualifies it/,
    );
    expect(readJson(c.state(3)).round).toBe(2);

    await checkAll(c, [1, 2]);
    const t = await transcriptOf(c);
    expect(t.run.stdout).toMatch(/evidence in the transcript: trustee 3: equivocation/);
    expect(t.run.stdout).toMatch(/disqualified: trustee 3: equivocation/);
    expect(t.json.equivocations).toHaveLength(1);
    expect(t.json.equivocations[0]).toMatchObject({ trustee: 3, kind: 'commitment' });
    expect(t.json.equivocations[0].messages.map((m: any) => m.commitment).sort()).toEqual(
      [readJson(join(c.platform, 'commit-3.json')).message.commitment, readJson(secondPath).message.commitment].sort(),
    );
    expect(t.json.result.qualified).toEqual([1, 2]);
    expect(t.json.result.disqualified).toEqual([expect.objectContaining({ trustee: 3, code: 'equivocation' })]);
    expect(verifyCeremonyTranscript(parseCeremonyTranscript(t.json, g)).ok).toBe(true);

    // Trustee 1 finishes from the transcript, trustee 2 from the files (and writes the same transcript).
    const r1 = await asTrustee(1, ['finish', '--state', c.state(1), '--transcript', t.path]);
    expectOk(r1);
    const out2 = join(c.dir, 'ceremony-2.json');
    const r2 = await asTrustee(2, ['finish', '--state', c.state(2), '--messages', c.platform, '--transcript-out', out2]);
    expectOk(r2);
    expect(jointKeyLine(r1)).toBe(jointKeyLine(r2));
    expect(r2.stdout).toMatch(/qualified trustees: 1, 2\n/);
    expect(readJson(out2).equivocations).toEqual(t.json.equivocations);
  });

  it('a trustee that signs two different share files is disqualified for equivocation; the others finish without it', async () => {
    const c = await newCeremony('equivocating-shares', 'equivocate-shares-2025', 3, 2);
    await initAll(c, indices(3));
    await revealAll(c, indices(3));
    // Trustee 2 (dishonest, with the library) publishes a second share file: its share for
    // trustee 1 unchanged, another value for trustee 3, both signed with its keys.
    const params = ceremonyParamsForManifest(g, c.manifest);
    const d = trusteeStateData(importTrusteeState(readJson(c.state(2)), pass(2), g, { allowWeakKdf: true }) as TrusteeRound3<any>);
    const P = (i: number): any => d.round1!.find((m) => m.trustee === i)!.communicationKey;
    const bare = encryptShare(params, 2, d.commSecret, P(2), 3, P(3), g.Fq.add(evaluatePolynomial(g, d.coefficients, 3), 1n));
    const other = {
      ...bare,
      identitySignature: signAsTrustee(params, d.identity!, 2, 'encrypted-share', encryptedShareBodyJson(params, bare)),
    };
    const first = readJson(join(c.platform, 'shares-2.json'));
    expect(first.message.map((s: any) => s.recipient)).toEqual([1, 3]);
    writeJson(join(c.platform, 'shares-2-again.json'), { ...first, message: [first.message[0], encryptedShareToJson(params, other)] });

    for (const i of [1, 3]) {
      const r = await asTrustee(i, [
        'check',
        '--state',
        c.state(i),
        '--messages',
        c.platform,
        '--out',
        join(c.platform, `complaints-${i}.json`),
      ]);
      expectOk(r);
      expect(r.stdout).toMatch(
        /seen \(everyone can see it; no complaint needed\): trustee 2: equivocation \(signed two different messages for encrypted-share:2:3: /,
      );
      expect(readJson(join(c.platform, `complaints-${i}.json`)).message).toEqual([]);
    }
    const own = await asTrustee(2, [
      'check',
      '--state',
      c.state(2),
      '--messages',
      c.platform,
      '--out',
      join(c.platform, 'complaints-2.json'),
    ]);
    expect(own.code).toBe(1);
    expect(existsSync(join(c.platform, 'complaints-2.json'))).toBe(false);

    const t = await transcriptOf(c);
    expect(t.json.equivocations).toHaveLength(1);
    expect(t.json.equivocations[0]).toMatchObject({ trustee: 2, kind: 'encrypted-share' });
    expect(t.json.equivocations[0].messages.map((m: any) => [m.sender, m.recipient])).toEqual([
      [2, 3],
      [2, 3],
    ]);
    expect(t.json.result.qualified).toEqual([1, 3]);
    expect(verifyCeremonyTranscript(parseCeremonyTranscript(t.json, g)).ok).toBe(true);
    const keys = (await finishAll(c, [1, 3])).map(jointKeyLine);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toBe(`joint public key: ${t.json.result.jointPublicKey}`);
  });
});
