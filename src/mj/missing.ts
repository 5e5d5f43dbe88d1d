/**
 * Unequal totals: what to do when some voters did not grade some candidates.
 *
 * - `'error'` (default): refuse; every candidate must have the same number of grades.
 * - `'lowest'`: pad each profile up to the number of voters with the lowest grade
 *   (the Balinski–Laraki and Belenios reading: no opinion counts as the worst grade).
 * - `{grade: i}`: pad with grade index `i` (best first), MieuxVoter's "static default grade".
 * - `'median'`: pad each profile with that candidate's own majority grade (MieuxVoter's
 *   "median default grade"), which leaves every majority grade unchanged.
 * - `'normalize'`: compare proportions, as if every profile were rescaled to a common total.
 *
 * The number of voters to pad to is `voters` when given, otherwise the largest total.
 * @module
 */
import { FormatError } from '../errors.js';
import { majorityGradeIndex, type MeritProfile } from './profile.js';

/** Policy for profiles whose totals differ (see the module documentation). */
export type MissingPolicy = 'error' | 'lowest' | 'median' | 'normalize' | { readonly grade: number };

const NAMED = ['error', 'lowest', 'median', 'normalize'] as const;

/** Checks a policy given by the caller; `gradeCount` bounds `{grade}`. */
export function validateMissingPolicy(policy: unknown, gradeCount: number, path = 'options.missing'): MissingPolicy {
  if (typeof policy === 'string' && (NAMED as readonly string[]).includes(policy)) return policy as MissingPolicy;
  if (typeof policy === 'object' && policy !== null && !Array.isArray(policy)) {
    const keys = Object.keys(policy);
    const grade = (policy as { grade?: unknown }).grade;
    if (keys.length === 1 && keys[0] === 'grade') {
      if (typeof grade === 'number' && Number.isInteger(grade) && grade >= 0 && grade < gradeCount) return { grade };
      throw new FormatError(`${path}.grade`, `expected a grade index in [0, ${gradeCount - 1}] (best first), got ${String(grade)}`);
    }
  }
  throw new FormatError(path, `expected one of ${NAMED.join(', ')} or {grade: index}, got ${JSON.stringify(policy) ?? String(policy)}`);
}

function padded(p: MeritProfile, grade: number, to: bigint): MeritProfile {
  const missing = to - p.total;
  if (missing === 0n) return p;
  const counts = p.counts.slice();
  counts[grade] = counts[grade]! + missing;
  return { ...p, counts, total: to };
}

function requireVotes(p: MeritProfile): void {
  if (p.total === 0n)
    throw new FormatError(p.path, `every count of ${JSON.stringify(p.candidate)} is zero: a majority grade needs at least one vote`);
}

/**
 * Applies the policy. Returns profiles that the rules can compare: all with the same total,
 * except under `'normalize'` (the rules then compare proportions). Every returned profile has
 * at least one vote. Throws {@link FormatError} naming the candidate when the input does not
 * fit the policy.
 */
export function applyMissingPolicy(profiles: readonly MeritProfile[], policy: MissingPolicy, voters?: bigint): MeritProfile[] {
  if (voters !== undefined) {
    for (const p of profiles)
      if (p.total > voters)
        throw new FormatError(p.path, `${JSON.stringify(p.candidate)} has ${p.total} grades, more than the ${voters} voters`);
  }
  if (policy === 'error') {
    const first = profiles[0]!;
    const expected = voters ?? first.total;
    const reference = voters === undefined ? `${JSON.stringify(first.candidate)} has ${expected}` : `there are ${voters} voters`;
    for (const p of profiles) {
      if (p.total !== expected)
        throw new FormatError(
          p.path,
          `${JSON.stringify(p.candidate)} has ${p.total} grades but ${reference}; ` +
            `unequal totals need a policy (missing: lowest, median or normalize)`,
        );
      requireVotes(p);
    }
    return profiles.slice();
  }
  if (policy === 'normalize') {
    profiles.forEach(requireVotes);
    return profiles.slice();
  }
  let target = voters ?? 0n;
  if (voters === undefined) for (const p of profiles) if (p.total > target) target = p.total;
  if (policy === 'median') {
    return profiles.map((p) => {
      requireVotes(p);
      return padded(p, majorityGradeIndex(p.counts, p.total), target);
    });
  }
  const grade = policy === 'lowest' ? profiles[0]!.counts.length - 1 : policy.grade;
  return profiles.map((p) => {
    const q = padded(p, grade, target);
    requireVotes(q);
    return q;
  });
}
