/**
 * The one reader of records (docs/record.md), over any {@link RecordStore}: it follows
 * `record.json`'s `files` map (or, for a record still in the making, before `record.json` is
 * written, the default file names), reads each JSON file strictly (size, depth, duplicate keys:
 * `json/parse.ts`) and the manifest. A record that cannot be read at all (index or manifest) is
 * a {@link RecordUnreadableError}; a bad file is the caller's to report (the verifier makes it a
 * failed check). Browser-safe; `reader.ts` opens a directory with it.
 * @module
 */
import { FormatError } from '../errors.js';
import { typeName } from '../bytes.js';
import { parseJson } from '../json/parse.js';
import { expectObject } from '../json/guards.js';
import { RECORD_FILES, RECORD_FORMAT, RECORD_VERSIONS } from './format.js';
import { parseManifest, type Manifest } from '../election/manifest.js';
import { isPlainFileName, RecordUnreadableError, type RecordStore } from './store.js';

export { RecordUnreadableError };

/** The roles of the record's files (keys of `record.json`'s `files`). */
export type RecordRole = keyof typeof RECORD_FILES;

/** A validated `record.json`. */
export interface RecordIndex {
  /** The record format's version: 1 or 2 (it must be the manifest's: the verifier's check 1). */
  readonly version: 1 | 2;
  readonly electionId: string;
  readonly group: string;
  /** The board's final head hash (64 lowercase hex digits). */
  readonly boardHead: string;
  /** File name of each role, inside the record directory. */
  readonly files: Readonly<Record<RecordRole, string>>;
}

/** Largest JSON file the verifier reads in one piece (the board is streamed and has no such limit). */
export const MAX_JSON_FILE_BYTES = 512 * 1024 * 1024;

const ROLES = Object.keys(RECORD_FILES) as RecordRole[];
const HASH_RE = /^[0-9a-f]{64}$/;

function fileName(v: unknown, path: string): string {
  if (typeof v !== 'string' || !isPlainFileName(v))
    throw new FormatError(
      path,
      `expected a plain file name inside the record directory, got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}`,
    );
  return v;
}

/**
 * Reads and validates the store's `record.json`.
 * @throws RecordUnreadableError when the index is missing, unreadable or invalid.
 */
export async function readRecordIndexFrom(store: RecordStore): Promise<RecordIndex> {
  const name = RECORD_FILES.index;
  const read = await readJsonFrom(store, name);
  if (!read.ok) throw new RecordUnreadableError(name, read.reason);
  try {
    const o = expectObject(read.value, 'record', ['format', 'version', 'electionId', 'group', 'boardHead', 'files']);
    if (o.format !== RECORD_FORMAT) throw new FormatError('record.format', `expected "${RECORD_FORMAT}"`);
    if (!RECORD_VERSIONS.includes(o.version as 1 | 2))
      throw new FormatError('record.version', `expected ${RECORD_VERSIONS.join(' or ')} (the record versions this verifier reads)`);
    if (typeof o.electionId !== 'string' || o.electionId.length === 0)
      throw new FormatError('record.electionId', 'expected a non-empty string');
    if (typeof o.group !== 'string' || o.group.length === 0) throw new FormatError('record.group', 'expected a group id');
    if (typeof o.boardHead !== 'string' || !HASH_RE.test(o.boardHead))
      throw new FormatError('record.boardHead', 'expected 64 lowercase hex digits');
    const f = expectObject(o.files, 'record.files', ROLES);
    const files = Object.fromEntries(ROLES.map((r) => [r, fileName(f[r], `record.files.${r}`)])) as Record<RecordRole, string>;
    if (files.index !== name) throw new FormatError('record.files.index', `expected "${name}"`);
    return { version: o.version as 1 | 2, electionId: o.electionId, group: o.group, boardHead: o.boardHead, files };
  } catch (e) {
    if (e instanceof FormatError) throw new RecordUnreadableError(`${name}: ${e.path}`, e.reason);
    throw e;
  }
}

/** The outcome of reading a JSON file: its value, or why it could not be read. */
export type JsonFileRead =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly missing: boolean; readonly reason: string };

/** Reads and parses the store's file `name` as strict UTF-8 JSON (at most {@link MAX_JSON_FILE_BYTES}); never throws for a bad file. */
export async function readJsonFrom(store: RecordStore, name: string): Promise<JsonFileRead> {
  const read = await store.readFile(name, MAX_JSON_FILE_BYTES);
  if (!read.ok) return read;
  const bytes = read.value;
  // A store that returns more than it was allowed to is refused here all the same.
  if (bytes.length > MAX_JSON_FILE_BYTES) return { ok: false, missing: false, reason: `larger than ${MAX_JSON_FILE_BYTES} bytes` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, missing: false, reason: 'not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = parseJson(text, name, { maxLength: MAX_JSON_FILE_BYTES });
  } catch (e) {
    if (e instanceof FormatError)
      return {
        ok: false,
        missing: false,
        reason: e.path === name ? e.reason : `${e.path}: ${e.reason} (the file says two things at once)`,
      };
    throw e;
  }
  return { ok: true, value };
}

/** Options of {@link openRecordFrom}. */
export interface OpenRecordOptions {
  /**
   * Whether `record.json` must be there (default true: a published record). False for a record
   * still in the making (sealed and tallied, not yet decrypted): without `record.json` the files
   * have their default names and no board head is published.
   */
  readonly indexRequired?: boolean;
}

/** An open record: where each file is, and how to read it. */
export interface RecordSource {
  /** What the record is: the store's {@link RecordStore.describe} (for a directory, its path). */
  readonly dir: string;
  /** Where the files come from. */
  readonly store: RecordStore;
  /** `record.json`, or null for a record in the making without one. */
  readonly index: RecordIndex | null;
  /** File name of each role. */
  readonly files: Readonly<Record<RecordRole, string>>;
  /** The manifest (manifest.json), parsed. */
  readonly manifest: Manifest;
  /** Where a role's file is (for a directory, its path): the store's {@link RecordStore.where}. */
  path(role: RecordRole): string;
  /** Reads and parses a role's JSON file; never throws for a bad file. */
  readJson(role: RecordRole): Promise<JsonFileRead>;
}

/**
 * Opens the record in `store`: its index (following `record.json`'s `files`) and its manifest.
 * @throws RecordUnreadableError when the store cannot be opened, or the index (when required or
 *   present) or the manifest is missing, unreadable or invalid.
 */
export async function openRecordFrom(store: RecordStore, opts: OpenRecordOptions = {}): Promise<RecordSource> {
  await store.open?.();
  let index: RecordIndex | null;
  if (opts.indexRequired ?? true) index = await readRecordIndexFrom(store);
  else {
    // Absent: a record in the making. Any other answer: let readRecordIndexFrom report it.
    const probe = await store.size(RECORD_FILES.index);
    index = probe.ok || !probe.missing ? await readRecordIndexFrom(store) : null;
  }
  const files = index?.files ?? RECORD_FILES;
  const read = await readJsonFrom(store, files.manifest);
  if (!read.ok) throw new RecordUnreadableError(files.manifest, read.reason);
  let manifest: Manifest;
  try {
    manifest = parseManifest(read.value);
  } catch (e) {
    if (e instanceof FormatError) throw new RecordUnreadableError(`${files.manifest}: ${e.path}`, e.reason);
    if (e instanceof RangeError) throw new RecordUnreadableError(files.manifest, e.message);
    throw e;
  }
  return Object.freeze({
    dir: store.describe(),
    store,
    index,
    files,
    manifest,
    path: (role: RecordRole) => store.where(files[role]),
    readJson: (role: RecordRole) => readJsonFrom(store, files[role]),
  });
}
