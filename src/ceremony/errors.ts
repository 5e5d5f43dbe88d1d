/**
 * Errors of trustee state files and identity files (the ceremony's own, CeremonyFailedError, is
 * in `outcome.ts`).
 * @module
 */
import { MjvoteError } from '../errors.js';

/** A trustee state file (or identity file) did not decrypt under this passphrase (or its KDF header was altered). */
export class WrongPassphraseError extends MjvoteError {
  /** @param what - the kind of file, for the message (default: trustee state file). */
  constructor(what = 'trustee state file') {
    super('wrong-passphrase', `wrong passphrase for this ${what} (or its kdf header was altered)`);
  }
}

/** A trustee state file (or identity file) decrypted with the right passphrase failed authentication: it was altered. */
export class TamperedStateError extends MjvoteError {
  /** @param what - the kind of file, for the message (default: trustee state file). */
  constructor(detail: string, what = 'trustee state file') {
    super('state-tampered', `${what} was altered: ${detail}`);
  }
}
