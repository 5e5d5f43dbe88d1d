/**
 * mjvote: verifiable online elections decided by majority judgment.
 * @module
 */
export * from './errors.js';
export * from './bytes.js';
export type { Group, FixedBase, ScalarField, DecodeOptions } from './group/group.js';
export { ristretto255, RistrettoPoint, ristretto255Backend, initRistretto255 } from './group/ristretto255.js';
export type { Ristretto255Backend } from './group/ristretto255.js';
export {
  groupById,
  listGroups,
  assertProductionGroup,
  DEFAULT_GROUP_ID,
  electionGuard4096,
  electionGuard3072,
  belenios2048,
  helios2048,
} from './group/index.js';
export type { ProductionGroupOptions } from './group/index.js';
export { modpGroup } from './group/modp.js';
export type { ModpGroup, ModpGroupOptions } from './group/modp.js';
export type { ModpParams } from './group/params.js';
export * from './hash.js';
export * from './elgamal.js';
export * from './proofs/index.js';
export * from './ballot/index.js';
export * from './election/election.js';
export * from './election/credential.js';
export * from './mj/index.js';
export * from './ceremony/index.js';
export * from './decrypt/index.js';
export * from './tally/aggregate.js';
export * from './record/result.js';
