/** Typed errors for bad input, the missing-grade policies, and the JSON forms. */
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { thrown } from '../helpers/errors.js';
import { mjResultToJson, parseProfilesJson } from '../../src/mj/json.js';
import { rank, type RankOptions } from '../../src/mj/rank.js';

const formatError = (f: () => unknown): FormatError => thrown(f, FormatError);

const g2 = ['good', 'bad'];

describe('rank rejects bad input with a FormatError naming the path', () => {
  it.each<[string, () => unknown, string, RegExp]>([
    ['no grades', () => rank({ A: [] }, []), 'grades', /no grades/],
    ['grades not an array', () => rank({ A: [1] }, 'good' as never), 'grades', /array/],
    ['empty grade label', () => rank({ A: [1, 1] }, ['good', '']), 'grades[1]', /non-empty/],
    ['duplicate grade label', () => rank({ A: [1, 1] }, ['good', 'good']), 'grades[1]', /duplicate/],
    ['no candidates (record)', () => rank({}, g2), 'profiles', /no candidates/],
    ['no candidates (array)', () => rank([], g2), 'profiles', /no candidates/],
    ['profiles not an object', () => rank(null as never, g2), 'profiles', /expected/],
    ['profile too short', () => rank({ A: [1] }, g2), 'profiles.A', /1 counts but there are 2 grades/],
    ['profile too long', () => rank({ A: [1, 2, 3] }, g2), 'profiles.A', /3 counts/],
    ['negative count', () => rank({ A: [1, -1] }, g2), 'profiles.A[1]', /negative/],
    ['negative bigint', () => rank({ A: [1n, -1n] }, g2), 'profiles.A[1]', /negative/],
    ['non-integer count', () => rank({ A: [1.5, 1] }, g2), 'profiles.A[0]', /integer/],
    ['NaN', () => rank({ A: [NaN, 1] }, g2), 'profiles.A[0]', /integer/],
    ['unsafe number', () => rank({ A: [2 ** 53, 1] }, g2), 'profiles.A[0]', /bigint/],
    ['string count', () => rank({ A: ['1' as never, 1] }, g2), 'profiles.A[0]', /non-negative integer/],
    ['path of a name that is not an identifier', () => rank({ 'Jean-Luc': [1, -1] }, g2), 'profiles["Jean-Luc"][1]', /negative/],
    ['array form: count', () => rank([{ candidate: 'A', profile: [1, -2] }], g2), 'profiles[0].profile[1]', /negative/],
    [
      'array form: duplicate',
      () =>
        rank(
          [
            { candidate: 'A', profile: [1, 0] },
            { candidate: 'A', profile: [0, 1] },
          ],
          g2,
        ),
      'profiles[1].candidate',
      /duplicate candidate "A"/,
    ],
    ['array form: empty name', () => rank([{ candidate: '', profile: [1, 0] }], g2), 'profiles[0].candidate', /non-empty/],
    ['array form: not an object', () => rank([[1, 0]] as never, g2), 'profiles[0]', /candidate, profile/],
    [
      'unequal totals',
      () => rank({ A: [2, 1], B: [1, 1] }, g2),
      'profiles.B',
      /B" has 2 grades but "A" has 3; unequal totals need a policy/,
    ],
    ['total differs from voters', () => rank({ A: [2, 1], B: [2, 1] }, g2, { voters: 4 }), 'profiles.A', /there are 4 voters/],
    [
      'more grades than voters',
      () => rank({ A: [2, 1], B: [2, 2] }, g2, { voters: 3, missing: 'lowest' }),
      'profiles.B',
      /more than the 3 voters/,
    ],
    ['all-zero profile', () => rank({ A: [0, 0], B: [0, 0] }, g2), 'profiles.A', /at least one vote/],
    ['all-zero profile, normalize', () => rank({ A: [1, 0], B: [0, 0] }, g2, { missing: 'normalize' }), 'profiles.B', /at least one vote/],
    ['all-zero profile, median', () => rank({ A: [1, 0], B: [0, 0] }, g2, { missing: 'median' }), 'profiles.B', /at least one vote/],
    ['unknown rule', () => rank({ A: [1, 0] }, g2, { rule: 'borda' as never }), 'options.rule', /majority-judgment/],
    ['unknown policy', () => rank({ A: [1, 0] }, g2, { missing: 'ignore' as never }), 'options.missing', /lowest/],
    ['pad grade out of range', () => rank({ A: [1, 0] }, g2, { missing: { grade: 2 } }), 'options.missing.grade', /\[0, 1\]/],
    ['bad voters', () => rank({ A: [1, 0] }, g2, { voters: -1 }), 'options.voters', /negative/],
  ])('%s', (_, f, path, reason) => {
    const e = formatError(f);
    expect(e.path).toBe(path);
    expect(e.reason).toMatch(reason);
    expect(e.message).toBe(`${path}: ${e.reason}`);
  });
});

describe('missing-grade policies', () => {
  const grades = ['A', 'B', 'C'];
  const profiles = { full: [1n, 2n, 1n], short: [2n, 0n, 0n] }; // 4 and 2 grades
  const profileOf = (o: RankOptions, c: string): bigint[] =>
    rank(profiles, grades, o)
      .ranking.find((x) => x.candidate === c)!
      .profile.slice();

  it('lowest pads with the worst grade up to the largest total, or to voters', () => {
    expect(profileOf({ missing: 'lowest' }, 'short')).toEqual([2n, 0n, 2n]);
    expect(profileOf({ missing: 'lowest', voters: 6 }, 'full')).toEqual([1n, 2n, 3n]);
  });

  it('{grade} pads with that grade (index best first)', () => {
    expect(profileOf({ missing: { grade: 1 } }, 'short')).toEqual([2n, 2n, 0n]);
  });

  it("median pads with the candidate's own majority grade, which therefore does not change", () => {
    const r = rank({ x: [1n, 0n, 2n], y: [4n, 1n, 0n] }, grades, { missing: 'median' });
    expect(r.ranking.map((c) => [c.candidate, c.majorityGrade.label, c.profile])).toEqual([
      ['y', 'A', [4n, 1n, 0n]],
      ['x', 'C', [1n, 0n, 4n]],
    ]);
  });

  it('normalize keeps the counts and reports shares of each candidate’s own total', () => {
    const r = rank(profiles, grades, { missing: 'normalize' });
    const s = r.ranking.find((c) => c.candidate === 'short')!;
    expect(s.profile).toEqual([2n, 0n, 0n]);
    expect(s.total).toBe(2n);
    expect(r.missing).toBe('normalize');
  });

  it('accepts bigint and number counts alike', () => {
    expect(rank({ a: [1n, 2], b: [2, 1n] }, g2).ranking.map((c) => c.candidate)).toEqual(['b', 'a']);
  });
});

describe('PROFILES.json', () => {
  const ok = { grades: ['good', 'bad'], profiles: { A: [1, '90071992547409930'], B: ['2', 0] }, voters: '90071992547409931' };

  it('parses counts as integers or decimal strings, in file order', () => {
    const f = parseProfilesJson(ok);
    expect(f.profiles).toEqual({ A: [1n, 90071992547409930n], B: [2n, 0n] });
    expect(Object.keys(f.profiles)).toEqual(['A', 'B']);
    expect(f.voters).toBe(90071992547409931n);
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], '$'],
    ['unknown key', { ...ok, candidates: [] }, '$.candidates'],
    ['missing grades', { profiles: ok.profiles }, 'grades'],
    ['missing profiles', { grades: ok.grades }, 'profiles'],
    ['profiles as an array', { grades: ok.grades, profiles: [[1, 2]] }, 'profiles'],
    ['leading zero', { ...ok, profiles: { A: ['01', 1] } }, 'profiles.A[0]'],
    ['signed string', { ...ok, profiles: { A: ['-1', 1] } }, 'profiles.A[0]'],
    ['decimal point', { ...ok, profiles: { A: ['1.0', 1] } }, 'profiles.A[0]'],
    ['float', { ...ok, profiles: { A: [1.5, 1] } }, 'profiles.A[0]'],
    ['wrong length', { ...ok, profiles: { A: [1] } }, 'profiles.A'],
    ['profile not an array', { ...ok, profiles: { A: 3 } }, 'profiles.A'],
    ['bad voters', { ...ok, voters: 'many' }, 'voters'],
    ['bad title', { ...ok, title: 3 }, 'title'],
    ['name needing quotes', { ...ok, profiles: { 'a b': [1, -1] } }, 'profiles["a b"][1]'],
  ])('rejects %s', (_, json, path) => {
    expect(formatError(() => parseProfilesJson(json)).path).toBe(path);
  });

  it('a candidate named __proto__ is just a candidate', () => {
    const f = parseProfilesJson(JSON.parse('{"grades":["g","b"],"profiles":{"__proto__":[1,0],"x":[0,1]}}'));
    expect(Object.getPrototypeOf(f.profiles)).toBe(Object.prototype);
    expect(rank(f.profiles, f.grades).ranking.map((c) => c.candidate)).toEqual(['__proto__', 'x']);
    expect(() => rank(parseProfilesJson({ grades: ['g'], profiles: { a: [1], b: [2] } }).profiles, ['g'])).toThrow(
      'profiles.b: "b" has 2 grades but "a" has 1',
    );
  });

  it('the JSON result has decimal strings for every bigint and survives JSON.stringify', () => {
    const j = mjResultToJson(rank({ A: [10n ** 20n, 1n], B: [1n, 10n ** 20n] }, g2, { rule: 'typical' }));
    const text = JSON.stringify(j);
    expect(JSON.parse(text)).toEqual(j);
    expect(j.rule).toBe('typical');
    expect(j.ranking[0]).toEqual({
      candidate: 'A',
      rank: 1,
      majorityGrade: 'good',
      majorityGradeIndex: 0,
      mention: '',
      above: { numerator: '0', denominator: '100000000000000000001', percent: '0.00' },
      below: { numerator: '1', denominator: '100000000000000000001', percent: '0.00' },
      tieBreak: { numerator: '-1', denominator: '100000000000000000001' },
      profile: ['100000000000000000000', '1'],
      total: '100000000000000000001',
    });
  });
});
