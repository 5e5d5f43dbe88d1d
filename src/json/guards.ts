/**
 * Exact-shape guards for parsed JSON: every reader of untrusted JSON (ballots, proofs, manifests,
 * ceremony messages, record files) checks each object against the keys it expects with
 * {@link expectObject} and each array with {@link expectArray}, so that an unknown field, a
 * missing one or a wrong type is a FormatError naming its JSON path.
 * @module
 */
import { FormatError } from '../errors.js';
import { typeName } from '../bytes.js';

/**
 * Asserts a plain JSON object with exactly the given keys (no unknown, none missing), plus any
 * of the `optional` keys.
 */
export function expectObject(v: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FormatError(path, `expected an object, got ${typeName(v)}`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) throw new FormatError(`${path}.${k}`, 'unknown field');
  // Own properties only: `in` would find Object.prototype's members ("constructor", "__proto__").
  for (const k of keys) if (!Object.hasOwn(o, k)) throw new FormatError(`${path}.${k}`, 'missing field');
  return o;
}

/** Asserts an array, optionally of an exact length. */
export function expectArray(v: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(v)) throw new FormatError(path, `expected an array, got ${typeName(v)}`);
  if (length !== undefined && v.length !== length) throw new FormatError(path, `expected ${length} items, got ${v.length}`);
  return v;
}
