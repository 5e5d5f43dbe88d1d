/**
 * Hex digits to bytes, many values at once: the canonical ballot text's 384 values of 64 digits
 * per 7 × 5 ballot, in one call into WebAssembly (SIMD, 32 digits a step) where this thread runs
 * mjvote's WebAssembly ({@link useWasm}), else one value at a time in JavaScript.
 * @module
 */
import { hexIntoAt } from '../bytes.js';
import { useWasm, wasmRuntime } from './runtime.js';

const ASCII = new TextEncoder();

/**
 * Decodes n values of 64 lowercase hex digits, the i-th at `text[at[i] … at[i] + 64)`, into
 * `out[outOffset + 32·i …)`. Returns false, never throws, when a digit is not lowercase hex
 * (upper case included) or a value is out of the text; `out` is then partly written. A character
 * outside ASCII anywhere between the first and the last value may also give false: the caller is
 * expected to know that the text between its values is ASCII (the canonical ballot text, whose
 * other characters are JSON punctuation, keys and an election id of [A-Za-z0-9._-]).
 * @throws RangeError when `at`, `n` and `out` do not fit together.
 */
export function hex32Many(text: string, at: Int32Array, n: number, out: Uint8Array, outOffset = 0): boolean {
  if (
    !Number.isSafeInteger(n) ||
    n < 0 ||
    n > at.length ||
    !Number.isSafeInteger(outOffset) ||
    outOffset < 0 ||
    outOffset + 32 * n > out.length
  )
    throw new RangeError('hex32Many: n values need n positions and 32·n bytes of output');
  if (n === 0) return true;
  if (!useWasm()) {
    for (let i = 0; i < n; i++) if (!hexIntoAt(text, at[i]!, out, outOffset + 32 * i, 32)) return false;
    return true;
  }
  let lo = at[0]!;
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const p = at[i]!;
    if (p < lo) lo = p;
    else if (p > hi) hi = p;
  }
  const len = hi + 64 - lo;
  if (lo < 0 || hi + 64 > text.length) return false;
  const r = wasmRuntime();
  const textAt = r.scratch(len + 8 + 4 * n + 32 * n);
  const atAt = (textAt + len + 7) & ~7;
  const outAt = atAt + 4 * n;
  const { read, written } = ASCII.encodeInto(text.substring(lo, hi + 64), r.u8.subarray(textAt, textAt + len));
  if (read !== len || written !== len) return false; // a character outside ASCII: not hex
  const i32 = r.i32;
  for (let i = 0; i < n; i++) i32[(atAt >> 2) + i] = at[i]! - lo;
  if (r.x.hex32Many(textAt, atAt, n, outAt) !== 1) return false;
  out.set(r.u8.subarray(outAt, outAt + 32 * n), outOffset);
  return true;
}
