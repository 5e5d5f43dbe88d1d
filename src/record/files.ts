/**
 * Writing the election record on disk (its format: `format.ts`, docs/record.md).
 * Node-only (files).
 * @module
 */
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export { RECORD_FORMAT, RECORD_VERSION, RECORD_VERSIONS, RECORD_FILES, type RecordIndexJson } from './format.js';

/** Writes a JSON file atomically (temporary file, then rename) with a trailing newline. */
export function writeJsonFile(dir: string, name: string, value: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value, null, 1) + '\n');
  renameSync(tmp, path);
  return path;
}
