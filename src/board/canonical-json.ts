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
 * - numbers must be finite and are written as ECMAScript `Number.prototype.toString` does
 *   (`-0` is written `0`); `undefined`, functions, symbols, bigints, sparse arrays and objects
 *   other than plain objects and arrays are rejected, never silently dropped;
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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The canonical JSON text of `value` (see the module notes for the rules).
 * @param label - JSON path used in errors, e.g. `payload`.
 * @throws FormatError naming the path of the first value that is not canonical-JSON-able.
 */
export function canonicalJson(value: unknown, label = 'value'): string {
  const out: string[] = [];
  write(value, label, 0, out);
  return out.join('');
}

/** True when `v` is a plain object (not an array, a class instance, a Map, a Uint8Array …). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The JSON text of a string, after rejecting lone surrogates. */
export function canonicalString(s: string, label: string): string {
  if (LONE_SURROGATE.test(s)) throw new FormatError(label, 'string contains a lone UTF-16 surrogate');
  return JSON.stringify(s);
}

function write(v: unknown, path: string, depth: number, out: string[]): void {
  switch (typeof v) {
    case 'string':
      out.push(canonicalString(v, path));
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new FormatError(path, `expected a finite number, got ${v}`);
      out.push(JSON.stringify(v));
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new FormatError(path, `expected a JSON value, got ${typeof v}`);
  }
  if (v === null) {
    out.push('null');
    return;
  }
  if (depth >= MAX_JSON_DEPTH) throw new FormatError(path, `nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      if (!(i in v)) throw new FormatError(`${path}[${i}]`, 'hole in a sparse array');
      write(v[i], `${path}[${i}]`, depth + 1, out);
    }
    out.push(']');
    return;
  }
  if (!isPlainObject(v)) throw new FormatError(path, `expected a plain object or array, got ${typeName(v)} (${Object.prototype.toString.call(v)})`);
  if (Object.getOwnPropertySymbols(v).length > 0) throw new FormatError(path, 'object has symbol keys');
  const keys = Object.keys(v).sort();
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const sub = IDENTIFIER.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
    if (i > 0) out.push(',');
    out.push(canonicalString(k, sub), ':');
    write(v[k], sub, depth + 1, out);
  }
  out.push('}');
}
