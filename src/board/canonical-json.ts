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
import { typeName } from '../bytes.js';

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
      if (!this.check((v as Record<string, unknown>)[k])) sorted = false;
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
      this.value((v as Record<string, unknown>)[k]);
      this.at.pop();
    }
    this.out += '}';
  }
}
