/**
 * The published record as one file to download: a POSIX ustar archive (uncompressed: the
 * board, most of the bytes, is JSON of hex and compresses little, and every `tar` reads it)
 * holding the record's files in one folder, `ELECTIONID-record/`, which `mjvote verify` takes
 * once extracted. Streamed from the files as they are on disk; its size is known before the
 * first byte, so the answer carries a Content-Length.
 *
 * Node-only (files).
 * @module
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';

const BLOCK = 512;

/** One file of the archive: its name inside the archive's folder and its size. */
interface Member {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly mtime: number;
}

/** The archive of `names` (files of `dir`) under the folder `folder`: its size and its bytes. */
export interface RecordArchive {
  /** The archive's length in bytes (headers, contents, padding and the two closing blocks). */
  readonly size: number;
  /** The archive's bytes, read from the files as they are iterated. */
  bytes(): AsyncIterable<Uint8Array>;
}

function octal(n: number, width: number): string {
  // width − 1 octal digits and a NUL, as ustar numeric fields are written.
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** The 512-byte ustar header of a regular file (name ≤ 100 bytes, size < 8 GiB: checked by the caller). */
export function ustarHeader(name: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const put = (offset: number, text: string): void => {
    h.set(new TextEncoder().encode(text), offset);
  };
  put(0, name);
  put(100, octal(0o644, 8)); // mode
  put(108, octal(0, 8)); // uid
  put(116, octal(0, 8)); // gid
  put(124, octal(size, 12));
  put(136, octal(mtime, 12));
  put(148, '        '); // checksum: spaces while summing
  put(156, '0'); // a regular file
  put(257, 'ustar\0');
  put(263, '00');
  const sum = h.reduce((a, b) => a + b, 0);
  put(148, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/**
 * The archive of the files `names` of `dir`, in that order, inside the folder `folder`.
 * @throws RangeError for a name that does not fit a ustar header, or a file of 8 GiB or more.
 */
export function recordArchive(dir: string, folder: string, names: readonly string[]): RecordArchive {
  const members: Member[] = names.map((name) => {
    const inside = `${folder}/${name}`;
    if (new TextEncoder().encode(inside).length > 100) throw new RangeError(`${inside}: longer than a ustar name (100 bytes)`);
    const st = statSync(join(dir, name));
    if (st.size >= 8 ** 11) throw new RangeError(`${name}: 8 GiB or more, more than a ustar size field holds`);
    return { name: inside, path: join(dir, name), size: st.size, mtime: Math.floor(st.mtimeMs / 1000) };
  });
  const size = members.reduce((a, m) => a + BLOCK + m.size + padding(m.size), 0) + 2 * BLOCK;
  return {
    size,
    async *bytes() {
      for (const m of members) {
        yield ustarHeader(m.name, m.size, m.mtime);
        let sent = 0;
        // Exactly the size announced in the header, even if the file changed since (it must not:
        // a published record is final); a shorter file is padded, a longer one cut.
        for await (const chunk of createReadStream(m.path, { highWaterMark: 64 * 1024, end: Math.max(0, m.size - 1) })) {
          const c = chunk as Buffer;
          const take = Math.min(c.length, m.size - sent);
          if (take > 0) yield new Uint8Array(c.buffer, c.byteOffset, take);
          sent += take;
          if (m.size === 0) break;
        }
        if (sent < m.size) yield new Uint8Array(m.size - sent);
        if (padding(m.size) > 0) yield new Uint8Array(padding(m.size));
      }
      yield new Uint8Array(2 * BLOCK);
    },
  };
}
