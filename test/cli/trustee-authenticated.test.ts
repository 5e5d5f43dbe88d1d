/**
 * `mjvote trustee` with authenticated trustees (issue 20, part 1): identities made once with
 * `mjvote trustee identity`, listed in a version-2 manifest; `init` refuses a manifest without
 * identities and an identity the manifest does not list at that index.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTrusteeIdentity } from '../../src/ceremony/identity-file.js';
import {
  asTrustee,
  expectOk,
  expectOneLineError,
  indices,
  initArgs,
  makeIdentity,
  mjvote,
  newCeremony,
  pass,
  readJson,
  root,
  writeJson,
} from './trustee-helpers.js';

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
