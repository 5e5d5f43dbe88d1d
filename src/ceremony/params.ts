/**
 * Parameters of one key ceremony: the election group, the ceremony (election) id, the number of
 * trustees n and the threshold t. Every hash, proof and key derivation of the ceremony is bound to
 * {@link CeremonyParams.context}, so no message of one ceremony verifies in another.
 *
 * ```
 * version 1: context = contextBytes(["mjvote-v1-ceremony", group.id, ceremonyId, u32 n, u32 t])
 * version 2: context = contextBytes(["mjvote-v2-ceremony", group.id, ceremonyId, u32 n, u32 t, manifestSha256])
 * ```
 * A version-2 ceremony is the ceremony of one manifest (version 2): its context holds the SHA-256
 * of the manifest's canonical bytes, so every message, and the key share it ends with, belongs
 * to that manifest and no other (not even one with the same election id), and its parameters
 * hold the trustees' identity keys (`identities`), which sign every message
 * (`signatures.ts`). Version 1 (no identities) is read to verify version-1 records.
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import type { Group } from '../group/group.js';
import { assertProductionGroup, type ProductionGroupOptions } from '../group/index.js';
import { contextBytes, PROTOCOL_VERSION } from '../hash.js';
import { bytesEqual, fromHex, toHex, typeName } from '../bytes.js';
import { expectArray } from '../json/guards.js';
import { sha256 } from '../sha2.js';
import { manifestBytes, type Manifest } from '../election/manifest.js';
import { parseIdentityKey } from '../election/trustee-identity.js';

/** Largest number of trustees a ceremony accepts (indices are 1..n). */
export const MAX_TRUSTEES = 255; // the same limit as the election manifest (src/ballot/manifest.ts)
/** Longest ceremony id, in UTF-16 code units. */
export const MAX_CEREMONY_ID_LENGTH = 256;

/** The public parameters of a ceremony. Frozen; build with {@link ceremonyParams}. */
export interface CeremonyParams<E> {
  readonly group: Group<E>;
  /** The election (ceremony) id every message is bound to. */
  readonly ceremonyId: string;
  /** Number of trustees; their indices are 1..n. */
  readonly n: number;
  /** Threshold: any t qualified trustees can decrypt, fewer cannot. */
  readonly t: number;
  /** 2: trustees authenticated by their identity keys, ceremony bound to the manifest; 1: neither. */
  readonly version: 1 | 2;
  /** Version 2: SHA-256 of the manifest's canonical bytes. */
  readonly manifestSha256?: Uint8Array;
  /** Version 2: trustee i's identity key (Ed25519, 32 bytes) at index i − 1. */
  readonly identities?: readonly Uint8Array[];
  /** The ceremony context (module notes). */
  readonly context: Uint8Array;
}

/** The version-2 binding of a ceremony: the manifest's hash and the trustees' identity keys. */
export interface CeremonyBinding {
  /** SHA-256 of the manifest's canonical bytes (32 bytes). */
  readonly manifestSha256: Uint8Array;
  /** n identity keys, trustee i's at index i − 1. */
  readonly identities: readonly Uint8Array[];
}

/** Options of {@link ceremonyParams}. */
export type CeremonyParamsOptions = ProductionGroupOptions;

/**
 * Validated, frozen ceremony parameters.
 * @throws FormatError naming `ceremonyId`, `n` or `t`; ProtocolError (`insecure-group`) for the
 *   insecure test group unless `allowInsecureTestGroup` is set.
 */
export function ceremonyParams<E>(
  group: Group<E>,
  p: { ceremonyId: string; n: number; t: number; binding?: CeremonyBinding },
  opts: CeremonyParamsOptions = {},
): CeremonyParams<E> {
  assertProductionGroup(group, opts);
  const { ceremonyId, n, t } = p;
  if (typeof ceremonyId !== 'string' || ceremonyId.length === 0 || ceremonyId.length > MAX_CEREMONY_ID_LENGTH)
    throw new FormatError(
      'ceremonyId',
      `expected a non-empty string of at most ${MAX_CEREMONY_ID_LENGTH} characters, got ${typeName(ceremonyId)}`,
    );
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_TRUSTEES) throw new FormatError('n', `expected an integer in [1, ${MAX_TRUSTEES}]`);
  if (!Number.isSafeInteger(t) || t < 1 || t > n) throw new FormatError('t', `expected an integer in [1, n = ${n}]`);
  const b = p.binding;
  if (b === undefined) {
    const context = contextBytes([`${PROTOCOL_VERSION}-ceremony`, group.id, ceremonyId, n, t]);
    return Object.freeze({ group, ceremonyId, n, t, version: 1, context });
  }
  if (!(b.manifestSha256 instanceof Uint8Array) || b.manifestSha256.length !== 32)
    throw new FormatError('manifestSha256', 'expected 32 bytes');
  if (!Array.isArray(b.identities) || b.identities.length !== n)
    throw new FormatError('identities', `expected one identity key per trustee (n = ${n})`);
  const identities = Object.freeze(b.identities.map((k) => k.slice()));
  identities.forEach((k, i) => {
    if (k.length !== 32) throw new FormatError(`identities[${i}]`, 'expected 32 bytes');
    if (identities.findIndex((x) => bytesEqual(x, k)) !== i) throw new FormatError(`identities[${i}]`, 'duplicate identity key');
  });
  const manifestSha256 = b.manifestSha256.slice();
  const context = contextBytes([CEREMONY_V2_DOMAIN, group.id, ceremonyId, n, t, manifestSha256]);
  return Object.freeze({ group, ceremonyId, n, t, version: 2, manifestSha256, identities, context });
}

/** Domain tag of a version-2 ceremony context. */
export const CEREMONY_V2_DOMAIN = 'mjvote-v2-ceremony';

/** SHA-256 of a manifest's canonical bytes. */
export function manifestSha256(m: Manifest): Uint8Array {
  return sha256(manifestBytes(m));
}

/**
 * The ceremony parameters of a manifest: the election id, n and t, and for a version-2 manifest
 * its hash and the trustees' identity keys (version 2 parameters).
 * @throws ProtocolError (`insecure-group`); ProtocolError (`election-mismatch`) when `group` is not the manifest's.
 */
export function ceremonyParamsForManifest<E>(group: Group<E>, m: Manifest, opts: CeremonyParamsOptions = {}): CeremonyParams<E> {
  if (group.id !== m.group) throw new ProtocolError(`group '${group.id}' is not the manifest's group '${m.group}'`, 'election-mismatch');
  const binding: CeremonyBinding | undefined = m.trustees.identities
    ? {
        manifestSha256: manifestSha256(m),
        identities: m.trustees.identities.map((k, i) => parseIdentityKey(k, `manifest.trustees.identities[${i}]`)),
      }
    : undefined;
  return ceremonyParams(group, { ceremonyId: m.electionId, n: m.trustees.n, t: m.trustees.t, binding }, opts);
}

/** The identity key of trustee i (version 2). @throws ProtocolError for version-1 parameters */
export function identityKeyOf(params: CeremonyParams<any>, trustee: number): Uint8Array {
  const k = params.identities?.[trustee - 1];
  if (k === undefined)
    throw new ProtocolError(`ceremony '${params.ceremonyId}' has no identity key for trustee ${trustee}`, 'unsigned-message');
  return k;
}

/** Asserts a trustee index in 1..n (for in-memory arguments). @throws ProtocolError */
export function assertTrusteeIndex(params: CeremonyParams<any>, i: unknown, what = 'trustee'): number {
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 1 || i > params.n)
    throw new ProtocolError(`${what} index ${String(i)} is not in 1..${params.n}`, 'bad-index');
  return i;
}

/** Asserts that a message belongs to this ceremony. @throws ProtocolError (`wrong-ceremony`) */
export function assertSameCeremony(params: CeremonyParams<any>, ceremonyId: string, what: string): void {
  if (ceremonyId !== params.ceremonyId)
    throw new ProtocolError(`${what} belongs to ceremony '${ceremonyId}', not '${params.ceremonyId}'`, 'wrong-ceremony');
}

/** Parses a trustee index from JSON: an integer in 1..n. @throws FormatError naming `path` */
export function parseTrusteeIndex(v: unknown, path: string, n: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > n) throw new FormatError(path, `expected a trustee index in 1..${n}`);
  return v;
}

/** The context of one purpose inside a ceremony: contextBytes([params.context, purpose, ...indices]). */
export function purposeContext(params: CeremonyParams<any>, purpose: string, ...parts: (number | Uint8Array)[]): Uint8Array {
  return contextBytes([params.context, purpose, ...parts]);
}

/**
 * Ceremony parameters from the header fields of a JSON document (`ceremony`, `n`, `t`); errors
 * name `${root}.ceremony`, `${root}.n` or `${root}.t`.
 * @throws FormatError; ProtocolError (`insecure-group`).
 */
export function parseCeremonyHeader<E>(
  group: Group<E>,
  o: Record<string, unknown>,
  root: string,
  opts: CeremonyParamsOptions = {},
  version: 1 | 2 = 1,
): CeremonyParams<E> {
  let binding: CeremonyBinding | undefined;
  if (version === 2) {
    const manifestSha256 = fromHex(o.manifestSha256, `${root}.manifestSha256`, 32);
    const ids = expectArray(o.identities, `${root}.identities`);
    binding = { manifestSha256, identities: ids.map((k, i) => parseIdentityKey(k, `${root}.identities[${i}]`)) };
  }
  try {
    return ceremonyParams(group, { ceremonyId: o.ceremony as string, n: o.n as number, t: o.t as number, binding }, opts);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${root}.${e.path === 'ceremonyId' ? 'ceremony' : e.path}`, e.reason);
    throw e;
  }
}

/** The header fields of a JSON document of the ceremony (the inverse of {@link parseCeremonyHeader}). */
export function ceremonyHeaderToJson(params: CeremonyParams<any>): {
  group: string;
  ceremony: string;
  n: number;
  t: number;
  manifestSha256?: string;
  identities?: string[];
} {
  const h = { group: params.group.id, ceremony: params.ceremonyId, n: params.n, t: params.t };
  if (params.version === 1) return h;
  return { ...h, manifestSha256: toHex(params.manifestSha256!), identities: params.identities!.map(toHex) };
}

/**
 * True when two parameter sets are of the same ceremony: the same context (group, id, n, t and,
 * in version 2, the manifest's hash) **and** the same trustee identity keys. The context does not
 * hold the identities (the manifest does, but a transcript or state file lists them beside the
 * hash, and signatures are checked against that list), so they are compared one by one: a
 * transcript whose trustees are not the manifest's is another ceremony.
 */
export function sameCeremony(a: CeremonyParams<any>, b: CeremonyParams<any>): boolean {
  if (a.group.id !== b.group.id || a.version !== b.version || !bytesEqual(a.context, b.context)) return false;
  const ia = a.identities ?? [];
  const ib = b.identities ?? [];
  return ia.length === ib.length && ia.every((k, i) => bytesEqual(k, ib[i]!));
}
