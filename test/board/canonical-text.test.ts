/**
 * isCanonicalJsonText (recognising canonical text without parsing) against canonicalJson and
 * JSON.parse: it must never say yes to a text that is not exactly canonicalJson(JSON.parse(text))
 * (soundness: the board reader and the verifier then skip serializing), and it should say yes to
 * what canonicalJson writes (else the fast path is useless). Mutations aim at every spelling rule:
 * whitespace, key order and duplicates, escapes, number forms, nesting, truncation.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, isCanonicalJsonText, MAX_JSON_DEPTH } from '../../src/json/canonical.js';
import { isCanonicalEntryText, serializeEntry } from '../../src/board/chain.js';

/** The reference verdict: JSON.parse accepts the text and canonicalJson writes it back identically. */
function canonicalByReference(t: string): boolean {
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch {
    return false;
  }
  try {
    return canonicalJson(v) === t;
  } catch {
    return false;
  }
}

const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('a', 'b', 'ballot', 'B', '_', '$', 'é', '10', '9', '__proto__', 'a"b', 'a\\b', 'tab\t', '\u2028', '😀', '\ud800'),
);
const str = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('"', '\\', '/', '\b\f\n\r\t', '\u0000\u001f\u007f', '\u2028\u2029', '😀', '\udc00x', 'é'),
);
const num = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 1e15, 999999999999999, 1000000000000000));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, num, str, fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));

/** Canonical text of v, or null when canonicalJson refuses v (lone surrogates). */
function canon(v: unknown): string | null {
  try {
    return canonicalJson(v);
  } catch {
    return null;
  }
}

const MUTATIONS: ((t: string, i: number, c: string) => string)[] = [
  (t, i) => t.slice(0, i) + ' ' + t.slice(i), // whitespace
  (t, i) => t.slice(0, i) + '\n' + t.slice(i),
  (t, i) => t.slice(0, i) + t.slice(i + 1), // deletion
  (t, i, c) => t.slice(0, i) + c + t.slice(i), // insertion
  (t, i, c) => t.slice(0, i) + c + t.slice(i + 1), // substitution
  (t) => t.replace(/(\d+)/, '$1.0'),
  (t) => t.replace(/(\d+)/, '$1e0'),
  (t) => t.replace(/:0/, ':-0'),
  (t) => t.replace(/:(\d)/, ':0$1'),
  (t) => t.replace(/\\u00([0-9a-f])([a-f])/, (_m, a: string, b: string) => `\\u00${a}${b.toUpperCase()}`),
  (t) => t.replace(/\\n/, '\\u000a'),
  (t) => t.replace(/"a/, '"\\u0061'),
  (t) => t.replace(/\//, '\\/'),
  (t) => t.replace(/\{"([^"]*)":([^,}]*),"([^"]*)":/, '{"$3":$2,"$1":'), // swap the first two keys (values too)
  (t) => t.replace(/\{"([^"]*)":/, '{"$1":1,"$1":'), // duplicate a key
  (t) => t.replace(/\{"([^"]*)":([^,}]*)([,}])/, '{"$1":$2,"$1":$2$3'), // duplicate a member
  (t) => `[${t}]`,
  (t) => `${t}${t}`,
];

describe('isCanonicalJsonText', () => {
  it('says yes to what canonicalJson writes (keys without escapes or surrogates)', () => {
    let yes = 0;
    let total = 0;
    fc.assert(
      fc.property(value, (v) => {
        const t = canon(v);
        if (t === null) return;
        total++;
        if (isCanonicalJsonText(t)) yes++;
        // never yes to a non-canonical reading, and yes whenever the text has no escape and no surrogate
        if (isCanonicalJsonText(t)) expect(canonicalByReference(t)).toBe(true);
        if (!/[\\\ud800-\udfff]/.test(t) && !/\d{16}/.test(t)) expect(isCanonicalJsonText(t), t).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(yes / total).toBeGreaterThan(0.5);
  });

  it('never says yes to a mutated text that is not canonical (any rule)', () => {
    fc.assert(
      fc.property(
        value,
        fc.nat(),
        fc.nat({ max: MUTATIONS.length - 1 }),
        fc.constantFrom(' ', ',', ':', '"', '\\', '0', '1', '-', '.', 'e', '{', '}', '[', ']', 'a', 'u', 'é', '\ud800'),
        (v, pos, m, c) => {
          const t = canon(v);
          if (t === null) return;
          const u = MUTATIONS[m]!(t, pos % (t.length + 1), c);
          if (isCanonicalJsonText(u)) expect(canonicalByReference(u), JSON.stringify(u)).toBe(true);
        },
      ),
      { numRuns: 6000 },
    );
  });

  it('on arbitrary strings: yes only for canonical text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string({ maxLength: 30 }),
          fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789-.eE \\u/abtnfr'.split('')), maxLength: 30 }),
        ),
        (t) => {
          if (isCanonicalJsonText(t)) expect(canonicalByReference(t), JSON.stringify(t)).toBe(true);
        },
      ),
      { numRuns: 4000 },
    );
  });

  it('reads exactly the range it is given', () => {
    fc.assert(
      fc.property(value, fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), (v, pre, post) => {
        const t = canon(v);
        if (t === null) return;
        expect(isCanonicalJsonText(pre + t + post, pre.length, pre.length + t.length)).toBe(isCanonicalJsonText(t));
        // a range that stops short is not one value (but a number's prefix is a number)
        if (t.length > 1 && !/^-?\d+$/.test(t) && isCanonicalJsonText(t))
          expect(isCanonicalJsonText(pre + t + post, pre.length, pre.length + t.length - 1)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('numbers: safe integers only, no leading zero, -0, fraction or exponent; long ones are left to canonicalJson', () => {
    for (const t of ['0', '-1', '123', '999999999999999', '-999999999999999']) expect(isCanonicalJsonText(t), t).toBe(true);
    for (const t of ['-0', '01', '1.0', '1e3', '1E3', '-', '+1', '1.', '.5', '0x10', '1000000000000000'])
      expect(isCanonicalJsonText(t), t).toBe(false);
  });

  it('escapes: the short forms, \\u00xx in lowercase below U+0020 only, nothing else', () => {
    const yes = ['"\\""', '"\\\\"', '"\\b\\f\\n\\r\\t"', '"\\u0000"', '"\\u000b"', '"\\u001f"', '"/"', '"\u2028é"'];
    const no = [
      '"\\u0008"',
      '"\\u0009"',
      '"\\u000a"',
      '"\\u000c"',
      '"\\u000d"',
      '"\\u001F"',
      '"\\u0020"',
      '"\\u0041"',
      '"\\/"',
      '"\\x41"',
      '"\\ud83d\\ude00"',
      '"\ud800"',
      '"\u001f"',
    ];
    for (const t of yes) expect([t, isCanonicalJsonText(t)]).toEqual([t, true]);
    for (const t of no) expect([t, isCanonicalJsonText(t)]).toEqual([t, false]);
    for (const t of yes) expect([t, canonicalByReference(t)]).toEqual([t, true]);
    // a surrogate pair is canonical but left to canonicalJson (which rejects lone surrogates)
    expect([isCanonicalJsonText('"😀"'), canonicalByReference('"😀"')]).toEqual([false, true]);
  });

  it('nesting: up to 63 containers are recognised, deeper is left to canonicalJson', () => {
    const nest = (d: number) => '{"a":'.repeat(d - 1) + '{}' + '}'.repeat(d - 1);
    expect(isCanonicalJsonText(nest(63))).toBe(true);
    expect(isCanonicalJsonText(nest(64))).toBe(false);
    expect(canonicalByReference(nest(64))).toBe(true); // canonical, just not recognised here
    expect(canonicalByReference(nest(MAX_JSON_DEPTH + 1))).toBe(false);
  });
});

describe('isCanonicalEntryText', () => {
  const fields = {
    seq: 7,
    prev: 'ab'.repeat(32),
    kind: 'ballot',
    time: '2026-12-03T10:00:00.000Z',
    payload: { ballot: { a: [1, 'x'], b: null } },
  };
  it('recognises serializeEntry’s line and nothing else', () => {
    const text = serializeEntry(fields);
    expect(isCanonicalEntryText(fields, text)).toBe(true);
    // any change of the envelope or the payload text
    for (const other of [
      text.replace('"seq":7', '"seq":8'),
      text.replace('"kind":"ballot"', '"kind":"seal"'),
      text.replace('.000Z', '.001Z'),
      text.replace('{"v":1', '{"v":2'),
      text.replace('"b":null', '"b": null'),
      text.replace('"a":[1,"x"],"b":null', '"b":null,"a":[1,"x"]'),
      text + ' ',
      text.slice(0, -1),
      text.replace(/\}$/, ',"x":1}'),
      text.replace('"payload":{', '"payload":{},"payload":{'),
    ])
      expect(isCanonicalEntryText(fields, other), other).toBe(false);
    // invalid envelope fields are never recognised (serializeEntry would refuse them)
    expect(isCanonicalEntryText({ ...fields, time: '2026-02-30T10:00:00.000Z' }, text.replace('12-03', '02-30'))).toBe(false);
    expect(isCanonicalEntryText({ ...fields, seq: -1 }, text.replace('"seq":7', '"seq":-1'))).toBe(false);
  });
});
