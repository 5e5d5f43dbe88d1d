/**
 * Errors of the key ceremony and of trustee state files.
 * @module
 */
import { MjvoteError } from '../errors.js';
import type { Disqualification } from './outcome.js';

/**
 * Fewer than t trustees remain qualified: the ceremony cannot produce a key. Names every trustee
 * that was disqualified and why (`disqualified`), and the qualified ones.
 */
export class CeremonyFailedError extends MjvoteError {
  readonly qualified: readonly number[];
  readonly disqualified: readonly Disqualification[];
  readonly t: number;
  constructor(t: number, qualified: readonly number[], disqualified: readonly Disqualification[]) {
    const who = [...new Set(disqualified.map((d) => d.trustee))].sort((a, b) => a - b);
    super(
      'ceremony-failed',
      `only ${qualified.length} trustee(s) qualified (${qualified.join(', ') || 'none'}), threshold t = ${t}; disqualified: ${who.join(', ') || 'none'} (${disqualified
        .map((d) => `trustee ${d.trustee}: ${d.code}`)
        .join('; ')})`,
    );
    this.t = t;
    this.qualified = qualified;
    this.disqualified = disqualified;
  }
}

/** A trustee state file did not decrypt under this passphrase (or its KDF header was altered). */
export class WrongPassphraseError extends MjvoteError {
  constructor() {
    super('wrong-passphrase', 'wrong passphrase for this trustee state file (or its kdf header was altered)');
  }
}

/** A trustee state file decrypted with the right passphrase failed authentication: it was altered. */
export class TamperedStateError extends MjvoteError {
  constructor(detail: string) {
    super('state-tampered', `trustee state file was altered: ${detail}`);
  }
}
