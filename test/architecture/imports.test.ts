/**
 * The import graph of `src/`: imports point down the layers of docs/architecture.md only (no
 * arrow runs back up) and no module imports itself through others (no circle), type-only
 * imports included.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Layers, lowest first: a module may import from its own layer or a lower one. */
export const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'bytes.ts', 'sha2.ts', 'files.ts'],
  ['json'],
  ['wasm'],
  ['group'],
  ['hash.ts'],
  ['elgamal.ts'],
  ['proofs'],
  ['election'],
  ['ballot'],
  ['ceremony'],
  ['tally'],
  ['decrypt'],
  ['mj'],
  ['board'],
  ['record'],
  ['verify'],
  ['authority'],
  ['server'],
  ['demo'],
  ['cli'],
  ['index.ts', 'node.ts'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The layer of a module (its path relative to src/). */
function layerOf(rel: string): number {
  const top = rel.split('/')[0]!;
  const i = LAYERS.findIndex((l) => l.includes(top));
  if (i < 0) throw new Error(`src/${rel}: not in any layer of test/architecture/imports.test.ts`);
  return i;
}

/** Every relative import (static, dynamic, type-only, re-export) of each module, as paths relative to src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const f of files(SRC)) {
    const rel = relative(SRC, f);
    const text = readFileSync(f, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(re)) {
      const target = normalize(join(dirname(rel), m[1]!.replace(/\.js$/, '.ts')));
      if (target.startsWith('..')) continue; // package.json (the version)
      deps.push(target);
    }
    graph.set(rel, deps);
  }
  return graph;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('knows every module and every import target', () => {
    for (const [from, deps] of graph) {
      layerOf(from);
      for (const d of deps) expect(graph.has(d), `${from} imports ${d}, which does not exist`).toBe(true);
    }
  });

  it('has no arrow that runs back up the layers', () => {
    const up: string[] = [];
    for (const [from, deps] of graph) for (const d of deps) if (layerOf(d) > layerOf(from)) up.push(`${from} → ${d}`);
    expect(up).toEqual([]);
  });

  it('has no circle (Tarjan: every strongly connected component is one module)', () => {
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const circles: string[][] = [];
    const visit = (v: string): void => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) visit(v);
    expect(circles).toEqual([]);
  });
});
