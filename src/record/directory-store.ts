/**
 * A record directory as a {@link RecordStore}, as strict as the verifier always was: a name that
 * is a link out of the directory is refused instead of read, anything but a regular file (a
 * pipe, a device, a directory) is refused instead of opened, and I/O failures get a short reason.
 * Node-only (files).
 * @module
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ioReason, leavesDirectory, openRegularFile } from '../files.js';
import { READ_CHUNK_BYTES } from '../board/scanner.js';
import {
  isPlainFileName,
  NOT_A_PLAIN_NAME,
  RecordUnreadableError,
  type ByteRange,
  type ByteStream,
  type RecordStore,
  type StoreResult,
} from './store.js';

/** Why a name must not be read from `dir` (not a plain name, or a link out of it), or null. */
async function refusal(dir: string, name: string): Promise<StoreResult<never> | null> {
  if (!isPlainFileName(name)) return NOT_A_PLAIN_NAME;
  const outside = await leavesDirectory(dir, name);
  return outside === null ? null : { ok: false, missing: false, reason: outside };
}

function failure(e: unknown): StoreResult<never> {
  return { ok: false, missing: (e as NodeJS.ErrnoException).code === 'ENOENT', reason: ioReason(e) };
}

/**
 * The record in directory `dir` (the report's `dir` is `dir` as given).
 * @throws RecordUnreadableError from `open()` when `dir` is not a readable directory.
 */
export function directoryRecordStore(dir: string): RecordStore {
  return Object.freeze({
    describe: () => dir,
    where: (name: string) => join(dir, name),

    async open(): Promise<void> {
      let isDir: boolean;
      try {
        isDir = (await stat(dir)).isDirectory();
      } catch (e) {
        throw new RecordUnreadableError(dir, ioReason(e));
      }
      if (!isDir) throw new RecordUnreadableError(dir, 'not a directory');
    },

    async size(name: string): Promise<StoreResult<number>> {
      if (!isPlainFileName(name)) return NOT_A_PLAIN_NAME;
      try {
        return { ok: true, value: (await stat(join(dir, name))).size };
      } catch (e) {
        return failure(e);
      }
    },

    async readFile(name: string, maxBytes: number): Promise<StoreResult<Uint8Array>> {
      const refused = await refusal(dir, name);
      if (refused !== null) return refused;
      try {
        const fh = await openRegularFile(join(dir, name));
        try {
          if ((await fh.stat()).size > maxBytes) return { ok: false, missing: false, reason: `larger than ${maxBytes} bytes` };
          return { ok: true, value: await fh.readFile() };
        } finally {
          await fh.close();
        }
      } catch (e) {
        return failure(e);
      }
    },

    async stream(name: string): Promise<StoreResult<ByteStream>> {
      const refused = await refusal(dir, name);
      if (refused !== null) return refused;
      let fh;
      try {
        fh = await openRegularFile(join(dir, name));
      } catch (e) {
        return failure(e);
      }
      let size: number;
      try {
        size = (await fh.stat()).size;
      } catch (e) {
        await fh.close();
        return failure(e);
      }
      const file = fh;
      // The file is read up to the size it had when opened (an append meanwhile is not read), and
      // closed when the iteration ends, however it ends.
      async function* chunks(): AsyncGenerator<Uint8Array> {
        try {
          for (let pos = 0; pos < size;) {
            const buf = new Uint8Array(Math.min(READ_CHUNK_BYTES, size - pos));
            let bytesRead: number;
            try {
              ({ bytesRead } = await file.read(buf, 0, buf.length, pos));
            } catch (e) {
              throw new Error(ioReason(e), { cause: e });
            }
            if (bytesRead === 0) return;
            pos += bytesRead;
            yield buf.subarray(0, bytesRead);
          }
        } finally {
          await file.close();
        }
      }
      return { ok: true, value: { size, chunks: chunks() } };
    },

    async *readRanges(name: string, ranges: readonly ByteRange[]): AsyncGenerator<Uint8Array> {
      const refused = await refusal(dir, name);
      if (refused !== null && !refused.ok) throw new Error(refused.reason);
      let fh;
      try {
        fh = await openRegularFile(join(dir, name));
      } catch (e) {
        throw new Error(ioReason(e), { cause: e });
      }
      try {
        for (const r of ranges) {
          const buf = new Uint8Array(r.length);
          let bytesRead: number;
          try {
            ({ bytesRead } = await fh.read(buf, 0, r.length, r.offset));
          } catch (e) {
            throw new Error(ioReason(e), { cause: e });
          }
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    },
  });
}
