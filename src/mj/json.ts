/**
 * JSON forms of majority-judgment inputs and results (used by `mjvote rank`).
 *
 * Input (`PROFILES.json`):
 * ```json
 * {"grades": ["Très bien", "Bien", "Assez bien", "Passable", "Insuffisant"],
 *  "profiles": {"Taubira": [194037, 70751, 45866, 31067, 51017], "…": […]},
 *  "voters": 392738, "title": "…", "note": "…"}
 * ```
 * Counts are JSON integers up to 2^53 − 1 or decimal strings (`"123456789012345678"`) for
 * anything larger. `voters`, `title` and `note` are optional; any other key is an error.
 *
 * Output: {@link mjResultToJson}; bigints become decimal strings so no reader loses precision.
 * @module
 */
import { FormatError } from '../errors.js';
import type { MissingPolicy } from './missing.js';
import { jsonPathKey, toVoteCount, validateGrades, validateProfiles } from './profile.js';
import type { MjResult } from './rank.js';
import type { MjRule } from './rules.js';

/** A parsed and validated `PROFILES.json`. */
export interface ProfilesFile {
  /** Grade labels, best first. */
  readonly grades: readonly string[];
  /**
   * Merit profiles by candidate, in file order, counts best grade first. (An own-property
   * record made with `Object.fromEntries`: a candidate named `__proto__` is an ordinary key.)
   */
  readonly profiles: Readonly<Record<string, readonly bigint[]>>;
  /** Number of voters, when the file states it. */
  readonly voters?: bigint;
  /** A title for tables and charts. */
  readonly title?: string;
  /** Free text (provenance, caveats). */
  readonly note?: string;
}

const DECIMAL_RE = /^(?:0|[1-9][0-9]*)$/;
const FILE_KEYS = new Set(['grades', 'profiles', 'voters', 'title', 'note']);

function jsonCount(value: unknown, path: string): bigint {
  if (typeof value === 'string') {
    if (!DECIMAL_RE.test(value))
      throw new FormatError(
        path,
        `a count written as a string must be a decimal integer without sign or leading zeros, got ${JSON.stringify(value)}`,
      );
    return BigInt(value);
  }
  return toVoteCount(value, path);
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new FormatError(key, `expected a string, got ${typeof v}`);
  return v;
}

/**
 * Validates the parsed JSON of a profiles file (see the module documentation) and returns
 * bigint counts. Errors name the JSON path: `profiles.Jadot[3]`, `grades[1]`, `voters`.
 */
export function parseProfilesJson(json: unknown): ProfilesFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new FormatError('$', 'expected an object {"grades": [...], "profiles": {...}}');
  const o = json as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!FILE_KEYS.has(key)) throw new FormatError(jsonPathKey('$', key), `unknown key (expected ${[...FILE_KEYS].join(', ')})`);
  if (!Object.hasOwn(o, 'grades')) throw new FormatError('grades', 'missing: the grade labels, best first');
  if (!Object.hasOwn(o, 'profiles')) throw new FormatError('profiles', 'missing: {"candidate": [count for the best grade, …]}');
  const grades = validateGrades(o['grades']);
  const raw = o['profiles'];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FormatError('profiles', 'expected an object {"candidate": [count for the best grade, …, count for the worst]}');
  const converted = Object.entries(raw).map(([candidate, counts]: [string, unknown]) => {
    const path = jsonPathKey('profiles', candidate);
    return [candidate, Array.isArray(counts) ? counts.map((c, g) => jsonCount(c, `${path}[${g}]`)) : counts] as const;
  });
  // Names, lengths and emptiness, with the same paths as in the file.
  const profiles = Object.fromEntries(validateProfiles(Object.fromEntries(converted), grades).map((p) => [p.candidate, p.counts]));
  const voters = o['voters'] === undefined ? undefined : jsonCount(o['voters'], 'voters');
  const title = optionalString(o, 'title');
  const note = optionalString(o, 'note');
  return {
    grades,
    profiles,
    ...(voters !== undefined && { voters }),
    ...(title !== undefined && { title }),
    ...(note !== undefined && { note }),
  };
}

/** JSON form of an exact fraction (decimal strings). */
export interface FractionJson {
  readonly numerator: string;
  readonly denominator: string;
}

/** JSON form of a share. */
export interface ShareJson extends FractionJson {
  readonly percent: string;
}

/** JSON form of one candidate's result. */
export interface CandidateResultJson {
  readonly candidate: string;
  readonly rank: number;
  /** Label of the majority grade. */
  readonly majorityGrade: string;
  /** Index of the majority grade, best first. */
  readonly majorityGradeIndex: number;
  readonly mention: '+' | '-' | '';
  readonly above: ShareJson;
  readonly below: ShareJson;
  readonly tieBreak: FractionJson;
  /** Counts ranked (after padding), best grade first, as decimal strings. */
  readonly profile: readonly string[];
  readonly total: string;
}

/** JSON form of a ranking result. */
export interface MjResultJson {
  readonly rule: MjRule;
  readonly missing: MissingPolicy;
  readonly grades: readonly string[];
  readonly ranking: readonly CandidateResultJson[];
}

/** The JSON form of a result (bigints as decimal strings), sorted by rank. */
export function mjResultToJson(result: MjResult): MjResultJson {
  const fraction = (f: { numerator: bigint; denominator: bigint }): FractionJson => ({
    numerator: f.numerator.toString(),
    denominator: f.denominator.toString(),
  });
  return {
    rule: result.rule,
    missing: result.missing,
    grades: result.grades.slice(),
    ranking: result.ranking.map((c) => ({
      candidate: c.candidate,
      rank: c.rank,
      majorityGrade: c.majorityGrade.label,
      majorityGradeIndex: c.majorityGrade.index,
      mention: c.mention,
      above: { ...fraction(c.above), percent: c.above.percent },
      below: { ...fraction(c.below), percent: c.below.percent },
      tieBreak: fraction(c.tieBreak),
      profile: c.profile.map((n) => n.toString()),
      total: c.total.toString(),
    })),
  };
}
