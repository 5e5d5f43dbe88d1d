/**
 * The output a trustee keeps after the ceremony: its secret share s_j = Σ_{i∈Q} f_i(j), with the
 * public {@link CeremonyResult} it belongs to. The share is held outside the object (a module
 * WeakMap), so it has no enumerable secret field and `toJSON` shows public data only.
 * @module
 */
import { ProtocolError } from '../errors.js';
import type { TrusteeIdentity } from '../election/trustee-identity.js';
import type { CeremonyResult } from './outcome.js';
import type { CeremonyParams } from './params.js';

const SHARES = new WeakMap<TrusteeKey<any>, bigint>();

/** A tally a key share decrypted: the election, the sealed board's head and the tally's hash (lowercase hex). */
export interface DecryptedTally {
  /** The election fingerprint. */
  readonly fingerprint: string;
  /** The head of the board the trustee checked (the hash of its `tally` entry). */
  readonly boardHead: string;
  /** canonicalSha256 of the tally. */
  readonly tallySha256: string;
}

/** A qualified trustee's secret share of the joint key, and the ceremony's public result. */
export class TrusteeKey<E> {
  /** The ceremony parameters. */
  readonly params: CeremonyParams<E>;
  /** This trustee's index j. */
  readonly trustee: number;
  /** The public result of the ceremony (qualified set, joint key, verification keys). */
  readonly result: CeremonyResult<E>;

  /** Version 2: the trustee's identity, which signs its decryption shares. */
  readonly identity?: TrusteeIdentity;
  /**
   * The tallies this key share has decrypted, oldest first. A trustee decrypts one tally per
   * election: decrypting two different tallies (two forks of one board) would let whoever holds
   * both results subtract them and learn the votes that differ. See {@link TrusteeKey.assertMayDecrypt}.
   */
  readonly decrypted: readonly DecryptedTally[];

  /** @internal Built by the ceremony's last round or by `importTrusteeState`. */
  constructor(
    result: CeremonyResult<E>,
    trustee: number,
    secretShare: bigint,
    more: { identity?: TrusteeIdentity; decrypted?: readonly DecryptedTally[] } = {},
  ) {
    this.params = result.params;
    this.trustee = trustee;
    this.result = result;
    if (more.identity) this.identity = more.identity;
    this.decrypted = Object.freeze((more.decrypted ?? []).map((d) => Object.freeze({ ...d })));
    SHARES.set(this, secretShare);
    Object.freeze(this);
  }

  /**
   * Refuses to decrypt a tally of an election whose fingerprint this key share already decrypted
   * another tally of (another board head or tally hash). The same tally again is allowed (the
   * shares were published already).
   * @throws ProtocolError (`already-decrypted`) naming the board head decrypted before.
   */
  assertMayDecrypt(t: DecryptedTally): void {
    const before = this.decrypted.find((d) => d.fingerprint === t.fingerprint);
    if (before && (before.boardHead !== t.boardHead || before.tallySha256 !== t.tallySha256))
      throw new ProtocolError(
        `trustee ${this.trustee} already decrypted a tally of this election (board head ${before.boardHead}, tally sha256 ${before.tallySha256}); ` +
          `this one (board head ${t.boardHead}, tally sha256 ${t.tallySha256}) differs: decrypting two tallies of one election reveals the votes in which they differ, so a trustee decrypts one`,
        'already-decrypted',
      );
  }

  /** The same key, remembering `t` as decrypted (unchanged when it is already listed). @throws as {@link TrusteeKey.assertMayDecrypt} */
  withDecrypted(t: DecryptedTally): TrusteeKey<E> {
    this.assertMayDecrypt(t);
    if (this.decrypted.some((d) => d.fingerprint === t.fingerprint)) return this;
    return new TrusteeKey(this.result, this.trustee, SHARES.get(this)!, {
      ...(this.identity ? { identity: this.identity } : {}),
      decrypted: [...this.decrypted, t],
    });
  }

  /** K_j = s_j·G. */
  get verificationKey(): E {
    return this.result.verificationKeys.get(this.trustee)!;
  }

  /** The joint public key PK. */
  get jointPublicKey(): E {
    return this.result.jointPublicKey;
  }

  /** Public data only: the secret share never reaches JSON. */
  toJSON(): { kind: 'trustee-key'; ceremony: string; trustee: number; verificationKey: string; jointPublicKey: string } {
    const g = this.params.group;
    return {
      kind: 'trustee-key',
      ceremony: this.params.ceremonyId,
      trustee: this.trustee,
      verificationKey: g.toHex(this.verificationKey),
      jointPublicKey: g.toHex(this.jointPublicKey),
    };
  }
}

/** @internal The secret share s_j (for decryption shares and state export only). */
export function trusteeSecretShare(key: TrusteeKey<any>): bigint {
  const s = SHARES.get(key);
  if (s === undefined) throw new TypeError('not a TrusteeKey');
  return s;
}
