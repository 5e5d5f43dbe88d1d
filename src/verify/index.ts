/**
 * The universal verifier of mjvote election records (docs/verification.md). Node-only (files).
 * @module
 */
export { verifyRecord, DEFAULT_CHUNK_SIZE } from './verify-record.js';
export type { VerifyOptions, VerifyProgress } from './verify-record.js';
export { CHECKS, RecordUnreadableError, DEFAULT_MAX_FAILURES_PER_CHECK, verificationReportToJson } from './report.js';
export type {
  CheckNumber,
  CheckName,
  CheckStatus,
  CheckReport,
  VerificationFailure,
  VerificationReport,
  RecomputedResult,
} from './report.js';
export { verifyBallotChunk, BallotPartial } from './ballots.js';
export type { BallotLine, BallotCheckContext, BallotRef } from './ballots.js';
