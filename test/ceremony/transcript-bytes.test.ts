/**
 * docs/ceremony.md §"Transcripts and keys, byte for byte", checked independently of mjvote's
 * code: every hash, challenge and key of the golden record's ceremony (and of a complaint made
 * here) is rebuilt from the documented bytes with @noble directly (SHA-256, RFC 9380
 * hash_to_field with SHA-512, HKDF-SHA-256, XChaCha20-Poly1305), and compared with what mjvote
 * published or computed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { fromHex, toHex } from '../../src/bytes.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { ceremonyParams } from '../../src/ceremony/params.js';
import { createComplaint } from '../../src/ceremony/messages.js';
import { encryptShare } from '../../src/ceremony/share-encryption.js';

const GOLDEN = 'test/fixtures/golden-record-v1';
const g = ristretto255;
const enc = new TextEncoder();
/** RFC 9496's generator, encoded. */
const G = fromHex('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');

const cat = (...bs: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(bs.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of bs) out.set(b, (o += b.length) - b.length);
  return out;
};
const u32 = (n: number): Uint8Array => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
/** lp(x) = u32(len x) ‖ x; a string is its UTF-8, a number its u32. */
const lp = (x: Uint8Array | string | number): Uint8Array => {
  const b = typeof x === 'string' ? enc.encode(x) : typeof x === 'number' ? u32(x) : x;
  return cat(u32(b.length), b);
};
const ctxBytes = (...parts: (Uint8Array | string | number)[]): Uint8Array => cat(...parts.map(lp));
/** A transcript item: tag ‖ u32(len) ‖ bytes. */
const item = (tag: number, b: Uint8Array): Uint8Array => cat(new Uint8Array([tag]), u32(b.length), b);
/** The challenge: hash_to_field over Z_q of the items, DST mjvote-v1-<kind>-ristretto255; as its scalar encoding (LE hex). */
const challenge = (kind: string, ctx: Uint8Array, elements: string[]): string => {
  const msg = cat(item(0x01, ctx), ...elements.map((h) => item(0x02, fromHex(h))));
  const c = hash_to_field(msg, 1, { DST: `mjvote-v1-${kind}-ristretto255`, p: g.order, m: 1, k: 128, expand: 'xmd', hash: sha512 })[0]![0]!;
  return g.scalarToHex(c);
};

const ceremony = JSON.parse(readFileSync(`${GOLDEN}/ceremony.json`, 'utf8'));
const context = ctxBytes('mjvote-v1-ceremony', 'ristretto255', ceremony.ceremony, ceremony.n, ceremony.t);
const Ghex = toHex(G);

describe('the ceremony transcript, byte for byte (docs/ceremony.md)', () => {
  it('the generator is RFC 9496 ristretto255 base point', () => {
    expect(g.toHex(g.generator)).toBe(Ghex);
  });

  it('round-1 commitments and the communication keys’ proofs of knowledge', () => {
    for (const m of ceremony.commitments) {
      const r = ceremony.reveals.find((x: any) => x.trustee === m.trustee);
      const commitment = sha256(
        ctxBytes(
          'mjvote-v1-ceremony-commitment',
          context,
          m.trustee,
          fromHex(r.salt),
          ...r.coefficientCommitments.map((h: string) => fromHex(h)),
        ),
      );
      expect(toHex(commitment)).toBe(m.commitment);
      const ctx = ctxBytes(context, 'communication-key', m.trustee, fromHex(m.commitment));
      expect(challenge('schnorr', ctx, [Ghex, m.communicationKey, m.proof.commitment])).toBe(m.proof.challenge);
    }
  });

  it('the coefficients’ proofs of knowledge', () => {
    for (const r of ceremony.reveals)
      r.coefficientCommitments.forEach((C: string, l: number) => {
        const ctx = ctxBytes(context, 'coefficient', r.trustee, l);
        expect(challenge('schnorr', ctx, [Ghex, C, r.proofs[l].commitment])).toBe(r.proofs[l].challenge);
      });
  });

  it('the encrypted shares’ signatures, under the sender’s communication key', () => {
    expect(ceremony.shares.length).toBe(6);
    for (const s of ceremony.shares) {
      const P = ceremony.commitments.find((m: any) => m.trustee === s.sender).communicationKey;
      const ctx = ctxBytes(context, 'encrypted-share', s.sender, s.recipient, fromHex(s.nonce), fromHex(s.ciphertext));
      expect(challenge('schnorr', ctx, [Ghex, P, s.signature.commitment])).toBe(s.signature.challenge);
      expect(fromHex(s.ciphertext).length).toBe(32 + 16);
    }
  });

  it('the election fingerprint and the decryption shares’ proofs', () => {
    const board = readFileSync(`${GOLDEN}/board.jsonl`, 'utf8').split('\n');
    const setup = JSON.parse(board[0]!).payload.election;
    // The manifest's canonical bytes (docs/ballot.md §1): members in the documented order, no whitespace.
    const m = JSON.parse(readFileSync(`${GOLDEN}/manifest.json`, 'utf8'));
    const manifest = JSON.stringify({
      version: m.version,
      electionId: m.electionId,
      title: m.title,
      candidates: m.candidates.map((c: any) => ({ id: c.id, name: c.name })),
      grades: m.grades,
      group: m.group,
      trustees: { n: m.trustees.n, t: m.trustees.t },
    });
    const q = ceremony.result.qualified as number[];
    const rows = q.map((i) => ceremony.reveals.find((r: any) => r.trustee === i).coefficientCommitments as string[]);
    const fp = sha256(
      cat(
        lp('mjvote-v1-fingerprint'),
        lp('ristretto255'),
        lp(enc.encode(manifest)),
        u32(q.length),
        ...rows.map((row) => cat(u32(row.length), ...row.map((h: string) => fromHex(h)))),
        fromHex(ceremony.result.jointPublicKey),
      ),
    );
    expect(toHex(fp)).toBe(setup.fingerprint);
    const tallyContext = ctxBytes(fp, 'tally');
    const tally = JSON.parse(readFileSync(`${GOLDEN}/tally.json`, 'utf8'));
    const alphas = (tally.cells as { alpha: string }[][]).flat().map((c) => c.alpha);
    const shares = JSON.parse(readFileSync(`${GOLDEN}/decryption-shares.json`, 'utf8')).shares;
    for (const m of shares) {
      const K = ceremony.result.verificationKeys.find((v: any) => v.trustee === m.trustee).key;
      m.shares.forEach((s: any, k: number) => {
        const ctx = ctxBytes(tallyContext, m.trustee, k);
        const els = [Ghex, K, alphas[k]!, s.share, s.proof.commitment1, s.proof.commitment2];
        expect(challenge('decryption-share', ctx, els)).toBe(s.proof.challenge);
      });
    }
  });

  it('a complaint’s DLEQ proof, and the share key and AEAD it opens', () => {
    const params = ceremonyParams(g, { ceremonyId: 'complaint-bytes', n: 3, t: 2 });
    const pctx = ctxBytes('mjvote-v1-ceremony', 'ristretto255', 'complaint-bytes', 3, 2);
    expect(toHex(params.context)).toBe(toHex(pctx));
    // Trustee 3 sends trustee 1 a share; trustee 1 complains about it.
    const d3 = g.randomScalar();
    const d1 = g.randomScalar();
    const P3 = g.G.multiply(d3);
    const P1 = g.G.multiply(d1);
    const value = g.randomScalar();
    const share = encryptShare(params, 3, d3, P3, 1, P1, value);
    const c = createComplaint(params, 1, d1, 3, P3);
    const ctx = ctxBytes(pctx, 'complaint', 1, 3);
    const els = [Ghex, g.toHex(P1), g.toHex(P3), g.toHex(c.sharedSecret), g.toHex(c.proof.commitment1), g.toHex(c.proof.commitment2)];
    expect(challenge('ceremony-complaint', ctx, els)).toBe(g.scalarToHex(c.proof.challenge));
    // Anyone holding Z opens the share: HKDF-SHA-256, then XChaCha20-Poly1305 with the binding as AAD.
    const binding = ctxBytes(pctx, 'share', 3, 1, g.encode(P3), g.encode(P1));
    const key = hkdf(sha256, g.encode(c.sharedSecret), enc.encode('mjvote-v1-ceremony-share-kdf'), binding, 32);
    const plain = xchacha20poly1305(key, share.nonce, binding).decrypt(share.ciphertext);
    expect(toHex(plain)).toBe(g.scalarToHex(value));
    // The share's signature: a Schnorr proof by d_3 under kind `schnorr`.
    const sctx = ctxBytes(pctx, 'encrypted-share', 3, 1, share.nonce, share.ciphertext);
    expect(challenge('schnorr', sctx, [Ghex, g.toHex(P3), g.toHex(share.signature.commitment)])).toBe(
      g.scalarToHex(share.signature.challenge),
    );
  });
});
