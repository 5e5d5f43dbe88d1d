/**
 * `mjvote trustee decrypt` decrypts one tally per election, of its own manifest (issue 20,
 * part 2). A 2-of-3 ceremony through the command line; around it the platform builds two
 * records of the same election (same manifest, same ceremony, same fingerprint) with other
 * ballots: two forks of one board, whose two results together would reveal the votes in which
 * they differ. And a record with another manifest (other candidates) under the same election id
 * and the same ceremony, which a key bound to its manifest must refuse.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTrusteeState } from '../../src/ceremony/state-file.js';
import type { TrusteeKey } from '../../src/ceremony/trustee-key.js';
import {
  asTrustee,
  buildRecord,
  checkAll,
  expectOk,
  expectOneLineError,
  g,
  indices,
  initAll,
  manifestFor,
  mjvote,
  newCeremony,
  pass,
  readJson,
  revealAll,
  type Ceremony,
  type Run,
} from './trustee-helpers.js';

describe('mjvote trustee decrypt: one tally per election, of its own manifest', () => {
  let c: Ceremony;
  let ceremony: any;
  let forkA: string;
  let forkB: string;
  const keyOf = (i: number): TrusteeKey<any> =>
    importTrusteeState(readJson(c.state(i)), pass(i), g, { allowWeakKdf: true }) as TrusteeKey<any>;
  const decrypt = (i: number, dir: string, out: string): Promise<Run> =>
    asTrustee(i, ['decrypt', '--state', c.state(i), '--record', dir, '--out', out]);
  const boardHead = (r: Run): string => /BOARD HEAD {2}([0-9a-f]{64})/.exec(r.stdout)![1]!;

  beforeAll(async () => {
    c = await newCeremony('decrypt-once', 'once-2025', 3, 2);
    await initAll(c, indices(3));
    await revealAll(c, indices(3));
    await checkAll(c, indices(3));
    const path = join(c.dir, 'ceremony.json');
    expectOk(await mjvote(['trustee', 'transcript', '--manifest', c.manifestPath, '--messages', c.platform, '--out', path]));
    for (const i of indices(3)) expectOk(await asTrustee(i, ['finish', '--state', c.state(i), '--transcript', path]));
    ceremony = readJson(path);
    forkA = join(c.dir, 'fork-a');
    forkB = join(c.dir, 'fork-b');
    await buildRecord(forkA, c.manifest, ceremony, [
      [0, 1, 2],
      [1, 1, 3],
      [2, 0, 0],
    ]);
    // The same voters but the first, whose ballot the platform replaced by one it knows.
    await buildRecord(forkB, c.manifest, ceremony, [
      [3, 3, 3],
      [1, 1, 3],
      [2, 0, 0],
    ]);
  });

  it('the state remembers the tally decrypted: the same tally again is fine, another board of the election (a fork) is refused', async () => {
    const a1 = await decrypt(1, forkA, join(c.dir, 'share-1-a.json'));
    expectOk(a1);
    const headA = boardHead(a1);
    expect(a1.stdout).toMatch(/compare it with the head the organiser and the other trustees announce/);
    expect(a1.stdout).toMatch(/now records this tally: it will refuse to decrypt any other tally of this election/);
    expect(readJson(join(c.dir, 'share-1-a.json')).boardHead).toBe(headA);
    expect(keyOf(1).decrypted).toEqual([
      {
        fingerprint: readJson(join(c.dir, 'share-1-a.json')).fingerprint,
        boardHead: headA,
        tallySha256: readJson(join(c.dir, 'share-1-a.json')).tallySha256,
      },
    ]);

    // The same tally again (a lost share file, say): the same shares, nothing new revealed.
    const again = await decrypt(1, forkA, join(c.dir, 'share-1-a-again.json'));
    expectOk(again);
    expect(again.stdout).toMatch(/had already recorded this tally/);
    expect(keyOf(1).decrypted).toHaveLength(1);

    // Another board of the same election: refused, quoting the head decrypted before; nothing written.
    const stateBefore = readFileSync(c.state(1), 'utf8');
    const b1 = await decrypt(1, forkB, join(c.dir, 'share-1-b.json'));
    expectOneLineError(
      b1,
      1,
      new RegExp(
        `refusing to decrypt: .*me\\.state already decrypted a tally of election 'once-2025': the board with head ${headA} \\(tally sha256 [0-9a-f]{64}\\)\\. This record's board ends at head [0-9a-f]{64} .*a fork\\. Decrypting two tallies of one election reveals the votes in which they differ`,
      ),
    );
    expect(existsSync(join(c.dir, 'share-1-b.json'))).toBe(false);
    expect(readFileSync(c.state(1), 'utf8')).toBe(stateBefore);

    // Each trustee remembers its own: trustee 2 decrypts fork B first, then refuses fork A.
    const b2 = await decrypt(2, forkB, join(c.dir, 'share-2-b.json'));
    expectOk(b2);
    expect(boardHead(b2)).not.toBe(headA);
    expectOneLineError(
      await decrypt(2, forkA, join(c.dir, 'share-2-a.json')),
      1,
      new RegExp(`already decrypted a tally of election 'once-2025': the board with head ${boardHead(b2)}`),
    );
    // So no t = 2 shares of both forks exist: fork A has trustee 1's, fork B trustee 2's.
    const combineA = await mjvote([
      'trustee',
      'combine',
      '--record',
      forkA,
      '--shares',
      join(c.dir, 'share-1-a.json'),
      join(c.dir, 'share-2-b.json'),
      '--out',
      join(c.dir, 'never.json'),
    ]);
    expect(combineA.code).toBe(1);
    expect(combineA.stderr).toMatch(/1 valid decryption share message\(s\) \(trustees 1\)/);
  });

  it('the state records the tally before the share file is written: a failed write leaves it recorded, and the same tally can be decrypted again', async () => {
    const out = join(c.dir, 'no-such-directory', 'share-3-a.json');
    const r = await decrypt(3, forkA, out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*share-3-a\.json/);
    // The share never left the machine, but the state already says which tally it was of.
    expect(keyOf(3).decrypted.map((d) => d.boardHead)).toEqual([readJson(join(c.dir, 'share-1-a.json')).boardHead]);
    expectOneLineError(await decrypt(3, forkB, join(c.dir, 'share-3-b.json')), 1, /already decrypted a tally of election 'once-2025'/);
    expectOk(await decrypt(3, forkA, join(c.dir, 'share-3-a.json')));
    const combined = await mjvote([
      'trustee',
      'combine',
      '--record',
      forkA,
      '--shares',
      join(c.dir, 'share-1-a.json'),
      join(c.dir, 'share-3-a.json'),
      '--out',
      '-',
    ]);
    expectOk(combined);
    expect(JSON.parse(combined.stdout).meritProfiles.map((p: any) => p.counts)).toEqual([
      ['1', '1', '1', '0'],
      ['1', '2', '0', '0'],
      ['1', '0', '1', '1'],
    ]);
  });

  it('a record with another manifest under the same election id (other candidates, the same ceremony) is refused before anything is checked or decrypted', async () => {
    // Everything else is consistent: the platform set up a board for the other manifest with the
    // real ceremony's keys, cast ballots and tallied; only the manifest's hash betrays it.
    const other = manifestFor('once-2025', 2, c.manifest.trustees.identities!, [
      { id: 'ada', name: 'Ada' },
      { id: 'zed', name: 'Zed' },
      { id: 'cy', name: 'Cy' },
    ]);
    const dir = join(c.dir, 'other-candidates');
    await buildRecord(dir, other, ceremony, [
      [0, 1, 2],
      [1, 2, 3],
    ]);
    for (const i of indices(3)) {
      const stateBefore = readFileSync(c.state(i), 'utf8');
      expectOneLineError(
        await decrypt(i, dir, join(dir, `share-${i}.json`)),
        1,
        /refusing to decrypt: .*other-candidates\/manifest\.json is not the manifest .*me\.state's key was made for, although it has the same election id 'once-2025': its ceremony would be bound to the manifest with sha256 [0-9a-f]{64}, not [0-9a-f]{64}\. A key share decrypts the tally of its own manifest only/,
      );
      expect(existsSync(join(dir, `share-${i}.json`))).toBe(false);
      expect(readFileSync(c.state(i), 'utf8')).toBe(stateBefore);
    }
    // combine, public, refuses it too: its ceremony.json is bound to another manifest.
    expectOneLineError(
      await mjvote(['trustee', 'combine', '--record', dir, '--shares', join(c.dir, 'share-1-a.json'), '--out', join(dir, 'result.json')]),
      1,
      /other-candidates\/ceremony\.json is not the ceremony of .*other-candidates\/manifest\.json: bound to the manifest with sha256 [0-9a-f]{64}, not [0-9a-f]{64}/,
    );
  });
});
