/**
 * The output a trustee keeps after the ceremony: its secret share s_j = Σ_{i∈Q} f_i(j), with the
 * public {@link CeremonyResult} it belongs to. The share is held outside the object (a module
 * WeakMap), so it has no enumerable secret field and `toJSON` shows public data only.
 * @module
 */
import type { CeremonyResult } from './outcome.js';
import type { CeremonyParams } from './params.js';

const SHARES = new WeakMap<TrusteeKey<any>, bigint>();

/** A qualified trustee's secret share of the joint key, and the ceremony's public result. */
export class TrusteeKey<E> {
  /** The ceremony parameters. */
  readonly params: CeremonyParams<E>;
  /** This trustee's index j. */
  readonly trustee: number;
  /** The public result of the ceremony (qualified set, joint key, verification keys). */
  readonly result: CeremonyResult<E>;

  /** @internal Built by the ceremony's last round or by `importTrusteeState`. */
  constructor(result: CeremonyResult<E>, trustee: number, secretShare: bigint) {
    this.params = result.params;
    this.trustee = trustee;
    this.result = result;
    SHARES.set(this, secretShare);
    Object.freeze(this);
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
