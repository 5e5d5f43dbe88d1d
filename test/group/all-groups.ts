/**
 * Every group the conformance suite runs against, with a per-group budget of property runs so
 * that the 4096-bit group keeps the suite fast (an exponentiation there costs ~10 ms).
 */
import type { Group } from '../../src/group/group.js';
import { listGroups } from '../../src/group/index.js';
import { INSECURE_TEST_GROUP_ACK, unsafeTestGroup } from '../../src/group/test-group.js';

export interface GroupUnderTest {
  group: Group<any>;
  /** fast-check runs for properties that do a few exponentiations. */
  runs: number;
}

const RUNS: Record<string, number> = {
  ristretto255: 40,
  'electionguard-v2-standard-4096': 4,
  'electionguard-v2-reduced-3072': 5,
  'belenios-2048': 8,
  'helios-default-2048-256': 8,
  'insecure-test-group': 100,
};

export const testGroup = unsafeTestGroup(INSECURE_TEST_GROUP_ACK);

export const ALL_GROUPS: GroupUnderTest[] = [...listGroups(), testGroup].map((group) => ({
  group,
  runs: RUNS[group.id] ?? 5,
}));
