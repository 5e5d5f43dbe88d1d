/**
 * JSON wire form of a decryption share message:
 * `{ "ceremony": string, "trustee": j, "shares": [{ "share": hex(D), "proof": DleqProofJson }, …] }`,
 * and, in a version-2 ceremony, `"identitySignature": hex` (the trustee's identity signature over
 * the rest, kind `decryption-share`: `ceremony/signatures.ts`).
 * @module
 */
import { ProtocolError } from '../errors.js';
import { toHex } from '../bytes.js';
import { parseIdentitySignature } from '../election/trustee-identity.js';
import { expectArray, expectObject } from '../json/guards.js';
import { dleqProofToJson, parseDleqProof, type DleqProofJson } from '../proofs/wire.js';
import type { CeremonyParams } from '../ceremony/params.js';
import { parseTrusteeIndex } from '../ceremony/params.js';
import { parseCeremonyId } from '../ceremony/wire.js';
import type { DecryptionShareMessage } from './message.js';

/** Wire form of a {@link DecryptionShareMessage}. */
export interface DecryptionShareMessageJson {
  ceremony: string;
  trustee: number;
  shares: { share: string; proof: DleqProofJson }[];
  /** Version 2 only. */
  identitySignature?: string;
}

/**
 * Serializes a decryption share message.
 * @throws ProtocolError (`unsigned-message`) for an unsigned message of a version-2 ceremony.
 */
export function decryptionShareMessageToJson<E>(params: CeremonyParams<E>, m: DecryptionShareMessage<E>): DecryptionShareMessageJson {
  const body = decryptionShareMessageBodyJson(params, m);
  if (params.version === 1) return body;
  if (m.identitySignature === undefined)
    throw new ProtocolError('a decryption share message of a version-2 ceremony must be signed', 'unsigned-message');
  return { ...body, identitySignature: toHex(m.identitySignature) };
}

/** The wire form without the identity signature (what the trustee signs). */
export function decryptionShareMessageBodyJson<E>(params: CeremonyParams<E>, m: DecryptionShareMessage<E>): DecryptionShareMessageJson {
  const g = params.group;
  return {
    ceremony: m.ceremonyId,
    trustee: m.trustee,
    shares: m.shares.map((s) => ({ share: g.toHex(s.share), proof: dleqProofToJson(g, s.proof) })),
  };
}

/**
 * Parses a decryption share message of the ceremony `params`; `count`, when given, is the
 * required number of shares (the length of the ciphertext list). Shares may not be the identity.
 * @throws FormatError naming the JSON path.
 */
export function parseDecryptionShareMessage<E>(
  params: CeremonyParams<E>,
  v: unknown,
  path = 'decryptionShares',
  count?: number,
): DecryptionShareMessage<E> {
  const g = params.group;
  const o = expectObject(
    v,
    path,
    params.version === 1 ? ['ceremony', 'trustee', 'shares'] : ['ceremony', 'trustee', 'shares', 'identitySignature'],
  );
  return {
    ...(params.version === 1 ? {} : { identitySignature: parseIdentitySignature(o.identitySignature, `${path}.identitySignature`) }),
    ceremonyId: parseCeremonyId(o.ceremony, `${path}.ceremony`, params.ceremonyId),
    trustee: parseTrusteeIndex(o.trustee, `${path}.trustee`, params.n),
    shares: expectArray(o.shares, `${path}.shares`, count).map((x, k) => {
      const p = `${path}.shares[${k}]`;
      const s = expectObject(x, p, ['share', 'proof']);
      return { share: g.fromHex(s.share, `${p}.share`), proof: parseDleqProof(g, s.proof, `${p}.proof`) };
    }),
  };
}
