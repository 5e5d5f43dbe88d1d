/**
 * Option helpers and shared pieces of the `mjvote trustee` steps (`trustee.ts`,
 * `trustee-tally.ts`).
 * @module
 */
import { toHex } from '../bytes.js';
import { FormatError } from '../errors.js';
import { groupById } from '../group/index.js';
import { parseManifest, type Manifest } from '../election/manifest.js';
import { identityFingerprint } from '../election/trustee-identity.js';
import { ceremonyParamsForManifest, manifestSha256 as manifestHash, type CeremonyParams } from '../ceremony/params.js';
import { parseJsonInput, readTextInput, UsageError, type CliIo } from './command.js';
import { requiredOption, type OptionValues } from './options.js';
import { expectRound, readStateHeader, type StateHeader, type TrusteeIo } from './trustee-state.js';

export { optionalString, listOption, integerOption, type OptionValues } from './options.js';

/** One `mjvote trustee` sub-command. */
export interface TrusteeSub {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** parseArgs options (without `--help`). */
  readonly options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  /** The name of the positional arguments it takes, for a step that takes some (others refuse them). */
  readonly positionals?: string;
  run(values: OptionValues, io: TrusteeIo, positionals: readonly string[]): Promise<number>;
}

/** A required string option of step `sub` of `mjvote trustee`. @throws UsageError */
export function requiredString(v: OptionValues, name: string, sub: string): string {
  return requiredOption(v, name, `trustee ${sub}`);
}

/** Where the human-readable report goes: stderr when a JSON output goes to stdout. */
export function reporter(io: CliIo, ...outputs: (string | undefined)[]): (line: string) => void {
  const toStderr = outputs.includes('-');
  return (line) => (toStderr ? io.stderr : io.stdout)(`${line}\n`);
}

/** Reads and validates a manifest file. @throws UsageError naming the file and field */
export async function readManifest(path: string, io: CliIo): Promise<Manifest> {
  const json = parseJsonInput(await readTextInput(path, io), path);
  try {
    return parseManifest(json);
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/** SHA-256 of the manifest's canonical bytes (hex): what a trustee compares out of band. */
export function manifestSha256(m: Manifest): string {
  return toHex(manifestHash(m));
}

/**
 * The ceremony parameters a manifest defines: election id, n, t, group, and for a version-2
 * manifest its hash and the trustees' identity keys (`ceremonyParamsForManifest`).
 */
export function manifestCeremonyParams(m: Manifest, path: string): CeremonyParams<any> {
  try {
    return ceremonyParamsForManifest(groupById(m.group, 'manifest.group'), m);
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Trustee i's identity fingerprint in a version-2 ceremony (undefined in version 1). */
export function trusteeFingerprint(params: CeremonyParams<any>, i: number): string | undefined {
  const k = params.identities?.[i - 1];
  return k === undefined ? undefined : identityFingerprint(k);
}

/** One line per trustee: its index and identity fingerprint (version 2; none in version 1). */
export function fingerprintLines(params: CeremonyParams<any>, me?: number, mine = '(you)'): string[] {
  if (params.identities === undefined) return [];
  return params.identities.map((k, j) => `  trustee ${j + 1}: ${identityFingerprint(k)}${j + 1 === me ? `  ${mine}` : ''}`);
}

/** How two ceremonies of one election id differ: version, manifest hash or identity keys. */
export function ceremonyDifference(theirs: CeremonyParams<any>, mine: CeremonyParams<any>): string {
  if (theirs.version !== mine.version) return `a version-${theirs.version} ceremony, not version ${mine.version}`;
  if (theirs.manifestSha256 && mine.manifestSha256 && toHex(theirs.manifestSha256) !== toHex(mine.manifestSha256))
    return `bound to the manifest with sha256 ${toHex(theirs.manifestSha256)}, not ${toHex(mine.manifestSha256)}`;
  const k = (theirs.identities ?? []).findIndex((x, j) => toHex(x) !== toHex(mine.identities![j]!));
  if (k >= 0)
    return `trustee ${k + 1}'s identity is ${identityFingerprint(theirs.identities![k]!)}, not ${identityFingerprint(mine.identities![k]!)}`;
  return 'its parameters differ';
}

/** Reads a state file's header and checks its round, before any passphrase is asked. */
export async function openState(
  v: OptionValues,
  round: 2 | 3 | 4 | 'key',
  sub: string,
  io: CliIo,
): Promise<{ h: StateHeader; params: CeremonyParams<any> }> {
  const h = await readStateHeader(requiredString(v, 'state', sub), io);
  expectRound(h, round, sub);
  return { h, params: h.params };
}
