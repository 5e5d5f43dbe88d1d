/**
 * Crockford base32: the human-facing alphabet of credential codes and tracking codes.
 *
 * Alphabet (value 0 to 31): `0123456789ABCDEFGHJKMNPQRSTVWXYZ` — no I, L, O (read as 1, 1, 0)
 * and no U. Reading is forgiving, writing is canonical: lower case is read as upper case, and
 * `I`, `L` are read as `1`, `O` as `0` (Crockford's decoding rules), so the look-alikes a person
 * may type still decode to the intended symbol.
 * @module
 */

/** The 32 symbols, by value. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const VALUE: Int8Array = (() => {
  const v = new Int8Array(128).fill(-1);
  for (let i = 0; i < 32; i++) {
    const c = CROCKFORD_ALPHABET.charCodeAt(i);
    v[c] = i;
    v[String.fromCharCode(c).toLowerCase().charCodeAt(0)] = i;
  }
  for (const [alias, to] of [
    ['O', 0],
    ['o', 0],
    ['I', 1],
    ['i', 1],
    ['L', 1],
    ['l', 1],
  ] as const)
    v[alias.charCodeAt(0)] = to;
  return v;
})();

/** The value (0 to 31) of one typed character, with Crockford's aliases; −1 if it is not a symbol. */
export function base32Value(ch: string): number {
  const c = ch.charCodeAt(0);
  return ch.length === 1 && c < 128 ? VALUE[c]! : -1;
}

/** The first `symbols` × 5 bits of `bytes` (most significant bit first), as base32 symbols. */
export function base32FromBits(bytes: Uint8Array, symbols: number): string {
  if (symbols * 5 > bytes.length * 8) throw new RangeError('not enough bits');
  let out = '';
  for (let i = 0; i < symbols; i++) {
    let v = 0;
    for (let b = 5 * i; b < 5 * i + 5; b++) v = (v << 1) | ((bytes[b >> 3]! >> (7 - (b & 7))) & 1);
    out += CROCKFORD_ALPHABET[v];
  }
  return out;
}

/** `s` split into groups of `size` characters joined by `-` (the last group may be shorter). */
export function groupSymbols(s: string, size: number): string {
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += size) parts.push(s.slice(i, i + size));
  return parts.join('-');
}
