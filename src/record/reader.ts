/**
 * Reading a record directory (docs/record.md): the browser-safe reader (`record-source.ts`) over
 * the directory's {@link directoryRecordStore}, for the verifier, the trustee commands and the
 * election authority. A record that cannot be read at all (directory, index or manifest) is a
 * {@link RecordUnreadableError}; a bad file is the caller's to report (the verifier makes it a
 * failed check).
 * Node-only (files).
 * @module
 */
import { directoryRecordStore } from './directory-store.js';
import {
  openRecordFrom,
  readJsonFrom,
  readRecordIndexFrom,
  type JsonFileRead,
  type OpenRecordOptions,
  type RecordIndex,
  type RecordSource,
} from './record-source.js';

export { RecordUnreadableError } from './store.js';
export { MAX_JSON_FILE_BYTES } from './record-source.js';
export type { JsonFileRead, OpenRecordOptions, RecordIndex, RecordRole, RecordSource } from './record-source.js';

/**
 * Reads and validates `DIR/record.json`.
 * @throws RecordUnreadableError when the directory or the index is missing, unreadable or invalid.
 */
export async function readRecordIndex(dir: string): Promise<RecordIndex> {
  const store = directoryRecordStore(dir);
  await store.open!();
  return readRecordIndexFrom(store);
}

/** Reads and parses `DIR/name` as strict UTF-8 JSON; never throws for a bad file. */
export function readJsonFile(dir: string, name: string): Promise<JsonFileRead> {
  return readJsonFrom(directoryRecordStore(dir), name);
}

/**
 * Opens the record in `dir`: its index (following `record.json`'s `files`) and its manifest.
 * @throws RecordUnreadableError when the directory, the index (when required or present) or the
 *   manifest is missing, unreadable or invalid.
 */
export function openRecord(dir: string, opts: OpenRecordOptions = {}): Promise<RecordSource> {
  return openRecordFrom(directoryRecordStore(dir), opts);
}
