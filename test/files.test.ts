/**
 * Files from outside that are not what they claim: a named pipe, a directory, a symbolic link
 * out of the record directory. Each is refused with a reason, never read (a pipe would block
 * forever) and never quoted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ioReason, leavesDirectory, openRegularFile, NOT_REGULAR, readRegularFileSync } from '../src/files.js';
import { verifyRecord } from '../src/verify/verify-record.js';
import { RecordUnreadableError } from '../src/record/reader.js';
import { readTextInput, UsageError } from '../src/cli/command.js';
import { copyRecord, removeCopies } from './verify/helpers.js';

const GOLDEN = fileURLToPath(new URL('./fixtures/golden-record-v1', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'mjvote-files-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  removeCopies();
});
const haveMkfifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;
const fifo = (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0);
const io = { stdout: () => {}, stderr: () => {} };

describe.skipIf(!haveMkfifo)('a named pipe in place of a file (nobody writes to it)', () => {
  it('openRegularFile refuses it at once; a directory too; a regular file opens', async () => {
    const p = join(tmp, 'pipe');
    fifo(p);
    await expect(openRegularFile(p)).rejects.toMatchObject({ code: NOT_REGULAR });
    expect(() => readRegularFileSync(p)).toThrow(expect.objectContaining({ code: NOT_REGULAR }));
    await expect(openRegularFile(tmp)).rejects.toMatchObject({ code: 'EISDIR' });
    writeFileSync(join(tmp, 'f'), 'x');
    await (await openRegularFile(join(tmp, 'f'))).close();
    expect(ioReason(Object.assign(new Error(), { code: NOT_REGULAR }))).toMatch(/not a regular file/);
  });

  it('the verifier reports it: board (check 5), result.json (check 8), manifest.json (unreadable)', async () => {
    const dir = copyRecord(GOLDEN);
    for (const f of ['board.jsonl', 'result.json']) {
      rmSync(join(dir, f));
      fifo(join(dir, f));
    }
    const r = await verifyRecord(dir);
    expect(r.checks[4]!.failures.map((f) => f.reason)).toContain(
      'cannot read the board: not a regular file (a pipe, a device or a directory)',
    );
    expect(r.checks[7]!.failures.map((f) => f.reason)).toContain(
      'cannot read the file: not a regular file (a pipe, a device or a directory)',
    );
    rmSync(join(dir, 'manifest.json'));
    fifo(join(dir, 'manifest.json'));
    await expect(verifyRecord(dir)).rejects.toMatchObject({
      path: 'manifest.json',
      reason: 'not a regular file (a pipe, a device or a directory)',
    });
  });

  it('a trustee file given as a pipe is a usage error', async () => {
    const p = join(tmp, 'share-pipe');
    fifo(p);
    await expect(readTextInput(p, io)).rejects.toThrow(UsageError);
    await expect(readTextInput(p, io)).rejects.toThrow(/not a regular file/);
  });
});

describe.skipIf(process.platform === 'win32')('symbolic links', () => {
  it('a link out of the record directory is refused and never quoted; a link inside it is followed', async () => {
    const secret = join(tmp, 'secret.key');
    writeFileSync(secret, '{"key":"SECRET-DO-NOT-PRINT"}');
    const dir = copyRecord(GOLDEN);
    expect(await leavesDirectory(dir, 'result.json')).toBeNull();
    rmSync(join(dir, 'manifest.json'));
    symlinkSync(secret, join(dir, 'manifest.json'));
    expect(await leavesDirectory(dir, 'manifest.json')).toMatch(/leads out of the record directory/);
    const e = await verifyRecord(dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RecordUnreadableError);
    expect((e as Error).message).toMatch(/manifest\.json: a link that leads out of the record directory/);
    expect((e as Error).message).not.toMatch(/SECRET/);

    const other = copyRecord(GOLDEN);
    rmSync(join(other, 'board.jsonl'));
    symlinkSync(join(GOLDEN, 'board.jsonl'), join(other, 'board.jsonl')); // the same bytes, but outside
    const b = await verifyRecord(other);
    expect(b.checks[4]!.failures.map((f) => f.reason)).toContain('cannot read the board: a link that leads out of the record directory');

    const inside = copyRecord(GOLDEN);
    copyFileSync(join(inside, 'result.json'), join(inside, 'result-copy.json'));
    rmSync(join(inside, 'result.json'));
    symlinkSync('result-copy.json', join(inside, 'result.json'));
    expect((await verifyRecord(inside)).ok).toBe(true);
  });
});
