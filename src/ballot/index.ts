/**
 * Majority-judgment ballots: manifest, encryption with proofs, checks, Benaloh audits.
 * @module
 */
export * from './manifest.js';
export { CROCKFORD_ALPHABET } from './base32.js';
export {
  BALLOT_VERSION,
  BALLOT_HASH_DOMAIN,
  TRACKING_CODE_SYMBOLS,
  ballotHash,
  ballotToJson,
  candidateContext,
  cellContext,
  parseBallot,
  trackingCode,
} from './ballot.js';
export type { Ballot, BallotAnswer, BallotAnswerJson, BallotContent, BallotJson } from './ballot.js';
export { parseCanonicalBallotText } from './canonical-text.js';
export * from './encrypt.js';
export * from './check.js';
export { OPENING_VERSION, checkOpening, openingToJson, parseOpening } from './opening.js';
export type { BallotOpening, BallotOpeningJson, OpeningCheck } from './opening.js';
