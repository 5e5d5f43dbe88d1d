/**
 * The one reader of record directories (docs/record.md), for the verifier, the trustee commands
 * and the election authority: it follows `record.json`'s `files` map (or, for a record still in
 * the making, before `record.json` is written, the default file names), reads each JSON file
 * strictly (size, depth, duplicate keys: `json/parse.ts`) and the manifest. A record that cannot
 * be read at all (directory, index or manifest) is a {@link RecordUnreadableError}; a bad file is
 * the caller's to report (the verifier makes it a failed check).
 * Node-only (files).
 * @module
 */
import { stat } from 'node:fs/promises';
import { ioReason, leavesDirectory, openRegularFile } from '../files.js';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { typeName } from '../bytes.js';
import { parseJson } from '../json/parse.js';
import { expectObject } from '../json/guards.js';
import { RECORD_FILES, RECORD_FORMAT, RECORD_VERSIONS } from './files.js';
import { parseManifest, type Manifest } from '../election/manifest.js';

/**
 * The record cannot be read at all (exit code 2 of `mjvote verify`): the directory, the index
 * `record.json` or the manifest is missing, unreadable or invalid. `path` names the file (and
 * the field inside it).
 */
export class RecordUnreadableError extends FormatError {}

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

/** A plain file name: no directory part, not `.` or `..`, no control character. */
// eslint-disable-next-line no-control-regex -- it matches control characters in order to refuse them
const NOT_IN_FILE_NAMES = /[/\\\u0000-\u001f]/;

function fileName(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 255 || v === '.' || v === '..' || NOT_IN_FILE_NAMES.test(v))
    throw new FormatError(
      path,
      `expected a plain file name inside the record directory, got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}`,
    );
  return v;
}

/**
 * Reads and validates `DIR/record.json`.
 * @throws RecordUnreadableError when the directory or the index is missing, unreadable or invalid.
 */
export async function readRecordIndex(dir: string): Promise<RecordIndex> {
  await assertDirectory(dir);
  const name = RECORD_FILES.index;
  const read = await readJsonFile(dir, name);
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

/** Reads and parses `DIR/name` as strict UTF-8 JSON; never throws for a bad file. */
export async function readJsonFile(dir: string, name: string): Promise<JsonFileRead> {
  const path = join(dir, name);
  const outside = await leavesDirectory(dir, name);
  if (outside !== null) return { ok: false, missing: false, reason: outside };
  let bytes: Uint8Array;
  try {
    const fh = await openRegularFile(path);
    try {
      if ((await fh.stat()).size > MAX_JSON_FILE_BYTES)
        return { ok: false, missing: false, reason: `larger than ${MAX_JSON_FILE_BYTES} bytes` };
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { ok: false, missing: (e as NodeJS.ErrnoException).code === 'ENOENT', reason: ioReason(e) };
  }
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

/** Options of {@link openRecord}. */
export interface OpenRecordOptions {
  /**
   * Whether `record.json` must be there (default true: a published record). False for a record
   * still in the making (sealed and tallied, not yet decrypted): without `record.json` the files
   * have their default names and no board head is published.
   */
  readonly indexRequired?: boolean;
}

/** An open record directory: where each file is, and how to read it. */
export interface RecordSource {
  readonly dir: string;
  /** `record.json`, or null for a record in the making without one. */
  readonly index: RecordIndex | null;
  /** File name of each role. */
  readonly files: Readonly<Record<RecordRole, string>>;
  /** The manifest (manifest.json), parsed. */
  readonly manifest: Manifest;
  /** The path of a role's file. */
  path(role: RecordRole): string;
  /** Reads and parses a role's JSON file; never throws for a bad file. */
  readJson(role: RecordRole): Promise<JsonFileRead>;
}

/**
 * Opens the record in `dir`: its index (following `record.json`'s `files`) and its manifest.
 * @throws RecordUnreadableError when the directory, the index (when required or present) or the
 *   manifest is missing, unreadable or invalid.
 */
export async function openRecord(dir: string, opts: OpenRecordOptions = {}): Promise<RecordSource> {
  let index: RecordIndex | null;
  if (opts.indexRequired ?? true) index = await readRecordIndex(dir);
  else {
    const probe = await stat(join(dir, RECORD_FILES.index)).then(
      () => true,
      (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : true), // other errors: let readRecordIndex report them
    );
    index = probe ? await readRecordIndex(dir) : null;
    if (!probe) await assertDirectory(dir);
  }
  const files = index?.files ?? RECORD_FILES;
  const read = await readJsonFile(dir, files.manifest);
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
    dir,
    index,
    files,
    manifest,
    path: (role: RecordRole) => join(dir, files[role]),
    readJson: (role: RecordRole) => readJsonFile(dir, files[role]),
  });
}

async function assertDirectory(dir: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (e) {
    throw new RecordUnreadableError(dir, ioReason(e));
  }
  if (!isDir) throw new RecordUnreadableError(dir, 'not a directory');
}
