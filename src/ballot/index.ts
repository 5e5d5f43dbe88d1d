/**
 * Majority-judgment ballots: manifest, encryption with proofs, checks, Benaloh audits.
 * @module
 */
export * from '../election/manifest.js';
export { CROCKFORD_ALPHABET } from '../election/base32.js';
export { BALLOT_VERSION, ballotToJson } from './json.js';
export { BALLOT_HASH_DOMAIN, TRACKING_CODE_SYMBOLS, ballotHash, trackingCode } from './hash.js';
export { candidateContext, cellContext } from './contexts.js';
export { parseBallot } from './parse.js';
export type { Ballot, BallotAnswer, BallotContent } from './ballot.js';
export type { BallotAnswerJson, BallotJson } from './json.js';
export { parseCanonicalBallotText } from './canonical-text.js';
export * from './encrypt.js';
export * from './check.js';
export { OPENING_VERSION, checkOpening, openingToJson, parseOpening } from './opening.js';
export type { BallotOpening, BallotOpeningJson, OpeningCheck } from './opening.js';
