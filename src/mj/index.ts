/**
 * Majority-judgment results: pure integer ranking of merit profiles, mentions, ties, charts.
 * @module
 */
export { rank } from './rank.js';
export type { RankOptions, MjResult, CandidateResult, Share, Mention } from './rank.js';
export { MJ_RULES } from './rules.js';
export type { MjRule } from './rules.js';
export type { MissingPolicy } from './missing.js';
export { majorityGradeIndex } from './profile.js';
export type { VoteCount, CandidateProfile, ProfilesInput } from './profile.js';
export { compareFractions, formatPercent } from './fraction.js';
export type { Fraction } from './fraction.js';
export { parseProfilesJson, mjResultToJson } from './json.js';
export type { ProfilesFile, MjResultJson, CandidateResultJson, ShareJson, FractionJson } from './json.js';
export { meritProfileSvg, gradeColors } from './svg.js';
export type { MeritProfileSvgOptions } from './svg.js';
