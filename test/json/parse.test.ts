import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertNoDuplicateKeys, parseJson } from '../../src/json/parse.js';
import { expectObject } from '../../src/json/guards.js';
import { FormatError } from '../../src/errors.js';
import { thrown } from '../helpers/errors.js';

function dupPath(text: string): string | null {
  try {
    assertNoDuplicateKeys(text, 'file');
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return (e as FormatError).path;
  }
}

describe('duplicate JSON keys', () => {
  it('finds them anywhere and names their path', () => {
    expect(dupPath('{"a":1,"a":2}')).toBe('file.a');
    expect(dupPath('{"profiles":{"Ada":[1,2],"Alan":[3],"Ada":[0,0]}}')).toBe('file.profiles.Ada');
    expect(dupPath('[{"x":{}},{"y":[{"k":1,"k":1}]}]')).toBe('file[1].y[0].k');
    expect(dupPath('{"a b":1,"a\\u0020b":2}')).toBe('file["a b"]');
    expect(dupPath('{"a":"{\\"a\\":1,","b":{"a":1},"c":[1,{"a":2}]}')).toBeNull();
  });
  it('no false alarm on any JSON that JSON.stringify writes (which never repeats a key)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        expect(dupPath(JSON.stringify(v, null, pretty ? 1 : 0))).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseJson: strict, within limits, before building anything', () => {
  const fail = (f: () => unknown) => thrown(f, FormatError);

  it('parses what JSON.parse parses, within the default limits', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), (v) => {
        const text = JSON.stringify(v);
        expect(parseJson(text, 'x')).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses nesting deeper than the limit, naming the input and the offset, without parsing', () => {
    const ok = '['.repeat(64) + ']'.repeat(64);
    expect(parseJson(ok, 'f')).toBeInstanceOf(Array);
    const e = fail(() => parseJson('['.repeat(65) + ']'.repeat(65), 'result.json'));
    expect(e.path).toBe('result.json');
    expect(e.reason).toBe('nested deeper than 64 levels (at character 64)');
    expect(fail(() => parseJson('{"a":'.repeat(3) + '1' + '}'.repeat(3), 'f', { maxDepth: 2 })).reason).toMatch(/deeper than 2 levels/);
    // Brackets inside strings do not count; escaped quotes do not end a string.
    expect(parseJson(JSON.stringify({ s: '[[[[{{{{\\"[[' }), 'f', { maxDepth: 1 })).toEqual({ s: '[[[[{{{{\\"[[' });
    // A million open brackets (valid JSON prefix, never closed): refused by the depth scan, not by the heap.
    expect(fail(() => parseJson('['.repeat(1_000_000), 'big')).reason).toMatch(/nested deeper than 64 levels/);
  });

  it('refuses text over the length limit, invalid JSON and duplicate keys, each with a typed error', () => {
    expect(fail(() => parseJson('[1,2,3]', 'f', { maxLength: 6 })).reason).toBe('longer than 6 characters');
    expect(parseJson('[1,2,3]', 'f', { maxLength: 7 })).toEqual([1, 2, 3]);
    expect(fail(() => parseJson('{"a":', 'f')).reason).toMatch(/^not valid JSON/);
    // The engine's message quotes the text; ours never does (a key file given by mistake).
    const secret = fail(() => parseJson('passphrase=correct-horse-battery-staple', 'f'));
    expect(secret.message).not.toMatch(/pass|horse/);
    expect(fail(() => parseJson('[1,2', 'f')).reason).toBe('not valid JSON (at character 4)');
    expect(fail(() => parseJson('', 'f')).reason).toMatch(/^not valid JSON/);
    expect(fail(() => parseJson(42 as unknown as string, 'f')).reason).toBe('expected JSON text, got number');
    const d = fail(() => parseJson('{"a":{"b":1,"b":2}}', 'board.json'));
    expect([d.path, d.reason]).toEqual(['board.json.a.b', 'duplicate key']);
  });
});

describe('expectObject: own properties only', () => {
  it('"__proto__" and Object.prototype members are neither present nor missing by inheritance', () => {
    const o = JSON.parse('{"__proto__":{"x":1},"a":1}') as Record<string, unknown>;
    expect(fail(() => expectObject(o, 'r', ['a']))).toMatchObject({ path: 'r.__proto__' });
    expect(fail(() => expectObject({ a: 1 }, 'r', ['a', 'constructor']))).toMatchObject({ path: 'r.constructor', reason: 'missing field' });
    expect(expectObject({ a: 1, toString: 2 }, 'r', ['a', 'toString'])).toEqual({ a: 1, toString: 2 });
  });
  const fail = (f: () => unknown) => thrown(f, FormatError);
});
