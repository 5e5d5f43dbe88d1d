/**
 * The ballot box's receipt key on disk and on the board (issue 22): `BallotBox.create` publishes
 * it in the setup entry and `open` reads it back; `openElection` makes it, writes `box-key.json`
 * (mode 600, never replaced) and publishes its public key; `readBoxKey` gives it to the server
 * only when the file is private, this election's, and the key the board publishes.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BallotBox } from '../../src/board/ballot-box.js';
import { BOX_KEY_FILE, ballotBoxKeyFileToJson, generateBallotBoxKey, parseBallotBoxKeyFile } from '../../src/board/box-key.js';
import { readEntries } from '../../src/board/reader.js';
import { FormatError } from '../../src/errors.js';
import { openElection, readBoxKey, readElectionDirectory } from '../../src/authority/election-directory.js';
import { prepareElection } from '../../src/demo/simulate.js';
import { smallElection } from '../election/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mjvote-box-key-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(tmp, `d${++n}`);

async function setupPayload(board: string, electionId: string): Promise<Record<string, unknown>> {
  for await (const e of readEntries(board, { electionId })) return e.payload;
  throw new Error('empty board');
}

describe('the setup entry publishes the receipt key', () => {
  const E = smallElection({ voters: 1, candidates: 2, grades: 2 });

  it('BallotBox.create writes receiptKey into the setup payload; open reads it back', async () => {
    const key = generateBallotBoxKey();
    const path = join(fresh() + '.jsonl');
    const box = BallotBox.create(path, E.election, E.list, 'ab'.repeat(32), { receiptKey: key.publicKeyHex });
    expect(box.receiptKey).toBe(key.publicKeyHex);
    box.close();
    const p = await setupPayload(path, E.manifest.electionId);
    expect(Object.keys(p).sort()).toEqual(['ceremonySha256', 'election', 'receiptKey']);
    expect(p.receiptKey).toBe(key.publicKeyHex);
    const { box: again } = BallotBox.open(path, E.election, E.list);
    expect(again.receiptKey).toBe(key.publicKeyHex);
    again.close();
  });

  it('without the option the setup entry is as before and receiptKey is null', async () => {
    const path = join(fresh() + '.jsonl');
    const box = BallotBox.create(path, E.election, E.list, 'ab'.repeat(32));
    expect(box.receiptKey).toBeNull();
    box.close();
    expect(Object.keys(await setupPayload(path, E.manifest.electionId)).sort()).toEqual(['ceremonySha256', 'election']);
    const { box: again } = BallotBox.open(path, E.election, E.list);
    expect(again.receiptKey).toBeNull();
    again.close();
  });

  it('refuses a receipt key that is not a valid Ed25519 public key, and writes nothing', () => {
    for (const bad of ['00'.repeat(32), 'AB'.repeat(32), 'ab'.repeat(31)]) {
      const path = join(fresh() + '.jsonl');
      expect(() => BallotBox.create(path, E.election, E.list, 'ab'.repeat(32), { receiptKey: bad })).toThrow(
        expect.objectContaining({ path: 'receiptKey' }),
      );
      expect(() => statSync(path)).toThrow(/ENOENT/);
    }
  });
});

describe('openElection makes the box key; readBoxKey hands it to the server', () => {
  const dir = fresh();
  const prepared = prepareElection({ voters: 2, candidates: 2, grades: 2, trustees: 2, threshold: 1, out: dir, seed: 'box-key' });
  const file = join(dir, BOX_KEY_FILE);

  it('writes box-key.json with mode 600, publishes its key in the setup entry, and returns only the public key', async () => {
    const d = prepared.directory;
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const { electionId, key } = parseBallotBoxKeyFile(json);
    expect(electionId).toBe(d.manifest.electionId);
    expect((d as { receiptKey?: string }).receiptKey).toBe(key.publicKeyHex);
    expect((await setupPayload(join(dir, 'board.jsonl'), electionId)).receiptKey).toBe(key.publicKeyHex);
    // The secret is in the file only: not in what openElection returns, nor in the directory's other files.
    expect(JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(json.secretKey);
    for (const f of ['board.jsonl', 'manifest.json', 'ceremony.json', 'credentials.json', 'board.checkpoint'])
      expect(readFileSync(join(dir, f), 'utf8')).not.toContain(json.secretKey);
    const read = await readBoxKey(readElectionDirectory(dir));
    expect(read.publicKeyHex).toBe(key.publicKeyHex);
    expect(JSON.stringify(read)).not.toContain(json.secretKey);
  });

  it('readBoxKey refuses a file others can read, of another election, or whose key the board does not publish', async () => {
    const d = readElectionDirectory(dir);
    const original = readFileSync(file, 'utf8');
    const put = (text: string): void => {
      rmSync(file, { force: true });
      writeFileSync(file, text, { mode: 0o600 });
    };
    try {
      if (process.platform !== 'win32') {
        chmodSync(file, 0o644);
        await expect(readBoxKey(d)).rejects.toThrow(/can be read by other users of this machine: it is a secret key \(chmod 600/);
        chmodSync(file, 0o600);
      }
      const other = generateBallotBoxKey();
      put(JSON.stringify(ballotBoxKeyFileToJson(other, d.manifest.electionId)));
      await expect(readBoxKey(d)).rejects.toThrow(/not the receipt key the board's setup entry publishes/);
      put(JSON.stringify({ ...JSON.parse(original), electionId: 'another' }));
      await expect(readBoxKey(d)).rejects.toThrow(/is the box key of election 'another', not of/);
      put(JSON.stringify({ ...JSON.parse(original), publicKey: other.publicKeyHex }));
      await expect(readBoxKey(d)).rejects.toThrow(FormatError);
      put(original);
      await expect(readBoxKey(d)).resolves.toBeDefined();
      rmSync(file);
      await expect(readBoxKey(d)).rejects.toThrow(/box-key\.json: cannot read/);
    } finally {
      put(original);
    }
  });

  it('openElection never replaces an existing box key (the directory must be empty)', () => {
    expect(() =>
      openElection(dir, {
        manifest: prepared.directory.manifest,
        ceremony: prepared.directory.transcript.toJson(),
        credentials: JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')),
      }),
    ).toThrow(/is not empty/);
  });
});
