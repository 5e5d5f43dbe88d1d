/**
 * Ranking merit profiles into the result people read: majority grade and mention, shares of
 * proponents and opponents, competition ranks (1, 1, 3) with exact ties.
 * @module
 */
import { FormatError } from '../errors.js';
import { formatPercent, type Fraction } from './fraction.js';
import { applyMissingPolicy, validateMissingPolicy, type MissingPolicy } from './missing.js';
import {
  profileStats,
  toVoteCount,
  validateGrades,
  validateProfiles,
  type ProfilesInput,
  type ProfileStats,
  type VoteCount,
} from './profile.js';
import { MJ_RULES, ruleComparator, tieBreakScore, type MjRule } from './rules.js';

/** Options of {@link rank}. */
export interface RankOptions {
  /** Ranking rule; default `'majority-judgment'` (majority grade, then majority value). */
  readonly rule?: MjRule;
  /** What to do with unequal totals; default `'error'`. */
  readonly missing?: MissingPolicy;
  /**
   * Number of voters. Every total must be at most this; with `'error'` every total must equal
   * it; padding policies pad up to it (default: the largest total).
   */
  readonly voters?: VoteCount;
}

/** An exact share of a candidate's voters, with a rounded percentage for display. */
export interface Share extends Fraction {
  /** `100 · numerator / denominator` rounded half up to two decimals, e.g. `"49.41"`. Display only. */
  readonly percent: string;
}

/** Mention after the majority grade: `'+'` more proponents than opponents, `'-'` otherwise. */
export type Mention = '+' | '-' | '';

/** One candidate's result. */
export interface CandidateResult {
  /** The candidate, as given. */
  readonly candidate: string;
  /** Competition rank: 1 is best; candidates tied exactly share a rank, the next rank skips (1, 1, 3). */
  readonly rank: number;
  /** The majority grade: index (best first) and label. */
  readonly majorityGrade: { readonly index: number; readonly label: string };
  /**
   * `'+'` when more voters graded the candidate above its majority grade than below it, `'-'`
   * otherwise (the Primaire Populaire's "Bien +" / "Assez bien −"); `''` when the majority grade
   * is the best or the worst grade (the mention would always be the same there) or when nobody
   * graded above or below it.
   */
  readonly mention: Mention;
  /** p: share of voters grading strictly above the majority grade (numerator = count, denominator = total). */
  readonly above: Share;
  /** q: share of voters grading strictly below the majority grade. */
  readonly below: Share;
  /** The rule's first tie-break score, exactly (see {@link tieBreakScore}). */
  readonly tieBreak: Fraction;
  /** The counts ranked, best grade first, after the missing-grade policy (padding). */
  readonly profile: readonly bigint[];
  /** Sum of `profile`. */
  readonly total: bigint;
}

/** The result of {@link rank}. */
export interface MjResult {
  readonly rule: MjRule;
  readonly missing: MissingPolicy;
  /** Grade labels, best first. */
  readonly grades: readonly string[];
  /** Every candidate, by rank; candidates tied on a rank are ordered by name (UTF-16 code units). */
  readonly ranking: readonly CandidateResult[];
}

function validateRule(rule: unknown): MjRule {
  if (typeof rule === 'string' && (MJ_RULES as readonly string[]).includes(rule)) return rule as MjRule;
  throw new FormatError('options.rule', `expected one of ${MJ_RULES.join(', ')}, got ${JSON.stringify(rule) ?? String(rule)}`);
}

function share(count: bigint, total: bigint): Share {
  return { numerator: count, denominator: total, percent: formatPercent(count, total) };
}

function mention(s: ProfileStats, gradeCount: number): Mention {
  const p = s.above[0] ?? 0n;
  const q = s.below[0] ?? 0n;
  if (s.alpha === 0 || s.alpha === gradeCount - 1 || (p === 0n && q === 0n)) return '';
  return p > q ? '+' : '-';
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Ranks candidates from their merit profiles (counts per grade, **best grade first**).
 *
 * ```ts
 * const r = rank({ Alice: [3, 1, 1], Bob: [1, 3, 1] }, ['Good', 'Fair', 'Poor']);
 * r.ranking[0].candidate;           // 'Alice'
 * r.ranking[0].majorityGrade.label; // 'Good'
 * ```
 *
 * Exact integer arithmetic throughout (bigint); no floating point in any comparison.
 * Throws {@link FormatError} naming the offending path for: no grades, no candidates, a profile
 * of the wrong length, a negative or non-integer count, unequal totals under `missing: 'error'`,
 * a candidate without any vote, an unknown rule or policy.
 */
export function rank(profiles: ProfilesInput, grades: readonly string[], options: RankOptions = {}): MjResult {
  const labels = validateGrades(grades);
  const rule = validateRule(options.rule ?? 'majority-judgment');
  const missing = validateMissingPolicy(options.missing ?? 'error', labels.length);
  const voters = options.voters === undefined ? undefined : toVoteCount(options.voters, 'options.voters');
  const validated = validateProfiles(profiles, labels);
  const stats = applyMissingPolicy(validated, missing, voters).map(profileStats);

  const compare = ruleComparator(rule);
  const order = stats.slice().sort((x, y) => compare(x, y) || byName(x.profile.candidate, y.profile.candidate));
  let currentRank = 0;
  const ranking = order.map((s, i): CandidateResult => {
    if (i === 0 || compare(order[i - 1]!, s) !== 0) currentRank = i + 1;
    const { candidate, counts, total } = s.profile;
    return {
      candidate,
      rank: currentRank,
      majorityGrade: { index: s.alpha, label: labels[s.alpha]! },
      mention: mention(s, labels.length),
      above: share(s.above[0] ?? 0n, total),
      below: share(s.below[0] ?? 0n, total),
      tieBreak: tieBreakScore(rule, s),
      profile: counts,
      total,
    };
  });
  return { rule, missing, grades: labels, ranking };
}
