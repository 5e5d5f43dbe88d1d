/**
 * The version-2 byte layouts, rebuilt from the documents alone (docs/ceremony.md, "Identity
 * signatures" and "Transcripts and keys, byte for byte"; docs/ballot.md §1 and §1.1) with
 * `@noble` directly, on the golden v2 record: the manifest's canonical bytes and their hash, the
 * version-2 ceremony context, every identity signature of the ceremony and of the decryption
 * shares, and the trustees' fingerprints. Nothing of mjvote's code is used, so a second
 * implementation following the documents gets the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../fixtures/golden-record-v2', import.meta.url));
const read = (name: string): any => JSON.parse(readFileSync(join(DIR, name), 'utf8'));

/** contextBytes: each part as u32(length) ‖ bytes; a string is its UTF-8, an integer u32(n). */
function contextBytes(parts: (string | number | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => {
    if (typeof p === 'string') return utf8ToBytes(p);
    if (typeof p === 'number') return new Uint8Array([p >>> 24, (p >>> 16) & 255, (p >>> 8) & 255, p & 255]);
    return p;
  });
  const out: number[] = [];
  for (const c of chunks) out.push(c.length >>> 24, (c.length >>> 16) & 255, (c.length >>> 8) & 255, c.length & 255, ...c);
  return new Uint8Array(out);
}

/** Canonical JSON (board.md): object keys sorted by UTF-16 code units, no whitespace. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The first 160 bits as 32 Crockford base32 symbols in 8 groups of 4. */
function fingerprint(key: Uint8Array): string {
  const h = sha256(contextBytes(['mjvote-v2-trustee-identity', key]));
  const bits = [...h].map((b) => b.toString(2).padStart(8, '0')).join('');
  const symbols = Array.from({ length: 32 }, (_, i) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[parseInt(bits.slice(5 * i, 5 * i + 5), 2)]);
  return Array.from({ length: 8 }, (_, g) => symbols.slice(4 * g, 4 * g + 4).join('')).join('-');
}

const manifest = read('manifest.json');
const transcript = read('ceremony.json');

/** The manifest's canonical bytes: its members in the documented order, no whitespace. */
function manifestBytes(m: any): Uint8Array {
  return utf8ToBytes(
    JSON.stringify({
      version: m.version,
      electionId: m.electionId,
      title: m.title,
      candidates: m.candidates.map((c: any) => ({ id: c.id, name: c.name })),
      grades: m.grades,
      group: m.group,
      trustees: { n: m.trustees.n, t: m.trustees.t, identities: m.trustees.identities },
    }),
  );
}

const manifestSha256 = sha256(manifestBytes(manifest));
const context = contextBytes([
  'mjvote-v2-ceremony',
  manifest.group,
  manifest.electionId,
  manifest.trustees.n,
  manifest.trustees.t,
  manifestSha256,
]);

/** True when `message.identitySignature` is `signer`'s signature of the documented bytes. */
function signed(kind: string, message: any, signer: number): boolean {
  const { identitySignature, ...body } = message;
  const bytes = contextBytes(['mjvote-v2-trustee-signature', context, kind, utf8ToBytes(canonical(body))]);
  return ed25519.verify(hexToBytes(identitySignature), bytes, hexToBytes(manifest.trustees.identities[signer - 1]), { zip215: false });
}

describe('version-2 bytes from the documents (golden v2 record)', () => {
  it("the transcript's binding: manifestSha256 is SHA-256 of the manifest's canonical bytes, identities are the manifest's", () => {
    expect(transcript.version).toBe(2);
    expect(transcript.manifestSha256).toBe(bytesToHex(manifestSha256));
    expect(transcript.identities).toEqual(manifest.trustees.identities);
  });

  it('every ceremony message is signed by its sender over contextBytes(["mjvote-v2-trustee-signature", context, kind, body])', () => {
    const checked: string[] = [];
    for (const m of transcript.commitments) expect(signed('commitment', m, m.trustee), `commitment ${m.trustee}`).toBe(true);
    for (const m of transcript.reveals) expect(signed('reveal', m, m.trustee), `reveal ${m.trustee}`).toBe(true);
    for (const m of transcript.shares) {
      expect(signed('encrypted-share', m, m.sender), `share ${m.sender}→${m.recipient}`).toBe(true);
      checked.push(`${m.sender}→${m.recipient}`);
    }
    expect(checked).toHaveLength(6);
    // The kind and the signer are part of what is signed: the same bytes under another kind or key fail.
    const c = transcript.commitments[0];
    expect(signed('reveal', c, c.trustee)).toBe(false);
    expect(signed('commitment', c, 2)).toBe(false);
  });

  it('every decryption-share message is signed by its trustee (kind "decryption-share"), in the file and on the board', () => {
    const file = read('decryption-shares.json').shares;
    const board = readFileSync(join(DIR, 'board.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'decryption-share')
      .map((l) => l.payload.shares);
    expect(board).toEqual(file);
    for (const m of file) expect(signed('decryption-share', m, m.trustee), `trustee ${m.trustee}`).toBe(true);
  });

  it('the trustees\' fingerprints: the first 160 bits of SHA-256(contextBytes(["mjvote-v2-trustee-identity", key])) in base32', () => {
    expect(manifest.trustees.identities.map((k: string) => fingerprint(hexToBytes(k)))).toEqual([
      'B3HD-D9RM-R1YC-9RJ0-TYRG-PADY-9BC3-1F5J',
      '0YCV-F0TS-TX8Y-Z5ZN-0J3H-Y92H-7JA9-7ZT4',
      'ZNM5-4P3R-XD49-TZS3-46ZM-5XHJ-66XH-E1QB',
    ]);
  });
});
