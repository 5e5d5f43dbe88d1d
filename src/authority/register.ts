/**
 * The registrar's step: one credential per registered voter. It produces two things that must
 * never end up in the same hands after the mailing (docs/platform.md, "Who holds what"):
 *
 * - the **delivery file** (private): for each voter, its id and its credential code, with the
 *   election's id and title, as CSV for a mailing tool —
 *   `voter,code,electionId,title` (RFC 4180, header row, UTF-8). Whoever holds it can vote in
 *   every voter's name: it is written with mode 0600, never logged, and deleted once the codes
 *   are sent;
 * - the **credential list** (public): the credentials' public keys, which the ballot box accepts
 *   and the record publishes. Its order is a CSPRNG shuffle, not the voter list's, so that the
 *   public list does not tell which voter holds which credential (that would show who voted and
 *   who revoted).
 *
 * Voter lists: a CSV file with a header row and a column of voter ids (`--column`, default the
 * first), or a count (voters `1` … `n`). Ids are trimmed, must be non-empty, unique, at most 200
 * characters and free of control characters.
 * Node-only (the CSV codec; credentials themselves work anywhere).
 * @module
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { FormatError } from '../errors.js';
import { withRandom } from '../bytes.js';
import type { Group } from '../group/group.js';
import type { Manifest } from '../election/manifest.js';
import { credentialListOfGeneratedKeys, generateCredential, type CredentialList } from '../election/credential.js';

/** Most voters one registration makes credentials for. */
export const MAX_VOTERS = 10_000_000;
/** Longest voter id. */
export const MAX_VOTER_ID_LENGTH = 200;

// eslint-disable-next-line no-control-regex -- it matches control characters in order to refuse them
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The voter ids of a CSV voter list: the column named `column` (default: the first column).
 * @throws FormatError naming the row (`voters.csv:line N`) for a missing, empty, duplicate or malformed id.
 */
export function parseVoterList(csv: string, opts: { column?: string; name?: string } = {}): string[] {
  const name = opts.name ?? 'voters';
  let rows: string[][];
  try {
    const parsed: unknown = parse(csv, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
    rows = parsed as string[][];
  } catch (e) {
    throw new FormatError(name, `not a CSV file: ${(e as Error).message.split('\n')[0]}`);
  }
  if (rows.length < 2) throw new FormatError(name, 'expected a header row and at least one voter');
  const header = rows[0]!;
  const col = opts.column === undefined ? 0 : header.indexOf(opts.column);
  if (col < 0) throw new FormatError(`${name}:line 1`, `no column named ${JSON.stringify(opts.column)} (columns: ${header.join(', ')})`);
  if (rows.length - 1 > MAX_VOTERS) throw new FormatError(name, `more than ${MAX_VOTERS} voters`);
  const seen = new Map<string, number>();
  return rows.slice(1).map((r, k) => {
    const where = `${name}:line ${k + 2}`;
    const id = r[col] ?? '';
    if (id === '') throw new FormatError(where, 'empty voter id');
    if (id.length > MAX_VOTER_ID_LENGTH) throw new FormatError(where, `voter id longer than ${MAX_VOTER_ID_LENGTH} characters`);
    if (CONTROL_RE.test(id)) throw new FormatError(where, 'voter id with a control character');
    const before = seen.get(id);
    if (before !== undefined) throw new FormatError(where, `the voter id of line ${before} again`);
    seen.set(id, k + 2);
    return id;
  });
}

/** Voter ids `1` … `count`. */
export function numberedVoters(count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_VOTERS)
    throw new FormatError('count', `expected an integer in [1, ${MAX_VOTERS}]`);
  return Array.from({ length: count }, (_, k) => String(k + 1));
}

/** One voter's line of the delivery file. */
export interface Delivery {
  readonly voter: string;
  /** The credential code (secret: whoever holds it votes in the voter's name). */
  readonly code: string;
}

/** What {@link registerVoters} made. */
export interface Registration<E> {
  /** In the voter list's order. Secret. */
  readonly deliveries: readonly Delivery[];
  /** The public credential list, shuffled. */
  readonly list: CredentialList<E>;
}

/** Voters handled per chunk by {@link registerVotersInChunks}. */
export const REGISTRATION_CHUNK = 4096;

/**
 * Makes one credential per voter for the election of `manifest` (credential codes from the
 * platform CSPRNG), in chunks of {@link REGISTRATION_CHUNK} voters: `onChunk` receives each
 * chunk's deliveries (write them out; they are not kept), so that memory holds only the public
 * keys, whatever the number of voters. `onProgress(done, total)` follows each chunk. Returns the
 * shuffled public list.
 */
export function registerVotersInChunks<E>(
  group: Group<E>,
  manifest: Manifest,
  voters: readonly string[],
  onChunk: (deliveries: readonly Delivery[]) => void,
  onProgress: (done: number, total: number) => void = () => {},
): CredentialList<E> {
  if (group.id !== manifest.group) throw new FormatError('manifest.group', `expected '${group.id}'`);
  const keys: string[] = [];
  for (let start = 0; start < voters.length; start += REGISTRATION_CHUNK) {
    const chunk: Delivery[] = [];
    for (const voter of voters.slice(start, start + REGISTRATION_CHUNK)) {
      const c = generateCredential(group, manifest.electionId);
      chunk.push({ voter, code: c.revealCode() });
      keys.push(c.publicKeyHex);
    }
    onChunk(chunk);
    onProgress(Math.min(voters.length, start + REGISTRATION_CHUNK), voters.length);
  }
  shuffle(keys);
  return credentialListOfGeneratedKeys(group, manifest.electionId, keys);
}

/**
 * {@link registerVotersInChunks} with every delivery kept in memory (for small lists and tests;
 * the command streams them to the delivery file instead).
 */
export function registerVoters<E>(
  group: Group<E>,
  manifest: Manifest,
  voters: readonly string[],
  onProgress: (done: number, total: number) => void = () => {},
): Registration<E> {
  const deliveries: Delivery[] = [];
  const list = registerVotersInChunks(group, manifest, voters, (chunk) => deliveries.push(...chunk), onProgress);
  return { deliveries, list };
}

/** Fisher–Yates with uniform indices from the platform CSPRNG (rejection sampling, no modulo bias). */
function shuffle<T>(a: T[]): void {
  for (let i = a.length - 1; i > 0; i--) {
    const bound = i + 1;
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    let r: number;
    do r = withRandom(4, (v, at) => v.getUint32(at));
    while (r >= limit);
    const j = r % bound;
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

/**
 * The delivery file's CSV text: header `voter,code,electionId,title` (unless `header` is false:
 * the chunks after the first of a streamed file), one line per voter. Secret.
 */
export function deliveryCsv(manifest: Manifest, deliveries: readonly Delivery[], header = true): string {
  return stringify(
    deliveries.map((d) => [d.voter, d.code, manifest.electionId, manifest.title]),
    { header, columns: ['voter', 'code', 'electionId', 'title'] },
  );
}
