/**
 * JSON wire forms of the ceremony's public messages. Elements and scalars are
 * the group's canonical encodings in lowercase hex; byte strings are lowercase hex; indices are
 * JSON integers. `parse*(json, params, path)` validates every field once (exact keys, types,
 * lengths, canonical encodings, group membership, the identity refused, indices in 1..n, the
 * ceremony id) and throws a {@link FormatError} naming the JSON path; `*ToJson` serializes.
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import { fromHex, toHex } from '../bytes.js';
import { parseIdentitySignature } from '../election/trustee-identity.js';
import { expectArray, expectObject } from '../json/guards.js';
import {
  dleqProofToJson,
  parseDleqProof,
  parseSchnorrProof,
  schnorrProofToJson,
  type DleqProofJson,
  type SchnorrProofJson,
} from '../proofs/wire.js';
import {
  COMMITMENT_BYTES,
  SALT_BYTES,
  type CommitmentMessage,
  type Complaint,
  type EncryptedShare,
  type RevealMessage,
} from './messages.js';
import { parseTrusteeIndex, type CeremonyParams } from './params.js';
import { SHARE_NONCE_BYTES, SHARE_TAG_BYTES } from './share-encryption.js';

/** Wire form of a {@link CommitmentMessage}. */
export interface CommitmentMessageJson {
  ceremony: string;
  trustee: number;
  commitment: string;
  communicationKey: string;
  proof: SchnorrProofJson;
  /** Version 2 only: the sender's identity signature (hex, 64 bytes). */
  identitySignature?: string;
}
/** Wire form of a {@link RevealMessage}. */
export interface RevealMessageJson {
  ceremony: string;
  trustee: number;
  salt: string;
  coefficientCommitments: string[];
  proofs: SchnorrProofJson[];
  /** Version 2 only: the sender's identity signature (hex, 64 bytes). */
  identitySignature?: string;
}
/** Wire form of an {@link EncryptedShare}. */
export interface EncryptedShareJson {
  ceremony: string;
  sender: number;
  recipient: number;
  nonce: string;
  ciphertext: string;
  signature: SchnorrProofJson;
  /** Version 2 only: the sender's identity signature (hex, 64 bytes). */
  identitySignature?: string;
}
/** Wire form of a {@link Complaint}. */
export interface ComplaintJson {
  ceremony: string;
  complainer: number;
  accused: number;
  sharedSecret: string;
  proof: DleqProofJson;
  /** Version 2 only: the sender's identity signature (hex, 64 bytes). */
  identitySignature?: string;
}

/**
 * Adds `identitySignature` to a version-2 wire form.
 * @throws ProtocolError (`unsigned-message`) for an unsigned message of a version-2 ceremony.
 */
function withSignature<J extends object>(params: CeremonyParams<any>, body: J, sig: Uint8Array | undefined): J {
  if (params.version === 1) return body;
  if (sig === undefined)
    throw new ProtocolError('a message of a version-2 ceremony must be signed before it is serialized', 'unsigned-message');
  return { ...body, identitySignature: toHex(sig) };
}

/** The keys of a wire form: `identitySignature` added in version 2. */
function keysFor(params: CeremonyParams<any>, keys: string[]): string[] {
  return params.version === 1 ? keys : [...keys, 'identitySignature'];
}

/** The parsed identity signature of a version-2 message (absent in version 1). */
function signatureOf(params: CeremonyParams<any>, o: Record<string, unknown>, path: string): { identitySignature?: Uint8Array } {
  return params.version === 1 ? {} : { identitySignature: parseIdentitySignature(o.identitySignature, `${path}.identitySignature`) };
}

/** Checks the `ceremony` field against the expected id. */
export function parseCeremonyId(v: unknown, path: string, expected: string): string {
  if (typeof v !== 'string') throw new FormatError(path, 'expected a ceremony id string');
  if (v !== expected) throw new FormatError(path, `message of another ceremony (expected '${expected}')`);
  return v;
}

/** Serializes a round-1 commitment message. */
export function commitmentMessageToJson<E>(params: CeremonyParams<E>, m: CommitmentMessage<E>): CommitmentMessageJson {
  return withSignature(params, commitmentBodyJson(params, m), m.identitySignature);
}
/** The wire form without the identity signature (what the sender signs). */
export function commitmentBodyJson<E>(params: CeremonyParams<E>, m: CommitmentMessage<E>): CommitmentMessageJson {
  const g = params.group;
  return {
    ceremony: m.ceremonyId,
    trustee: m.trustee,
    commitment: toHex(m.commitment),
    communicationKey: g.toHex(m.communicationKey),
    proof: schnorrProofToJson(g, m.proof),
  };
}
/** Parses a round-1 commitment message. @throws FormatError naming the JSON path */
export function parseCommitmentMessage<E>(params: CeremonyParams<E>, v: unknown, path = 'commitment'): CommitmentMessage<E> {
  const g = params.group;
  const o = expectObject(v, path, keysFor(params, ['ceremony', 'trustee', 'commitment', 'communicationKey', 'proof']));
  return {
    ceremonyId: parseCeremonyId(o.ceremony, `${path}.ceremony`, params.ceremonyId),
    trustee: parseTrusteeIndex(o.trustee, `${path}.trustee`, params.n),
    commitment: fromHex(o.commitment, `${path}.commitment`, COMMITMENT_BYTES),
    communicationKey: g.fromHex(o.communicationKey, `${path}.communicationKey`),
    proof: parseSchnorrProof(g, o.proof, `${path}.proof`),
    ...signatureOf(params, o, path),
  };
}

/** Serializes a round-2 reveal. */
export function revealMessageToJson<E>(params: CeremonyParams<E>, m: RevealMessage<E>): RevealMessageJson {
  return withSignature(params, revealBodyJson(params, m), m.identitySignature);
}
/** The wire form without the identity signature (what the sender signs). */
export function revealBodyJson<E>(params: CeremonyParams<E>, m: RevealMessage<E>): RevealMessageJson {
  const g = params.group;
  return {
    ceremony: m.ceremonyId,
    trustee: m.trustee,
    salt: toHex(m.salt),
    coefficientCommitments: m.coefficientCommitments.map((c) => g.toHex(c)),
    proofs: m.proofs.map((p) => schnorrProofToJson(g, p)),
  };
}
/** Parses a round-2 reveal: exactly t coefficient commitments (none the identity) and t proofs. @throws FormatError */
export function parseRevealMessage<E>(params: CeremonyParams<E>, v: unknown, path = 'reveal'): RevealMessage<E> {
  const g = params.group;
  const o = expectObject(v, path, keysFor(params, ['ceremony', 'trustee', 'salt', 'coefficientCommitments', 'proofs']));
  return {
    ceremonyId: parseCeremonyId(o.ceremony, `${path}.ceremony`, params.ceremonyId),
    trustee: parseTrusteeIndex(o.trustee, `${path}.trustee`, params.n),
    salt: fromHex(o.salt, `${path}.salt`, SALT_BYTES),
    coefficientCommitments: expectArray(o.coefficientCommitments, `${path}.coefficientCommitments`, params.t).map((c, l) =>
      g.fromHex(c, `${path}.coefficientCommitments[${l}]`),
    ),
    proofs: expectArray(o.proofs, `${path}.proofs`, params.t).map((p, l) => parseSchnorrProof(g, p, `${path}.proofs[${l}]`)),
    ...signatureOf(params, o, path),
  };
}

/** Serializes an encrypted share. */
export function encryptedShareToJson<E>(params: CeremonyParams<E>, m: EncryptedShare<E>): EncryptedShareJson {
  return withSignature(params, encryptedShareBodyJson(params, m), m.identitySignature);
}
/** The wire form without the identity signature (what the sender signs). */
export function encryptedShareBodyJson<E>(params: CeremonyParams<E>, m: EncryptedShare<E>): EncryptedShareJson {
  return {
    ceremony: m.ceremonyId,
    sender: m.sender,
    recipient: m.recipient,
    nonce: toHex(m.nonce),
    ciphertext: toHex(m.ciphertext),
    signature: schnorrProofToJson(params.group, m.signature),
  };
}
/** Parses an encrypted share (sender ≠ recipient, exact nonce and ciphertext lengths). @throws FormatError */
export function parseEncryptedShare<E>(params: CeremonyParams<E>, v: unknown, path = 'share'): EncryptedShare<E> {
  const g = params.group;
  const o = expectObject(v, path, keysFor(params, ['ceremony', 'sender', 'recipient', 'nonce', 'ciphertext', 'signature']));
  const sender = parseTrusteeIndex(o.sender, `${path}.sender`, params.n);
  const recipient = parseTrusteeIndex(o.recipient, `${path}.recipient`, params.n);
  if (recipient === sender) throw new FormatError(`${path}.recipient`, 'a trustee does not send a share to itself');
  return {
    ceremonyId: parseCeremonyId(o.ceremony, `${path}.ceremony`, params.ceremonyId),
    sender,
    recipient,
    nonce: fromHex(o.nonce, `${path}.nonce`, SHARE_NONCE_BYTES),
    ciphertext: fromHex(o.ciphertext, `${path}.ciphertext`, g.scalarBytes + SHARE_TAG_BYTES),
    signature: parseSchnorrProof(g, o.signature, `${path}.signature`),
    ...signatureOf(params, o, path),
  };
}

/** Serializes a complaint. */
export function complaintToJson<E>(params: CeremonyParams<E>, m: Complaint<E>): ComplaintJson {
  return withSignature(params, complaintBodyJson(params, m), m.identitySignature);
}
/** The wire form without the identity signature (what the sender signs). */
export function complaintBodyJson<E>(params: CeremonyParams<E>, m: Complaint<E>): ComplaintJson {
  const g = params.group;
  return {
    ceremony: m.ceremonyId,
    complainer: m.complainer,
    accused: m.accused,
    sharedSecret: g.toHex(m.sharedSecret),
    proof: dleqProofToJson(g, m.proof),
  };
}
/** Parses a complaint (complainer ≠ accused, the shared secret a non-identity element). @throws FormatError */
export function parseComplaint<E>(params: CeremonyParams<E>, v: unknown, path = 'complaint'): Complaint<E> {
  const g = params.group;
  const o = expectObject(v, path, keysFor(params, ['ceremony', 'complainer', 'accused', 'sharedSecret', 'proof']));
  const complainer = parseTrusteeIndex(o.complainer, `${path}.complainer`, params.n);
  const accused = parseTrusteeIndex(o.accused, `${path}.accused`, params.n);
  if (accused === complainer) throw new FormatError(`${path}.accused`, 'a trustee cannot accuse itself');
  return {
    ceremonyId: parseCeremonyId(o.ceremony, `${path}.ceremony`, params.ceremonyId),
    complainer,
    accused,
    sharedSecret: g.fromHex(o.sharedSecret, `${path}.sharedSecret`),
    proof: parseDleqProof(g, o.proof, `${path}.proof`),
    ...signatureOf(params, o, path),
  };
}
