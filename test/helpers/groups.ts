/** Groups the crypto tests loop over. The property tests use fewer runs on the slow groups. */
import type { Group } from '../../src/group/group.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { belenios2048 } from '../../src/group/index.js';
import { INSECURE_TEST_GROUP_ACK, unsafeTestGroup } from '../../src/group/test-group.js';

export interface TestGroup {
  group: Group<any>;
  /** fast-check runs for properties on this group. */
  runs: number;
}

/** The tiny insecure group: fast property tests only. */
export const tinyGroup = unsafeTestGroup(INSECURE_TEST_GROUP_ACK);

export const testGroups: TestGroup[] = [
  { group: tinyGroup, runs: 100 },
  { group: ristretto255, runs: 25 },
  { group: belenios2048, runs: 6 },
];
