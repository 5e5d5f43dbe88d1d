import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tinyGroup } from '../helpers/groups.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import type { Group } from '../../src/group/group.js';
import { FormatError } from '../../src/errors.js';
import { encrypt, publicKey } from '../../src/elgamal.js';
import { TamperedStateError, WrongPassphraseError } from '../../src/ceremony/errors.js';
import {
  beginCeremony,
  TrusteeRound1,
  TrusteeRound2,
  TrusteeRound3,
  TrusteeRound4,
  type TrusteeRoundState,
} from '../../src/ceremony/trustee.js';
import { TrusteeKey, trusteeSecretShare } from '../../src/ceremony/trustee-key.js';
import { buildCeremonyTranscript } from '../../src/ceremony/transcript.js';
import { DEFAULT_SCRYPT_LOG_N, exportTrusteeState, importTrusteeState, type TrusteeStateFile } from '../../src/ceremony/state-file.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
import { combineDecryptionShares } from '../../src/decrypt/combine.js';
import { toHex } from '../../src/bytes.js';
import { params, secretsOf } from './harness.js';
import { garbage, jsonPaths, setPath } from './json-mutation.js';

const WEAK = { logN: 4, allowWeakKdf: true } as const;
const IMPORT = { allowWeakKdf: true, allowInsecureTestGroup: true } as const;
const pass = (i: number) => `correct horse battery staple #${i}`;

/** Export then import through JSON text, as a trustee would between sessions. */
function roundTrip<E, S extends TrusteeRoundState<E> | TrusteeKey<E>>(g: Group<E>, s: S, i: number): S {
  const file = JSON.parse(JSON.stringify(exportTrusteeState(s, pass(i), WEAK)));
  return importTrusteeState(file, pass(i), g, IMPORT) as S;
}

/** Every secret a state holds, as the hex strings that would betray it in JSON. */
function secretHexes<E>(g: Group<E>, s: TrusteeRoundState<E>): string[] {
  const d = secretsOf(s);
  return [...d.coefficients, d.commSecret, ...(d.received?.values() ?? [])].map((x) => g.scalarToHex(x)).concat([toHex(d.salt)]);
}

function expectNoSecrets(g: Group<any>, obj: object, secrets: string[]): void {
  const text = JSON.stringify(obj);
  for (const h of secrets) expect(text.includes(h)).toBe(false);
  for (const k of Object.getOwnPropertyNames(obj)) expect(typeof (obj as any)[k]).not.toBe('bigint');
  // Own fields are public data only (the params, the index, the round, the public result, the tallies decrypted).
  for (const k of Object.keys(obj)) expect(['params', 'trustee', 'round', 'result', 'identity', 'decrypted']).toContain(k);
  void g;
}

describe('trustee round states', () => {
  const g = tinyGroup;

  it('are consumed by use, hide their secrets from JSON, and survive export/import between every round', () => {
    const p = params(g, 3, 2);
    const r1 = [1, 2, 3].map((i) => roundTrip(g, beginCeremony(p, i), i));
    for (const s of r1) {
      expect(s).toBeInstanceOf(TrusteeRound1);
      expectNoSecrets(g, s, secretHexes(g, s));
      expect(JSON.parse(JSON.stringify(s))).toEqual({
        kind: 'trustee-state',
        round: 1,
        ceremony: p.ceremonyId,
        trustee: s.trustee,
        spent: false,
      });
    }
    const c = r1.map((s) => s.commit());
    expect(() => r1[0]!.commit()).toThrow(expect.objectContaining({ code: 'state-spent' }));
    expect(() => exportTrusteeState(r1[0]!, 'x', WEAK)).toThrow(expect.objectContaining({ code: 'state-spent' }));
    const commitments = c.map((x) => x.message);
    const s2 = c.map((x, k) => roundTrip(g, x.next, k + 1));
    s2.forEach((s) => {
      expect(s).toBeInstanceOf(TrusteeRound2);
      expectNoSecrets(g, s, secretHexes(g, s));
    });
    const r2 = s2.map((s) => s.reveal(commitments));
    expect(() => s2[1]!.reveal(commitments)).toThrow(expect.objectContaining({ code: 'state-spent' }));
    const reveals = r2.map((x) => x.reveal);
    const shares = r2.flatMap((x) => x.shares);
    // Public messages carry no secret either (the shares are encrypted).
    const publicText = JSON.stringify({
      reveals: reveals.map((r) => r.coefficientCommitments.map((e) => g.toHex(e))),
      shares: shares.map((x) => toHex(x.ciphertext)),
    });
    const s3 = r2.map((x, k) => roundTrip(g, x.next, k + 1));
    s3.forEach((s) => {
      expect(s).toBeInstanceOf(TrusteeRound3);
      for (const h of secretHexes(g, s).slice(0, -1)) expect(publicText.includes(h)).toBe(false);
    });
    const r3 = s3.map((s) => s.check(reveals, shares));
    expect(() => s3[2]!.check(reveals, shares)).toThrow(expect.objectContaining({ code: 'state-spent' }));
    const s4 = r3.map((x, k) => roundTrip(g, x.next, k + 1));
    s4.forEach((s) => {
      expect(s).toBeInstanceOf(TrusteeRound4);
      expectNoSecrets(g, s, secretHexes(g, s));
    });
    const transcript = buildCeremonyTranscript(p, { commitments, reveals, shares, complaints: r3.flatMap((x) => x.complaints) });
    const keys = s4.map((s) => s.finish(transcript).key);
    expect(() => s4[0]!.finish(transcript)).toThrow(expect.objectContaining({ code: 'state-spent' }));
    // Keys: secret share hidden from JSON, and it survives export/import.
    const restored = keys.map((k, i) => roundTrip(g, k, i + 1));
    restored.forEach((k, i) => {
      expect(k).toBeInstanceOf(TrusteeKey);
      expect(trusteeSecretShare(k)).toBe(trusteeSecretShare(keys[i]!));
      expectNoSecrets(g, k, [g.scalarToHex(trusteeSecretShare(k))]);
      expect(Object.keys(JSON.parse(JSON.stringify(k))).sort()).toEqual([
        'ceremony',
        'jointPublicKey',
        'kind',
        'trustee',
        'verificationKey',
      ]);
    });
    const ct = encrypt(publicKey(g, transcript.result.jointPublicKey), 3).ciphertext;
    const ctx = new Uint8Array([7]);
    const out = combineDecryptionShares(
      restored[0]!.result,
      [ct],
      [restored[2]!, restored[1]!].map((k) => decryptionShares(g, k, [ct], ctx)),
      ctx,
      5,
    );
    expect(out.plaintexts).toEqual([3n]);
  });
});

describe('state files', () => {
  const g = tinyGroup;
  const p = params(g, 3, 2);
  const state = beginCeremony(p, 2).commit().next;
  const file = exportTrusteeState(state, pass(2), WEAK);

  it('record their parameters; the wrong passphrase fails with WrongPassphraseError', () => {
    expect(file).toMatchObject({
      format: 'mjvote-trustee-state',
      version: 2,
      ceremonyVersion: 1,
      group: g.id,
      ceremony: p.ceremonyId,
      n: 3,
      t: 2,
      trustee: 2,
      round: 2,
      kdf: { name: 'scrypt', logN: 4, r: 8, p: 1 },
    });
    expect(() => importTrusteeState(file, pass(3), g, IMPORT)).toThrow(WrongPassphraseError);
    expect(() => importTrusteeState(file, pass(2) + ' ', g, IMPORT)).toThrow(WrongPassphraseError);
    expect(() => importTrusteeState(file, '', g, IMPORT)).toThrow(expect.objectContaining({ path: 'passphrase' }));
  });

  it('any altered authenticated byte fails with TamperedStateError', () => {
    const flip = (hex: string, k: number) =>
      hex.slice(0, 2 * k) + (parseInt(hex.slice(2 * k, 2 * k + 2), 16) ^ 1).toString(16).padStart(2, '0') + hex.slice(2 * k + 2);
    const ctLen = file.ciphertext.length / 2;
    for (const k of [0, 5, ctLen - 1])
      expect(() => importTrusteeState({ ...file, ciphertext: flip(file.ciphertext, k) }, pass(2), g, IMPORT)).toThrow(TamperedStateError);
    expect(() => importTrusteeState({ ...file, aead: { ...file.aead, nonce: flip(file.aead.nonce, 3) } }, pass(2), g, IMPORT)).toThrow(
      TamperedStateError,
    );
    expect(() => importTrusteeState({ ...file, trustee: 1 }, pass(2), g, IMPORT)).toThrow(TamperedStateError);
    expect(() => importTrusteeState({ ...file, round: 3 }, pass(2), g, IMPORT)).toThrow(TamperedStateError);
    expect(() => importTrusteeState({ ...file, ceremony: 'another-election' }, pass(2), g, IMPORT)).toThrow(TamperedStateError);
    // The KDF inputs cannot be told apart from a wrong passphrase.
    expect(() => importTrusteeState({ ...file, kdf: { ...file.kdf, salt: flip(file.kdf.salt, 0) } }, pass(2), g, IMPORT)).toThrow(
      WrongPassphraseError,
    );
    expect(() => importTrusteeState({ ...file, check: flip(file.check, 0) }, pass(2), g, IMPORT)).toThrow(WrongPassphraseError);
  });

  it('malformed files fail with a FormatError naming the field', () => {
    const paths = jsonPaths(file);
    fc.assert(
      fc.property(fc.constantFrom(...paths), garbage, (path, value) => {
        try {
          importTrusteeState(setPath(file, path, value), pass(2), g, IMPORT);
        } catch (e) {
          expect(e instanceof FormatError || e instanceof WrongPassphraseError || e instanceof TamperedStateError).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
    expect(() => importTrusteeState({ ...file, kdf: { ...file.kdf, r: 1 } }, pass(2), g, IMPORT)).toThrow(
      expect.objectContaining({ path: 'state.kdf.r' }),
    );
    expect(() => importTrusteeState({ ...file, group: 'ristretto255' }, pass(2), g, IMPORT)).toThrow(
      expect.objectContaining({ path: 'state.group' }),
    );
    expect(() => importTrusteeState(file, pass(2), ristretto255, IMPORT)).toThrow(expect.objectContaining({ path: 'state.group' }));
    expect(() => importTrusteeState({ ...file, kdf: { ...file.kdf, logN: 30 } }, pass(2), g, IMPORT)).toThrow(
      expect.objectContaining({ path: 'state.kdf.logN' }),
    );
  });

  it('weak KDF costs need an explicit opt-in on both export and import', () => {
    expect(() => exportTrusteeState(state, pass(2), { logN: 10 })).toThrow(expect.objectContaining({ path: 'logN' }));
    expect(() => importTrusteeState(file, pass(2), g, { allowInsecureTestGroup: true })).toThrow(
      expect.objectContaining({ path: 'state.kdf.logN' }),
    );
  });

  it('default cost (scrypt N = 2^17, r = 8, p = 1) on ristretto255: round trip of a final key', () => {
    const q = params(ristretto255, 1, 1);
    const s4 = beginCeremony(q, 1).commit();
    const r2 = s4.next.reveal([s4.message]);
    const r3 = r2.next.check([r2.reveal], []);
    const key = r3.next.finish(
      buildCeremonyTranscript(q, { commitments: [s4.message], reveals: [r2.reveal], shares: [], complaints: [] }),
    ).key;
    const f: TrusteeStateFile = exportTrusteeState(key, 'a long passphrase');
    expect(f.kdf.logN).toBe(DEFAULT_SCRYPT_LOG_N);
    expect(DEFAULT_SCRYPT_LOG_N).toBe(17);
    const back = importTrusteeState(JSON.parse(JSON.stringify(f)), 'a long passphrase', ristretto255) as TrusteeKey<any>;
    expect(trusteeSecretShare(back)).toBe(trusteeSecretShare(key));
    expect(ristretto255.equals(back.jointPublicKey, key.jointPublicKey)).toBe(true);
  });
});
