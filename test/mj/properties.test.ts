import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MJ_RULES, type MjRule } from '../../src/mj/rules.js';
import { rank, type MjResult } from '../../src/mj/rank.js';
import { type MissingPolicy } from '../../src/mj/missing.js';
import { compareMajorityValues } from '../../src/mj/majority-value.js';
import { bruteCompareMajorityValues, fabreScore } from './reference.js';

const gradesOf = (G: number): string[] => Array.from({ length: G }, (_, i) => `g${i}`);

/** A profile of exactly n votes over G grades, from n raw grades. */
const profileArb = (G: number, n: number): fc.Arbitrary<bigint[]> =>
  fc.array(fc.integer({ min: 0, max: G - 1 }), { minLength: n, maxLength: n }).map((raw) => {
    const t = Array<bigint>(G).fill(0n);
    for (const g of raw) t[g]!++;
    return t;
  });

/** An election: G grades, 1..7 candidates, all with the same total n. */
const electionArb = fc
  .record({ G: fc.integer({ min: 1, max: 6 }), n: fc.integer({ min: 1, max: 12 }), c: fc.integer({ min: 1, max: 7 }) })
  .chain(({ G, n, c }) =>
    fc.array(profileArb(G, n), { minLength: c, maxLength: c }).map((ps) => ({
      grades: gradesOf(G),
      profiles: ps.map((profile, i) => ({ candidate: `c${i}`, profile })),
    })),
  );

/** Same, but totals differ (1..12 each). */
const unequalElectionArb = fc.record({ G: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 6 }) }).chain(({ G, c }) =>
  fc
    .array(
      fc.integer({ min: 1, max: 12 }).chain((n) => profileArb(G, n)),
      { minLength: c, maxLength: c },
    )
    .map((ps) => ({ grades: gradesOf(G), profiles: ps.map((profile, i) => ({ candidate: `c${i}`, profile })) })),
);

const ruleArb = fc.constantFrom<MjRule>(...MJ_RULES);

const ranksOf = (r: MjResult): Record<string, number> => Object.fromEntries(r.ranking.map((c) => [c.candidate, c.rank]));

describe('majority value: the O(G) comparison equals literal median removal', () => {
  it('equal totals', () => {
    fc.assert(
      fc.property(
        fc
          .record({ G: fc.integer({ min: 1, max: 7 }), n: fc.integer({ min: 1, max: 30 }) })
          .chain(({ G, n }) => fc.tuple(profileArb(G, n), profileArb(G, n))),
        ([a, b]) => {
          const n = a.reduce((x, y) => x + y, 0n);
          expect(Math.sign(compareMajorityValues(a, n, b, n))).toBe(Math.sign(bruteCompareMajorityValues(a, b)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('unequal totals compare as both scaled to the least common multiple', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((G) =>
          fc.tuple(
            fc.integer({ min: 1, max: 8 }).chain((n) => profileArb(G, n)),
            fc.integer({ min: 1, max: 8 }).chain((n) => profileArb(G, n)),
          ),
        ),
        ([a, b]) => {
          const na = a.reduce((x, y) => x + y, 0n);
          const nb = b.reduce((x, y) => x + y, 0n);
          const expected = bruteCompareMajorityValues(
            a.map((c) => c * nb),
            b.map((c) => c * na),
          );
          expect(Math.sign(compareMajorityValues(a, na, b, nb))).toBe(Math.sign(expected));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('properties required by the issue', () => {
  it('the ranking is invariant under permuting candidates', () => {
    fc.assert(
      fc.property(electionArb, ruleArb, fc.infiniteStream(fc.integer()), (e, rule, keys) => {
        const it = keys[Symbol.iterator]();
        const shuffled = e.profiles
          .map((p) => ({ p, k: it.next().value as number }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.p);
        expect(rank(shuffled, e.grades, { rule })).toEqual(rank(e.profiles, e.grades, { rule }));
      }),
    );
  });

  it('adding a vote of the best grade to a candidate never lowers its rank', () => {
    const policies: MissingPolicy[] = ['lowest', 'normalize', 'median'];
    fc.assert(
      fc.property(electionArb, ruleArb, fc.constantFrom(...policies), fc.nat(), (e, rule, missing, pick) => {
        const x = pick % e.profiles.length;
        const before = ranksOf(rank(e.profiles, e.grades, { rule, missing }));
        const more = e.profiles.map((p, i) => (i === x ? { ...p, profile: [p.profile[0]! + 1n, ...p.profile.slice(1)] } : p));
        const after = ranksOf(rank(more, e.grades, { rule, missing }));
        expect(after[`c${x}`]!).toBeLessThanOrEqual(before[`c${x}`]!);
      }),
      { numRuns: 500 },
    );
  });

  it('raising one vote of a candidate (same totals) never lowers its rank', () => {
    fc.assert(
      fc.property(electionArb, ruleArb, fc.nat(), fc.nat(), fc.nat(), (e, rule, pick, from, to) => {
        const x = pick % e.profiles.length;
        const G = e.grades.length;
        const counts = e.profiles[x]!.profile;
        const nonEmpty = counts.map((c, g) => (c > 0n ? g : -1)).filter((g) => g >= 0);
        const g0 = nonEmpty[from % nonEmpty.length]!;
        const g1 = to % (g0 + 1); // a grade at least as good (index ≤ g0)
        const raised = counts.slice();
        raised[g0]!--;
        raised[g1]!++;
        const before = ranksOf(rank(e.profiles, e.grades, { rule }));
        const after = ranksOf(
          rank(
            e.profiles.map((p, i) => (i === x ? { ...p, profile: raised } : p)),
            e.grades,
            { rule },
          ),
        );
        expect(after[`c${x}`]!).toBeLessThanOrEqual(before[`c${x}`]!);
        expect(G).toBeGreaterThan(g1);
      }),
      { numRuns: 500 },
    );
  });

  it('majority-value ties happen exactly for identical profiles', () => {
    fc.assert(
      fc.property(electionArb, (e) => {
        const r = rank(e.profiles, e.grades);
        for (const a of r.ranking)
          for (const b of r.ranking) {
            const identical = a.profile.every((c, g) => c === b.profile[g]);
            expect(a.rank === b.rank).toBe(identical);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('…and, with proportions compared (normalize), exactly for proportional profiles; so for every rule', () => {
    fc.assert(
      fc.property(unequalElectionArb, fc.constantFrom<MjRule>('majority-judgment', 'typical', 'usual', 'central'), (e, rule) => {
        const r = rank(e.profiles, e.grades, { rule, missing: 'normalize' });
        for (const a of r.ranking)
          for (const b of r.ranking) {
            const proportional = a.profile.every((c, g) => c * b.total === b.profile[g]! * a.total);
            expect(a.rank === b.rank, `${a.candidate} ${a.profile} / ${b.candidate} ${b.profile}`).toBe(proportional);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('the gauge agrees with the majority value whenever it decides', () => {
    fc.assert(
      fc.property(fc.oneof(electionArb, unequalElectionArb), (e) => {
        const missing = 'normalize';
        const gauge = ranksOf(rank(e.profiles, e.grades, { rule: 'majority-gauge', missing }));
        const mv = ranksOf(rank(e.profiles, e.grades, { rule: 'majority-judgment', missing }));
        for (const a of Object.keys(gauge))
          for (const b of Object.keys(gauge)) if (gauge[a]! < gauge[b]!) expect(mv[a]!).toBeLessThan(mv[b]!);
      }),
      { numRuns: 500 },
    );
  });

  it('results are the same for counts scaled by any integer factor (every rule is proportional)', () => {
    fc.assert(
      fc.property(electionArb, ruleArb, fc.bigInt({ min: 1n, max: 10n ** 15n }), (e, rule, k) => {
        const scaled = e.profiles.map((p) => ({ ...p, profile: p.profile.map((c) => c * k) }));
        const a = rank(e.profiles, e.grades, { rule }).ranking;
        const b = rank(scaled, e.grades, { rule }).ranking;
        expect(b.map((c) => [c.candidate, c.rank, c.majorityGrade, c.mention, c.above.percent, c.below.percent, c.tieBreak])).toEqual(
          a.map((c) => [c.candidate, c.rank, c.majorityGrade, c.mention, c.above.percent, c.below.percent, c.tieBreak]),
        );
      }),
    );
  });
});

describe('agreement with Fabre’s R scores (floating point, where they are far apart)', () => {
  it.each([
    ['majority-gauge', 'mj'],
    ['typical', 'd'],
    ['usual', 'n'],
    ['central', 's'],
  ] as const)('%s orders candidates like R score(rule = "%s")', (rule, r) => {
    fc.assert(
      fc.property(electionArb, (e) => {
        const result = rank(e.profiles, e.grades, { rule });
        const score = new Map(e.profiles.map((p) => [p.candidate, fabreScore(r, p.profile)]));
        const byRank = new Map(result.ranking.map((c) => [c.candidate, c]));
        for (const a of result.ranking)
          for (const b of result.ranking) {
            const sa = score.get(a.candidate)!;
            const sb = score.get(b.candidate)!;
            const sameGrade = a.majorityGrade.index === b.majorityGrade.index;
            // Scores order candidates when they differ clearly (central's scores touch at grade boundaries).
            if (sa - sb > 1e-9 && (sameGrade || rule !== 'central')) expect(byRank.get(a.candidate)!.rank).toBeLessThan(b.rank);
          }
      }),
      { numRuns: 300 },
    );
  });
});

describe('large counts', () => {
  it.each([10n ** 12n, 10n ** 30n])('one vote decides among profiles of %s votes, for every rule', (T) => {
    // Y has one proponent more than opponents, X as many proponents as opponents, Z's majority
    // grade drops by one vote. Displayed percentages are identical; ranks are not. At 10^30,
    // T/2 and T/2 − 1 are the same double: only integer arithmetic can rank these.
    const h = T / 2n;
    const profiles = { X: [h - 1n, 2n, h - 1n], Y: [h, 1n, h - 1n], Z: [h - 1n, 1n, h] };
    const grades = ['good', 'fair', 'poor'];
    for (const rule of MJ_RULES) {
      const r = rank(profiles, grades, { rule });
      expect(
        r.ranking.map((c) => [c.candidate, c.rank, c.majorityGrade.label]),
        rule,
      ).toEqual([
        ['Y', 1, 'fair'],
        ['X', 2, 'fair'],
        ['Z', 3, 'poor'],
      ]);
      expect(r.ranking.map((c) => c.mention)).toEqual(['+', '-', '']);
    }
    const y = rank(profiles, grades).ranking[0]!;
    expect(y.above).toEqual({ numerator: h, denominator: T, percent: '50.00' });
    expect(y.below).toEqual({ numerator: h - 1n, denominator: T, percent: '50.00' });
    if (T > 2n ** 53n) expect(Number(h)).toBe(Number(h - 1n));
  });

  it('10^12 votes with unequal totals, normalised, match the brute-force order of small proportional copies', () => {
    const T = 10n ** 12n;
    const small = { A: [2n, 1n, 1n], B: [1n, 2n, 1n], C: [1n, 1n, 2n] };
    const big = { A: [2n * T, T, T], B: [3n * T, 6n * T, 3n * T], C: [5n * T, 5n * T, 10n * T] };
    const g = ['x', 'y', 'z'];
    for (const rule of MJ_RULES) expect(ranksOf(rank(big, g, { rule, missing: 'normalize' }))).toEqual(ranksOf(rank(small, g, { rule })));
  });
});
