import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { TamperedStateError, WrongPassphraseError } from '../../src/ceremony/errors.js';
import {
  exportTrusteeIdentity,
  importTrusteeIdentity,
  isTrusteeIdentityFile,
  parseTrusteeIdentityPublic,
  trusteeIdentityPublicJson,
} from '../../src/ceremony/identity-file.js';
import { generateTrusteeIdentity, trusteeIdentitySecret } from '../../src/election/trustee-identity.js';
import { toHex } from '../../src/bytes.js';

const WEAK = { logN: 4, allowWeakKdf: true } as const;
const PASS = 'correct horse battery staple';

/** Through JSON text, as it is written to disk and read back. */
const viaText = (v: unknown): any => JSON.parse(JSON.stringify(v));

describe('trustee identity files', () => {
  const id = generateTrusteeIdentity();
  const file = viaText(exportTrusteeIdentity(id, PASS, WEAK));

  it('round-trip: the same key pair back, the public key and fingerprint in clear, the secret sealed', () => {
    expect(Object.keys(file)).toEqual(['format', 'version', 'publicKey', 'fingerprint', 'kdf', 'aead', 'check', 'ciphertext']);
    expect(file).toMatchObject({
      format: 'mjvote-trustee-identity-secret',
      version: 1,
      publicKey: id.publicKeyHex,
      fingerprint: id.fingerprint,
    });
    expect(JSON.stringify(file)).not.toContain(toHex(trusteeIdentitySecret(id)));
    const back = importTrusteeIdentity(file, PASS, { allowWeakKdf: true });
    expect(back.publicKeyHex).toBe(id.publicKeyHex);
    expect(toHex(trusteeIdentitySecret(back))).toBe(toHex(trusteeIdentitySecret(id)));
  });

  it('the public file and the secret file both give the public key and fingerprint without a passphrase', () => {
    const pub = viaText(trusteeIdentityPublicJson(id));
    expect(pub).toEqual({ format: 'mjvote-trustee-identity', version: 1, publicKey: id.publicKeyHex, fingerprint: id.fingerprint });
    for (const f of [pub, file]) {
      expect(isTrusteeIdentityFile(f)).toBe(true);
      const p = parseTrusteeIdentityPublic(f);
      expect(p.publicKeyHex).toBe(id.publicKeyHex);
      expect(p.fingerprint).toBe(id.fingerprint);
    }
    expect(parseTrusteeIdentityPublic(pub).kind).toBe('public');
    expect(parseTrusteeIdentityPublic(file).kind).toBe('secret');
    expect(isTrusteeIdentityFile({ format: 'mjvote-trustee-state' })).toBe(false);
  });

  it('refuses a wrong passphrase, an altered file, a fingerprint that is not the key’s, a weak cost, a public file', () => {
    expect(() => importTrusteeIdentity(file, 'another passphrase entirely', { allowWeakKdf: true })).toThrow(WrongPassphraseError);
    expect(() => importTrusteeIdentity(file, 'another passphrase entirely', { allowWeakKdf: true })).toThrow(
      /wrong passphrase for this trustee identity file/,
    );
    const flipped = { ...file, ciphertext: file.ciphertext.slice(0, -2) + (file.ciphertext.endsWith('00') ? '01' : '00') };
    expect(() => importTrusteeIdentity(flipped, PASS, { allowWeakKdf: true })).toThrow(TamperedStateError);
    // Another identity's public key (with its own fingerprint) over this secret: the header is authenticated.
    const other = generateTrusteeIdentity();
    const swapped = { ...file, publicKey: other.publicKeyHex, fingerprint: other.fingerprint };
    expect(() => importTrusteeIdentity(swapped, PASS, { allowWeakKdf: true })).toThrow(/trustee identity file was altered/);
    expect(() => parseTrusteeIdentityPublic({ ...file, fingerprint: other.fingerprint })).toThrow(
      /identity\.fingerprint: not the fingerprint of publicKey/,
    );
    expect(() => importTrusteeIdentity(file, PASS)).toThrow(/identity\.kdf\.logN: expected an integer in \[15, 20\]/);
    expect(() => importTrusteeIdentity(trusteeIdentityPublicJson(id), PASS)).toThrow(/a public identity file: it holds no secret key/);
    expect(() => importTrusteeIdentity({ ...file, extra: 1 }, PASS, { allowWeakKdf: true })).toThrow(FormatError);
    expect(() => parseTrusteeIdentityPublic({ format: 'nope' })).toThrow(/identity\.format/);
    expect(() => exportTrusteeIdentity(id, PASS, { logN: 4 })).toThrow(/logN: expected an integer in \[15, 20\]/);
  });

  it('two exports of one identity differ (fresh salt and nonce) and both open', () => {
    const again = viaText(exportTrusteeIdentity(id, PASS, WEAK));
    expect(again.kdf.salt).not.toBe(file.kdf.salt);
    expect(again.ciphertext).not.toBe(file.ciphertext);
    expect(importTrusteeIdentity(again, PASS, { allowWeakKdf: true }).publicKeyHex).toBe(id.publicKeyHex);
  });
});
