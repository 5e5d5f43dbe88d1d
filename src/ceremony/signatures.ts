/**
 * Identity signatures of a version-2 ceremony (and of its decryption shares): every public
 * message a trustee publishes carries `identitySignature`, an Ed25519 signature by the
 * trustee's identity key, which the manifest lists (`election/trustee-identity.ts`).
 *
 * ```
 * signed bytes = contextBytes(["mjvote-v2-trustee-signature", context, kind,
 *                              UTF-8 of the canonical JSON of the message's wire form without "identitySignature"])
 * kind         = "commitment" | "reveal" | "encrypted-share" | "complaint" | "decryption-share"
 * signer       = commitment.trustee | reveal.trustee | share.sender | complaint.complainer | decryption.trustee
 * ```
 * `context` is the ceremony context (`params.ts`), which holds the manifest's hash: a signature
 * is valid for one message of one ceremony of one manifest.
 *
 * **Collecting messages.** {@link collectCeremonyMessages} sorts what arrived through an
 * untrusted relay: a message whose signature does not verify under its claimed sender's identity
 * key was not written by that trustee; it is set aside (`injected`) and the ceremony goes on
 * without it. Two validly signed, different messages for one slot (a trustee's commitment or
 * reveal, its share for trustee j, its complaint against trustee i) are an **equivocation**:
 * both are kept as evidence and the signer is disqualified (`outcome.ts`, code `equivocation`).
 * @module
 */
import { ProtocolError } from '../errors.js';
import { toHex, utf8 } from '../bytes.js';
import { contextBytes } from '../hash.js';
import { canonicalJson } from '../json/canonical.js';
import type { TrusteeIdentity } from '../election/trustee-identity.js';
import { verifyIdentitySignature } from '../election/trustee-identity.js';
import type { CommitmentMessage, Complaint, EncryptedShare, RevealMessage } from './messages.js';
import { identityKeyOf, type CeremonyParams } from './params.js';
import { commitmentBodyJson, complaintBodyJson, encryptedShareBodyJson, revealBodyJson } from './wire.js';

/** Domain tag of identity signatures. */
export const TRUSTEE_SIGNATURE_DOMAIN = 'mjvote-v2-trustee-signature';

/** What a signed message is. */
export type SignedMessageKind = 'commitment' | 'reveal' | 'encrypted-share' | 'complaint' | 'decryption-share';

/** The bytes a trustee signs: the module notes' layout over `body`, the message's wire form without its signature. */
export function identitySignedBytes(params: CeremonyParams<any>, kind: SignedMessageKind, body: unknown): Uint8Array {
  return contextBytes([TRUSTEE_SIGNATURE_DOMAIN, params.context, kind, utf8(canonicalJson(body, kind))]);
}

/** Signs `body` for a version-2 ceremony. @throws ProtocolError when `identity` is not trustee `signer`'s */
export function signAsTrustee(
  params: CeremonyParams<any>,
  identity: TrusteeIdentity,
  signer: number,
  kind: SignedMessageKind,
  body: unknown,
): Uint8Array {
  const expected = identityKeyOf(params, signer);
  if (identity.publicKeyHex !== toHex(expected))
    throw new ProtocolError(
      `this identity (${identity.fingerprint}) is not trustee ${signer}'s in the manifest of '${params.ceremonyId}'`,
      'own-message',
    );
  return identity.sign(identitySignedBytes(params, kind, body));
}

/** True when `signature` is trustee `signer`'s identity signature on `body` (version 2). */
export function verifyTrusteeSignature(
  params: CeremonyParams<any>,
  signer: number,
  kind: SignedMessageKind,
  body: unknown,
  signature: Uint8Array | undefined,
): boolean {
  const key = params.identities?.[signer - 1];
  if (key === undefined || signature === undefined) return false;
  return verifyIdentitySignature(key, identitySignedBytes(params, kind, body), signature);
}

/** A ceremony message of any kind, with what identifies it. */
export type AnyCeremonyMessage<E> =
  | { kind: 'commitment'; message: CommitmentMessage<E> }
  | { kind: 'reveal'; message: RevealMessage<E> }
  | { kind: 'encrypted-share'; message: EncryptedShare<E> }
  | { kind: 'complaint'; message: Complaint<E> };

/** The ceremony message kinds (slots of {@link collectCeremonyMessages}). */
export type CeremonyMessageKind = AnyCeremonyMessage<unknown>['kind'];

/** The signer of a message and the slot it fills (`kind:signer[:other]`). */
export function messageSlot(m: AnyCeremonyMessage<any>): { signer: number; slot: string } {
  switch (m.kind) {
    case 'commitment':
    case 'reveal':
      return { signer: m.message.trustee, slot: `${m.kind}:${m.message.trustee}` };
    case 'encrypted-share':
      return { signer: m.message.sender, slot: `${m.kind}:${m.message.sender}:${m.message.recipient}` };
    case 'complaint':
      return { signer: m.message.complainer, slot: `${m.kind}:${m.message.complainer}:${m.message.accused}` };
  }
}

/** The wire form of a message without its identity signature (what is signed). */
export function messageBody<E>(params: CeremonyParams<E>, m: AnyCeremonyMessage<E>): unknown {
  switch (m.kind) {
    case 'commitment':
      return commitmentBodyJson(params, m.message);
    case 'reveal':
      return revealBodyJson(params, m.message);
    case 'encrypted-share':
      return encryptedShareBodyJson(params, m.message);
    case 'complaint':
      return complaintBodyJson(params, m.message);
  }
}

/** True when the message carries a valid identity signature of its sender (version 2). */
export function isSignedBySender<E>(params: CeremonyParams<E>, m: AnyCeremonyMessage<E>): boolean {
  return verifyTrusteeSignature(params, messageSlot(m).signer, m.kind, messageBody(params, m), m.message.identitySignature);
}

/** Evidence that a trustee signed two different messages for one slot. */
export interface Equivocation<E> {
  readonly trustee: number;
  /** Both messages, each with a valid identity signature of `trustee`, of the same kind and slot. */
  readonly messages: readonly [AnyCeremonyMessage<E>, AnyCeremonyMessage<E>];
}

/** Why {@link checkEquivocation} refuses evidence, or null when it proves an equivocation. */
export function checkEquivocation<E>(params: CeremonyParams<E>, e: Equivocation<E>): string | null {
  const [a, b] = e.messages;
  if (a.kind !== b.kind) return 'the two messages are of different kinds';
  const sa = messageSlot(a);
  const sb = messageSlot(b);
  if (sa.slot !== sb.slot) return `the two messages fill different slots (${sa.slot}, ${sb.slot})`;
  if (sa.signer !== e.trustee) return `the messages are not trustee ${e.trustee}'s`;
  if (canonicalJson(messageBody(params, a)) === canonicalJson(messageBody(params, b))) return 'the two messages are the same';
  if (!isSignedBySender(params, a) || !isSignedBySender(params, b)) return `a message is not signed by trustee ${e.trustee}'s identity key`;
  return null;
}

/** What {@link collectCeremonyMessages} found. */
export interface CollectedMessages<E> {
  readonly commitments: CommitmentMessage<E>[];
  readonly reveals: RevealMessage<E>[];
  readonly shares: EncryptedShare<E>[];
  readonly complaints: Complaint<E>[];
  /** One piece of evidence per equivocating trustee and slot; the slot is left empty in the lists above. */
  readonly equivocations: Equivocation<E>[];
  /** Messages set aside: not signed by the trustee they claim to be from (or unsigned). */
  readonly injected: AnyCeremonyMessage<E>[];
}

/**
 * Sorts messages that arrived through an untrusted relay (module notes): unsigned or badly signed
 * ones are set aside, copies of one message count once, two different signed messages for one
 * slot become an {@link Equivocation}. Version-1 parameters (no identities) accept every message
 * and treat two different ones for a slot as an error, as before.
 * @throws ProtocolError (`duplicate-message`) for two different messages of one slot in version 1.
 */
export function collectCeremonyMessages<E>(params: CeremonyParams<E>, input: readonly AnyCeremonyMessage<E>[]): CollectedMessages<E> {
  const bySlot = new Map<string, AnyCeremonyMessage<E>>();
  const bodies = new Map<string, string>();
  const equivocations = new Map<string, Equivocation<E>>();
  const injected: AnyCeremonyMessage<E>[] = [];
  for (const m of input) {
    if (params.version === 2 && !isSignedBySender(params, m)) {
      injected.push(m);
      continue;
    }
    const { signer, slot } = messageSlot(m);
    const body = canonicalJson(messageBody(params, m));
    const before = bySlot.get(slot);
    if (before === undefined) {
      if (!equivocations.has(slot)) {
        bySlot.set(slot, m);
        bodies.set(slot, body);
      }
      continue;
    }
    if (bodies.get(slot) === body) continue;
    if (params.version === 1) throw new ProtocolError(`two different messages for ${slot}`, 'duplicate-message');
    equivocations.set(slot, { trustee: signer, messages: [before, m] });
    bySlot.delete(slot);
  }
  const out: CollectedMessages<E> = { commitments: [], reveals: [], shares: [], complaints: [], equivocations: [], injected };
  for (const m of bySlot.values()) {
    if (m.kind === 'commitment') out.commitments.push(m.message);
    else if (m.kind === 'reveal') out.reveals.push(m.message);
    else if (m.kind === 'encrypted-share') out.shares.push(m.message);
    else out.complaints.push(m.message);
  }
  out.equivocations.push(...[...equivocations.values()].sort((a, b) => a.trustee - b.trustee));
  return out;
}

/** Every message of a message set, tagged with its kind. */
export function taggedMessages<E>(msgs: {
  readonly commitments: readonly CommitmentMessage<E>[];
  readonly reveals: readonly RevealMessage<E>[];
  readonly shares: readonly EncryptedShare<E>[];
  readonly complaints: readonly Complaint<E>[];
}): AnyCeremonyMessage<E>[] {
  return [
    ...msgs.commitments.map((message) => ({ kind: 'commitment' as const, message })),
    ...msgs.reveals.map((message) => ({ kind: 'reveal' as const, message })),
    ...msgs.shares.map((message) => ({ kind: 'encrypted-share' as const, message })),
    ...msgs.complaints.map((message) => ({ kind: 'complaint' as const, message })),
  ];
}

/**
 * Asserts that every message of a version-2 message set carries a valid identity signature of its
 * sender (version 1: nothing to check).
 * @throws ProtocolError (`unsigned-message`) naming the first message that does not.
 */
export function assertSignedMessages<E>(params: CeremonyParams<E>, msgs: readonly AnyCeremonyMessage<E>[]): void {
  if (params.version === 1) return;
  for (const m of msgs)
    if (!isSignedBySender(params, m))
      throw new ProtocolError(
        `the ${m.kind.replace('-', ' ')} ${messageSlot(m).slot} is not signed by its trustee's identity key (version-2 ceremony)`,
        'unsigned-message',
      );
}
