/**
 * Strict parsing of untrusted JSON text, the one door every reader of JSON from outside goes
 * through ({@link parseJson}): the text's length and nesting depth are bounded before a single
 * object is built (a 100 MB array nested a million deep would otherwise exhaust the heap), and
 * duplicate object keys are refused (`JSON.parse` silently keeps the last of two equal keys, so
 * `{"a": 1, "a": 2}` would let a file say two things at once).
 * @module
 */
import { FormatError } from '../errors.js';
import { MAX_JSON_DEPTH } from './canonical.js';

/** Default of {@link JsonLimits.maxLength}: 64 Mi characters. */
export const DEFAULT_MAX_JSON_LENGTH = 64 * 1024 * 1024;

/** Limits on untrusted JSON text, checked before it is parsed. */
export interface JsonLimits {
  /** Longest text accepted, in UTF-16 code units (default {@link DEFAULT_MAX_JSON_LENGTH}). */
  readonly maxLength?: number;
  /** Deepest nesting of arrays and objects accepted (default {@link MAX_JSON_DEPTH}, 64; the top-level value is depth 1). */
  readonly maxDepth?: number;
}

/**
 * Parses untrusted JSON text: within `limits`, valid JSON, no duplicate key.
 * @param label - names the input in errors (a file name, `request body` …); paths inside it follow.
 * @throws FormatError naming the input (too long, too deep: with the character offset; not JSON)
 *   or the JSON path of a duplicate key.
 */
export function parseJson(text: string, label = '$', limits: JsonLimits = {}): unknown {
  const maxLength = limits.maxLength ?? DEFAULT_MAX_JSON_LENGTH;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  if (typeof text !== 'string') throw new FormatError(label, `expected JSON text, got ${typeof text}`);
  if (text.length > maxLength) throw new FormatError(label, `longer than ${maxLength} characters`);
  assertDepthAtMost(text, maxDepth, label);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FormatError(label, notJson(e));
  }
  assertNoDuplicateKeys(text, label);
  return value;
}

/**
 * Why a text is not JSON, without quoting it: the engine's message shows a piece of the text,
 * which may be a secret (a key file given by mistake), so only the position is kept.
 */
export function notJson(e: unknown): string {
  const at = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  return at ? `not valid JSON (at character ${at[1]})` : 'not valid JSON';
}

/**
 * Throws a FormatError when arrays and objects in `text` nest deeper than `maxDepth`. Works on
 * any text (strings are skipped, brackets outside them counted), in one pass, building nothing.
 */
export function assertDepthAtMost(text: string, maxDepth: number, label = '$'): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < text.length) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) throw new FormatError(label, `nested deeper than ${maxDepth} levels (at character ${i})`);
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
}

/**
 * Throws a {@link FormatError} naming the JSON path of the first duplicate key in `text`
 * (which must be valid JSON: {@link parseJson} calls it after `JSON.parse` succeeded). Linear time.
 */
export function assertNoDuplicateKeys(text: string, label = '$'): void {
  type Frame = { object: boolean; keys: Set<string>; path: string; index: number; key: string | null };
  const stack: Frame[] = [];
  const pathOf = (f: Frame | undefined): string => {
    if (f === undefined) return label;
    return f.object
      ? `${f.path}${/^[A-Za-z_$][\w$]*$/.test(f.key ?? '') ? `.${f.key}` : `[${JSON.stringify(f.key)}]`}`
      : `${f.path}[${f.index}]`;
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      if (expectKey) {
        const top = stack[stack.length - 1]!;
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) {
          top.key = key;
          throw new FormatError(pathOf(top), 'duplicate key');
        }
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push({ object: true, keys: new Set(), path: pathOf(stack[stack.length - 1]), index: 0, key: null });
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push({ object: false, keys: new Set(), path: pathOf(stack[stack.length - 1]), index: 0, key: null });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.object) expectKey = true;
      else if (top) top.index++;
    }
  }
}
