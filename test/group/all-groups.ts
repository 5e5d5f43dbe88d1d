/**
 * Every group the conformance suite runs against, with a per-group budget of property runs so
 * that the 4096-bit group keeps the suite fast (an exponentiation there costs ~10 ms): the
 * production groups (ristretto255 on this thread's backend, WebAssembly here), ristretto255 on
 * each backend named explicitly, and the insecure test group.
 */
import type { Group } from '../../src/group/group.js';
import { listGroups } from '../../src/group/index.js';
import { INSECURE_TEST_GROUP_ACK, unsafeTestGroup } from '../../src/group/test-group.js';
import { ristretto255With } from '../../src/group/ristretto255.js';

export interface GroupUnderTest {
  /** The group's id, with its backend for ristretto255's explicit ones. */
  name: string;
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

export const ALL_GROUPS: GroupUnderTest[] = [
  ...[...listGroups(), testGroup].map((group) => ({ name: group.id, group, runs: RUNS[group.id] ?? 5 })),
  ...(['wasm', 'noble'] as const).map((b) => ({
    name: `ristretto255 (${b} backend)`,
    group: ristretto255With(b),
    runs: RUNS.ristretto255!,
  })),
];
