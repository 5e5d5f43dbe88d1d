import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, MAX_JSON_DEPTH } from '../../src/json/canonical.js';
import { FormatError } from '../../src/errors.js';
import { thrown } from './helpers.js';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units, writes no whitespace, escapes as JSON.stringify', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], A: { z: -12, y: 2 ** 53 - 1 } })).toBe(
      '{"A":{"y":9007199254740991,"z":-12},"a":[true,null,"x"],"b":1}',
    );
    // U+1F600 (surrogates D83D DE00) sorts before U+E000 in UTF-16 order, after it in code-point order.
    expect(canonicalJson({ '\u{1F600}': 1, '\uE000': 2 })).toBe('{"\u{1F600}":1,"\uE000":2}');
    expect(canonicalJson('\u0000\u001f"\\\n\t\u007f\u2028é')).toBe('"\\u0000\\u001f\\"\\\\\\n\\t\u007f\u2028é"');
    // Integer-like keys: JavaScript enumerates them first, in numeric order; canonical order is by code units.
    expect(canonicalJson({ a: 3, 9: 1, 10: 2 })).toBe('{"10":2,"9":1,"a":3}');
    expect(canonicalJson(JSON.parse('{"10":2,"9":1,"a":3}'))).toBe('{"10":2,"9":1,"a":3}');
    // Already-sorted input (the fast path) and unsorted input give the same text.
    expect(canonicalJson({ a: [{ x: 1, y: 2 }], b: 'é' })).toBe(canonicalJson({ b: 'é', a: [{ y: 2, x: 1 }] }));
  });

  it('rejects what JSON.stringify would silently change or drop, naming the path', () => {
    const cases: [unknown, string][] = [
      [{ a: undefined }, 'p.a'],
      [{ a: [1, () => 1] }, 'p.a[1]'],
      [{ 'x y': NaN }, 'p["x y"]'],
      [{ a: Infinity }, 'p.a'],
      [{ a: 1.5 }, 'p.a'],
      [{ a: 2 ** 53 }, 'p.a'],
      [{ a: -0 }, 'p.a'],
      [{ a: 1n }, 'p.a'],
      [{ a: new Date(0) }, 'p.a'],
      [{ a: new Uint8Array(2) }, 'p.a'],
      [{ a: new Map() }, 'p.a'],
      [{ a: 'x\uD800y' }, 'p.a'],
      [{ ['\uDC00']: 1 }, 'p["\\udc00"]'],
      [{ a: [1, , 3] }, 'p.a[1]'], // eslint-disable-line no-sparse-arrays
      [{ [Symbol('s')]: 1 }, 'p'],
      [{ b: 1, a: { c: [0, { d: undefined }] } }, 'p.a.c[1].d'], // found by the sorting writer too
    ];
    for (const [v, path] of cases) {
      const e = thrown(() => canonicalJson(v, 'p'));
      expect(e, path).toBeInstanceOf(FormatError);
      expect((e as FormatError).path).toBe(path);
    }
  });

  it('bounds nesting depth (also catches cycles)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    expect(canonicalJson(deep).length).toBe(2 * MAX_JSON_DEPTH + 1);
    expect(thrown(() => canonicalJson([deep]))).toBeInstanceOf(FormatError);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(thrown(() => canonicalJson(cyc))).toBeInstanceOf(FormatError);
  });

  it('is a fixed point of JSON.parse and agrees with JSON.stringify on key-sorted values', () => {
    // JSON values whose numbers are safe integers (fractions and -0 are refused, tested above).
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constant(null),
        fc.boolean(),
        fc.maxSafeInteger().filter((n) => !Object.is(n, -0)),
        fc.string({ unit: 'grapheme' }),
        fc.array(tie('value')),
        fc.dictionary(fc.string({ unit: 'grapheme' }), tie('value')),
      ),
    })).value;
    fc.assert(
      fc.property(json, (v) => {
        const c = canonicalJson(v);
        expect(canonicalJson(JSON.parse(c))).toBe(c);
        expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 300 },
    );
  });
});
