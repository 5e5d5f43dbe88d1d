/** Known answers: worked examples from the papers and the Primaire Populaire 2022. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MJ_RULES, type MjRule } from '../../src/mj/rules.js';
import { parseProfilesJson } from '../../src/mj/json.js';
import { rank } from '../../src/mj/rank.js';

const order = (r: ReturnType<typeof rank>): string[] => r.ranking.map((c) => c.candidate);
const ranks = (r: ReturnType<typeof rank>): Record<string, number> => Object.fromEntries(r.ranking.map((c) => [c.candidate, c.rank]));

describe('Fabre (2021), Table 1: each rule elects a different candidate', () => {
  // α = 0 for all four; p and q in hundredths; grades +1, 0, −1 (best first).
  const profiles = { A: [30, 60, 10], B: [11, 88, 1], C: [40, 33, 27], D: [45, 12, 43] };
  const grades = ['+1', '0', '-1'];
  const cases: [MjRule, string[], Record<string, [number, number]>][] = [
    ['typical', ['A', 'C', 'B', 'D'], { A: [20, 100], B: [10, 100], C: [13, 100], D: [2, 100] }], // d
    ['central', ['B', 'A', 'C', 'D'], { A: [20, 80], B: [10, 24], C: [13, 134], D: [2, 176] }], // s
    ['usual', ['C', 'A', 'D', 'B'], { A: [20, 120], B: [10, 176], C: [13, 66], D: [2, 24] }], // n
    ['majority-gauge', ['D', 'C', 'A', 'B'], { A: [30, 100], B: [11, 100], C: [40, 100], D: [45, 100] }], // mj
    ['majority-judgment', ['D', 'C', 'A', 'B'], { A: [30, 100], B: [11, 100], C: [40, 100], D: [45, 100] }],
  ];
  it.each(cases)('%s', (rule, expected, scores) => {
    const r = rank(profiles, grades, { rule });
    expect(order(r)).toEqual(expected);
    expect(r.ranking.map((c) => c.rank)).toEqual([1, 2, 3, 4]);
    for (const c of r.ranking) {
      const [n, d] = scores[c.candidate]!;
      // the table's fractions, compared exactly (tieBreak is reduced)
      expect(c.tieBreak.numerator * BigInt(d)).toBe(BigInt(n) * c.tieBreak.denominator);
      expect(c.majorityGrade.label).toBe('0');
      expect(c.mention).toBe('+');
    }
  });

  it('a shift of 3% of D’s votes from 0 to −1 sends D from first to last under MJ only', () => {
    const shifted = { ...profiles, D: [45, 9, 46] };
    expect(order(rank(shifted, grades))).toEqual(['C', 'A', 'B', 'D']);
    expect(order(rank(shifted, grades, { rule: 'typical' }))[0]).toBe('A');
    expect(order(rank(shifted, grades, { rule: 'usual' }))[0]).toBe('C');
  });
});

describe('Fabre (2021), tie-breaking examples', () => {
  it('majority judgment: E = (−1,0,0,1,1), F = (0,0,0,1,1): same gauge, F wins on majority value', () => {
    const p = { E: [2, 2, 1], F: [2, 3, 0] }; // grades 1, 0, −1
    const g = ['1', '0', '-1'];
    expect(ranks(rank(p, g, { rule: 'majority-gauge' }))).toEqual({ E: 1, F: 1 });
    const mj = rank(p, g);
    expect(order(mj)).toEqual(['F', 'E']);
    expect(mj.ranking.map((c) => c.tieBreak)).toEqual([
      { numerator: 2n, denominator: 5n },
      { numerator: 2n, denominator: 5n },
    ]);
  });

  it('nested scores: E = (−1,0,2), F = (0,0,0): Δ ties at 0, Δ² = 1/3 > 0 elects E', () => {
    const p = { E: [1, 0, 1, 1], F: [0, 0, 3, 0] }; // grades 2, 1, 0, −1
    const g = ['2', '1', '0', '-1'];
    for (const rule of ['typical', 'central', 'usual'] as const) {
      const r = rank(p, g, { rule });
      expect(order(r), rule).toEqual(['E', 'F']);
      expect(r.ranking.map((c) => c.tieBreak.numerator)).toEqual([0n, 0n]); // the first score ties
    }
  });

  it('innermost consensus: E′ = (−1,0,1), F = (0,0,0): every score ties, fewer opponents elects F', () => {
    const p = { "E'": [1, 1, 1], F: [0, 3, 0] };
    const g = ['1', '0', '-1'];
    for (const rule of MJ_RULES) expect(order(rank(p, g, { rule })), rule).toEqual(['F', "E'"]);
  });

  it('central judgment never lets a tie-break cross a grade: α first, even where Fabre’s primary scores touch', () => {
    // X: median 'fair', only proponents → s = fair + ½; Y: median 'good', only opponents → s = good − ½: equal.
    const r = rank({ X: [2, 3, 0], Y: [3, 2, 0] }, ['good', 'fair', 'poor'], { rule: 'central' });
    expect(r.ranking.map((c) => [c.candidate, c.majorityGrade.label, c.rank])).toEqual([
      ['Y', 'good', 1],
      ['X', 'fair', 2],
    ]);
    expect(r.ranking.map((c) => c.tieBreak)).toEqual([
      { numerator: -1n, denominator: 2n },
      { numerator: 1n, denominator: 2n },
    ]);
  });
});

describe('Primaire Populaire 2022 (4 published profiles, 3 illustrative)', () => {
  const file = parseProfilesJson(JSON.parse(readFileSync(new URL('fixtures/primaire-populaire-2022.json', import.meta.url), 'utf8')));

  it('reproduces the published order and mentions', () => {
    const r = rank(file.profiles, file.grades, { voters: file.voters! });
    expect(r.ranking.map((c) => `${c.rank}. ${c.candidate}: ${c.majorityGrade.label} ${c.mention}`.trim())).toEqual([
      '1. Christiane Taubira: Bien +',
      '2. Yannick Jadot: Assez bien +',
      '3. Jean-Luc Mélenchon: Assez bien -',
      '4. Pierre Larrouturou: Passable +',
      '5. Anne Hidalgo: Passable +',
      '6. Charlotte Marchandise: Passable -',
      '7. Anna Agueb-Porterie: Insuffisant',
    ]);
  });

  it('exact shares, and the published "67.42% gave Taubira Bien or better"', () => {
    const t = rank(file.profiles, file.grades).ranking[0]!;
    expect(t.above).toEqual({ numerator: 194037n, denominator: 392738n, percent: '49.41' });
    expect(t.below).toEqual({ numerator: 127950n, denominator: 392738n, percent: '32.58' });
    expect(t.total).toBe(392738n);
    const atLeastBien = t.profile[0]! + t.profile[1]!;
    expect(rank({ x: [atLeastBien, t.total - atLeastBien] }, ['≥ Bien', '< Bien']).ranking[0]!.above.percent).toBe('0.00');
    expect(((atLeastBien * 10000n + t.total / 2n) / t.total).toString()).toBe('6742');
  });

  it('every rule agrees on the winner and the podium here', () => {
    for (const rule of MJ_RULES)
      expect(order(rank(file.profiles, file.grades, { rule })).slice(0, 3), rule).toEqual([
        'Christiane Taubira',
        'Yannick Jadot',
        'Jean-Luc Mélenchon',
      ]);
  });
});

describe('ties and competition ranks', () => {
  it('identical profiles share a rank, the next rank skips (1, 1, 3), ties ordered by name', () => {
    const r = rank({ b: [2, 1], a: [2, 1], c: [1, 2] }, ['yes', 'no']);
    expect(r.ranking.map((c) => [c.candidate, c.rank])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 3],
    ]);
  });

  it('the gauge ties what the majority value separates (and says so with equal ranks)', () => {
    const p = { A: [1, 3, 2], B: [1, 4, 1] }; // both α = 1, '−' (p ≤ q) with… A q=2, B q=1
    expect(ranks(rank(p, ['g', 'f', 'p'], { rule: 'majority-gauge' }))).toEqual({ B: 1, A: 2 });
    const q = { A: [1, 3, 0, 2], B: [0, 4, 1, 1] }; // both α = 'b', '−' with q = 2 → gauge tie
    const g = ['a', 'b', 'c', 'd'];
    expect(ranks(rank(q, g, { rule: 'majority-gauge' }))).toEqual({ A: 1, B: 1 });
    expect(new Set(Object.values(ranks(rank(q, g))))).toEqual(new Set([1, 2]));
  });
});

describe('mentions', () => {
  const g = ['A', 'B', 'C'];
  it('+ when more above than below, - otherwise, none at the ends of the scale or when unanimous', () => {
    const r = rank({ plus: [2, 2, 1], minus: [1, 2, 2], even: [1, 3, 1], unanimous: [0, 5, 0], top: [3, 1, 1], bottom: [1, 1, 3] }, g);
    const m = Object.fromEntries(r.ranking.map((c) => [c.candidate, [c.majorityGrade.label, c.mention]]));
    expect(m).toEqual({
      plus: ['B', '+'],
      minus: ['B', '-'],
      even: ['B', '-'],
      unanimous: ['B', ''],
      top: ['A', ''],
      bottom: ['C', ''],
    });
    // The gauge still orders by sign and size at the ends of the scale.
    expect(order(r)).toEqual(['top', 'plus', 'unanimous', 'even', 'minus', 'bottom']);
  });

  it('lower median for an even number of voters', () => {
    const r = rank({ x: [2, 2, 0] }, g); // two 'A', two 'B' → 'B' (the lower middle)
    expect(r.ranking[0]!.majorityGrade).toEqual({ index: 1, label: 'B' });
    expect(r.ranking[0]!.mention).toBe('+');
  });
});
