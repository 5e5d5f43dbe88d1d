/**
 * Files a user picked in a page as a {@link RecordStore}: the record's folder chosen with
 * `<input type="file" webkitdirectory>` (each file's `webkitRelativePath` is `folder/name`), or
 * the record's files chosen one by one with `<input type="file" multiple>`. A file is matched by
 * its name relative to the folder; files in subfolders are not part of the record and are left
 * out; two files picked with the same name are refused (which one is the record's?). Ranges are
 * read with `File.slice`; a file changed on disk after it was picked fails to read (the browser
 * refuses), which the verifier reports. Browser-safe (any `File`/`Blob`).
 * @module
 */
import {
  isPlainFileName,
  NOT_A_PLAIN_NAME,
  releaseLock,
  storeErrorReason,
  type ByteRange,
  type ByteStream,
  type RecordStore,
  type StoreResult,
} from './store.js';

/** What {@link fileRecordStore} needs of a `File`. */
export interface PickedFile {
  /** The file's name (without its folder). */
  readonly name: string;
  /** `folder/name` for a file picked with its folder (`webkitdirectory`), else empty or absent. */
  readonly webkitRelativePath?: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Bytes `[start, end)` of it (`File.slice`). */
  slice(start?: number, end?: number): Blob;
  /** Its bytes as a stream (`File.stream`). */
  stream(): ReadableStream<Uint8Array>;
  /** Its bytes (`File.arrayBuffer`). */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The record made of `files` (a `FileList` or an array of `File`s).
 * @throws TypeError when an item is not a file.
 */
export function fileRecordStore(files: ArrayLike<PickedFile> | Iterable<PickedFile>): RecordStore {
  const list = Array.from(files as Iterable<PickedFile>);
  const byName = new Map<string, PickedFile | 'ambiguous'>();
  const folders = new Set<string>();
  list.forEach((f, i) => {
    if (f === null || typeof f !== 'object' || typeof f.name !== 'string' || typeof f.slice !== 'function' || typeof f.size !== 'number')
      throw new TypeError(`files[${i}]: expected a File`);
    const parts = (f.webkitRelativePath || f.name).split('/');
    if (parts.length > 2) return; // inside a subfolder: not a file of the record
    if (parts.length === 2) folders.add(parts[0]!);
    const name = parts[parts.length - 1]!;
    byName.set(name, byName.has(name) ? 'ambiguous' : f);
  });
  const folder = folders.size === 1 ? [...folders][0]! : null;
  const described = folder ?? `${list.length} files picked`;

  function fileOf(name: string): StoreResult<PickedFile> {
    if (!isPlainFileName(name)) return NOT_A_PLAIN_NAME;
    const f = byName.get(name);
    if (f === undefined) return { ok: false, missing: true, reason: 'missing (not among the files picked)' };
    if (f === 'ambiguous') return { ok: false, missing: false, reason: 'two files picked have this name' };
    return { ok: true, value: f };
  }

  return Object.freeze({
    describe: () => described,
    where: (name: string) => (folder === null ? name : `${folder}/${name}`),

    size(name: string): Promise<StoreResult<number>> {
      const f = fileOf(name);
      return Promise.resolve(f.ok ? { ok: true, value: f.value.size } : f);
    },

    async readFile(name: string, maxBytes: number): Promise<StoreResult<Uint8Array>> {
      const f = fileOf(name);
      if (!f.ok) return f;
      if (f.value.size > maxBytes) return { ok: false, missing: false, reason: `larger than ${maxBytes} bytes` };
      try {
        return { ok: true, value: new Uint8Array(await f.value.arrayBuffer()) };
      } catch (e) {
        return { ok: false, missing: false, reason: `cannot read the file picked: ${storeErrorReason(e)}` };
      }
    },

    stream(name: string): Promise<StoreResult<ByteStream>> {
      const f = fileOf(name);
      if (!f.ok) return Promise.resolve(f);
      const file = f.value;
      async function* chunks(): AsyncGenerator<Uint8Array> {
        const reader = file.stream().getReader();
        let done = false;
        try {
          for (;;) {
            let r: ReadableStreamReadResult<Uint8Array>;
            try {
              r = await reader.read();
            } catch (e) {
              throw new Error(`cannot read the file picked: ${storeErrorReason(e)}`, { cause: e });
            }
            if (r.done) {
              done = true;
              return;
            }
            yield r.value;
          }
        } finally {
          if (!done) await reader.cancel().catch(() => undefined);
          releaseLock(reader);
        }
      }
      return Promise.resolve({ ok: true, value: { size: file.size, chunks: chunks() } });
    },

    async *readRanges(name: string, ranges: readonly ByteRange[]): AsyncGenerator<Uint8Array> {
      const f = fileOf(name);
      if (!f.ok) throw new Error(f.reason);
      for (const r of ranges) {
        let bytes: ArrayBuffer;
        try {
          bytes = await f.value.slice(r.offset, r.offset + r.length).arrayBuffer();
        } catch (e) {
          throw new Error(`cannot read the file picked: ${storeErrorReason(e)}`, { cause: e });
        }
        yield new Uint8Array(bytes);
      }
    },
  });
}
