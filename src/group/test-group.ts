/**
 * A tiny, INSECURE group that makes property tests fast: the ElectionGuard 2.1 "toy parameters for
 * testing purposes only" with a 64-bit q = 2^64 − 59 and a 256-bit p (as the specification and
 * electionguard-rust's `eg-use-toy-params-q64p256` give them). A 64-bit q keeps brute-force discrete logs
 * out of reach of an accidental test (so a test cannot pass by luck) while an exponentiation
 * costs microseconds.
 *
 * It cannot be picked by accident:
 * - it is not exported from the package entry point and `groupById` never returns it;
 * - it is built only by {@link unsafeTestGroup} with the exact acknowledgement string;
 * - it has `insecureTestOnly: true` and its id is `insecure-test-group`, and protocol code checks
 *   groups with `assertProductionGroup` (in `./index.ts`), which refuses it unless the caller
 *   passes `{ allowInsecureTestGroup: true }`.
 * @module
 */
import { modpGroup, type ModpGroup } from './modp.js';
import type { ModpParams } from './params.js';

/** The acknowledgement {@link unsafeTestGroup} requires, verbatim. */
export const INSECURE_TEST_GROUP_ACK = 'I understand this group is insecure and only for tests';

const TOY_Q64_P256: ModpParams = Object.freeze({
  id: 'insecure-test-group',
  description: 'INSECURE test-only group: ElectionGuard 2.1 toy parameters (64-bit q = 2^64 − 59, 256-bit p). Never for real elections.',
  source:
    'ElectionGuard Design Specification v2.1.0, appendix "Toy Parameters for Testing Purposes Only" (64-bit q, 256-bit p); electionguard-rust feature eg-use-toy-params-q64p256.',
  p: 0xffffffffffffffff93c467e37db1212b89995855493ff059ffffffffffffffffn,
  q: 0xffffffffffffffc5n,
  g: 0x3b5431669e3e4893df745c67cdcfd95ccdda224878a3cd5d3226f75cc5a95638n,
});

let instance: ModpGroup | undefined;

/**
 * The insecure test group. Throws unless `acknowledgement` is exactly
 * {@link INSECURE_TEST_GROUP_ACK}. For tests only: discrete logs in a 64-bit group are
 * computable by anyone with a laptop.
 */
export function unsafeTestGroup(acknowledgement: string): ModpGroup {
  if (acknowledgement !== INSECURE_TEST_GROUP_ACK)
    throw new Error(`unsafeTestGroup: pass the acknowledgement string '${INSECURE_TEST_GROUP_ACK}'`);
  return (instance ??= modpGroup(TOY_Q64_P256, { insecureTestOnly: true }));
}
