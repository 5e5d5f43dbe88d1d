/**
 * The public messages of the key ceremony (separate types from any secret state), and the
 * hashes and proof contexts that bind them to the ceremony, the trustee and each other.
 *
 * | round | message | authenticated by |
 * |---|---|---|
 * | 1 | {@link CommitmentMessage}: hash commitment to C_i,0..t−1, communication key P_i, PoK of d_i | Schnorr PoK of d_i whose context holds the commitment |
 * | 2 | {@link RevealMessage}: salt and C_i,0..t−1 with a Schnorr PoK of each a_i,l | opening the round-1 commitment |
 * | 2 | {@link EncryptedShare}: f_i(j) encrypted to trustee j | Schnorr signature by d_i (a PoK of d_i over the ciphertext) |
 * | 3 | {@link Complaint}: the DH secret Z = d_j·P_i with a DLEQ proof | the DLEQ proof (knowledge of d_j) |
 *
 * Contexts (all start with the ceremony context, see `params.ts`):
 * ```
 * commitment      = SHA-256(contextBytes(["mjvote-v1-ceremony-commitment", context, u32 i, salt, enc(C_i,0), …, enc(C_i,t−1)]))
 * comm-key PoK    = contextBytes([context, "communication-key", u32 i, commitment])
 * coefficient PoK = contextBytes([context, "coefficient", u32 i, u32 l])
 * share signature = contextBytes([context, "encrypted-share", u32 i, u32 j, nonce, ciphertext])
 * complaint DLEQ  = contextBytes([context, "complaint", u32 j, u32 i])   (transcript kind "ceremony-complaint")
 * ```
 * @module
 */
import { sha256 } from '../sha2.js';
import { contextBytes, PROTOCOL_VERSION } from '../hash.js';
import { bytesEqual } from '../bytes.js';
import { schnorrEquations, type SchnorrProof } from '../proofs/schnorr.js';
import { dleqEquations, proveDleq, type DleqProof } from '../proofs/chaum-pedersen.js';
import type { Equation } from '../proofs/equation.js';
import { purposeContext, type CeremonyParams } from './params.js';

/** Bytes of the hash commitment and of its salt. */
export const COMMITMENT_BYTES = 32;
/** Bytes of the round-1 commitment salt. */
export const SALT_BYTES = 32;
/** Transcript kind of the complaint DLEQ proof. */
export const COMPLAINT_PROOF_KIND = 'ceremony-complaint';

/** Round 1, public: trustee i commits to its coefficient commitments and announces its communication key. */
export interface CommitmentMessage<E> {
  readonly ceremonyId: string;
  readonly trustee: number;
  /** SHA-256 commitment to (salt, C_i,0..t−1). */
  readonly commitment: Uint8Array;
  /** P_i = d_i·G, the key shares are encrypted to. */
  readonly communicationKey: E;
  /** Schnorr PoK of d_i, bound to the commitment. */
  readonly proof: SchnorrProof<E>; /** Version 2: Ed25519 signature by the sender's identity key (`signatures.ts`). */
  readonly identitySignature?: Uint8Array;
}

/** Round 2, public: trustee i opens its commitment and proves knowledge of every coefficient. */
export interface RevealMessage<E> {
  readonly ceremonyId: string;
  readonly trustee: number;
  readonly salt: Uint8Array;
  /** C_i,l = a_i,l·G for l = 0..t−1. */
  readonly coefficientCommitments: readonly E[];
  /** Schnorr PoK of a_i,l for each l, bound to the ceremony, i and l. */
  readonly proofs: readonly SchnorrProof<E>[]; /** Version 2: Ed25519 signature by the sender's identity key (`signatures.ts`). */
  readonly identitySignature?: Uint8Array;
}

/** Round 2, public: f_i(j) encrypted from trustee i (`sender`) to trustee j (`recipient`). */
export interface EncryptedShare<E> {
  readonly ceremonyId: string;
  readonly sender: number;
  readonly recipient: number;
  /** 24-byte XChaCha20-Poly1305 nonce. */
  readonly nonce: Uint8Array;
  /** AEAD ciphertext of the canonical scalar encoding of f_i(j), with its 16-byte tag. */
  readonly ciphertext: Uint8Array;
  /** Schnorr signature by the sender's communication key over (sender, recipient, nonce, ciphertext). */
  readonly signature: SchnorrProof<E>; /** Version 2: Ed25519 signature by the sender's identity key (`signatures.ts`). */
  readonly identitySignature?: Uint8Array;
}

/**
 * Round 3, public: trustee j (`complainer`) says the share from trustee i (`accused`) is bad, and
 * reveals Z = d_j·P_i, the DH secret the share was encrypted under, with a DLEQ proof
 * log_G(P_j) = log_{P_i}(Z). Anyone can then decrypt the disputed share and check it.
 */
export interface Complaint<E> {
  readonly ceremonyId: string;
  readonly complainer: number;
  readonly accused: number;
  readonly sharedSecret: E;
  readonly proof: DleqProof<E>; /** Version 2: Ed25519 signature by the sender's identity key (`signatures.ts`). */
  readonly identitySignature?: Uint8Array;
}

/** The round-1 hash commitment to (salt, C_i,0..t−1). */
export function commitmentHash<E>(
  params: CeremonyParams<E>,
  trustee: number,
  salt: Uint8Array,
  coefficientCommitments: readonly E[],
): Uint8Array {
  const g = params.group;
  return sha256(
    contextBytes([
      `${PROTOCOL_VERSION}-ceremony-commitment`,
      params.context,
      trustee,
      salt,
      ...coefficientCommitments.map((c) => g.encode(c)),
    ]),
  );
}

/** Context of the PoK of the communication key. */
export function communicationKeyContext(params: CeremonyParams<any>, trustee: number, commitment: Uint8Array): Uint8Array {
  return purposeContext(params, 'communication-key', trustee, commitment);
}

/** Context of the PoK of coefficient l of trustee i. */
export function coefficientContext(params: CeremonyParams<any>, trustee: number, l: number): Uint8Array {
  return purposeContext(params, 'coefficient', trustee, l);
}

/** Context (signed message) of an encrypted share's signature. */
export function shareSignatureContext(
  params: CeremonyParams<any>,
  sender: number,
  recipient: number,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  return purposeContext(params, 'encrypted-share', sender, recipient, nonce, ciphertext);
}

/** Context of a complaint's DLEQ proof. */
export function complaintContext(params: CeremonyParams<any>, complainer: number, accused: number): Uint8Array {
  return purposeContext(params, 'complaint', complainer, accused);
}

/** Verification equations of a commitment message's PoK (null: challenge mismatch). */
export function commitmentEquations<E>(params: CeremonyParams<E>, m: CommitmentMessage<E>): Equation<E>[] | null {
  return schnorrEquations(
    params.group,
    { publicKey: m.communicationKey },
    m.proof,
    communicationKeyContext(params, m.trustee, m.commitment),
  );
}

/** True when the reveal opens the round-1 commitment (same trustee, salt and commitments). */
export function revealOpens<E>(params: CeremonyParams<E>, c: CommitmentMessage<E>, r: RevealMessage<E>): boolean {
  return (
    c.trustee === r.trustee &&
    r.coefficientCommitments.length === params.t &&
    bytesEqual(commitmentHash(params, r.trustee, r.salt, r.coefficientCommitments), c.commitment)
  );
}

/** Equations of all t coefficient PoKs of a reveal, or null if one is structurally wrong. */
export function revealEquations<E>(params: CeremonyParams<E>, r: RevealMessage<E>): Equation<E>[] | null {
  if (r.coefficientCommitments.length !== params.t || r.proofs.length !== params.t) return null;
  const out: Equation<E>[] = [];
  for (let l = 0; l < params.t; l++) {
    const eqs = schnorrEquations(
      params.group,
      { publicKey: r.coefficientCommitments[l]! },
      r.proofs[l]!,
      coefficientContext(params, r.trustee, l),
    );
    if (eqs === null) return null;
    out.push(...eqs);
  }
  return out;
}

/** Equations of an encrypted share's signature under the sender's communication key. */
export function shareSignatureEquations<E>(params: CeremonyParams<E>, s: EncryptedShare<E>, senderKey: E): Equation<E>[] | null {
  return schnorrEquations(
    params.group,
    { publicKey: senderKey },
    s.signature,
    shareSignatureContext(params, s.sender, s.recipient, s.nonce, s.ciphertext),
  );
}

/** Equations of a complaint's DLEQ proof: log_G(P_j) = log_{P_i}(Z). */
export function complaintEquations<E>(params: CeremonyParams<E>, c: Complaint<E>, complainerKey: E, accusedKey: E): Equation<E>[] | null {
  const g = params.group;
  return dleqEquations(
    g,
    { g1: g.generator, h1: complainerKey, g2: accusedKey, h2: c.sharedSecret },
    c.proof,
    complaintContext(params, c.complainer, c.accused),
    COMPLAINT_PROOF_KIND,
  );
}

/**
 * Trustee j's complaint against trustee i: reveals Z = d_j·P_i with a DLEQ proof of
 * log_G(P_j) = log_{P_i}(Z). `commSecret` is d_j (secret: constant-time paths).
 */
export function createComplaint<E>(
  params: CeremonyParams<E>,
  complainer: number,
  commSecret: bigint,
  accused: number,
  accusedKey: E,
): Complaint<E> {
  const g = params.group;
  const Pj = g.G.multiply(commSecret);
  const Z = g.multiply(accusedKey, commSecret);
  const proof = proveDleq(
    g,
    { g1: g.generator, h1: Pj, g2: accusedKey, h2: Z },
    commSecret,
    complaintContext(params, complainer, accused),
    { kind: COMPLAINT_PROOF_KIND, table1: g.G },
  );
  return { ceremonyId: params.ceremonyId, complainer, accused, sharedSecret: Z, proof };
}
