/**
 * Threshold key ceremony (t of n, Feldman VSS with hash-committed coefficients, encrypted and
 * signed shares, publicly adjudicated complaints). See docs/ceremony.md.
 * @module
 */
export { ceremonyParams, MAX_CEREMONY_ID_LENGTH } from './params.js';
export type { CeremonyParams, CeremonyParamsOptions } from './params.js';
export { CeremonyFailedError } from './outcome.js';
export { WrongPassphraseError, TamperedStateError } from './errors.js';
export { COMPLAINT_PROOF_KIND, commitmentHash } from './messages.js';
export type { CommitmentMessage, RevealMessage, EncryptedShare, Complaint } from './messages.js';
export { adjudicateCeremony, judgeCeremony, DISQUALIFICATION_CODES } from './outcome.js';
export type {
  CeremonyMessages,
  CeremonyJudgement,
  CeremonyResult,
  ComplaintOutcome,
  ComplaintVerdict,
  Disqualification,
  DisqualificationCode,
} from './outcome.js';
export { beginCeremony, TrusteeRound1, TrusteeRound2, TrusteeRound3, TrusteeRound4 } from './trustee.js';
export type { TrusteeRoundNumber, TrusteeRoundState } from './trustee.js';
export { TrusteeKey } from './trustee-key.js';
export {
  buildCeremonyTranscript,
  ceremonyTranscriptToJson,
  ceremonyResultToJson,
  parseCeremonyTranscript,
  parseCeremonyResult,
  verifyCeremonyTranscript,
  electionKeysFromTranscript,
  CEREMONY_TRANSCRIPT_FORMAT,
  CEREMONY_TRANSCRIPT_VERSION,
} from './transcript.js';
export type {
  CeremonyTranscript,
  CeremonyTranscriptJson,
  CeremonyResultJson,
  DisqualificationJson,
  CeremonyCheckFailure,
  CeremonyVerification,
} from './transcript.js';
export {
  commitmentMessageToJson,
  parseCommitmentMessage,
  revealMessageToJson,
  parseRevealMessage,
  encryptedShareToJson,
  parseEncryptedShare,
  complaintToJson,
  parseComplaint,
} from './wire.js';
export type { CommitmentMessageJson, RevealMessageJson, EncryptedShareJson, ComplaintJson } from './wire.js';
export {
  exportTrusteeState,
  importTrusteeState,
  TRUSTEE_STATE_FORMAT,
  TRUSTEE_STATE_VERSION,
  DEFAULT_SCRYPT_LOG_N,
  MIN_SCRYPT_LOG_N,
  MAX_SCRYPT_LOG_N,
} from './state-file.js';
export type { TrusteeStateFile, TrusteeStateRound, ExportOptions, ImportOptions } from './state-file.js';
