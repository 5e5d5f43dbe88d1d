/** Groups the crypto tests loop over. The property tests use fewer runs on the slow groups. */
import type { Group } from '../../src/group/group.js';
import { ristretto255 } from '../../src/group/ristretto255.js';

export interface TestGroup {
  group: Group<any>;
  /** fast-check runs for properties on this group. */
  runs: number;
}

export const testGroups: TestGroup[] = [{ group: ristretto255, runs: 25 }];
