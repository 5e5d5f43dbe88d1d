/**
 * `correctCredentialCode`: the single-substitution correction a booth offers for a mistyped
 * credential code (docs/ballot.md §3). Codes are built from fast-check's data symbols, their
 * check symbols found by search through `checkCredentialCode` (independent of the corrector).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkCredentialCode,
  correctCredentialCode,
  CODE_SYMBOLS,
  CODE_GROUP_SIZE,
  generateCredentialCode,
} from '../../src/election/credential.js';
import { CROCKFORD_ALPHABET } from '../../src/election/base32.js';

const compact = (code: string): string => code.replace(/-/g, '');
const grouped = (s: string): string => s.match(new RegExp(`.{1,${CODE_GROUP_SIZE}}`, 'g'))!.join('-');

/** The valid code with these 26 data symbols: the two check symbols found by trying all 32 × 32. */
function codeOf(data: readonly number[]): string {
  const head = data.map((v) => CROCKFORD_ALPHABET[v]).join('');
  for (const a of CROCKFORD_ALPHABET)
    for (const b of CROCKFORD_ALPHABET) {
      const c = checkCredentialCode(head + a + b);
      if (c.ok) return c.code;
    }
  throw new Error('no check symbols: impossible for an MDS code');
}

const validCode = fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 26, maxLength: 26 }).map(codeOf);

describe('correctCredentialCode', () => {
  it('returns a valid code unchanged, without a position, however it is typed', () => {
    fc.assert(
      fc.property(validCode, fc.constantFrom('-', ' ', ''), fc.boolean(), (code, sep, lower) => {
        let typed = compact(code).match(/.{4}/g)!.join(sep);
        if (lower) typed = typed.toLowerCase();
        expect(correctCredentialCode(typed)).toEqual({ code });
      }),
    );
  });

  it('corrects every single substitution back to the code, naming its position', () => {
    fc.assert(
      fc.property(validCode, fc.integer({ min: 0, max: CODE_SYMBOLS - 1 }), fc.integer({ min: 1, max: 31 }), (code, i, delta) => {
        const s = compact(code);
        const wrong = CROCKFORD_ALPHABET[CROCKFORD_ALPHABET.indexOf(s[i]!) ^ delta]!;
        const typed = grouped(s.slice(0, i) + wrong + s.slice(i + 1));
        expect(checkCredentialCode(typed).ok).toBe(false);
        expect(correctCredentialCode(typed)).toEqual({ code, position: i });
      }),
    );
  });

  it('corrects all 28 × 31 substitutions of a generated code', () => {
    const code = generateCredentialCode();
    const s = compact(code);
    for (let i = 0; i < CODE_SYMBOLS; i++)
      for (const ch of CROCKFORD_ALPHABET) {
        if (ch === s[i]) continue;
        expect(correctCredentialCode(s.slice(0, i) + ch + s.slice(i + 1))).toEqual({ code, position: i });
      }
  });

  it('never returns a code that fails checkCredentialCode, whatever it is given', () => {
    const symbol = fc.constantFrom(...CROCKFORD_ALPHABET.split(''), 'I', 'L', 'O', 'u', '-', ' ', 'é', '!');
    fc.assert(
      fc.property(
        fc.array(symbol, { minLength: 0, maxLength: 40 }).map((a) => a.join('')),
        (typed) => {
          const r = correctCredentialCode(typed);
          if (r !== null) expect(checkCredentialCode(r.code)).toEqual({ ok: true, code: r.code });
        },
      ),
      { numRuns: 2000 },
    );
    // Two substitutions: either refused, or a (different) valid code at distance 1, never an invalid one.
    fc.assert(
      fc.property(
        validCode,
        fc.integer({ min: 0, max: 26 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 31 }),
        (code, i, d1, d2) => {
          const s = compact(code).split('');
          s[i] = CROCKFORD_ALPHABET[CROCKFORD_ALPHABET.indexOf(s[i]!) ^ d1]!;
          s[i + 1] = CROCKFORD_ALPHABET[CROCKFORD_ALPHABET.indexOf(s[i + 1]!) ^ d2]!;
          const r = correctCredentialCode(s.join(''));
          if (r !== null) {
            expect(checkCredentialCode(r.code).ok).toBe(true);
            expect(r.code).not.toBe(code); // distance 3: two errors are never corrected back to the code
          }
        },
      ),
    );
  });

  it('returns null for wrong lengths, characters outside the alphabet and non-strings', () => {
    const code = generateCredentialCode();
    expect(correctCredentialCode(code.slice(0, -1))).toBeNull();
    expect(correctCredentialCode(code + 'A')).toBeNull();
    expect(correctCredentialCode(code.replace(/^./, 'U'))).toBeNull();
    expect(correctCredentialCode(code.replace(/^./, '*'))).toBeNull();
    expect(correctCredentialCode(undefined)).toBeNull();
    expect(correctCredentialCode(42)).toBeNull();
    expect(correctCredentialCode('')).toBeNull();
  });
});
