/**
 * Threshold decryption: decryption shares with Chaum–Pedersen proofs, batch verification,
 * Lagrange combination and bounded discrete log. See docs/ceremony.md.
 * @module
 */
export { lagrangeAtZero } from './lagrange.js';
export { decryptionShares, decryptionShareEquations, decryptionShareContext, DECRYPTION_SHARE_KIND } from './shares.js';
export type { DecryptionShare, DecryptionShareMessage } from './shares.js';
export { combineDecryptionShares, InsufficientSharesError } from './combine.js';
export type { CombinedDecryption, InvalidShare, InvalidShareCode } from './combine.js';
export { decryptionShareMessageToJson, parseDecryptionShareMessage } from './wire.js';
export type { DecryptionShareMessageJson } from './wire.js';
