/**
 * The published result of an election (`result.json`, and the board's `result` payload):
 * merit profiles, the decrypted counts per candidate and grade, and their majority-judgment
 * ranking (docs/record.md). Browser-safe.
 * @module
 */
import type { Manifest } from '../election/manifest.js';
import { mjResultToJson, type MjResultJson } from '../mj/json.js';
import { rank, type MjResult } from '../mj/rank.js';

/** `result.json`. Counts are decimal strings, best grade first. */
export interface ElectionResultJson {
  version: 1;
  ballots: number;
  meritProfiles: { candidate: string; name: string; counts: string[] }[];
  ranking: MjResultJson;
}

/**
 * The result of an election from its decrypted merit profiles (`profiles[j][g]` = number of
 * counted ballots giving candidate j the grade g): default rule (majority judgment), missing
 * policy `error` (every candidate is graded on every ballot).
 */
export function electionResult(
  manifest: Manifest,
  profiles: readonly (readonly bigint[])[],
  ballots: number,
): { result: MjResult; json: ElectionResultJson } {
  const result = rank(
    manifest.candidates.map((c, j) => ({ candidate: c.name, profile: [...profiles[j]!] })),
    [...manifest.grades],
  );
  const json: ElectionResultJson = {
    version: 1,
    ballots,
    meritProfiles: manifest.candidates.map((c, j) => ({ candidate: c.id, name: c.name, counts: profiles[j]!.map(String) })),
    ranking: mjResultToJson(result),
  };
  return { result, json };
}
