/**
 * The universal verifier on a record directory (Node): {@link verifyRecordFrom} over the
 * directory's store (`record/directory-store.ts`: links out of the directory and anything but
 * regular files are refused), with ballot chunks checked on Node worker threads when
 * `workers` > 1.
 *
 * ```ts
 * const report = await verifyRecord('record/');
 * if (!report.ok) for (const c of report.checks) for (const f of c.failures) console.log(c.number, f.file, f.line, f.reason);
 * ```
 * Node-only (files).
 * @module
 */
import { directoryRecordStore } from '../record/directory-store.js';
import type { VerificationReport } from './report.js';
import { nodeVerifyWorkers } from './node-workers.js';
import { verifyRecordStateFrom, type VerifiedRecord, type VerifyOptions } from './verifier.js';

export { DEFAULT_CHUNK_SIZE, verifyRecordFrom, verifyRecordStateFrom } from './verifier.js';
export type { VerifiedRecord, VerifyOptions, VerifyProgress } from './verifier.js';

/**
 * Verifies the election record in `dir` and returns the report of the ten numbered checks (the
 * tenth, on the receipts given, is skipped without them). Never throws for a bad record or a bad
 * receipt: every problem is a failure of some check, or a receipt's status. With `workers` > 1
 * the ballots are checked on Node worker threads (`workerUrl`: see {@link VerifyOptions}).
 * @throws RecordUnreadableError when the record cannot be read at all: `dir` is not a readable
 *   directory, or `record.json` or the manifest is missing, unreadable or invalid.
 */
export async function verifyRecord(dir: string, options: VerifyOptions = {}): Promise<VerificationReport> {
  return (await verifyRecordState(dir, options)).report;
}

/**
 * {@link verifyRecord}, with what it established (the election, ceremony and tally it read): for
 * tools that act on a record after verifying it, such as a trustee decrypting its tally.
 */
export function verifyRecordState(dir: string, options: VerifyOptions = {}): Promise<VerifiedRecord<unknown>> {
  return verifyRecordStateFrom(directoryRecordStore(dir), {
    ...options,
    workerFactory: options.workerFactory ?? nodeVerifyWorkers(options.workerUrl),
  });
}
