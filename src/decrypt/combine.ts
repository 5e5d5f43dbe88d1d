/**
 * Threshold combination: verify the trustees' decryption shares in one batch, exclude and name
 * the invalid ones, and with any t valid trustees S recover, for each ciphertext,
 * M = β − Σ_{j∈S} λ_j·D_j (Lagrange at 0) and the plaintext m = dlog_G(M) ∈ [0, bound].
 * @module
 */
import { BoundError, MjvoteError } from '../errors.js';
import { DiscreteLogTable, type Ciphertext } from '../elgamal.js';
import { BatchVerifier } from '../proofs/batch.js';
import type { CeremonyResult } from '../ceremony/outcome.js';
import { lagrangeAtZero } from './lagrange.js';
import { decryptionShareEquations, isDecryptionShareSigned, type DecryptionShareMessage } from './shares.js';

/** Why a trustee's share message was excluded. */
export type InvalidShareCode = 'not-qualified' | 'wrong-ceremony' | 'wrong-count' | 'unsigned' | 'invalid-proof';

/** An excluded share message. */
export interface InvalidShare {
  readonly trustee: number;
  readonly code: InvalidShareCode;
  readonly reason: string;
}

/** Fewer than t valid share messages: names the qualified trustees that sent nothing and the invalid ones. */
export class InsufficientSharesError extends MjvoteError {
  readonly t: number;
  readonly valid: readonly number[];
  readonly missing: readonly number[];
  readonly invalid: readonly InvalidShare[];
  /** `note`, when given, is appended to the message (what else the caller could not use). */
  constructor(t: number, valid: readonly number[], missing: readonly number[], invalid: readonly InvalidShare[], note?: string) {
    super(
      'insufficient-shares',
      `${valid.length} valid decryption share message(s) (trustees ${valid.join(', ') || 'none'}), threshold t = ${t}; missing: ${missing.join(', ') || 'none'}; invalid: ${
        invalid.map((x) => `trustee ${x.trustee} (${x.code})`).join(', ') || 'none'
      }${note === undefined ? '' : `; ${note}`}`,
    );
    this.t = t;
    this.valid = valid;
    this.missing = missing;
    this.invalid = invalid;
  }
}

/** The outcome of a combination. */
export interface CombinedDecryption<E> {
  /** m_k for each ciphertext, in order. */
  readonly plaintexts: bigint[];
  /** M_k = m_k·G for each ciphertext. */
  readonly elements: E[];
  /** The t trustees whose shares were combined (the t lowest valid indices). */
  readonly used: number[];
  /** Every valid trustee (a superset of `used`). */
  readonly valid: number[];
  /** Excluded share messages, with reasons, by trustee then position in the input. */
  readonly invalid: InvalidShare[];
}

/**
 * Verifies and combines decryption share messages (one per trustee, each covering the whole
 * ciphertext list) for the ceremony `result`. `bound` is the largest plaintext (e.g. the number
 * of counted ballots) or a prebuilt {@link DiscreteLogTable} shared across calls.
 * Several messages claiming the same trustee are each checked; the trustee is valid if one is.
 * @throws InsufficientSharesError when fewer than t trustees have a valid message; BoundError
 *   naming the ciphertext when a plaintext is outside [0, bound].
 */
export function combineDecryptionShares<E>(
  result: CeremonyResult<E>,
  ciphertexts: readonly Ciphertext<E>[],
  messages: readonly DecryptionShareMessage<E>[],
  context: Uint8Array,
  bound: bigint | number | DiscreteLogTable<E>,
): CombinedDecryption<E> {
  const { params } = result;
  const g = params.group;
  const rejected: { idx: number; x: InvalidShare }[] = [];
  const batch = new BatchVerifier<E, number>(g);
  messages.forEach((m, idx) => {
    const K = result.verificationKeys.get(m.trustee);
    const reject = (code: InvalidShareCode, reason: string): void => void rejected.push({ idx, x: { trustee: m.trustee, code, reason } });
    if (m.ceremonyId !== params.ceremonyId) reject('wrong-ceremony', `shares for ceremony '${m.ceremonyId}'`);
    else if (K === undefined) reject('not-qualified', `trustee ${m.trustee} is not a qualified trustee of the ceremony`);
    else if (m.shares.length !== ciphertexts.length)
      reject('wrong-count', `${m.shares.length} shares for ${ciphertexts.length} ciphertexts`);
    else if (!isDecryptionShareSigned(params, m)) reject('unsigned', `not signed by trustee ${m.trustee}'s identity key`);
    else batch.add(idx, decryptionShareEquations(g, K, ciphertexts, m, context));
  });
  const failed = new Set(batch.verify().failed);
  const byTrustee = new Map<number, DecryptionShareMessage<E>>();
  messages.forEach((m, idx) => {
    if (failed.has(idx))
      rejected.push({ idx, x: { trustee: m.trustee, code: 'invalid-proof', reason: 'a decryption share proof does not verify' } });
    else if (
      result.verificationKeys.has(m.trustee) &&
      m.ceremonyId === params.ceremonyId &&
      m.shares.length === ciphertexts.length &&
      !rejected.some((r) => r.idx === idx) &&
      !byTrustee.has(m.trustee)
    )
      byTrustee.set(m.trustee, m);
  });
  const valid = [...byTrustee.keys()].sort((a, b) => a - b);
  const invalid = rejected.sort((a, b) => a.x.trustee - b.x.trustee || a.idx - b.idx).map((r) => r.x);
  if (valid.length < params.t) {
    const sent = new Set(messages.map((m) => m.trustee));
    throw new InsufficientSharesError(
      params.t,
      valid,
      result.qualified.filter((j) => !sent.has(j)),
      invalid,
    );
  }
  const used = valid.slice(0, params.t);
  const lambda = lagrangeAtZero(g, used);
  const negLambda = used.map((j) => g.Fq.neg(lambda.get(j)!));
  const table = bound instanceof DiscreteLogTable ? bound : new DiscreteLogTable(g, bound, ciphertexts.length);
  const elements: E[] = [];
  const plaintexts: bigint[] = [];
  ciphertexts.forEach((ct, k) => {
    const M = g.msm([ct.beta, ...used.map((j) => byTrustee.get(j)!.shares[k]!.share)], [1n, ...negLambda]);
    elements.push(M);
    try {
      plaintexts.push(table.solve(M));
    } catch (e) {
      if (e instanceof BoundError) throw new BoundError(table.bound, `plaintext of ciphertext ${k}`);
      throw e;
    }
  });
  return { plaintexts, elements, used, valid, invalid };
}
