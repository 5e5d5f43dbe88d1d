/**
 * Where two JSON values first differ: for failures such as "result.json differs from the
 * board's result entry at ranking[0].candidate".
 * @module
 */
import { isPlainObject } from '../json/canonical.js';

/** The first difference between two JSON values (depth first, keys in sorted order). */
export interface JsonDifference {
  /** JSON path of the differing value, relative to the values compared (`''` for the whole value). */
  readonly path: string;
  /** A short description: both values when they are short. */
  readonly detail: string;
}

/** Deepest nesting compared; deeper values are reported as a difference (no record file nests this deep). */
export const MAX_DIFF_DEPTH = 100;

/** Returns the first difference between `a` and `b`, or null when they are equal as JSON values. */
export function firstDifference(a: unknown, b: unknown, path = '', depth = 0): JsonDifference | null {
  const nested = (Array.isArray(a) && Array.isArray(b)) || (isPlainObject(a) && isPlainObject(b));
  if (nested && depth >= MAX_DIFF_DEPTH) return { path, detail: `nested deeper than ${MAX_DIFF_DEPTH} levels: not compared` };
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`, depth + 1);
      if (d) return d;
    }
    return a.length === b.length ? null : { path, detail: `${a.length} items against ${b.length}` };
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const p = joinPath(path, k);
      if (!Object.hasOwn(a, k)) return { path: p, detail: 'missing on the first side' };
      if (!Object.hasOwn(b, k)) return { path: p, detail: 'missing on the second side' };
      const d = firstDifference(a[k], b[k], p, depth + 1);
      if (d) return d;
    }
    return null;
  }
  if (a === b) return null;
  return { path, detail: `${shortJson(a)} against ${shortJson(b)}` };
}

/** Appends a key (`name`) or a relative path (`[3].x`, `a.b`) to a JSON path; `''` is the root. */
export function joinPath(base: string, sub: string): string {
  if (sub === '') return base;
  if (base === '' || sub.startsWith('[')) return `${base}${sub}`;
  return `${base}.${sub}`;
}

/**
 * An untrusted JSON value for a failure message: at most `max` characters, and never a crash
 * (JSON.stringify overflows the stack on values nested some thousands of levels deep).
 */
export function shortJson(v: unknown, max = 80): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? 'nothing';
  } catch {
    s = '(a value nested too deeply to print)';
  }
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
