/**
 * Lowercase hex to bytes, 64 digits (32 bytes) at a time with SIMD: the many 32-byte values of a
 * ballot's canonical text (src/ballot/canonical-text.ts) in one call. Public data only.
 */

/**
 * The 16 bytes that the 32 ASCII digits at t encode, or sets *bad when one of them is not
 * 0-9 or a-f (upper case is refused, as src/bytes.ts refuses it).
 */
@inline function hex16(t: usize, bad: usize): v128 {
  const lo = hexNibbles(v128.load(t), bad);
  const hi = hexNibbles(v128.load(t, 16), bad);
  // Each i16 lane holds (first digit, second digit) as (low byte, high byte): byte = first·16 + second.
  const a = v128.or(i16x8.shl(v128.and(lo, i16x8.splat(0xff)), 4), i16x8.shr_u(lo, 8));
  const b = v128.or(i16x8.shl(v128.and(hi, i16x8.splat(0xff)), 4), i16x8.shr_u(hi, 8));
  return i8x16.narrow_i16x8_u(a, b);
}

/** The value (0-15) of each of 16 ASCII digits; records a non-digit in *bad. */
@inline function hexNibbles(c: v128, bad: usize): v128 {
  const d = i8x16.sub(c, i8x16.splat(0x30)); // '0'…'9' → 0…9
  const a = i8x16.sub(c, i8x16.splat(0x61)); // 'a'…'f' → 0…5
  const isD = i8x16.lt_u(d, i8x16.splat(10));
  const isA = i8x16.lt_u(a, i8x16.splat(6));
  if (!i8x16.all_true(v128.or(isD, isA))) store<u8>(bad, 1);
  return v128.bitselect(d, i8x16.add(a, i8x16.splat(10)), isD);
}

const BAD: usize = memory.data(8, 8);

/**
 * For i < n, decodes the 64 ASCII hex digits at text + at[i] (at: i32 offsets) into the 32
 * bytes at out + 32·i. Returns 1 when every digit is lowercase hex, else 0 (out then holds
 * garbage for the offending values).
 */
export function hex32Many(text: usize, at: usize, n: i32, out: usize): i32 {
  store<u8>(BAD, 0);
  for (let i = 0; i < n; i++) {
    const t = text + <usize>load<i32>(at + (<usize>i << 2));
    const o = out + (<usize>i << 5);
    v128.store(o, hex16(t, BAD));
    v128.store(o, hex16(t + 32, BAD), 16);
  }
  return load<u8>(BAD) == 0 ? 1 : 0;
}
