/**
 * The single-writer lock of a board file: `<file>.lock`, holding one JSON line
 * `{"pid":…,"host":"…","boot":"…","nonce":"…","time":"…"}`. It is created atomically with its
 * content (written to a private temporary file, then hard-linked to the lock name, which fails
 * if the name exists), so a reader never sees a half-written lock.
 *
 * A lock is **stale** when it was taken on this host and either the machine has rebooted since
 * (Linux boot id) or no process has its pid; a stale lock is taken over automatically. A lock
 * from another host, or one that cannot be read, is never broken automatically: the caller gets
 * a `ProtocolError` with code `'locked'` that says what to check before deleting the file.
 * @module
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { ProtocolError } from '../errors.js';
import { randomBytes, toHex } from '../bytes.js';

/** What a lock file records about its holder. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Linux boot id (`/proc/sys/kernel/random/boot_id`), or `""` where there is none. */
  readonly boot: string;
  /** Random, to tell two holders with the same pid apart. */
  readonly nonce: string;
  readonly time: string;
}

/** A held lock. */
export interface FileLock {
  /** Path of the lock file. */
  readonly path: string;
  /** What was written into it. */
  readonly owner: LockOwner;
  /** True when an earlier holder's stale lock was taken over. */
  readonly tookOverStale: LockOwner | null;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

let cachedBoot: string | undefined;
function bootId(): string {
  if (cachedBoot === undefined) {
    try {
      cachedBoot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBoot = '';
    }
  }
  return cachedBoot;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function readOwner(path: string): { text: string; owner: LockOwner | null } | null {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    const ok =
      Number.isSafeInteger(o.pid) &&
      typeof o.host === 'string' &&
      typeof o.boot === 'string' &&
      typeof o.nonce === 'string' &&
      typeof o.time === 'string';
    return { text, owner: ok ? (o as LockOwner) : null };
  } catch {
    return { text, owner: null };
  }
}

/** Whether a lock held by `owner` is stale (its writer is gone), and why. */
function staleness(owner: LockOwner): { stale: boolean; why: string } {
  if (owner.host !== os.hostname())
    return { stale: false, why: 'it was taken on another host, so this process cannot tell whether its writer runs' };
  if (owner.boot !== '' && bootId() !== '' && owner.boot !== bootId()) return { stale: true, why: 'the machine has rebooted since' };
  if (owner.pid === process.pid) return { stale: false, why: 'this process already has it open' };
  return pidAlive(owner.pid)
    ? { stale: false, why: `process ${owner.pid} is running` }
    : { stale: true, why: `process ${owner.pid} no longer exists` };
}

function lockedError(lockPath: string, owner: LockOwner | null, why: string): ProtocolError {
  const who = owner === null ? 'an unreadable lock file' : `process ${owner.pid} on host ${JSON.stringify(owner.host)} since ${owner.time}`;
  return new ProtocolError(
    `${lockPath}: the board is locked by ${who} (${why}); if no writer is running, delete the lock file and open again`,
    'locked',
  );
}

/**
 * Takes the exclusive lock `<file>.lock` for a board file.
 * @throws ProtocolError with code `'locked'` when another live writer holds it.
 */
export function acquireLock(file: string): FileLock {
  const lockPath = `${file}.lock`;
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    boot: bootId(),
    nonce: toHex(randomBytes(16)),
    time: new Date().toISOString(),
  };
  const content = `${JSON.stringify(owner)}\n`;
  const tmp = `${lockPath}.${owner.nonce}.tmp`;
  fs.writeFileSync(tmp, content, { flag: 'wx' });
  let tookOverStale: LockOwner | null = null;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(tmp, lockPath);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = readOwner(lockPath);
      if (held === null) continue; // released between our link and our read: try again
      if (held.owner === null) throw lockedError(lockPath, null, 'its content is not a lock record');
      const { stale, why } = staleness(held.owner);
      if (!stale) throw lockedError(lockPath, held.owner, why);
      if (attempt >= 3) throw lockedError(lockPath, held.owner, 'contended while taking over a stale lock');
      // Move the stale lock aside atomically, then make sure what we moved is the one we judged stale.
      const aside = `${lockPath}.${owner.nonce}.stale`;
      try {
        fs.renameSync(lockPath, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const moved = fs.readFileSync(aside, 'utf8');
      if (moved !== held.text) {
        // Another process replaced the stale lock in between: put its lock back and give up.
        try {
          fs.linkSync(aside, lockPath);
        } catch {
          /* a third process holds the name now; ours is the conservative failure below */
        }
        fs.unlinkSync(aside);
        throw lockedError(lockPath, null, 'another process took over the stale lock at the same time');
      }
      fs.unlinkSync(aside);
      tookOverStale = held.owner;
    }
  } finally {
    fs.unlinkSync(tmp);
  }
  let released = false;
  return {
    path: lockPath,
    owner,
    tookOverStale,
    release(): void {
      if (released) return;
      released = true;
      const held = readOwner(lockPath);
      if (held !== null && held.text === content) fs.unlinkSync(lockPath);
    },
  };
}
