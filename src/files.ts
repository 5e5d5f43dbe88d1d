/**
 * Opening files that come from outside (a record directory, a trustee's input files), Node only:
 * a named pipe, a device or a directory in place of a file is refused instead of read (reading a
 * pipe nobody writes to would block forever), and I/O failures get a short reason.
 * @module
 */
import { constants, fstatSync, openSync, closeSync, readFileSync } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { relative, isAbsolute, join } from 'node:path';

/** The code of the error thrown for a path that is not a regular file. */
export const NOT_REGULAR = 'ENOTREGULAR';

function notRegular(path: string, directory: boolean): NodeJS.ErrnoException {
  return directory
    ? Object.assign(new Error(`${path}: is a directory`), { code: 'EISDIR', path })
    : Object.assign(new Error(`${path}: not a regular file`), { code: NOT_REGULAR, path });
}

/**
 * Opens `path` for reading, refusing anything but a regular file. The file is opened without
 * blocking (a FIFO with no writer would otherwise block the open), then checked with fstat on
 * the open descriptor (so what is read is what was checked).
 * @throws a Node error with code ENOENT, EACCES … or {@link NOT_REGULAR}.
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw notRegular(path, s.isDirectory());
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** The whole of a regular file (see {@link openRegularFile}). */
export async function readRegularFile(path: string): Promise<Buffer> {
  const fh = await openRegularFile(path);
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** {@link readRegularFile}, synchronously. */
export function readRegularFileSync(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw notRegular(path, s.isDirectory());
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Why `name` inside `dir` must not be read, or null: a symbolic link (or a path through one)
 * that leads out of `dir`. A record is read from its directory only, so a `manifest.json` that
 * points at a file elsewhere (a key, /etc/…) is refused instead of read and quoted in errors.
 * A name that does not exist gives null (the caller reports it missing).
 */
export async function leavesDirectory(dir: string, name: string): Promise<string | null> {
  let real: string;
  let root: string;
  try {
    [real, root] = await Promise.all([realpath(join(dir, name)), realpath(dir)]);
  } catch {
    return null;
  }
  const r = relative(root, real);
  return r === '' || r.startsWith('..') || isAbsolute(r) ? 'a link that leads out of the record directory' : null;
}

/** A short reason for a failed file-system call. */
export function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'missing (no such file or directory)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a path component is not a directory';
  if (code === NOT_REGULAR) return 'not a regular file (a pipe, a device or a directory)';
  if (code === 'ELOOP') return 'a loop of symbolic links';
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
