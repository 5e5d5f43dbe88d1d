/**
 * The ranking rules. All are "highest median" rules: candidates are ordered first by their
 * majority grade α (lower middlemost), and differ in how they order candidates with the same α.
 * With p (resp. q) the share of voters grading strictly above (resp. below) α, and
 * p^k, q^k the shares at least k grades above / below α (p = p¹, q = q¹):
 *
 * | rule | tie-break after α | source |
 * |---|---|---|
 * | `majority-judgment` | majority value (iterated removal of a median vote) | Balinski & Laraki 2007, 2011 |
 * | `majority-gauge` | `+` (p > q) before `−`; among `+` larger p first; among `−` smaller q first | Balinski & Laraki 2011; Fabre 2021, score mj |
 * | `typical` | Δ = p − q, then Δ^k = p^k − q^k, then innermost consensus | Fabre 2021 ("difference", D) |
 * | `central` | σ = ½(p − q)/(p + q) (0 when p + q = 0), then σ^k, then innermost consensus | Fabre 2021 ("relative share", S) |
 * | `usual` | ν = ½(p − q)/(1 − p − q), then ν^k, then innermost consensus | Fabre 2021 ("normalized difference", N) |
 *
 * Innermost consensus (Fabre's ultimate tie-break): the lexicographic order of
 * (−q¹, p¹, −q², p², …). After it, two candidates tie only if their profiles are proportional.
 * The majority gauge is coarser: it ties candidates that the majority value separates.
 *
 * Every comparison is exact (cross-multiplication of bigints), and proportional: shares are
 * counts divided by the candidate's own total, so profiles with unequal totals compare as
 * proportions.
 * @module
 */
import { compareRatios, reducedFraction, type Fraction } from './fraction.js';
import { compareMajorityValues } from './majority-value.js';
import type { ProfileStats } from './profile.js';

/** The ranking rules mjvote implements (see the module documentation). */
export type MjRule = 'majority-judgment' | 'majority-gauge' | 'typical' | 'usual' | 'central';

/** Every rule, default first. */
export const MJ_RULES: readonly MjRule[] = Object.freeze(['majority-judgment', 'majority-gauge', 'typical', 'usual', 'central']);

/** Order of two candidates: negative when `x` ranks first, 0 for a tie. */
export type StatsComparator = (x: ProfileStats, y: ProfileStats) => number;

/** A score function of (p^k, q^k, n) as numerator and positive denominator; larger is better. */
type KScore = (p: bigint, q: bigint, n: bigint) => readonly [bigint, bigint];

const difference: KScore = (p, q, n) => [p - q, n];
const relativeShare: KScore = (p, q) => (p + q === 0n ? [0n, 1n] : [p - q, 2n * (p + q)]);
const normalizedDifference: KScore = (p, q, n) => [p - q, 2n * (n - p - q)]; // n − p − q ≥ #α > 0

/** Sign of (larger-is-better) score x − score y, turned into "x first" = negative. */
function byLargerScore(x: readonly [bigint, bigint], y: readonly [bigint, bigint]): number {
  return compareRatios(y[0], y[1], x[0], x[1]);
}

/** Fabre's innermost-consensus ultimate tie-break: lexicographic (−q¹, p¹, −q², p², …). */
function innermostConsensus(x: ProfileStats, y: ProfileStats): number {
  const nx = x.profile.total;
  const ny = y.profile.total;
  for (let k = 0; k < x.above.length; k++) {
    const fewerOpponents = compareRatios(x.below[k]!, nx, y.below[k]!, ny);
    if (fewerOpponents !== 0) return fewerOpponents;
    const moreProponents = compareRatios(y.above[k]!, ny, x.above[k]!, nx);
    if (moreProponents !== 0) return moreProponents;
  }
  return 0;
}

function nested(score: KScore): StatsComparator {
  return (x, y) => {
    for (let k = 0; k < x.above.length; k++) {
      const c = byLargerScore(score(x.above[k]!, x.below[k]!, x.profile.total), score(y.above[k]!, y.below[k]!, y.profile.total));
      if (c !== 0) return c;
    }
    return innermostConsensus(x, y);
  };
}

function proponents(s: ProfileStats): bigint {
  return s.above[0] ?? 0n;
}

function opponents(s: ProfileStats): bigint {
  return s.below[0] ?? 0n;
}

const gauge: StatsComparator = (x, y) => {
  const xPlus = proponents(x) > opponents(x);
  const yPlus = proponents(y) > opponents(y);
  if (xPlus !== yPlus) return xPlus ? -1 : 1;
  return xPlus
    ? compareRatios(proponents(y), y.profile.total, proponents(x), x.profile.total)
    : compareRatios(opponents(x), x.profile.total, opponents(y), y.profile.total);
};

const majorityValue: StatsComparator = (x, y) =>
  compareMajorityValues(x.profile.counts, x.profile.total, y.profile.counts, y.profile.total);

const TIE_BREAKS: Readonly<Record<MjRule, StatsComparator>> = {
  'majority-judgment': majorityValue,
  'majority-gauge': gauge,
  typical: nested(difference),
  usual: nested(normalizedDifference),
  central: nested(relativeShare),
};

/** The comparator of a rule: majority grade first (best first), then the rule's tie-break. */
export function ruleComparator(rule: MjRule): StatsComparator {
  const tieBreak = TIE_BREAKS[rule];
  return (x, y) => x.alpha - y.alpha || tieBreak(x, y);
}

/**
 * The rule's first tie-break score, exactly, for display: the signed gauge (+p or −q) for
 * `majority-judgment` and `majority-gauge`; Δ, σ or ν (Fabre's scaling, in (−½, ½]) for
 * `typical`, `central`, `usual`. Shares are fractions of the candidate's total.
 */
export function tieBreakScore(rule: MjRule, s: ProfileStats): Fraction {
  const p = proponents(s);
  const q = opponents(s);
  const n = s.profile.total;
  switch (rule) {
    case 'majority-judgment':
    case 'majority-gauge':
      return p > q ? reducedFraction(p, n) : reducedFraction(-q, n);
    case 'typical':
      return reducedFraction(...difference(p, q, n));
    case 'central':
      return reducedFraction(...relativeShare(p, q, n));
    case 'usual':
      return reducedFraction(...normalizedDifference(p, q, n));
  }
}
