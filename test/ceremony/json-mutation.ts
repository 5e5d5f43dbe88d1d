/** Enumerates and replaces leaves of a JSON value, for malformed-input property tests. */
import fc from 'fast-check';
import { expect } from 'vitest';
import { FormatError } from '../../src/errors.js';

export type JsonPath = (string | number)[];

/** Every path to a leaf or a container (the root excluded). */
export function jsonPaths(v: unknown, prefix: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [];
  if (Array.isArray(v)) v.forEach((x, k) => out.push([...prefix, k], ...jsonPaths(x, [...prefix, k])));
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...jsonPaths(x, [...prefix, k]));
  return out;
}

/** A deep copy of `v` with the value at `path` replaced. */
export function setPath(v: unknown, path: JsonPath, value: unknown): unknown {
  const copy = structuredClone(v) as any;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]!] = value;
  return copy;
}

/** The JSON path string the parsers use: `root.a[2].b`. */
export function pathString(root: string, path: JsonPath): string {
  return root + path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
}

/** Values that are wrong in most places: wrong types, near-miss hex, out-of-range numbers. */
export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, '1', '', 'zz', '00', 'ff'.repeat(32), 'FF'.repeat(32), '0'.repeat(64), null, [], {}, true),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 0, maxLength: 80 }),
);

/**
 * Property: replacing any field of a valid message with garbage either still parses (the garbage
 * happened to be valid there) or throws a FormatError whose path is the replaced field or inside
 * it — never another error type.
 */
export function assertMutationsRejected(valid: unknown, root: string, parse: (json: unknown) => unknown, runs: number): void {
  const paths = jsonPaths(valid);
  fc.assert(
    fc.property(fc.constantFrom(...paths), garbage, (path, value) => {
      const bad = setPath(valid, path, value);
      let err: unknown;
      try {
        parse(bad);
        return;
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FormatError);
      const p = pathString(root, path);
      const ep = (err as FormatError).path;
      expect(ep === p || ep.startsWith(p + '.') || ep.startsWith(p + '[') || p.startsWith(ep)).toBe(true);
    }),
    { numRuns: runs },
  );
}
