/**
 * Errors of trustee state files (the ceremony's own, CeremonyFailedError, is in `outcome.ts`).
 * @module
 */
import { MjvoteError } from '../errors.js';

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
