/**
 * Every vector of the public MJ suites (MieuxVoter Java/TypeScript/PHP/Go/Rust/Python test data).
 * Those vectors list grades WORST first; mjvote indexes grades BEST first, so every tally and
 * grade index is converted here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rank, type MjResult } from '../../src/mj/rank.js';
import { type MissingPolicy } from '../../src/mj/missing.js';

interface Vector {
  name: string;
  source: string;
  kind: string;
  grades_order: string;
  mode: string;
  tallies: Record<string, number[]>;
  expected_ranks: Record<string, number>;
  expected_ranking: (string | string[])[];
  participants?: number;
  default_grade_index?: number;
  expected_padded_tallies?: Record<string, number[]>;
  expected_median_grade_index?: Record<string, number>;
  raw_grades?: Record<string, number[]>;
  notes?: string;
}

const HERE = new URL('.', import.meta.url);
const COPY = new URL('vectors/public-suites.json', HERE);
const SHARED = new URL('../../../shared/vectors/mj/public-suites.json', HERE);
const suite = JSON.parse(readFileSync(COPY, 'utf8')) as { description: string; vectors: Vector[] };

const KNOWN_MODES = ['balanced', 'static_default', 'median_default', 'normalized', 'favor_adhesion_upper_median'];

/** Worst-first index → best-first index. */
const flip = (worstFirst: number, G: number): number => G - 1 - worstFirst;

function run(v: Vector): MjResult {
  const G = Object.values(v.tallies)[0]!.length;
  const grades = Array.from({ length: G }, (_, i) => `grade ${i} (best first)`);
  const profiles = Object.entries(v.tallies).map(([candidate, t]) => ({ candidate, profile: t.slice().reverse() }));
  let missing: MissingPolicy;
  switch (v.mode) {
    case 'balanced':
    case 'favor_adhesion_upper_median':
      missing = 'error';
      break;
    case 'static_default':
      missing = { grade: flip(v.default_grade_index!, G) };
      break;
    case 'median_default':
      missing = 'median';
      break;
    case 'normalized':
      missing = 'normalize';
      break;
    default:
      throw new Error(`unknown mode ${v.mode}`);
  }
  return rank(profiles, grades, { missing, ...(v.participants !== undefined && { voters: BigInt(v.participants) }) });
}

/** Tie groups in rank order, each sorted, for comparison with `expected_ranking`. */
function groups(r: MjResult): string[][] {
  const out: string[][] = [];
  let last = 0;
  for (const c of r.ranking) {
    if (c.rank !== last) out.push([]);
    out[out.length - 1]!.push(c.candidate);
    last = c.rank;
  }
  return out.map((g) => g.sort());
}

/** Upper median (worst-first index) by brute force over the expanded grades. */
function upperMedianWorstFirst(tally: number[]): number {
  const grades = tally.flatMap((c, g) => Array<number>(c).fill(g));
  return grades[Math.floor(grades.length / 2)]!;
}

describe('public MJ vectors (shared/vectors/mj/public-suites.json)', () => {
  it('the in-repo copy is the shared file, when the shared file is present', () => {
    if (existsSync(SHARED)) expect(readFileSync(COPY, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
    expect(suite.vectors.length).toBeGreaterThanOrEqual(27);
  });

  it('every vector has a kind and mode this test knows how to run', () => {
    for (const v of suite.vectors) {
      expect(v.kind, v.name).toBe('ranking');
      expect(KNOWN_MODES, v.name).toContain(v.mode);
      expect(v.grades_order, v.name).toMatch(/^worst-to-best/);
    }
  });

  for (const v of suite.vectors) {
    it(`${v.mode}: ${v.name}`, () => {
      const r = run(v);
      const G = Object.values(v.tallies)[0]!.length;
      const ranks = Object.fromEntries(r.ranking.map((c) => [c.candidate, c.rank]));
      expect(ranks).toEqual(v.expected_ranks);
      const expectedGroups = v.expected_ranking.map((e) => (Array.isArray(e) ? e.slice().sort() : [e]));
      expect(groups(r)).toEqual(expectedGroups);

      if (v.expected_padded_tallies) {
        for (const [c, t] of Object.entries(v.expected_padded_tallies)) {
          const got = r.ranking.find((x) => x.candidate === c)!.profile;
          expect(got.map(Number)).toEqual(t.slice().reverse());
        }
      }
      if (v.expected_median_grade_index) {
        for (const [c, g] of Object.entries(v.expected_median_grade_index))
          expect(r.ranking.find((x) => x.candidate === c)!.majorityGrade.index).toBe(flip(g, G));
      }
      if (v.raw_grades) {
        for (const [c, raw] of Object.entries(v.raw_grades)) {
          const tally = Array<number>(G).fill(0);
          for (const g of raw) tally[g]!++;
          expect(tally, `raw grades of ${c}`).toEqual(v.tallies[c]);
        }
      }
      if (v.mode === 'favor_adhesion_upper_median') {
        // Deliberately NOT followed: the vector's expected majority grades use the upper
        // median (MieuxVoter's favorContestation=false). mjvote uses the Balinski–Laraki lower
        // median (docs/majority-judgment.md, "Conventions"). The ranking happens to coincide;
        // the majority grades must be the lower medians, which differ for A and C.
        const upper = Object.fromEntries(Object.entries(v.tallies).map(([c, t]) => [c, upperMedianWorstFirst(t)]));
        expect(upper).toEqual({ A: 2, B: 2, C: 1 }); // what the vector's notes state
        const lower = Object.fromEntries(r.ranking.map((c) => [c.candidate, flip(c.majorityGrade.index, G)]));
        expect(lower).toEqual({ A: 0, B: 1, C: 0 });
      }
    });
  }
});
