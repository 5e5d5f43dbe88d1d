/**
 * mjvote: verifiable online elections decided by majority judgment.
 * @module
 */
export * from './errors.js';
export * from './bytes.js';
export type { Group, FixedBase, ScalarField, DecodeOptions } from './group/group.js';
export { ristretto255 } from './group/ristretto255.js';
export type { RistrettoPoint } from './group/ristretto255.js';
export * from './hash.js';
export * from './elgamal.js';
export * from './proofs/index.js';
