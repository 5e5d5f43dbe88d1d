/**
 * Ballot receipts and the ballot box's key (src/board/receipt.ts, src/board/box-key.ts): the
 * known-answer vector (computed independently, test/board/vectors/receipt-v1.py), completeness,
 * determinism, strict parsing with lists of bad receipts, and soundness: any change to any member
 * or to the signature is refused (fast-check).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ballotReceipt, parseBallotReceipt, verifyBallotReceiptSignature, type BallotReceiptJson } from '../../src/board/receipt.js';
import {
  BallotBoxKey,
  ballotBoxKeyFileToJson,
  generateBallotBoxKey,
  parseBallotBoxKeyFile,
  receiptSignedBytes,
  RECEIPT_SIGNATURE_DOMAIN,
} from '../../src/board/box-key.js';
import { canonicalJson } from '../../src/json/canonical.js';
import { fromHex, toHex } from '../../src/bytes.js';
import { FormatError } from '../../src/errors.js';
import { trackingCode } from '../../src/ballot/hash.js';

interface Vector {
  secretKey: string;
  publicKey: string;
  election: { electionId: string; fingerprintHex: string };
  entry: { seq: number; hash: string; time: string };
  ballot: { hashHex: string; trackingCode: string };
  signedJson: string;
  receipt: BallotReceiptJson;
}

const V = JSON.parse(readFileSync(fileURLToPath(new URL('./vectors/receipt-v1.json', import.meta.url)), 'utf8')) as Vector;
const vectorKey = (): BallotBoxKey => new BallotBoxKey(fromHex(V.secretKey));
const electionOf = (e: Vector['election']) => ({ manifest: { electionId: e.electionId }, fingerprintHex: e.fingerprintHex });

/** A receipt of random fields, signed with `key`. */
function randomReceipt(key: BallotBoxKey, seed: number): BallotReceiptJson {
  const hex = (n: number) => toHex(Uint8Array.from({ length: 32 }, (_, i) => (seed * 31 + n * 7 + i * 13) & 255));
  const hash = hex(2);
  return ballotReceipt(
    key,
    { manifest: { electionId: `election-${seed}` }, fingerprintHex: hex(1) },
    { seq: 2 + seed, hash: hex(3), time: new Date(1_700_000_000_000 + seed * 1000).toISOString() },
    { hashHex: hash, trackingCode: trackingCode(fromHex(hash)) },
  );
}

describe('the box key', () => {
  it('is an Ed25519 key pair whose secret never reaches toJSON, String() or a JSON of its holder', () => {
    const key = vectorKey();
    expect(key.publicKeyHex).toBe(V.publicKey); // RFC 8032 test 1
    expect(toHex(key.publicKey)).toBe(V.publicKey);
    for (const text of [JSON.stringify(key), String(key), JSON.stringify({ box: key }), `${key}`]) expect(text).not.toContain(V.secretKey);
    expect(JSON.parse(JSON.stringify(key))).toEqual({ kind: 'ballot-box-key', publicKey: V.publicKey });
    expect(Object.keys(key)).toEqual(['publicKeyHex']);
    expect(generateBallotBoxKey().publicKeyHex).not.toBe(generateBallotBoxKey().publicKeyHex);
  });

  it('round-trips through its file, which is checked strictly (the secret never in a message)', () => {
    const key = generateBallotBoxKey();
    const file = ballotBoxKeyFileToJson(key, 'e1');
    expect(Object.keys(file)).toEqual(['format', 'version', 'electionId', 'publicKey', 'secretKey']);
    const back = parseBallotBoxKeyFile(JSON.parse(JSON.stringify(file)));
    expect(back.electionId).toBe('e1');
    expect(back.key.publicKeyHex).toBe(key.publicKeyHex);
    const other = ballotBoxKeyFileToJson(generateBallotBoxKey(), 'e1');
    const bad: [unknown, RegExp][] = [
      [null, /^private\/box-key\.json: expected an object/],
      [{ ...file, format: 'mjvote-trustee-identity' }, /^private\/box-key\.json\.format: expected "mjvote-box-key"/],
      [{ ...file, version: 2 }, /^private\/box-key\.json\.version: expected 1/],
      [{ ...file, electionId: '' }, /^private\/box-key\.json\.electionId: /],
      [{ ...file, extra: 1 }, /^private\/box-key\.json\.extra: unknown field/],
      [{ ...file, publicKey: '00'.repeat(32) }, /^private\/box-key\.json\.publicKey: .*small order/],
      [{ ...file, secretKey: file.secretKey.toUpperCase() }, /^private\/box-key\.json\.secretKey: expected 64 lowercase hex digits$/],
      [{ ...file, secretKey: other.secretKey }, /^private\/box-key\.json\.secretKey: does not give the publicKey/],
    ];
    for (const [json, message] of bad) {
      let thrown: unknown;
      try {
        parseBallotBoxKeyFile(json);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, JSON.stringify(json)).toBeInstanceOf(FormatError);
      expect((thrown as Error).message).toMatch(message);
      expect((thrown as Error).message).not.toContain(other.secretKey);
      expect((thrown as Error).message).not.toContain(file.secretKey);
    }
  });
});

describe('ballot receipts', () => {
  it('known answer: the vector computed independently (OpenSSL Ed25519, Python JSON) is what ballotReceipt signs', () => {
    expect(RECEIPT_SIGNATURE_DOMAIN).toBe('mjvote-v1-receipt\0');
    const r = ballotReceipt(vectorKey(), electionOf(V.election), V.entry, V.ballot);
    expect(JSON.stringify(r)).toBe(JSON.stringify(V.receipt)); // members in order, byte for byte
    const { signature: _s, ...body } = r;
    expect(canonicalJson(body)).toBe(V.signedJson);
    expect(new TextDecoder().decode(receiptSignedBytes(V.signedJson))).toBe(`mjvote-v1-receipt\0${V.signedJson}`);
    expect(verifyBallotReceiptSignature(parseBallotReceipt(V.receipt))).toBe(true);
    expect(verifyBallotReceiptSignature(parseBallotReceipt(V.receipt), V.publicKey)).toBe(true);
    expect(verifyBallotReceiptSignature(parseBallotReceipt(V.receipt), fromHex(V.publicKey))).toBe(true);
  });

  it('completeness and determinism: a receipt verifies under its key, and the same entry gives the same bytes', () => {
    const key = generateBallotBoxKey();
    for (let seed = 0; seed < 20; seed++) {
      const r = randomReceipt(key, seed);
      expect(JSON.stringify(randomReceipt(key, seed))).toBe(JSON.stringify(r)); // a retry gets the same receipt
      const parsed = parseBallotReceipt(JSON.parse(JSON.stringify(r)));
      expect(parsed).toEqual(r);
      expect(Object.isFrozen(parsed)).toBe(true);
      expect(verifyBallotReceiptSignature(parsed)).toBe(true);
      expect(verifyBallotReceiptSignature(parsed, key.publicKeyHex)).toBe(true);
    }
  });

  it("a receipt verifies only under the expected key: another box's receipt is refused", () => {
    const mine = generateBallotBoxKey();
    const theirs = randomReceipt(generateBallotBoxKey(), 3);
    expect(verifyBallotReceiptSignature(parseBallotReceipt(theirs))).toBe(true); // under its own key
    expect(verifyBallotReceiptSignature(parseBallotReceipt(theirs), mine.publicKeyHex)).toBe(false);
    expect(verifyBallotReceiptSignature(parseBallotReceipt(theirs), mine.publicKey)).toBe(false);
    // The key named swapped for mine: the signature no longer verifies.
    expect(verifyBallotReceiptSignature(parseBallotReceipt({ ...theirs, receiptKey: mine.publicKeyHex }), mine.publicKeyHex)).toBe(false);
    expect(verifyBallotReceiptSignature(parseBallotReceipt(theirs), 'not hex')).toBe(false);
  });

  it('ballotReceipt signs nothing a board entry could not hold: each bad input is a FormatError naming the member', () => {
    const key = vectorKey();
    const bad: [Partial<{ election: any; entry: any; ballot: any }>, string][] = [
      [{ entry: { ...V.entry, seq: -1 } }, 'receipt.seq'],
      [{ entry: { ...V.entry, seq: 1.5 } }, 'receipt.seq'],
      [{ entry: { ...V.entry, hash: V.entry.hash.toUpperCase() } }, 'receipt.entryHash'],
      [{ entry: { ...V.entry, time: '2026-01-02T03:04:05Z' } }, 'receipt.time'],
      [{ ballot: { ...V.ballot, trackingCode: V.ballot.trackingCode.toLowerCase() } }, 'receipt.trackingCode'],
      [{ ballot: { ...V.ballot, hashHex: V.ballot.hashHex.slice(2) } }, 'receipt.ballotHash'],
      [{ election: { ...electionOf(V.election), fingerprintHex: 'zz' } }, 'receipt.fingerprint'],
      [{ election: { manifest: { electionId: '' }, fingerprintHex: V.election.fingerprintHex } }, 'receipt.electionId'],
    ];
    for (const [edit, path] of bad) {
      let thrown: unknown;
      try {
        ballotReceipt(key, edit.election ?? electionOf(V.election), edit.entry ?? V.entry, edit.ballot ?? V.ballot);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, path).toBeInstanceOf(FormatError);
      expect((thrown as FormatError).path).toBe(path);
    }
  });

  it('parseBallotReceipt is strict: exact members, types, lowercase hex, canonical code, valid time and key', () => {
    const R = V.receipt;
    const bad: [unknown, string][] = [
      [null, 'receipt'],
      [[R], 'receipt'],
      [{ ...R, extra: 1 }, 'receipt.extra'],
      [(({ signature: _s, ...rest }) => rest)(R), 'receipt.signature'],
      [{ ...R, version: 2 }, 'receipt.version'],
      [{ ...R, version: '1' }, 'receipt.version'],
      [{ ...R, electionId: 7 }, 'receipt.electionId'],
      [{ ...R, fingerprint: R.fingerprint.toUpperCase() }, 'receipt.fingerprint'],
      [{ ...R, fingerprint: R.fingerprint + '00' }, 'receipt.fingerprint'],
      [{ ...R, ballotHash: null }, 'receipt.ballotHash'],
      [{ ...R, trackingCode: R.trackingCode.replace(/-/g, '') }, 'receipt.trackingCode'],
      [{ ...R, trackingCode: 'ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ' }, 'receipt.trackingCode'],
      [{ ...R, trackingCode: 5 }, 'receipt.trackingCode'],
      [{ ...R, seq: '7' }, 'receipt.seq'],
      [{ ...R, seq: -1 }, 'receipt.seq'],
      [{ ...R, seq: 2 ** 53 }, 'receipt.seq'],
      [{ ...R, entryHash: 'ab' }, 'receipt.entryHash'],
      [{ ...R, time: '2026-02-30T03:04:05.678Z' }, 'receipt.time'],
      [{ ...R, time: 1767323045678 }, 'receipt.time'],
      [{ ...R, receiptKey: '00'.repeat(32) }, 'receipt.receiptKey'], // small order
      [{ ...R, receiptKey: 'ff'.repeat(32) }, 'receipt.receiptKey'], // not canonical
      [{ ...R, signature: R.signature.slice(0, 126) }, 'receipt.signature'],
      [{ ...R, signature: R.signature.toUpperCase() }, 'receipt.signature'],
    ];
    for (const [json, path] of bad) {
      let thrown: unknown;
      try {
        parseBallotReceipt(json);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, `${path}: ${JSON.stringify(json)}`).toBeInstanceOf(FormatError);
      expect((thrown as FormatError).path).toBe(path);
    }
    expect(() => parseBallotReceipt({ ...R, seq: 'x' }, 'receipts.jsonl line 3')).toThrow(/^receipts\.jsonl line 3\.seq: /);
  });

  it('soundness: any change to any signed member or to the signature is refused (fast-check)', () => {
    const key = vectorKey();
    const receipt = V.receipt;
    const members = Object.keys(receipt) as (keyof BallotReceiptJson)[];
    fc.assert(
      fc.property(fc.constantFrom(...members), fc.nat(), fc.integer({ min: 1, max: 15 }), (member, at, flip) => {
        const edited: Record<string, unknown> = { ...receipt };
        const v = receipt[member];
        if (typeof v === 'number') edited[member] = v + flip;
        else if (member === 'trackingCode' || member === 'electionId' || member === 'time') {
          // Text members: change one character to another the format allows, when there is one.
          const i = at % v.length;
          const alphabet = member === 'time' ? '0123456789' : member === 'electionId' ? 'abcdefz-' : '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
          const c = v[i]!;
          if (!alphabet.includes(c)) return;
          edited[member] = v.slice(0, i) + alphabet[(alphabet.indexOf(c) + flip) % alphabet.length] + v.slice(i + 1);
        } else {
          const i = at % v.length;
          edited[member] = v.slice(0, i) + (parseInt(v[i]!, 16) ^ flip).toString(16) + v.slice(i + 1);
        }
        if (edited[member] === v) return;
        let parsed;
        try {
          parsed = parseBallotReceipt(edited);
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError); // refused as malformed: fine
          return;
        }
        expect(verifyBallotReceiptSignature(parsed, key.publicKeyHex), `${member}: ${String(edited[member])}`).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('is refused when signed by another key over the same members', () => {
    const other = generateBallotBoxKey();
    const forged = ballotReceipt(other, electionOf(V.election), V.entry, V.ballot);
    expect(verifyBallotReceiptSignature(parseBallotReceipt({ ...forged, receiptKey: V.publicKey }))).toBe(false);
    expect(verifyBallotReceiptSignature(parseBallotReceipt(forged), V.publicKey)).toBe(false);
  });
});
