/**
 * Known-answer vector: `vectors/board-v1-example.jsonl` and the hashes below were produced by an
 * independent Python script (hashlib + json.dumps(sort_keys, no whitespace, ensure_ascii=False))
 * from the specification in docs/board.md, not by this code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { genesisHash } from '../../src/board/chain.js';
import { openLog } from '../../src/board/log.js';
import { readEntries } from '../../src/board/reader.js';
import { tempDir } from './helpers.js';

const VECTOR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vectors', 'board-v1-example.jsonl');
const ELECTION = 'mjvote-example-2024';
const GENESIS = 'b3c6208455ee47b13dda7e1625428b7f7b4fe0be231789e0b51947c5f49bb321';
const HASHES = [
  'fc90fcfb975dd34da6c0c02a8342c6a18cf2e95868c66745516b32b896baff40',
  'b236fe878a1afbb0d5d8ed24e99990ef7c2d6d8da73d302738677ef0fcf82a24',
  '6113396ecb06dc59fa0979cf61c15de00712ce8f5211c52e3fa45f7aa9f25900',
];

describe('board format v1 known-answer vector', () => {
  it('the reader accepts it with the expected hashes', async () => {
    expect(genesisHash(ELECTION)).toBe(GENESIS);
    const reader = readEntries(VECTOR, { electionId: ELECTION });
    const hashes: string[] = [];
    for await (const e of reader) hashes.push(e.hash);
    expect(hashes).toEqual(HASHES);
    expect(reader.summary).toMatchObject({ entries: 3, head: HASHES[2], seal: { seq: 2, head: HASHES[1], hash: HASHES[2] } });
  });

  it('the writer produces it byte for byte', () => {
    const file = path.join(tempDir(), 'board.jsonl');
    const times = ['2024-03-01T09:00:00.000Z', '2024-03-01T09:00:00.001Z', '2024-03-01T18:00:00.000Z'];
    let i = 0;
    const { log } = openLog(file, { electionId: ELECTION, create: true, clock: () => new Date(times[i++]!) });
    log.appendEntry('setup', { manifest: { electionId: ELECTION, title: "Élection d'exemple" }, grades: 5 });
    log.appendEntry('credentials', { list: ['c1', 'c2'] });
    expect(log.seal().hash).toBe(HASHES[2]);
    log.close();
    expect(fs.readFileSync(file)).toEqual(fs.readFileSync(VECTOR));
  });
});
