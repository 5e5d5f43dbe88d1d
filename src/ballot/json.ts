/**
 * The ballot's JSON wire form (docs/ballot.md): {@link BallotJson}, written by
 * {@link ballotToJson} and read by `parseBallot` (`parse.ts`).
 * @module
 */
import type { CiphertextJson, DisjunctiveBranchJson, DleqProofJson, SchnorrProofJson } from '../proofs/wire.js';
import type { Ballot } from './ballot.js';
import { ballotGroup } from './encodings.js';

/** Version of the {@link BallotJson} wire form. */
export const BALLOT_VERSION = 1;

/** One candidate's answer on the wire. */
export interface BallotAnswerJson {
  choices: CiphertextJson[];
  proofs: DisjunctiveBranchJson[][];
  exactlyOne: DleqProofJson;
}

/**
 * Wire form, members in this order: `{version, electionId, fingerprint, credential, answers,
 * signature}`; elements and scalars as lowercase hex of their canonical encodings. The hash and
 * tracking code are not on the wire: they are recomputed.
 */
export interface BallotJson {
  version: 1;
  electionId: string;
  fingerprint: string;
  credential: string;
  answers: BallotAnswerJson[];
  signature: SchnorrProofJson;
}

/** The ballot's wire form (a fresh object; encodings come from the ballot's memory). */
export function ballotToJson<E>(ballot: Ballot<E>): BallotJson {
  const g = ballotGroup(ballot);
  const hex = (e: E) => g.toHex(e);
  const sc = (k: bigint) => g.scalarToHex(k);
  return {
    version: BALLOT_VERSION,
    electionId: ballot.electionId,
    fingerprint: ballot.fingerprintHex,
    credential: ballot.credentialHex,
    answers: ballot.answers.map((a) => ({
      choices: a.choices.map((c) => ({ alpha: hex(c.alpha), beta: hex(c.beta) })),
      proofs: a.proofs.map((p) =>
        p.map((br) => ({ a: hex(br.commitmentA), b: hex(br.commitmentB), challenge: sc(br.challenge), response: sc(br.response) })),
      ),
      exactlyOne: {
        commitment1: hex(a.exactlyOne.commitment1),
        commitment2: hex(a.exactlyOne.commitment2),
        challenge: sc(a.exactlyOne.challenge),
        response: sc(a.exactlyOne.response),
      },
    })),
    signature: {
      commitment: hex(ballot.signature.commitment),
      challenge: sc(ballot.signature.challenge),
      response: sc(ballot.signature.response),
    },
  };
}
