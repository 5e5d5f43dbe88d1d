/**
 * hex32Many (wasm/assembly/hex.ts through src/wasm/hex.ts) against hexIntoAt, the
 * JavaScript decoder it stands in for: the same bytes for lowercase hex, and false wherever
 * hexIntoAt refuses a value (upper case, characters just outside 0-9 and a-f, other ASCII,
 * characters outside ASCII), for values anywhere in a text with any separators.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hex32Many } from '../../src/wasm/hex.js';
import { hexIntoAt, toHex } from '../../src/bytes.js';

const LOWER = '0123456789abcdef';
// Characters at the edges of the accepted ranges, and others that hex decoders often take.
const EDGES = ['/', ':', '`', 'g', '@', 'A', 'F', 'G', 'x', ' ', '"', '\u0000', '\u007f', 'é', '\u0130', '\ud800', '€', '\u{1f600}'];

/** What hexIntoAt says for the same request: the bytes, or null when any value is refused. */
function reference(text: string, at: number[]): Uint8Array | null {
  const out = new Uint8Array(32 * at.length);
  for (let i = 0; i < at.length; i++) if (!hexIntoAt(text, at[i]!, out, 32 * i, 32)) return null;
  return out;
}

const hexValue = fc.string({ unit: fc.constantFrom(...LOWER), minLength: 64, maxLength: 64 });
const separator = fc.string({ unit: fc.constantFrom('"', ',', ':', '{', '}', '[', ']', 'k', 'e', 'y', '_', '.'), maxLength: 12 });

describe('wasm hex32Many', () => {
  it('decodes lowercase hex values anywhere in a text as hexIntoAt does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(separator, hexValue), { minLength: 1, maxLength: 40 }), separator, (parts, tail) => {
        let text = '';
        const at: number[] = [];
        for (const [sep, v] of parts) {
          text += sep;
          at.push(text.length);
          text += v;
        }
        text += tail;
        const out = new Uint8Array(32 * at.length);
        expect(hex32Many(text, Int32Array.from(at), at.length, out)).toBe(true);
        expect(toHex(out)).toBe(toHex(reference(text, at)!));
        expect(toHex(out)).toBe(parts.map(([, v]) => v).join(''));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a value with any one character that is not lowercase hex, as hexIntoAt does', () => {
    fc.assert(
      fc.property(
        fc.array(hexValue, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.integer({ min: 0, max: 63 }),
        fc.oneof(
          fc.constantFrom(...EDGES),
          fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
        ),
        (values, which, digit, ch) => {
          const i = which % values.length;
          const v = values[i]!;
          values[i] = v.slice(0, digit) + ch + v.slice(digit + 1);
          // A character that is two UTF-16 units long makes the value 65 units: keep 64 by
          // dropping the unit after it, as a text with such a character would read.
          if (ch.length === 2) values[i] = values[i]!.slice(0, 64);
          const at: number[] = [];
          let text = '';
          for (const s of values) {
            text += '"';
            at.push(text.length);
            text += s + '"';
          }
          const ref = reference(text, at);
          const out = new Uint8Array(32 * at.length);
          const ok = hex32Many(text, Int32Array.from(at), at.length, out);
          expect(ok).toBe(ref !== null);
          if (ok) expect(toHex(out)).toBe(toHex(ref!));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('checks every one of the 65,536 first-two-character pairs of a value (each 16-bit unit in the first digit pair)', () => {
    // Every UTF-16 unit as the first digit, with a valid second digit, and as the second digit.
    const rest = 'a'.repeat(62);
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch + '0' + rest, '7' + ch + rest]) {
        const ref = reference(text, [0]);
        const out = new Uint8Array(32);
        const ok = hex32Many(text, Int32Array.of(0), 1, out);
        if (ok !== (ref !== null)) expect(ok, `U+${c.toString(16)}`).toBe(ref !== null);
        if (ok && toHex(out) !== toHex(ref!)) expect(toHex(out)).toBe(toHex(ref!));
      }
    }
  });

  it('writes at outOffset, takes n of the positions, and refuses values outside the text', () => {
    const v = '0123456789abcdef'.repeat(4);
    const text = `x${v}y${v.toUpperCase()}`;
    const out = new Uint8Array(96);
    expect(hex32Many(text, Int32Array.of(1, 66), 1, out, 64)).toBe(true); // the second (upper case) not read
    expect(toHex(out.subarray(64))).toBe(v);
    expect(toHex(out.subarray(0, 64))).toBe('00'.repeat(64));
    expect(hex32Many(text, Int32Array.of(1, 66), 2, out)).toBe(false);
    expect(hex32Many(text, Int32Array.of(text.length - 63), 1, out)).toBe(false);
    expect(hex32Many(text, Int32Array.of(-1), 1, out)).toBe(false);
    expect(hex32Many(text, new Int32Array(0), 0, out)).toBe(true);
    expect(() => hex32Many(text, Int32Array.of(1), 2, out)).toThrow(RangeError);
    expect(() => hex32Many(text, Int32Array.of(1, 66), 2, out, 64)).toThrow(RangeError);
    expect(() => hex32Many(text, Int32Array.of(1), -1, out)).toThrow(RangeError);
  });

  it('refuses when a character outside ASCII lies between two values (the text is not what the caller promised)', () => {
    const v = 'ab'.repeat(32);
    const out = new Uint8Array(64);
    expect(hex32Many(`${v},${v}`, Int32Array.of(0, 65), 2, out)).toBe(true);
    expect(hex32Many(`${v}é${v}`, Int32Array.of(0, 65), 2, out)).toBe(false);
  });
});
