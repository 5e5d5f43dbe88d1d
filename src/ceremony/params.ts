/**
 * Parameters of one key ceremony: the election group, the ceremony (election) id, the number of
 * trustees n and the threshold t. Every hash, proof and key derivation of the ceremony is bound to
 * {@link CeremonyParams.context}, so no message of one ceremony verifies in another.
 *
 * ```
 * context = contextBytes(["mjvote-v1-ceremony", group.id, ceremonyId, u32 n, u32 t])
 * ```
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import type { Group } from '../group/group.js';
import { assertProductionGroup, type ProductionGroupOptions } from '../group/index.js';
import { contextBytes, PROTOCOL_VERSION } from '../hash.js';
import { typeName } from '../bytes.js';

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
  /** contextBytes(["mjvote-v1-ceremony", group.id, ceremonyId, n, t]). */
  readonly context: Uint8Array;
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
  p: { ceremonyId: string; n: number; t: number },
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
  const context = contextBytes([`${PROTOCOL_VERSION}-ceremony`, group.id, ceremonyId, n, t]);
  return Object.freeze({ group, ceremonyId, n, t, context });
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
): CeremonyParams<E> {
  try {
    return ceremonyParams(group, { ceremonyId: o.ceremony as string, n: o.n as number, t: o.t as number }, opts);
  } catch (e) {
    if (e instanceof FormatError) throw new FormatError(`${root}.${e.path === 'ceremonyId' ? 'ceremony' : e.path}`, e.reason);
    throw e;
  }
}
