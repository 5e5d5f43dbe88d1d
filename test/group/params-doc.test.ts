/**
 * docs/groups.md repeats the finite-field groups' p, q, g so that a record and the documents
 * are all an auditor needs: the numbers there must be the code's.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { NAMED_MODP_PARAMS } from '../../src/group/params.js';

/** The `p = …`, `q = …`, `g = …` numbers of the code block under the heading of `id`. */
function documented(doc: string, id: string): Record<string, bigint> {
  const at = doc.indexOf(`### \`${id}\``);
  expect(at, `a section for ${id}`).toBeGreaterThanOrEqual(0);
  const block = /```\n([\s\S]*?)```/.exec(doc.slice(at))![1]!;
  const out: Record<string, string> = {};
  let name = '';
  for (const line of block.split('\n').filter((l) => l.trim() !== '')) {
    const m = /^([pqg]) = ([0-9a-f]{1,64})$/.exec(line) ?? /^ {4}()([0-9a-f]{64})$/.exec(line);
    expect(m, `a line of 64 hex digits, got ${JSON.stringify(line)}`).not.toBeNull();
    if (m![1] !== '') name = m![1]!;
    out[name] = (out[name] ?? '') + m![2]!;
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, BigInt(`0x${v}`)]));
}

describe('docs/groups.md', () => {
  const doc = readFileSync('docs/groups.md', 'utf8');
  for (const params of NAMED_MODP_PARAMS)
    it(`lists the p, q and g of ${params.id} as src/group/params.ts has them`, () => {
      expect(documented(doc, params.id)).toEqual({ p: params.p, q: params.q, g: params.g });
    });
});
