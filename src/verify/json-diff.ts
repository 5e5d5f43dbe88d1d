/**
 * Where two JSON values first differ: for failures such as "result.json differs from the
 * board's result entry at ranking[0].candidate".
 * @module
 */
import { isPlainObject } from '../board/canonical-json.js';

/** The first difference between two JSON values (depth first, keys in sorted order). */
export interface JsonDifference {
  /** JSON path of the differing value, relative to the values compared (`''` for the whole value). */
  readonly path: string;
  /** A short description: both values when they are short. */
  readonly detail: string;
}

/** Returns the first difference between `a` and `b`, or null when they are equal as JSON values. */
export function firstDifference(a: unknown, b: unknown, path = ''): JsonDifference | null {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return a.length === b.length ? null : { path, detail: `${a.length} items against ${b.length}` };
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const p = joinPath(path, k);
      if (!(k in a)) return { path: p, detail: 'missing on the first side' };
      if (!(k in b)) return { path: p, detail: 'missing on the second side' };
      const d = firstDifference(a[k], b[k], p);
      if (d) return d;
    }
    return null;
  }
  if (a === b) return null;
  return { path, detail: `${short(a)} against ${short(b)}` };
}

/** Appends a key (`name`) or a relative path (`[3].x`, `a.b`) to a JSON path; `''` is the root. */
export function joinPath(base: string, sub: string): string {
  if (sub === '') return base;
  if (base === '' || sub.startsWith('[')) return `${base}${sub}`;
  return `${base}.${sub}`;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
