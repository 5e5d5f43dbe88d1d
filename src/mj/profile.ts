/**
 * Merit profiles: validation of the caller's input, and the per-candidate quantities every
 * ranking rule is built on (majority grade α, proponents p and opponents q).
 *
 * Grades are indexed **best first** (index 0 = best grade), as in the election manifest.
 * A profile `[c₀, c₁, …, c_{G−1}]` says how many voters gave each grade.
 * @module
 */
import { FormatError } from '../errors.js';

/** A vote count: a non-negative integer, as a bigint or a safe-integer number. */
export type VoteCount = bigint | number;

/** One candidate's merit profile as given by the caller (counts best grade first). */
export interface CandidateProfile {
  /** The candidate's name or id (unique, non-empty). */
  readonly candidate: string;
  /** Number of voters who gave each grade, best grade first. */
  readonly profile: readonly VoteCount[];
}

/** Merit profiles as an array of `{candidate, profile}` or as a `{candidate: profile}` record. */
export type ProfilesInput = readonly CandidateProfile[] | Readonly<Record<string, readonly VoteCount[]>>;

/** A validated merit profile (internal): bigint counts, best grade first, and their total. */
export interface MeritProfile {
  readonly candidate: string;
  readonly counts: readonly bigint[];
  readonly total: bigint;
  /** JSON path of this candidate's profile in the caller's input, for error messages. */
  readonly path: string;
}

const IDENTIFIER_RE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `base.key` when key is an identifier, else `base["key"]` (JSON-escaped). */
export function jsonPathKey(base: string, key: string): string {
  return IDENTIFIER_RE.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? value.slice(0, 20) + '…' : value)}`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return typeof value;
}

/**
 * A vote count from the caller, as a bigint. Rejects negative numbers, non-integers, numbers
 * beyond 2^53 − 1 (they have already lost precision: pass a bigint) and anything else.
 */
export function toVoteCount(value: unknown, path: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new FormatError(path, `a vote count must not be negative, got ${value}`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new FormatError(path, `a vote count must be an integer, got ${describe(value)}`);
    if (value < 0) throw new FormatError(path, `a vote count must not be negative, got ${value}`);
    if (!Number.isSafeInteger(value))
      throw new FormatError(path, `${value} exceeds 2^53 − 1 and may have lost precision: pass a bigint (or a decimal string in JSON)`);
    return BigInt(value);
  }
  throw new FormatError(path, `a vote count must be a non-negative integer, got ${describe(value)}`);
}

/** Checks the grade labels: a non-empty array of distinct non-empty strings, best first. */
export function validateGrades(grades: unknown, path = 'grades'): readonly string[] {
  if (!Array.isArray(grades)) throw new FormatError(path, `expected an array of grade labels (best first), got ${describe(grades)}`);
  if (grades.length === 0) throw new FormatError(path, 'no grades: at least one grade label is needed');
  const seen = new Set<string>();
  grades.forEach((g, i) => {
    if (typeof g !== 'string' || g.length === 0)
      throw new FormatError(`${path}[${i}]`, `a grade label must be a non-empty string, got ${describe(g)}`);
    if (seen.has(g)) throw new FormatError(`${path}[${i}]`, `duplicate grade label ${JSON.stringify(g)}`);
    seen.add(g);
  });
  return grades.slice() as string[];
}

function validateProfile(candidate: string, profile: unknown, grades: readonly string[], path: string): MeritProfile {
  if (!Array.isArray(profile))
    throw new FormatError(path, `the profile of ${JSON.stringify(candidate)} must be an array of counts, got ${describe(profile)}`);
  if (profile.length !== grades.length)
    throw new FormatError(
      path,
      `the profile of ${JSON.stringify(candidate)} has ${profile.length} counts but there are ${grades.length} grades`,
    );
  let total = 0n;
  const counts = profile.map((c, g) => {
    const n = toVoteCount(c, `${path}[${g}]`);
    total += n;
    return n;
  });
  return { candidate, counts, total, path };
}

/**
 * Validates the caller's merit profiles against the grade labels (best first): at least one
 * candidate, distinct non-empty names, one non-negative integer count per grade.
 * Throws {@link FormatError} naming the offending path (`profiles.B[2]`, `profiles[1].candidate` …).
 */
export function validateProfiles(input: unknown, grades: readonly string[], path = 'profiles'): MeritProfile[] {
  const out: MeritProfile[] = [];
  const seen = new Set<string>();
  const add = (candidate: unknown, profile: unknown, namePath: string, profilePath: string): void => {
    if (typeof candidate !== 'string' || candidate.length === 0)
      throw new FormatError(namePath, `a candidate must be a non-empty string, got ${describe(candidate)}`);
    if (seen.has(candidate)) throw new FormatError(namePath, `duplicate candidate ${JSON.stringify(candidate)}`);
    seen.add(candidate);
    out.push(validateProfile(candidate, profile, grades, profilePath));
  };
  if (Array.isArray(input)) {
    input.forEach((entry: unknown, i) => {
      const p = `${path}[${i}]`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new FormatError(p, `expected {candidate, profile}, got ${describe(entry)}`);
      const e = entry as Record<string, unknown>;
      add(e['candidate'], e['profile'], `${p}.candidate`, `${p}.profile`);
    });
  } else if (typeof input === 'object' && input !== null) {
    for (const [candidate, profile] of Object.entries(input)) add(candidate, profile, path, jsonPathKey(path, candidate));
  } else {
    throw new FormatError(path, `expected an array of {candidate, profile} or an object {candidate: profile}, got ${describe(input)}`);
  }
  if (out.length === 0) throw new FormatError(path, 'no candidates');
  return out;
}

/**
 * Index (best first) of the majority grade α of a profile with `total > 0` voters: the
 * Balinski–Laraki lower middlemost grade, i.e. the best grade α such that a strict majority
 * of voters gave α or better (2·#{grade ≥ α} > total). With an even number of voters this is
 * the lower (worse) of the two middle grades.
 */
export function majorityGradeIndex(counts: readonly bigint[], total: bigint): number {
  if (total <= 0n) throw new RangeError('the majority grade of an empty profile is undefined');
  let cumulative = 0n;
  for (let g = 0; g < counts.length; g++) {
    cumulative += counts[g]!;
    if (2n * cumulative > total) return g;
  }
  throw new RangeError('counts do not add up to total');
}

/**
 * What the rules need about one candidate. With α the majority grade index and k ≥ 1:
 * `above[k−1]` = p^k = number of grades at least k grades better than α,
 * `below[k−1]` = q^k = number of grades at least k grades worse than α (Fabre 2021, §2).
 * p = above[0] are the proponents, q = below[0] the opponents.
 */
export interface ProfileStats {
  readonly profile: MeritProfile;
  /** Majority grade index α (best first). */
  readonly alpha: number;
  /** p^k for k = 1 … G−1. */
  readonly above: readonly bigint[];
  /** q^k for k = 1 … G−1. */
  readonly below: readonly bigint[];
}

/** Computes α, p^k and q^k for a profile with at least one vote. */
export function profileStats(profile: MeritProfile): ProfileStats {
  const { counts, total } = profile;
  const alpha = majorityGradeIndex(counts, total);
  const G = counts.length;
  const above: bigint[] = [];
  const below: bigint[] = [];
  // p^k sums counts[0 .. α−k]; q^k sums counts[α+k .. G−1]. Build both by accumulating outward.
  let acc = 0n;
  for (let g = 0; g < alpha; g++) acc += counts[g]!;
  for (let k = 1; k < G; k++) {
    above.push(acc);
    if (alpha - k >= 0) acc -= counts[alpha - k]!;
  }
  acc = 0n;
  for (let g = alpha + 1; g < G; g++) acc += counts[g]!;
  for (let k = 1; k < G; k++) {
    below.push(acc);
    if (alpha + k < G) acc -= counts[alpha + k]!;
  }
  return { profile, alpha, above, below };
}
