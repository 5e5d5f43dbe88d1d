/**
 * The trustee's secret state on disk: where the passphrase comes from, which round a state file
 * is at (read from its public header, before any passphrase is asked), unlocking and sealing it
 * (docs/trustees.md §Passphrase and §State file). The encryption itself is
 * `src/ceremony/state-file.ts` (scrypt + XChaCha20-Poly1305).
 *
 * Passphrase, first found of: `--passphrase-file F` (its first line), the environment variable
 * `MJVOTE_PASSPHRASE`, a prompt on the terminal (no echo; asked twice for a new state file).
 *
 * `MJVOTE_TEST_ONLY_SCRYPT_LOG_N=k` (tests only) writes state files with scrypt cost N = 2^k
 * instead of 2^17 and accepts such files on reading; every file records its own cost.
 *
 * Node-only.
 * @module
 */
import { statSync } from 'node:fs';
import type { Group } from '../group/group.js';
import { groupById } from '../group/index.js';
import { FormatError } from '../errors.js';
import { TamperedStateError, WrongPassphraseError } from '../ceremony/errors.js';
import {
  DEFAULT_SCRYPT_LOG_N,
  exportTrusteeState,
  importTrusteeState,
  MAX_SCRYPT_LOG_N,
  TRUSTEE_STATE_FORMAT,
  TRUSTEE_STATE_VERSION,
  type ExportOptions,
  type ImportOptions,
  type TrusteeStateFile,
  type TrusteeStateRound,
} from '../ceremony/state-file.js';
import type { TrusteeRoundState } from '../ceremony/trustee.js';
import { parseCeremonyHeader, type CeremonyParams } from '../ceremony/params.js';
import { TrusteeKey } from '../ceremony/trustee-key.js';
import { parseJsonInput, processIo, readTextInput, UsageError, type CliIo } from './command.js';
import { ioReason, readRegularFileSync } from '../files.js';
import { weakPassphraseReason } from './passphrase-strength.js';

/** Environment variable holding the passphrase (for scripts and tests). */
export const PASSPHRASE_ENV = 'MJVOTE_PASSPHRASE';
/** Environment variable lowering the scrypt cost, for tests only: log2(N), 1..20. */
export const TEST_KDF_ENV = 'MJVOTE_TEST_ONLY_SCRYPT_LOG_N';
/** Shortest passphrase accepted for a new state file, in code points. */
export const MIN_PASSPHRASE_LENGTH = 12;

/** A {@link CliIo} that may also ask for a secret without echo (tests give one; the CLI uses the terminal). */
export interface TrusteeIo extends CliIo {
  /** Asks for a secret line; resolves to it without its newline. */
  readonly promptSecret?: (prompt: string) => Promise<string>;
}

/** The scrypt cost to write with, and whether weak files may be read. */
export interface KdfChoice {
  readonly export: ExportOptions;
  readonly import: ImportOptions;
  /** Set when the test-only cost is in force. */
  readonly testOnly: boolean;
}

/** Reads {@link TEST_KDF_ENV}. @throws UsageError for a bad value */
export function kdfChoice(io: CliIo): KdfChoice {
  const v = (io.env ?? {})[TEST_KDF_ENV];
  if (v === undefined || v === '') return { export: { logN: DEFAULT_SCRYPT_LOG_N }, import: {}, testOnly: false };
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_SCRYPT_LOG_N)
    throw new UsageError(`${TEST_KDF_ENV}: expected an integer in [1, ${MAX_SCRYPT_LOG_N}], got '${v}'`);
  return { export: { logN: Number(v), allowWeakKdf: true }, import: { allowWeakKdf: true }, testOnly: true };
}

/** A terminal input stream, as much of it as {@link readHiddenLine} uses. */
export interface HiddenInput {
  readonly isTTY?: boolean;
  setRawMode(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * Reads one line from a terminal without echoing it: raw mode, backspace edits, Enter ends,
 * Ctrl-C or Ctrl-D (on an empty line) cancels. The terminal is restored in every case.
 * @throws UsageError (`cancelled`) on Ctrl-C / Ctrl-D.
 */
export function readHiddenLine(prompt: string, input: HiddenInput, output: { write(s: string): unknown }): Promise<string> {
  return new Promise((resolve, reject) => {
    let line = '';
    output.write(prompt);
    input.setRawMode(true);
    input.resume();
    const done = (err: Error | null): void => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || (ch === '\u0004' && line === '')) return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') line = [...line].slice(0, -1).join('');
        else if (ch >= ' ') line += ch;
      }
    };
    input.on('data', onData);
  });
}

function terminalPrompt(io: CliIo): ((prompt: string) => Promise<string>) | undefined {
  if (io !== processIo || !process.stdin.isTTY) return undefined;
  return (prompt) => readHiddenLine(prompt, process.stdin, process.stderr);
}

/** Reads a passphrase file: its first line (without the newline). */
function passphraseFromFile(path: string, io: CliIo): string {
  let text: string;
  try {
    text = readRegularFileSync(path).toString('utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the passphrase file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ioReason(e)}`,
    );
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0)
    io.stderr(`mjvote trustee: warning: ${path} can be read by other users of this machine (chmod 600 ${path})\n`);
  return text.split(/\r?\n/)[0]!;
}

/**
 * The passphrase, from the first source that has one. `create`: it will protect a new state file
 * (a prompt asks twice; its length and its strength are checked: {@link weakPassphraseReason}).
 * @throws UsageError when there is no source, the prompt was cancelled, the two entries differ
 *   or a new passphrase is too short or too easy to guess.
 */
export async function readPassphrase(opts: { file?: string; create: boolean; what: string }, io: TrusteeIo): Promise<string> {
  let pass: string | undefined;
  if (opts.file !== undefined) pass = passphraseFromFile(opts.file, io);
  else if ((io.env ?? {})[PASSPHRASE_ENV]) pass = io.env![PASSPHRASE_ENV]!;
  else {
    const prompt = io.promptSecret ?? terminalPrompt(io);
    if (!prompt)
      throw new UsageError(`no passphrase for ${opts.what}: use --passphrase-file FILE, set ${PASSPHRASE_ENV}, or run on a terminal`);
    pass = await prompt(`Passphrase for ${opts.what}: `);
    if (opts.create && pass.length > 0 && (await prompt('Repeat the passphrase: ')) !== pass)
      throw new UsageError('the two passphrases differ');
  }
  if (pass.length === 0) throw new UsageError(`empty passphrase for ${opts.what}`);
  if (opts.create && [...pass].length < MIN_PASSPHRASE_LENGTH)
    throw new UsageError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters (a few random words are best)`);
  if (opts.create) {
    const weak = weakPassphraseReason(pass);
    if (weak !== null) throw new UsageError(weak);
  }
  return pass;
}

/** The public header of a state file, read without the passphrase. */
export interface StateHeader {
  readonly path: string;
  readonly group: Group<any>;
  readonly election: string;
  readonly n: number;
  readonly t: number;
  /**
   * The ceremony the header names: for a version-2 ceremony, bound to the manifest's hash, with
   * the trustees' identity keys.
   */
  readonly params: CeremonyParams<any>;
  readonly trustee: number;
  readonly round: TrusteeStateRound;
  readonly logN: number;
  /** The whole file, for {@link unlockState}. */
  readonly file: TrusteeStateFile;
}

const ROUNDS: readonly TrusteeStateRound[] = [1, 2, 3, 4, 'key'];

/** Which command writes a state of each round, and which command reads it. */
const STEPS: Record<string, { writtenBy: string; next: string }> = {
  '1': { writtenBy: 'the library (not yet committed)', next: 'none: the command line starts at `init`' },
  '2': { writtenBy: '`mjvote trustee init`', next: '`mjvote trustee reveal`' },
  '3': { writtenBy: '`mjvote trustee reveal`', next: '`mjvote trustee check`' },
  '4': { writtenBy: '`mjvote trustee check`', next: '`mjvote trustee finish`' },
  key: { writtenBy: '`mjvote trustee finish`', next: '`mjvote trustee decrypt`' },
};

/** "its round-3 state (written by …)" or "its final key share (written by …)". */
export function describeRound(r: TrusteeStateRound): string {
  return `${r === 'key' ? 'final key share' : `round-${r} state`} (written by ${STEPS[String(r)]!.writtenBy})`;
}

/** The command that takes a state of this round. */
export function nextStep(r: TrusteeStateRound): string {
  return STEPS[String(r)]!.next;
}

/**
 * Reads a state file's public header (format, group, election, n, t, for a version-2 ceremony
 * the manifest's hash and the identity keys, trustee, round, cost). The header is authenticated
 * with the rest when the file is unlocked.
 * @throws UsageError for an unreadable file or one that is not a trustee state file.
 */
export async function readStateHeader(path: string, io: CliIo): Promise<StateHeader> {
  const json = parseJsonInput(await readTextInput(path, io), path);
  const o = json as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || o.format !== TRUSTEE_STATE_FORMAT)
    throw new UsageError(`${path}: not an mjvote trustee state file (no "format": "${TRUSTEE_STATE_FORMAT}")`);
  if (!ROUNDS.includes(o.round as TrusteeStateRound)) throw new UsageError(`${path}: state.round: expected 1, 2, 3, 4 or "key"`);
  if (o.version !== TRUSTEE_STATE_VERSION)
    throw new UsageError(
      `${path}: state.version: expected ${TRUSTEE_STATE_VERSION}${o.version === 1 ? ' (a state file of an earlier release: finish its ceremony with that release)' : ''}`,
    );
  if (o.ceremonyVersion !== 1 && o.ceremonyVersion !== 2) throw new UsageError(`${path}: state.ceremonyVersion: expected 1 or 2`);
  let group: Group<any>;
  let params: CeremonyParams<any>;
  try {
    group = groupById(o.group, 'state.group');
    params = parseCeremonyHeader(group, o, 'state', {}, o.ceremonyVersion);
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
  const kdf = o.kdf as Record<string, unknown> | null;
  return {
    path,
    group,
    election: params.ceremonyId,
    n: params.n,
    t: params.t,
    params,
    trustee: Number(o.trustee),
    round: o.round as TrusteeStateRound,
    logN: Number(typeof kdf === 'object' && kdf !== null ? kdf.logN : NaN),
    file: json as TrusteeStateFile,
  };
}

/**
 * Refuses a state of another round than the command needs, naming both.
 * @throws UsageError
 */
export function expectRound(h: StateHeader, expected: TrusteeStateRound, command: string): void {
  if (h.round === expected) return;
  throw new UsageError(
    `${h.path} holds trustee ${h.trustee}'s ${describeRound(h.round)}, for ${nextStep(h.round)}; \`mjvote trustee ${command}\` needs the ${describeRound(expected)}`,
  );
}

/**
 * Asks for the passphrase and decrypts the state; returns the passphrase too, to seal the next
 * round's state under it.
 * @throws UsageError for a wrong passphrase, an altered or malformed file (exit code 2).
 */
export async function unlockState(
  h: StateHeader,
  passphraseFile: string | undefined,
  io: TrusteeIo,
): Promise<{ state: TrusteeRoundState<any> | TrusteeKey<any>; passphrase: string }> {
  const passphrase = await readPassphrase({ file: passphraseFile, create: false, what: `trustee ${h.trustee}'s state file ${h.path}` }, io);
  try {
    return { state: importTrusteeState(h.file, passphrase, h.group, kdfChoice(io).import), passphrase };
  } catch (e) {
    if (e instanceof WrongPassphraseError) throw new UsageError(`${h.path}: wrong passphrase (or the file's kdf header was altered)`);
    if (e instanceof TamperedStateError) throw new UsageError(`${h.path}: ${e.message}`);
    if (e instanceof FormatError) throw new UsageError(`${h.path}: ${e.message}`);
    throw e;
  }
}

/** Encrypts a state under the passphrase at the chosen cost (see {@link kdfChoice}). */
export function sealState(state: TrusteeRoundState<any> | TrusteeKey<any>, passphrase: string, io: CliIo): TrusteeStateFile {
  const kdf = kdfChoice(io);
  if (kdf.testOnly)
    io.stderr(
      `mjvote trustee: warning: ${TEST_KDF_ENV} is set: state file written with scrypt cost 2^${kdf.export.logN} (for tests only)\n`,
    );
  return exportTrusteeState(state, passphrase, kdf.export);
}

/** True for the final key (a state file of round `key`). */
export function isTrusteeKey(s: TrusteeRoundState<any> | TrusteeKey<any>): s is TrusteeKey<any> {
  return s instanceof TrusteeKey;
}
