/**
 * Frozen known-answer vectors (test/ballot/vectors/ballots-ristretto255.json): ballots made by an
 * earlier build must keep parsing, hashing and checking identically. The fingerprint, the
 * credential key, the ballot hash, the tracking code and the signature challenge are also
 * recomputed here from the documented byte layouts (docs/ballot.md) with @noble directly,
 * without mjvote's own serializers.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { ristretto255 as nobleRistretto } from '@noble/curves/ed25519.js';
import { ristretto255 as g } from '../../src/group/ristretto255.js';
import { decrypt } from '../../src/elgamal.js';
import { createCredentialList, credentialFromCode } from '../../src/election/credential.js';
import { parseElection } from '../../src/election/election.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { type BallotJson } from '../../src/ballot/json.js';
import { checkBallot } from '../../src/ballot/check.js';
import { checkOpening, parseOpening } from '../../src/ballot/opening.js';

const vec = JSON.parse(readFileSync(join(__dirname, 'vectors/ballots-ristretto255.json'), 'utf8'));
const q = g.order;

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const u32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const lp = (b: Uint8Array) => cat(u32(b.length), b);
const text = (s: string) => new TextEncoder().encode(s);
const h2f = (msg: Uint8Array, dst: string) =>
  (hash_to_field(msg, 1, { DST: dst, p: q, m: 1, k: 128, expand: 'xmd', hash: sha512 }) as bigint[][])[0]![0]!;
const item = (tag: number, b: Uint8Array) => cat(new Uint8Array([tag]), u32(b.length), b);

/** The ballot hash from the JSON hex, per the documented layout. */
function independentBallotHash(b: BallotJson): string {
  const K = b.answers[0]!.choices.length;
  const parts = [
    lp(text('mjvote-v1-ballot')),
    lp(text('ristretto255')),
    lp(text(b.electionId)),
    lp(hex(b.fingerprint)),
    hex(b.credential),
    u32(b.answers.length),
    u32(K),
  ];
  for (const a of b.answers) {
    for (const c of a.choices) parts.push(hex(c.alpha), hex(c.beta));
    for (const p of a.proofs) for (const br of p) parts.push(hex(br.a), hex(br.b), hex(br.challenge), hex(br.response));
    const e = a.exactlyOne;
    parts.push(hex(e.commitment1), hex(e.commitment2), hex(e.challenge), hex(e.response));
  }
  return toHex(sha256(cat(...parts)));
}

/** First 50 bits in Crockford base32, 5-5. */
function independentTrackingCode(hashHex: string): string {
  const bits = [...hex(hashHex)].map((x) => x.toString(2).padStart(8, '0')).join('');
  const syms = Array.from({ length: 30 }, (_, i) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[parseInt(bits.slice(5 * i, 5 * i + 5), 2)]).join('');
  return syms.match(/.{5}/g)!.join('-');
}

describe('frozen ballot vectors (ristretto255)', () => {
  const election = parseElection(vec.election);
  const list = createCredentialList(g, election.manifest.electionId, [g.fromHex(vec.credential.publicKey)]);

  it('fingerprint: SHA-256 over the documented layout', () => {
    const m = vec.election.manifest;
    const manifestBytes = text(
      JSON.stringify({
        version: m.version,
        electionId: m.electionId,
        title: m.title,
        candidates: m.candidates,
        grades: m.grades,
        group: m.group,
        trustees: m.trustees,
      }),
    );
    const rows: string[][] = vec.election.coefficientCommitments;
    const fp = sha256(
      cat(
        lp(text('mjvote-v1-fingerprint')),
        lp(text('ristretto255')),
        lp(manifestBytes),
        u32(rows.length),
        ...rows.flatMap((r) => [u32(r.length), ...r.map(hex)]),
        hex(vec.election.jointPublicKey),
      ),
    );
    expect(toHex(fp)).toBe(vec.election.fingerprint);
    expect(election.fingerprintHex).toBe(vec.election.fingerprint);
    expect(vec.election.jointPublicKey).toBe(toHex(nobleRistretto.Point.BASE.multiply(12n).toBytes()));
  });

  it('credential: x = hash_to_field(lp(electionId) ‖ lp(code symbols)), X = x·G', () => {
    const code: string = vec.credential.code;
    const x = h2f(cat(lp(text('vector-2024')), lp(text(code.replace(/-/g, '')))), 'mjvote-v1-credential-ristretto255');
    expect(toHex(nobleRistretto.Point.BASE.multiply(x).toBytes())).toBe(vec.credential.publicKey);
    expect(credentialFromCode(g, 'vector-2024', code).publicKeyHex).toBe(vec.credential.publicKey);
  });

  for (const which of ['cast', 'audited'] as const)
    it(`${which} ballot: parses, hashes, tracks and checks as frozen`, () => {
      const v = vec[which];
      const ballot = parseBallot(v.ballot, election);
      expect(ballot.hashHex).toBe(v.hash);
      expect(independentBallotHash(v.ballot)).toBe(v.hash);
      expect(ballot.trackingCode).toBe(v.trackingCode);
      expect(independentTrackingCode(v.hash)).toBe(v.trackingCode);
      expect(checkBallot(election, ballot, { credentials: list })).toEqual({ ok: true });
      expect(checkBallot(election, ballot, { credentials: list, batch: true })).toEqual({ ok: true });
      // The signature challenge from its documented transcript.
      const ctx = cat(lp(hex(vec.election.fingerprint)), lp(hex(v.hash)));
      const msg = cat(
        item(1, ctx),
        item(2, nobleRistretto.Point.BASE.toBytes()),
        item(2, hex(v.ballot.credential)),
        item(2, hex(v.ballot.signature.commitment)),
      );
      const c = h2f(msg, 'mjvote-v1-ballot-signature-ristretto255');
      expect(g.scalarToHex(c)).toBe(v.ballot.signature.challenge);
    });

  it('the cast ballot decrypts to its grades; the audited one opens to its grades and is refused for casting', () => {
    const cast = parseBallot(vec.cast.ballot, election);
    expect(cast.answers.map((a) => a.choices.findIndex((ct) => decrypt(g, 12n, ct, 1) === 1n))).toEqual(vec.cast.grades);
    const audited = parseBallot(vec.audited.ballot, election);
    expect(checkOpening(election, audited, parseOpening(vec.audited.opening, election))).toEqual({ ok: true, grades: [1, 1] });
    expect(checkBallot(election, audited, { audited: new Set([vec.audited.opening.ballotHash]) })).toMatchObject({
      ok: false,
      code: 'audited',
    });
  });
});
