/**
 * Zero-knowledge proofs in commitment form, their equations and the batch verifier.
 * @module
 */
export * from './equation.js';
export * from './nonces.js';
export * from './schnorr.js';
export * from './chaum-pedersen.js';
export * from './disjunctive.js';
export * from './batch.js';
export * from './wire.js';
