/**
 * Canonical JSON for board payloads: one byte string per JSON value, so that an entry's hash
 * is a function of its content and a reader can reject any other spelling of the same line.
 *
 * The rules are those of RFC 8785 (JSON Canonicalization Scheme) for the values mjvote
 * writes, made stricter where JCS leaves room:
 * - no whitespace; object members sorted by key, comparing UTF-16 code units (JavaScript's
 *   default string sort);
 * - strings and keys as ECMAScript `JSON.stringify` writes them (`\"`, `\\`, `\b \f \n \r \t`,
 *   other code points below U+0020 as `\u00xx` with lowercase hex, everything else literally);
 *   strings with a lone surrogate are rejected, so the UTF-8 bytes are always well defined;
 * - numbers must be safe integers (|n| ≤ 2^53 − 1, not `-0`), written in decimal with a `-`
 *   sign when negative and no leading zeros, exponent or fraction (fractions and bigger
 *   integers belong in strings); `undefined`, functions, symbols, bigints, sparse arrays and
 *   objects other than plain objects and arrays are rejected, never silently dropped;
 * - nesting deeper than {@link MAX_JSON_DEPTH} is rejected.
 * @module
 */
import { FormatError } from '../errors.js';
import { toHex, typeName, utf8 } from '../bytes.js';
import { sha256 } from '../sha2.js';

/** A JSON value as stored on the board. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object as stored on the board (the shape of every entry payload). */
export type JsonObject = { [key: string]: JsonValue };

/** Deepest nesting of arrays and objects accepted in a payload (the payload object itself is depth 1). */
export const MAX_JSON_DEPTH = 64;

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The canonical JSON text of `value` (see the module notes for the rules).
 * @param label - JSON path used in errors, e.g. `payload`.
 * @throws FormatError naming the path of the first value that is not canonical-JSON-able.
 */
export function canonicalJson(value: unknown, label = 'value'): string {
  const w = new Writer(label);
  // Fast path: when every object's own keys are already in canonical order, the native
  // JSON.stringify writes exactly the canonical text (it enumerates keys in Object.keys order
  // and spells strings and numbers as required), at a third of the cost of writing it here.
  if (w.check(value)) return JSON.stringify(value);
  w.value(value);
  return w.out;
}

/** True when `v` is a plain object (not an array, a class instance, a Map, a Uint8Array …). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The JSON text of a string, after rejecting lone surrogates. */
export function canonicalString(s: string, label: string): string {
  // The cheap test first: most strings (hex, ASCII) have no surrogate at all.
  if (SURROGATE.test(s) && LONE_SURROGATE.test(s)) throw new FormatError(label, 'string contains a lone UTF-16 surrogate');
  return JSON.stringify(s);
}

/**
 * The serializer's state. The JSON path of the current value is kept as a stack of keys and
 * indices and turned into a string only for an error message.
 */
class Writer {
  out = '';
  private readonly at: (string | number)[] = [];
  constructor(private readonly label: string) {}

  private path(): string {
    let p = this.label;
    for (const k of this.at) p += typeof k === 'number' ? `[${k}]` : IDENTIFIER.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
    return p;
  }

  private fail(reason: string): never {
    throw new FormatError(this.path(), reason);
  }

  private string(s: string): string {
    // The cheap test first: most strings (hex, ASCII) have no surrogate at all.
    if (SURROGATE.test(s) && LONE_SURROGATE.test(s)) this.fail('string contains a lone UTF-16 surrogate');
    return JSON.stringify(s);
  }

  /**
   * Validates `v` as canonical-JSON-able (throws like {@link Writer.value}) and returns true when
   * every object in it already has its keys in canonical order.
   */
  check(v: unknown): boolean {
    switch (typeof v) {
      case 'string':
        if (SURROGATE.test(v) && LONE_SURROGATE.test(v)) this.fail('string contains a lone UTF-16 surrogate');
        return true;
      case 'number':
        if (!Number.isSafeInteger(v) || Object.is(v, -0)) this.fail(`expected an integer in ±(2^53 − 1) (not -0), got ${v}`);
        return true;
      case 'boolean':
        return true;
      case 'object':
        break;
      default:
        this.fail(`expected a JSON value, got ${typeof v}`);
    }
    if (v === null) return true;
    if (this.at.length >= MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    let sorted = true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        this.at.push(i);
        if (!(i in v)) this.fail('hole in a sparse array');
        if (!this.check(v[i])) sorted = false;
        this.at.pop();
      }
      return sorted;
    }
    if (!isPlainObject(v)) this.fail(`expected a plain object or array, got ${typeName(v)} (${Object.prototype.toString.call(v)})`);
    if (Object.getOwnPropertySymbols(v).length > 0) this.fail('object has symbol keys');
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      this.at.push(k);
      if (SURROGATE.test(k) && LONE_SURROGATE.test(k)) this.fail('string contains a lone UTF-16 surrogate');
      if (i > 0 && keys[i - 1]! > k) sorted = false;
      if (!this.check(v[k])) sorted = false;
      this.at.pop();
    }
    return sorted;
  }

  /** Writes `v` in canonical form into {@link Writer.out}, sorting keys. */
  value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        this.out += this.string(v);
        return;
      case 'number':
        if (!Number.isSafeInteger(v) || Object.is(v, -0)) this.fail(`expected an integer in ±(2^53 − 1) (not -0), got ${v}`);
        this.out += JSON.stringify(v);
        return;
      case 'boolean':
        this.out += v ? 'true' : 'false';
        return;
      case 'object':
        break;
      default:
        this.fail(`expected a JSON value, got ${typeof v}`);
    }
    if (v === null) {
      this.out += 'null';
      return;
    }
    if (this.at.length >= MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(v)) {
      this.out += '[';
      for (let i = 0; i < v.length; i++) {
        this.at.push(i);
        if (i > 0) this.out += ',';
        if (!(i in v)) this.fail('hole in a sparse array');
        this.value(v[i]);
        this.at.pop();
      }
      this.out += ']';
      return;
    }
    if (!isPlainObject(v)) this.fail(`expected a plain object or array, got ${typeName(v)} (${Object.prototype.toString.call(v)})`);
    if (Object.getOwnPropertySymbols(v).length > 0) this.fail('object has symbol keys');
    const keys = Object.keys(v).sort();
    this.out += '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      this.at.push(k);
      this.out += `${i > 0 ? ',' : ''}${this.string(k)}:`;
      this.value(v[k]);
      this.at.pop();
    }
    this.out += '}';
  }
}

// ---------------------------------------------------------------------------------------------
// Recognising canonical text without parsing it (the verifier's hot path: every board line)

// The open containers of isCanonicalJsonText's scan: kind (1 object, 2 array) and, for an
// object, where its previous key's text starts and ends (keys must increase).
const openKind = new Uint8Array(MAX_JSON_DEPTH);
const prevKeyStart = new Int32Array(MAX_JSON_DEPTH);
const prevKeyEnd = new Int32Array(MAX_JSON_DEPTH);

/**
 * True when `text[start, end)` is exactly one JSON value spelled as {@link canonicalJson} writes
 * the value `JSON.parse` reads from it; false when that is not shown. Allocation-free: it reads
 * the text once, where parsing and re-serializing would build the value and a second string.
 * Conservative: a key with an escape, any surrogate, an integer of more than 15 digits or
 * nesting deeper than 63 gives false, and callers then fall back to {@link canonicalJson} (which
 * decides those exactly and names what is wrong).
 */
export function isCanonicalJsonText(text: string, start = 0, end = text.length): boolean {
  let p = start;
  let d = 0; // open containers
  for (;;) {
    // A value at p.
    if (p >= end) return false;
    const c = text.charCodeAt(p);
    if (c === 0x7b || c === 0x5b) {
      if (d >= MAX_JSON_DEPTH - 1) return false;
      p++;
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (p < end && text.charCodeAt(p) === close)
        p++; // empty: a complete value
      else {
        openKind[d] = c === 0x7b ? 1 : 2;
        d++;
        if (c === 0x7b) {
          prevKeyStart[d - 1] = -1;
          p = objectKey(text, p, end, d - 1);
          if (p < 0) return false;
        }
        continue;
      }
    } else if (c === 0x22) {
      p = stringEnd(text, p, end);
      if (p < 0) return false;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      p = numberEnd(text, p, end);
      if (p < 0) return false;
    } else if (c === 0x74 && text.startsWith('true', p) && p + 4 <= end) p += 4;
    else if (c === 0x66 && text.startsWith('false', p) && p + 5 <= end) p += 5;
    else if (c === 0x6e && text.startsWith('null', p) && p + 4 <= end) p += 4;
    else return false;
    // After a value: close containers, or a comma and (in an object) the next key.
    for (;;) {
      if (d === 0) return p === end;
      if (p >= end) return false;
      const s = text.charCodeAt(p++);
      const kind = openKind[d - 1]!;
      if (s === 0x2c) {
        if (kind === 1) {
          p = objectKey(text, p, end, d - 1);
          if (p < 0) return false;
        }
        break;
      }
      if (s !== (kind === 1 ? 0x7d : 0x5d)) return false;
      d--;
    }
  }
}

/**
 * A key at p of the object open at level `level` and the colon after it: the key has no escape
 * or surrogate (so its text is its value) and is greater than the object's previous key.
 * Returns the position after the colon, or −1.
 */
function objectKey(text: string, p: number, end: number, level: number): number {
  if (p >= end || text.charCodeAt(p) !== 0x22) return -1;
  const ks = p + 1;
  let ke = ks;
  for (;;) {
    if (ke >= end) return -1;
    const c = text.charCodeAt(ke);
    if (c === 0x22) break;
    if (c === 0x5c || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) return -1;
    ke++;
  }
  const ps = prevKeyStart[level]!;
  if (ps >= 0) {
    // text[ks, ke) > text[ps, pe), by UTF-16 code units as JavaScript's sort compares
    const pe = prevKeyEnd[level]!;
    const n = Math.min(pe - ps, ke - ks);
    let i = 0;
    while (i < n && text.charCodeAt(ps + i) === text.charCodeAt(ks + i)) i++;
    if (i < n ? text.charCodeAt(ks + i) < text.charCodeAt(ps + i) : ke - ks <= pe - ps) return -1;
  }
  prevKeyStart[level] = ks;
  prevKeyEnd[level] = ke;
  if (ke + 1 >= end || text.charCodeAt(ke + 1) !== 0x3a) return -1;
  return ke + 2;
}

/** A run of characters a string holds as themselves (no quote, backslash, control character or surrogate). */
// eslint-disable-next-line no-control-regex -- a run without control characters (they are escaped in JSON)
const PLAIN_RUN = /[^"\\\u0000-\u001f\ud800-\udfff]*/y;

/** The end of the string at p (after its closing quote) as JSON.stringify writes it, or −1 (any surrogate gives −1). */
function stringEnd(text: string, p: number, end: number): number {
  // The run of plain characters first, with the regular-expression engine's scan (most strings
  // on a board are hex, entirely plain); then the character after it.
  PLAIN_RUN.lastIndex = p + 1;
  PLAIN_RUN.test(text);
  p = PLAIN_RUN.lastIndex;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c === 0x22) return p + 1;
    if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) return -1;
    if (c !== 0x5c) {
      p++;
      continue;
    }
    // An escape: \" \\ \b \f \n \r \t, or \u00xx (lowercase) for another code point below U+0020.
    const e = text.charCodeAt(p + 1);
    if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      p += 2;
      continue;
    }
    if (e !== 0x75 || p + 6 > end || text.charCodeAt(p + 2) !== 0x30 || text.charCodeAt(p + 3) !== 0x30) return -1;
    const hi = text.charCodeAt(p + 4);
    const lo = text.charCodeAt(p + 5);
    const low = lo >= 0x30 && lo <= 0x39 ? lo - 0x30 : lo >= 0x61 && lo <= 0x66 ? lo - 0x61 + 10 : -1;
    if ((hi !== 0x30 && hi !== 0x31) || low < 0) return -1;
    const code = (hi - 0x30) * 16 + low;
    if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return -1; // has a short form
    p += 6;
  }
  return -1;
}

/** The end of the number at p if it is -?(0|[1-9][0-9]{0,14}) and not -0 (a safe integer as JSON.stringify writes it), else −1. */
function numberEnd(text: string, p: number, end: number): number {
  const neg = text.charCodeAt(p) === 0x2d;
  if (neg) p++;
  const first = p;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c < 0x30 || c > 0x39) break;
    p++;
  }
  const digits = p - first;
  if (digits === 0 || digits > 15) return -1;
  if (text.charCodeAt(first) === 0x30 && (digits > 1 || neg)) return -1; // leading zero, -0
  return p; // a fraction or exponent after it is not a separator: the caller refuses it
}

/** SHA-256 (hex) of the canonical JSON bytes of a value: how the board binds a record file. */
export function canonicalSha256(value: unknown): string {
  return toHex(sha256(utf8(canonicalJson(value))));
}
