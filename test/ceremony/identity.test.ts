/**
 * Trustee identities (issue 20, part 1): identity keys and fingerprints, version-2 ceremonies
 * whose every message is signed by its sender's identity key, messages injected by someone
 * else set aside, equivocation proven and disqualifying, signed decryption shares, and the
 * tallies a key share remembers (part 2).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tinyGroup } from '../helpers/groups.js';
import { fromHex, toHex } from '../../src/bytes.js';
import { encrypt, publicKey } from '../../src/elgamal.js';
import {
  generateTrusteeIdentity,
  identityFingerprint,
  parseIdentityKey,
  TrusteeIdentity,
  trusteeIdentitySecret,
  verifyIdentitySignature,
} from '../../src/election/trustee-identity.js';
import { beginCeremony } from '../../src/ceremony/trustee.js';
import { ceremonyParams, sameCeremony } from '../../src/ceremony/params.js';
import { buildCeremonyTranscript, parseCeremonyTranscript, verifyCeremonyTranscript } from '../../src/ceremony/transcript.js';
import {
  collectCeremonyMessages,
  identitySignedBytes,
  taggedMessages,
  type AnyCeremonyMessage,
  type Equivocation,
} from '../../src/ceremony/signatures.js';
import { commitmentMessageToJson, parseCommitmentMessage } from '../../src/ceremony/wire.js';
import { exportTrusteeState, importTrusteeState } from '../../src/ceremony/state-file.js';
import { TrusteeKey } from '../../src/ceremony/trustee-key.js';
import { decryptionShares, isDecryptionShareSigned, type DecryptionShareMessage } from '../../src/decrypt/shares.js';
import { decryptionShareMessageToJson, parseDecryptionShareMessage } from '../../src/decrypt/wire.js';
import { combineDecryptionShares } from '../../src/decrypt/combine.js';
import { params2, runCeremony } from './harness.js';

const g = tinyGroup;
const WEAK = { logN: 1, allowWeakKdf: true } as const;
const IMPORT = { allowWeakKdf: true, allowInsecureTestGroup: true } as const;

describe('trustee identity keys', () => {
  // RFC 8032 §7.1, test 1.
  const rfcSecret = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const rfcPublic = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
  const rfcSignature =
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

  it('are RFC 8032 Ed25519 keys (known answer) with a 160-bit fingerprint in 8 groups of 4', () => {
    const id = new TrusteeIdentity(rfcSecret);
    expect(id.publicKeyHex).toBe(rfcPublic);
    expect(toHex(id.sign(new Uint8Array(0)))).toBe(rfcSignature);
    expect(verifyIdentitySignature(id.publicKey, new Uint8Array(0), fromHex(rfcSignature))).toBe(true);
    // The fingerprint of the RFC key, as docs/ballot.md derives it (a known answer for other implementations).
    expect(id.fingerprint).toBe(identityFingerprint(fromHex(rfcPublic)));
    expect(id.fingerprint).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(id.fingerprint).toMatchInlineSnapshot(`"9R7W-ZVA0-5CNK-08Z3-6JAT-X61Z-2BD7-QB60"`);
  });

  it('never show the secret key', () => {
    const id = generateTrusteeIdentity();
    const text = JSON.stringify(id) + String(id) + JSON.stringify(Object.entries(id));
    expect(text).not.toContain(toHex(trusteeIdentitySecret(id)));
    expect(Object.keys(id).sort()).toEqual(['fingerprint', 'publicKeyHex']);
    expect(JSON.parse(JSON.stringify(id))).toEqual({ kind: 'trustee-identity', publicKey: id.publicKeyHex, fingerprint: id.fingerprint });
  });

  it('refuse keys of small order and non-canonical encodings', () => {
    expect(() => parseIdentityKey('01' + '00'.repeat(31), 'k')).toThrow(/small order/);
    expect(() => parseIdentityKey('00'.repeat(32), 'k')).toThrow(/small order/);
    expect(() => parseIdentityKey('ff'.repeat(32), 'k')).toThrow(/canonical/);
    expect(() => parseIdentityKey(rfcPublic.toUpperCase(), 'k')).toThrow(/lowercase/);
    expect(parseIdentityKey(rfcPublic, 'k')).toEqual(fromHex(rfcPublic));
  });

  it('a signature verifies for its message and key only (any flipped bit is refused)', () => {
    const id = generateTrusteeIdentity();
    const other = generateTrusteeIdentity();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.nat(), (msg, bit) => {
        const sig = id.sign(msg);
        expect(verifyIdentitySignature(id.publicKey, msg, sig)).toBe(true);
        expect(verifyIdentitySignature(other.publicKey, msg, sig)).toBe(false);
        const s2 = sig.slice();
        s2[(bit >> 3) % 64]! ^= 1 << (bit & 7);
        expect(verifyIdentitySignature(id.publicKey, msg, s2)).toBe(false);
        if (msg.length > 0) {
          const m2 = msg.slice();
          m2[(bit >> 3) % msg.length]! ^= 1 << (bit & 7);
          expect(verifyIdentitySignature(id.publicKey, m2, sig)).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('version-2 ceremony: every message signed by its trustee', () => {
  it('completes, signs every message, and its transcript round-trips and verifies', () => {
    const { params, identities } = params2(g, 3, 2);
    const run = runCeremony(params, { identities });
    expect(run.transcript.result.qualified).toEqual([1, 2, 3]);
    const json = JSON.parse(JSON.stringify(run.transcript.toJson()));
    expect(json.version).toBe(2);
    expect(json.identities).toEqual(identities.map((x) => x.publicKeyHex));
    expect(json.manifestSha256).toBe(toHex(params.manifestSha256!));
    expect(json.equivocations).toEqual([]);
    for (const k of ['commitments', 'reveals', 'shares']) for (const m of json[k]) expect(m.identitySignature).toMatch(/^[0-9a-f]{128}$/);
    const reread = parseCeremonyTranscript(json, g, { allowInsecureTestGroup: true });
    expect(verifyCeremonyTranscript(reread)).toMatchObject({ ok: true, failures: [] });
  });

  it('refuses to begin without the identity the manifest lists for the trustee', () => {
    const { params, identities } = params2(g, 3, 2);
    expect(() => beginCeremony(params, 1)).toThrow(expect.objectContaining({ code: 'unsigned-message' }));
    expect(() => beginCeremony(params, 1, { identity: identities[1] })).toThrow(expect.objectContaining({ code: 'own-message' }));
    expect(() => beginCeremony(params, 1, { identity: generateTrusteeIdentity() })).toThrow(/not trustee 1's/);
  });

  it('a round refuses input not signed by its sender', () => {
    const { params, identities } = params2(g, 3, 2);
    const r = [1, 2, 3].map((i) => beginCeremony(params, i, { identity: identities[i - 1] }).commit());
    const msgs = r.map((x) => x.message);
    const stripped = { ...msgs[1]!, identitySignature: undefined };
    expect(() => r[0]!.next.reveal([msgs[0]!, stripped, msgs[2]!])).toThrow(expect.objectContaining({ code: 'unsigned-message' }));
    // The state was not consumed by the refusal: the honest set still works.
    expect(r[0]!.next.reveal(msgs).shares).toHaveLength(2);
  });

  it('a message injected by someone else is set aside and the ceremony goes on', () => {
    const { params, identities } = params2(g, 3, 2);
    const outsider = generateTrusteeIdentity();
    // The platform runs its own "trustee 2": a well-formed commitment signed by a key the manifest does not list.
    const fakeParams = { ...params, identities: params.identities!.map((k, i) => (i === 1 ? outsider.publicKey : k)) };
    const fake = beginCeremony(fakeParams, 2, { identity: outsider }).commit().message;
    const run = runCeremony(params, {
      identities,
      round1(msgs) {
        const tagged: AnyCeremonyMessage<unknown>[] = [
          { kind: 'commitment', message: fake },
          ...msgs.map((message) => ({ kind: 'commitment' as const, message })),
        ];
        const c = collectCeremonyMessages(params, tagged);
        expect(c.injected).toHaveLength(1);
        expect(c.injected[0]!.message).toBe(fake);
        expect(c.equivocations).toEqual([]);
        return c.commitments as typeof msgs;
      },
    });
    expect(run.transcript.result.qualified).toEqual([1, 2, 3]);
    // Without collection, the injected message stops adjudication instead of passing.
    const t = run.transcript;
    expect(() =>
      buildCeremonyTranscript(params, {
        commitments: t.commitments.map((m) => (m.trustee === 2 ? fake : m)),
        reveals: t.reveals,
        shares: t.shares,
        complaints: t.complaints,
      }),
    ).toThrow(expect.objectContaining({ code: 'unsigned-message' }));
  });

  it('a trustee who signs two different commitments is disqualified with the evidence, and the others finish', () => {
    const { params, identities } = params2(g, 3, 2);
    const second = beginCeremony(params, 3, { identity: identities[2] }).commit().message;
    let equivocations: Equivocation<unknown>[] = [];
    const run = runCeremony(params, {
      identities,
      round1(msgs) {
        const first = msgs.find((m) => m.trustee === 3)!;
        const c = collectCeremonyMessages(params, [
          ...msgs.map((message) => ({ kind: 'commitment' as const, message })),
          { kind: 'commitment', message: second },
        ]);
        expect(c.equivocations).toHaveLength(1);
        expect(c.equivocations[0]!.trustee).toBe(3);
        expect(c.commitments.map((m) => m.trustee).sort()).toEqual([1, 2]);
        equivocations = c.equivocations;
        // A split view: every trustee was shown trustee 3's first commitment; the evidence surfaces later.
        void first;
        return msgs;
      },
      get equivocations() {
        return equivocations;
      },
    });
    expect(run.transcript.result.qualified).toEqual([1, 2]);
    expect(run.transcript.result.disqualified).toEqual([expect.objectContaining({ trustee: 3, code: 'equivocation' })]);
    expect([...run.keys.keys()]).toEqual([1, 2]);
    const json = JSON.parse(JSON.stringify(run.transcript.toJson()));
    expect(json.equivocations).toHaveLength(1);
    expect(json.equivocations[0]).toMatchObject({ trustee: 3, kind: 'commitment' });
    const reread = parseCeremonyTranscript(json, g, { allowInsecureTestGroup: true });
    expect(verifyCeremonyTranscript(reread).ok).toBe(true);
    // Evidence that proves nothing fails the transcript: the same message twice, or one not signed.
    const same = structuredClone(json);
    same.equivocations[0].messages[1] = same.equivocations[0].messages[0];
    expect(verifyCeremonyTranscript(parseCeremonyTranscript(same, g, { allowInsecureTestGroup: true })).failures).toEqual([
      expect.objectContaining({ check: 'ceremony.equivocations' }),
    ]);
    const forged = structuredClone(json);
    forged.equivocations[0].messages[1].identitySignature = '00'.repeat(64);
    expect(verifyCeremonyTranscript(parseCeremonyTranscript(forged, g, { allowInsecureTestGroup: true })).failures).toEqual([
      expect.objectContaining({ check: 'ceremony.equivocations' }),
    ]);
    // Dropping the evidence changes the outcome: the published result no longer matches.
    const dropped = structuredClone(json);
    dropped.equivocations = [];
    expect(verifyCeremonyTranscript(parseCeremonyTranscript(dropped, g, { allowInsecureTestGroup: true })).ok).toBe(false);
  });

  it('any change to a signed message of the transcript is refused (fast-check)', () => {
    const { params, identities } = params2(g, 3, 2);
    const json = JSON.parse(JSON.stringify(runCeremony(params, { identities }).transcript.toJson()));
    const paths: [string, number, string][] = [];
    for (const list of ['commitments', 'reveals', 'shares'])
      json[list].forEach((m: Record<string, unknown>, k: number) => {
        for (const f of Object.keys(m)) if (typeof m[f] === 'string' && f !== 'ceremony') paths.push([list, k, f]);
      });
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.nat(), ([list, k, f], at) => {
        const t = structuredClone(json);
        const v: string = t[list][k][f];
        const i = at % v.length;
        t[list][k][f] = v.slice(0, i) + (v[i] === '0' ? '1' : '0') + v.slice(i + 1);
        let ok: boolean;
        try {
          ok = verifyCeremonyTranscript(parseCeremonyTranscript(t, g, { allowInsecureTestGroup: true })).ok;
        } catch {
          ok = false;
        }
        expect(ok).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('a message of one manifest does not verify in the ceremony of another with the same election id and trustees', () => {
    const { params, identities } = params2(g, 3, 2);
    const other = ceremonyParams(
      g,
      {
        ceremonyId: params.ceremonyId,
        n: 3,
        t: 2,
        binding: { manifestSha256: new Uint8Array(32).fill(7), identities: params.identities! },
      },
      { allowInsecureTestGroup: true },
    );
    expect(identitySignedBytes(params, 'commitment', {})).not.toEqual(identitySignedBytes(other, 'commitment', {}));
    const m = beginCeremony(params, 1, { identity: identities[0] }).commit().message;
    expect(collectCeremonyMessages(other, [{ kind: 'commitment', message: m }]).injected).toHaveLength(1);
    expect(collectCeremonyMessages(params, [{ kind: 'commitment', message: m }]).injected).toHaveLength(0);
  });

  it('version-1 wire forms carry no signature, version-2 ones must', () => {
    const { params, identities } = params2(g, 2, 1);
    const m = beginCeremony(params, 1, { identity: identities[0] }).commit().message;
    const json = commitmentMessageToJson(params, m) as unknown as Record<string, unknown>;
    expect(Object.keys(json)).toContain('identitySignature');
    const { identitySignature: _, ...unsigned } = json;
    expect(() => parseCommitmentMessage(params, unsigned)).toThrow(expect.objectContaining({ path: 'commitment.identitySignature' }));
    expect(() => commitmentMessageToJson(params, { ...m, identitySignature: undefined })).toThrow(
      expect.objectContaining({ code: 'unsigned-message' }),
    );
  });
});

describe('version-2 decryption shares and the key share', () => {
  const { params, identities } = params2(g, 3, 2);
  const run = runCeremony(params, { identities });
  const pk = publicKey(g, run.transcript.result.jointPublicKey);
  const cts = [encrypt(pk, 1n).ciphertext, encrypt(pk, 0n).ciphertext];
  const context = new Uint8Array([1, 2, 3]);

  it('are signed by the trustee, and an unsigned or re-signed message is excluded when combining', () => {
    const msgs = [1, 2, 3].map((j) => decryptionShares(g, run.keys.get(j)!, cts, context));
    for (const m of msgs) expect(m.identitySignature).toBeInstanceOf(Uint8Array);
    const json = decryptionShareMessageToJson(params, msgs[0]!);
    expect(parseDecryptionShareMessage(params, JSON.parse(JSON.stringify(json)))).toEqual(msgs[0]);
    expect(combineDecryptionShares(run.transcript.result, cts, msgs, context, 2).plaintexts).toEqual([1n, 0n]);
    const unsigned: DecryptionShareMessage<unknown> = { ...msgs[0]!, identitySignature: undefined };
    const stolen: DecryptionShareMessage<unknown> = { ...msgs[1]!, identitySignature: msgs[0]!.identitySignature };
    const r = combineDecryptionShares(run.transcript.result, cts, [unsigned, stolen, msgs[1]!, msgs[2]!], context, 2);
    expect(r.valid).toEqual([2, 3]);
    expect(r.invalid.map((x) => [x.trustee, x.code])).toEqual([
      [1, 'unsigned'],
      [2, 'unsigned'],
    ]);
    expect(() => combineDecryptionShares(run.transcript.result, cts, [unsigned, stolen, msgs[2]!], context, 2)).toThrow(
      expect.objectContaining({ code: 'insufficient-shares' }),
    );
  });

  it('a key share remembers the tally it decrypted, refuses another, and keeps it through its state file', () => {
    const key = run.keys.get(1)!;
    const a = { fingerprint: 'aa'.repeat(32), boardHead: 'bb'.repeat(32), tallySha256: 'cc'.repeat(32) };
    const fork = { ...a, boardHead: 'dd'.repeat(32) };
    const otherElection = { ...fork, fingerprint: 'ee'.repeat(32) };
    const k1 = key.withDecrypted(a);
    expect(k1.decrypted).toEqual([a]);
    expect(k1.withDecrypted(a)).toBe(k1);
    expect(() => k1.assertMayDecrypt(fork)).toThrow(expect.objectContaining({ code: 'already-decrypted' }));
    expect(() => k1.assertMayDecrypt({ ...a, tallySha256: 'ff'.repeat(32) })).toThrow(/already decrypted/);
    expect(() => k1.assertMayDecrypt(otherElection)).not.toThrow();
    const back = importTrusteeState(exportTrusteeState(k1, 'pass phrase', WEAK), 'pass phrase', g, IMPORT) as TrusteeKey<unknown>;
    expect(back).toBeInstanceOf(TrusteeKey);
    expect(back.decrypted).toEqual([a]);
    expect(back.identity?.publicKeyHex).toBe(identities[0]!.publicKeyHex);
    expect(() => back.assertMayDecrypt(fork)).toThrow(expect.objectContaining({ code: 'already-decrypted' }));
    // The imported key still signs as trustee 1.
    expect(isDecryptionShareSigned(params, decryptionShares(g, back, cts, context))).toBe(true);
  });

  it('round states keep the identity through their state files', () => {
    const p = params2(g, 2, 1);
    const c2 = beginCeremony(p.params, 2, { identity: p.identities[1] }).commit();
    const back = importTrusteeState(exportTrusteeState(c2.next, 'pass phrase', WEAK), 'pass phrase', g, IMPORT) as typeof c2.next;
    const c1 = beginCeremony(p.params, 1, { identity: p.identities[0] }).commit();
    const r = back.reveal([c1.message, c2.message]);
    const tagged = taggedMessages({ commitments: [], reveals: [r.reveal], shares: r.shares, complaints: [] });
    expect(collectCeremonyMessages(p.params, tagged)).toMatchObject({ injected: [], equivocations: [] });
  });
});

describe('sameCeremony', () => {
  it('tells apart parameters that differ only in a trustee identity key', () => {
    const { params } = params2(g, 3, 2);
    const swapped = ceremonyParams(
      g,
      {
        ceremonyId: params.ceremonyId,
        n: 3,
        t: 2,
        binding: {
          manifestSha256: params.manifestSha256!,
          identities: params.identities!.map((k, i) => (i === 1 ? generateTrusteeIdentity().publicKey : k)),
        },
      },
      { allowInsecureTestGroup: true },
    );
    expect(swapped.context).toEqual(params.context);
    expect(sameCeremony(params, swapped)).toBe(false);
    expect(sameCeremony(params, { ...params })).toBe(true);
  });
});
