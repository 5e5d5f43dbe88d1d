import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { ristretto255 as g } from '../src/group/ristretto255.js';
import { FormatError } from '../src/errors.js';
import { randomBytes } from '../src/bytes.js';
import {
  CODE_SYMBOLS,
  CredentialCodeError,
  createCredentialList,
  credentialFromCode,
  credentialListToJson,
  generateCredential,
  generateCredentialCode,
  checkCredentialCode,
  parseCredentialCode,
  parseCredentialList,
  verifyBallotSignature,
  ballotSignatureEquations,
} from '../src/election/credential.js';
import { CROCKFORD_ALPHABET } from '../src/election/base32.js';
import { BatchVerifier } from '../src/proofs/batch.js';
import { tinyGroup } from './helpers/groups.js';
import { thrown } from './ballot/fixtures.js';

const compact = (code: string) => code.replace(/-/g, '');
const regroup = (s: string) => s.match(/.{1,4}/g)!.join('-');

const codeError = (code: unknown): CredentialCodeError => thrown(() => parseCredentialCode(code), CredentialCodeError);

describe('credential codes', () => {
  it('are 28 symbols in seven groups of four and carry ≥ 128 bits (26 random symbols)', () => {
    const codes = Array.from({ length: 2000 }, generateCredentialCode);
    for (const c of codes.slice(0, 50)) {
      expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);
      expect(parseCredentialCode(c)).toBe(c);
    }
    expect(new Set(codes).size).toBe(codes.length);
    // Every data position takes (nearly) every value: the 26 data symbols are random, not fixed.
    for (let i = 0; i < 26; i++) expect(new Set(codes.map((c) => compact(c)[i])).size).toBeGreaterThanOrEqual(30);
  });

  it('normalise case, separators and Crockford look-alikes (I, L → 1; O → 0)', () => {
    for (let n = 0; n < 50; n++) {
      const c = generateCredentialCode();
      const typed = compact(c)
        .toLowerCase()
        .replace(/1/g, () => (Math.random() < 0.5 ? 'l' : 'I'))
        .replace(/0/g, 'o');
      expect(parseCredentialCode(typed)).toBe(c);
      expect(parseCredentialCode(` ${compact(c).slice(0, 7)} ${compact(c).slice(7, 14)}.${compact(c).slice(14)}\n`)).toBe(c);
      expect(parseCredentialCode(compact(c).replace(/(.{4})/g, '$1\u2013'))).toBe(c);
    }
  });

  it('detect every single-character substitution and every adjacent transposition (exhaustive, 40 codes), and locate the substitution', () => {
    let substitutions = 0;
    let transpositions = 0;
    for (let n = 0; n < 40; n++) {
      const s = compact(generateCredentialCode());
      for (let i = 0; i < CODE_SYMBOLS; i++) {
        for (const ch of CROCKFORD_ALPHABET) {
          if (ch === s[i]) continue;
          const e = checkCredentialCode(s.slice(0, i) + ch + s.slice(i + 1));
          if (e.ok || e.problem !== 'checksum' || e.position !== i) throw new Error(`substitution at ${i} not detected and located`);
          substitutions++;
        }
        if (i + 1 < CODE_SYMBOLS && s[i] !== s[i + 1]) {
          const t = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
          const e = checkCredentialCode(t);
          if (e.ok || e.problem !== 'checksum') throw new Error(`transposition at ${i} not detected`);
          transpositions++;
        }
      }
    }
    expect(substitutions).toBe(40 * 28 * 31);
    expect(transpositions).toBeGreaterThan(40 * 24);
    // The throwing parser reports the same, as a typed error.
    const s = compact(generateCredentialCode());
    const e = codeError(regroup(s.slice(0, 13) + (s[13] === 'Z' ? 'Y' : 'Z') + s.slice(14)));
    expect([e.problem, e.position]).toEqual(['checksum', 13]);
    expect(e.message).toContain('character 14 (group 4)');
  });

  it('detect every transposition at any distance and every pair of substitutions (exhaustive, 2 codes)', () => {
    const valid = (s: string) => checkCredentialCode(s).ok;
    for (let n = 0; n < 2; n++) {
      const s = [...compact(generateCredentialCode())];
      let checked = 0;
      for (let i = 0; i < CODE_SYMBOLS; i++)
        for (let k = i + 1; k < CODE_SYMBOLS; k++) {
          if (s[i] !== s[k]) {
            const t = [...s];
            [t[i], t[k]] = [t[k]!, t[i]!];
            expect(valid(t.join(''))).toBe(false);
          }
          for (const a of CROCKFORD_ALPHABET) {
            if (a === s[i]) continue;
            for (const b of CROCKFORD_ALPHABET) {
              if (b === s[k]) continue;
              const t = [...s];
              t[i] = a;
              t[k] = b;
              if (valid(t.join(''))) throw new Error(`double substitution at ${i}, ${k} accepted`);
              checked++;
            }
          }
        }
      expect(checked).toBe(((28 * 27) / 2) * 31 * 31);
    }
  });

  it('report wrong characters with their position, wrong lengths, and wrong types, without echoing the code', () => {
    const c = compact(generateCredentialCode());
    const u = codeError(c.slice(0, 5) + 'U' + c.slice(6));
    expect([u.problem, u.position]).toEqual(['character', 5]);
    expect(codeError(c.slice(0, 9) + '*' + c.slice(10)).position).toBe(9);
    expect(codeError(c.slice(0, 9) + 'é' + c.slice(10)).problem).toBe('character');
    expect(codeError(c.slice(1)).problem).toBe('length'); // a deleted character
    expect(codeError(c + '0').problem).toBe('length'); // an inserted one
    expect(codeError('').problem).toBe('length');
    expect(codeError(42).problem).toBe('type');
    const e = codeError(c.slice(0, 3) + (c[3] === '7' ? '8' : '7') + c.slice(4));
    expect(e.message).not.toContain(c.slice(0, 3));
    expect(e.path).toBe('credential');
  });
});

describe('credentials', () => {
  it('derive x from (election id, code): same code same key, another election another key', () => {
    const a = generateCredential(g, 'election-a');
    const code = a.revealCode();
    const again = credentialFromCode(g, 'election-a', code.toLowerCase().replace(/-/g, ' '));
    expect(again.publicKeyHex).toBe(a.publicKeyHex);
    expect(credentialFromCode(g, 'election-b', code).publicKeyHex).not.toBe(a.publicKeyHex);
    expect(credentialFromCode(tinyGroup, 'election-a', code).publicKeyHex).not.toBe(a.publicKeyHex);
    expect(() => credentialFromCode(g, 'bad id!', code)).toThrow(FormatError);
  });

  it('never show the code or the secret in JSON or console output', () => {
    const c = generateCredential(g, 'election-a');
    const code = c.revealCode();
    const shown = [JSON.stringify(c), inspect(c), inspect({ nested: c }), String(Object.keys(c))];
    for (const s of shown) {
      expect(s).not.toContain(code);
      expect(s).not.toContain(compact(code));
    }
    expect(JSON.parse(JSON.stringify(c))).toEqual({ electionId: 'election-a', publicKey: c.publicKeyHex });
  });

  it('sign ballot hashes: the signature verifies for that hash, fingerprint and credential only', () => {
    const c = generateCredential(g, 'election-a');
    const other = generateCredential(g, 'election-a');
    const fp = randomBytes(32);
    const h = randomBytes(32);
    const sig = c.signBallotHash(fp, h);
    expect(verifyBallotSignature(g, c.publicKey, fp, h, sig)).toBe(true);
    expect(verifyBallotSignature(g, other.publicKey, fp, h, sig)).toBe(false);
    expect(verifyBallotSignature(g, c.publicKey, randomBytes(32), h, sig)).toBe(false);
    expect(verifyBallotSignature(g, c.publicKey, fp, randomBytes(32), sig)).toBe(false);
    expect(verifyBallotSignature(g, c.publicKey, fp, h, { ...sig, response: g.Fq.add(sig.response, 1n) })).toBe(false);
    // The same equations batch.
    const bv = new BatchVerifier(g);
    bv.add('good', ballotSignatureEquations(g, c.publicKey, fp, h, sig));
    bv.add('forged', ballotSignatureEquations(g, other.publicKey, fp, h, { ...sig, challenge: sig.challenge }));
    expect(bv.verify().failed).toEqual(['forged']);
  });
});

describe('credential list', () => {
  const creds = Array.from({ length: 5 }, () => generateCredential(g, 'election-a'));

  it('round-trips through JSON and answers membership', () => {
    const list = createCredentialList(
      g,
      'election-a',
      creds.map((c) => c.publicKey),
    );
    const json = JSON.parse(JSON.stringify(credentialListToJson(list)));
    expect(json).toEqual({ version: 1, electionId: 'election-a', group: 'ristretto255', credentials: creds.map((c) => c.publicKeyHex) });
    const back = parseCredentialList(json, g, { electionId: 'election-a' });
    expect(back.size).toBe(5);
    expect(back.has(creds[2]!.publicKey)).toBe(true);
    expect(back.hasHex(creds[3]!.publicKeyHex)).toBe(true);
    expect(back.has(generateCredential(g, 'election-a').publicKey)).toBe(false);
  });

  it('rejects duplicates, the identity, bad encodings, another election or group, unknown members', () => {
    const json = credentialListToJson(
      createCredentialList(
        g,
        'election-a',
        creds.map((c) => c.publicKey),
      ),
    );
    const path = (j: unknown, opts = {}) => thrown(() => parseCredentialList(j, g, opts), FormatError).path;
    expect(path({ ...json, credentials: [...json.credentials, json.credentials[1]] })).toBe('credentialList.credentials[5]');
    expect(path({ ...json, credentials: [g.toHex(g.identity)] })).toBe('credentialList.credentials[0]');
    expect(path({ ...json, credentials: [json.credentials[0]!.toUpperCase()] })).toBe('credentialList.credentials[0]');
    expect(path({ ...json, credentials: ['ff'.repeat(32)] })).toBe('credentialList.credentials[0]');
    expect(path({ ...json, credentials: 'x' })).toBe('credentialList.credentials');
    expect(path(json, { electionId: 'election-b' })).toBe('credentialList.electionId');
    expect(path({ ...json, group: 'belenios-2048' })).toBe('credentialList.group');
    expect(path({ ...json, version: 2 })).toBe('credentialList.version');
    expect(path({ ...json, sealed: true })).toBe('credentialList.sealed');
    expect(parseCredentialList(json, g).size).toBe(5);
    expect(() => createCredentialList(g, 'election-a', [creds[0]!.publicKey, creds[0]!.publicKey])).toThrow(FormatError);
    expect(() => createCredentialList(g, 'election-a', [g.identity])).toThrow(FormatError);
  });
});
