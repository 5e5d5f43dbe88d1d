/**
 * Byte helpers shared by every layer: hex, concatenation, big-endian integers, labelled
 * asserters (noble style: `TypeError` semantics are reported as {@link FormatError}).
 * @module
 */
import { FormatError } from './errors.js';

/** Value of a lowercase hex digit by char code, or -1 (upper case and everything else). */
const HEX_DIGIT: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 16; i++) t['0123456789abcdef'.charCodeAt(i)] = i;
  return t;
})();

const HEX_ASCII = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));
const LATIN1 = new TextDecoder('latin1');

/**
 * Lowercase hex of bytes. The text is decoded from its ASCII bytes in one call, so it is one flat
 * string: built by `+=`, a 32-byte key's hex was a rope of 32 pieces that kept about 0.9 KB alive
 * for as long as the string lived (a registrar holding 500,000 keys ran out of memory).
 */
export function toHex(bytes: Uint8Array): string {
  const out = new Uint8Array(2 * bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[2 * i] = HEX_ASCII[b >> 4]!;
    out[2 * i + 1] = HEX_ASCII[b & 15]!;
  }
  return LATIN1.decode(out);
}

/** Strict lowercase-hex decoding: odd length, upper case and non-hex characters are rejected. */
export function fromHex(hex: unknown, label = 'hex', expectedBytes?: number): Uint8Array {
  if (typeof hex !== 'string') throw new FormatError(label, `expected a hex string, got ${typeName(hex)}`);
  const out = new Uint8Array(hex.length >> 1);
  if (hex.length % 2 !== 0 || !hexInto(hex, out, 0, out.length))
    throw new FormatError(label, 'expected lowercase hex with an even number of digits');
  if (expectedBytes !== undefined && out.length !== expectedBytes)
    throw new FormatError(label, `expected ${expectedBytes} bytes (${2 * expectedBytes} hex digits), got ${out.length}`);
  return out;
}

/**
 * Decodes `hex`, which must be exactly `2 · bytes` lowercase hex digits, into
 * `out[offset … offset + bytes)`. Returns false for anything {@link fromHex} would reject (the
 * bytes written so far are then meaningless); never throws. For hot loops that decode many
 * fixed-size values into one buffer.
 */
export function hexInto(hex: unknown, out: Uint8Array, offset: number, bytes: number): boolean {
  if (typeof hex !== 'string' || hex.length !== 2 * bytes) return false;
  return hexIntoAt(hex, 0, out, offset, bytes);
}

/**
 * Decodes the `2 · bytes` characters of `text` from index `at` as lowercase hex into
 * `out[offset … offset + bytes)`, as {@link hexInto} does for a whole string: false (never a
 * throw) for anything that is not lowercase hex, or when the text or `out` is too short.
 */
export function hexIntoAt(text: string, at: number, out: Uint8Array, offset: number, bytes: number): boolean {
  if (at < 0 || at + 2 * bytes > text.length || offset + bytes > out.length) return false;
  for (let i = 0, j = at; i < bytes; i++, j += 2) {
    const a = text.charCodeAt(j);
    const b = text.charCodeAt(j + 1);
    const hi = a < 128 ? HEX_DIGIT[a]! : -1;
    const lo = b < 128 ? HEX_DIGIT[b]! : -1;
    if ((hi | lo) < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

/** Whether `bytes[at … at + len)` are all zero (no early exit). */
export function isZeroAt(bytes: Uint8Array, at: number, len: number): boolean {
  let d = 0;
  for (let i = 0; i < len; i++) d |= bytes[at + i]!;
  return d === 0;
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-time-ish equality of two byte arrays (no early exit). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Big-endian unsigned encoding of `n` in exactly `len` bytes. */
export function bigintToBytesBE(n: bigint, len: number): Uint8Array {
  if (n < 0n) throw new RangeError('negative integer');
  const hex = n.toString(16);
  if (hex.length > 2 * len) throw new RangeError(`integer does not fit in ${len} bytes`);
  return fromHex(hex.padStart(2 * len, '0'));
}

/** Big-endian unsigned decoding. */
export function bytesToBigintBE(b: Uint8Array): bigint {
  const n = b.length;
  if (n < 16) return n === 0 ? 0n : BigInt('0x' + toHex(b));
  // 64 bits at a time (about 3× faster than through a hex string for 32–64 bytes).
  const dv = new DataView(b.buffer, b.byteOffset, n);
  const head = n & 7;
  let v = 0n;
  if (head > 0) {
    let h = 0;
    for (let i = 0; i < head; i++) h = h * 256 + b[i]!;
    v = BigInt(h);
  }
  for (let i = head; i < n; i += 8) v = (v << 64n) | dv.getBigUint64(i, false);
  return v;
}

/** Little-endian unsigned encoding of `n` in exactly `len` bytes. */
export function bigintToBytesLE(n: bigint, len: number): Uint8Array {
  return bigintToBytesBE(n, len).reverse();
}

/** A DataView over the last buffer {@link bigintIntoLE} wrote to (hot loops write to one buffer; it keeps that buffer alive until the next). */
let leView: DataView | undefined;

/**
 * Writes `n` (0 ≤ n < 2^(8·len)) as `len` little-endian bytes at `out[offset]` (for hot loops
 * that fill a buffer with scalars). The caller checks the range. When `len` is a multiple of 8,
 * 64 bits per store: `setBigUint64` keeps the low 64 bits of `n >> 64k` without a mask (≈ 3×
 * faster than one `toString(16)` and its digits, which is what other lengths take).
 */
export function bigintIntoLE(n: bigint, out: Uint8Array, offset: number, len: number): void {
  if ((len & 7) === 0 && offset >= 0 && offset + len <= out.length) {
    let dv = leView;
    if (dv === undefined || dv.buffer !== out.buffer) leView = dv = new DataView(out.buffer);
    const at = out.byteOffset + offset;
    if (len === 32) {
      dv.setBigUint64(at, n, true);
      dv.setBigUint64(at + 8, n >> 64n, true);
      const hi = n >> 128n;
      dv.setBigUint64(at + 16, hi, true);
      dv.setBigUint64(at + 24, hi >> 64n, true);
    } else for (let i = 0; i < len; i += 8) dv.setBigUint64(at + i, n >> BigInt(8 * i), true);
    return;
  }
  const hex = n.toString(16);
  let j = hex.length;
  for (let i = 0; i < len; i++, j -= 2) {
    const lo = j >= 1 ? HEX_DIGIT[hex.charCodeAt(j - 1)]! : 0;
    const hi = j >= 2 ? HEX_DIGIT[hex.charCodeAt(j - 2)]! : 0;
    out[offset + i] = (hi << 4) | lo;
  }
}

/** Little-endian unsigned decoding. */
export function bytesToBigintLE(b: Uint8Array): bigint {
  const n = b.length;
  if (n < 16) return bytesToBigintBE(Uint8Array.from(b).reverse());
  const dv = new DataView(b.buffer, b.byteOffset, n);
  const full = n - (n & 7);
  let v = 0n;
  if (full < n) {
    let h = 0;
    for (let i = n - 1; i >= full; i--) h = h * 256 + b[i]!;
    v = BigInt(h);
  }
  for (let i = full - 8; i >= 0; i -= 8) v = (v << 64n) | dv.getBigUint64(i, true);
  return v;
}

/** UTF-8 encoding. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Asserts a Uint8Array of an optional exact length; the error names the field. */
export function abytes(value: unknown, label: string, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new FormatError(label, `expected bytes, got ${typeName(value)}`);
  if (length !== undefined && value.length !== length) throw new FormatError(label, `expected ${length} bytes, got ${value.length}`);
  return value;
}

/** A short description of a value's type for error messages (never the value: it may be secret). */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

/** Cryptographically secure random bytes from the platform CSPRNG (Web Crypto, in browsers and Node). */
export function randomBytes(n: number): Uint8Array {
  // Small requests come from the pool ({@link withRandom}): a CSPRNG call costs microseconds,
  // whatever its size.
  if (n <= POOL_TAKE) return withRandom(n, (view, at) => new Uint8Array(view.buffer.slice(at, at + n)));
  const out = new Uint8Array(n);
  fillRandom(out);
  return out;
}

/**
 * Lends `n` fresh CSPRNG bytes to `read`, as bytes [at, at + n) of `view`: never lent before,
 * and erased as soon as `read` returns, so what the caller keeps of them is what it derived (for
 * hot loops that turn random bytes into numbers without allocating). Up to 64 KiB come from one
 * pool, refilled by one platform call when it runs short (≈ 26 ballots' batch weights); larger
 * requests from a buffer of their own. `read` must not keep `view` or call back in here.
 */
export function withRandom<T>(n: number, read: (view: DataView, at: number) => T): T {
  let view = poolView;
  let at = 0;
  if (n > POOL_BYTES) {
    const own = new Uint8Array(n);
    fillRandom(own);
    view = new DataView(own.buffer);
  } else {
    if (poolAt + n > POOL_BYTES) {
      platformRandom(pool);
      poolAt = 0;
    }
    at = poolAt;
    poolAt += n;
  }
  try {
    return read(view, at);
  } finally {
    new Uint8Array(view.buffer, at, n).fill(0);
  }
}

/**
 * Fills `b` in place from the platform CSPRNG: for a buffer reused across calls (no allocation;
 * the caller erases what it no longer needs).
 */
export function fillRandom(b: Uint8Array): void {
  for (let o = 0; o < b.length; o += 65536) platformRandom(b.subarray(o, Math.min(b.length, o + 65536)));
}

/** Largest request randomBytes serves from the pool (bigger ones draw their own bytes). */
const POOL_TAKE = 1024;
/** The pool of CSPRNG bytes (a Web Crypto call takes at most 64 KiB). */
const POOL_BYTES = 65536;
const pool = new Uint8Array(POOL_BYTES);
const poolView = new DataView(pool.buffer);
let poolAt = POOL_BYTES;

function platformRandom(b: Uint8Array): void {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c || typeof c.getRandomValues !== 'function') throw new Error('no platform CSPRNG (crypto.getRandomValues) available');
  c.getRandomValues(b);
}
