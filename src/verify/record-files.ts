/**
 * Reading a record directory for the verifier: the index `record.json` (whose failure makes the
 * record unreadable, exit code 2) and the other JSON files (whose failure is a failed check).
 * Node-only (files).
 * @module
 */
import { assertNoDuplicateKeys } from '../json-strict.js';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError } from '../errors.js';
import { typeName } from '../bytes.js';
import { expectObject } from '../proofs/wire.js';
import { RECORD_FILES, RECORD_FORMAT, RECORD_VERSION } from '../record/files.js';
import { RecordUnreadableError } from './report.js';

/** The roles of the record's files (keys of `record.json`'s `files`). */
export type RecordRole = keyof typeof RECORD_FILES;

/** A validated `record.json`. */
export interface RecordIndex {
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
function fileName(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 255 || v === '.' || v === '..' || /[/\\\u0000-\u001f]/.test(v))
    throw new FormatError(path, `expected a plain file name inside the record directory, got ${typeof v === 'string' ? JSON.stringify(v) : typeName(v)}`);
  return v;
}

/**
 * Reads and validates `DIR/record.json`.
 * @throws RecordUnreadableError when the directory or the index is missing, unreadable or invalid.
 */
export async function readRecordIndex(dir: string): Promise<RecordIndex> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (e) {
    throw new RecordUnreadableError(dir, ioReason(e));
  }
  if (!isDir) throw new RecordUnreadableError(dir, 'not a directory');
  const name = RECORD_FILES.index;
  const read = await readJsonFile(dir, name);
  if (!read.ok) throw new RecordUnreadableError(name, read.reason);
  try {
    const o = expectObject(read.value, 'record', ['format', 'version', 'electionId', 'group', 'boardHead', 'files']);
    if (o.format !== RECORD_FORMAT) throw new FormatError('record.format', `expected "${RECORD_FORMAT}"`);
    if (o.version !== RECORD_VERSION) throw new FormatError('record.version', `expected ${RECORD_VERSION} (this verifier reads version ${RECORD_VERSION} records)`);
    if (typeof o.electionId !== 'string' || o.electionId.length === 0) throw new FormatError('record.electionId', 'expected a non-empty string');
    if (typeof o.group !== 'string' || o.group.length === 0) throw new FormatError('record.group', 'expected a group id');
    if (typeof o.boardHead !== 'string' || !HASH_RE.test(o.boardHead)) throw new FormatError('record.boardHead', 'expected 64 lowercase hex digits');
    const f = expectObject(o.files, 'record.files', ROLES);
    const files = Object.fromEntries(ROLES.map((r) => [r, fileName(f[r], `record.files.${r}`)])) as Record<RecordRole, string>;
    if (files.index !== name) throw new FormatError('record.files.index', `expected "${name}"`);
    return { electionId: o.electionId, group: o.group, boardHead: o.boardHead, files };
  } catch (e) {
    if (e instanceof FormatError) throw new RecordUnreadableError(`${name}: ${e.path}`, e.reason);
    throw e;
  }
}

/** The outcome of reading a JSON file: its value, or why it could not be read. */
export type JsonFileRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly missing: boolean; readonly reason: string };

/** Reads and parses `DIR/name` as strict UTF-8 JSON; never throws for a bad file. */
export async function readJsonFile(dir: string, name: string): Promise<JsonFileRead> {
  const path = join(dir, name);
  let bytes: Uint8Array;
  try {
    const s = await stat(path);
    if (!s.isFile()) return { ok: false, missing: false, reason: 'not a regular file' };
    if (s.size > MAX_JSON_FILE_BYTES) return { ok: false, missing: false, reason: `larger than ${MAX_JSON_FILE_BYTES} bytes` };
    bytes = await readFile(path);
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
    value = JSON.parse(text) as unknown;
  } catch (e) {
    return { ok: false, missing: false, reason: `not valid JSON (${(e as Error).message.split('\n')[0]})` };
  }
  try {
    assertNoDuplicateKeys(text, name);
  } catch (e) {
    if (e instanceof FormatError) return { ok: false, missing: false, reason: `${e.path}: ${e.reason} (the file says two things at once)` };
    throw e;
  }
  return { ok: true, value };
}

/** A short reason for a failed file-system call. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'missing (no such file or directory)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a path component is not a directory';
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
