import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertNoDuplicateKeys } from '../src/json-strict.js';
import { FormatError } from '../src/errors.js';

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
