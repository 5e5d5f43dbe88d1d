/**
 * Board throughput: appends per second with an fsync per entry vs group commit (one fsync per
 * batch), for a 1 KB payload and a ballot-sized one (29 KB, the JSON of a 7 × 5 ballot), next
 * to a raw `writeSync` + `fsyncSync` of the same bytes; and streaming read-and-verify speed.
 * For a group commit of k entries, entries/s = k × the reported hz.
 * Run: `npx vitest bench --run bench/board.bench.ts` (numbers in docs/board.md, "Performance").
 * The board files go to the OS temporary directory: fsync costs depend on that disk.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { openLog, type BoardLog } from '../src/board/log.js';
import { verifyBoard } from '../src/board/reader.js';
import { randomBytes, toHex } from '../src/bytes.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mjvote-board-bench-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const ELECTION = 'bench';
const opts = { time: 1500, warmupIterations: 5 };

let n = 0;
function board(): BoardLog {
  const { log } = openLog(path.join(dir, `b${n++}.jsonl`), { electionId: ELECTION, create: true });
  log.appendEntry('setup', {});
  log.appendEntry('credentials', { list: [] });
  return log;
}

/** A payload of about `bytes` bytes of JSON, shaped like ballot data (hex strings). */
function payload(bytes: number): { credential: string; ciphertexts: string[] } {
  const count = Math.max(1, Math.round(bytes / 131));
  return { credential: toHex(randomBytes(32)), ciphertexts: Array.from({ length: count }, () => toHex(randomBytes(64))) };
}

for (const [label, size] of [
  ['1 KB', 1024],
  ['29 KB (one 7 × 5 ballot)', 29_400],
] as const) {
  const p = payload(size);
  describe(`board append, ${label} payload`, () => {
    const single = board();
    bench('appendEntry: write + fsync per entry', () => void single.appendEntry('ballot', p), opts);
    for (const k of [8, 64]) {
      const log = board();
      const batch = Array.from({ length: k }, () => ({ kind: 'ballot', payload: p }));
      bench(`appendMany: ${k} entries, one fsync (entries/s = ${k} × hz)`, () => void log.appendMany(batch), opts);
    }
    const line = Buffer.from(
      `${JSON.stringify({ v: 1, seq: 0, prev: '0'.repeat(64), kind: 'ballot', time: new Date().toISOString(), payload: p })}\n`,
    );
    const fd = fs.openSync(path.join(dir, `raw${n++}`), 'a');
    bench(
      'baseline: raw writeSync + fsyncSync of one line of the same size',
      () => {
        fs.writeSync(fd, line);
        fs.fsyncSync(fd);
      },
      opts,
    );
  });
}

describe('board read and verify (streaming), 2,000 entries × 29 KB ≈ 59 MB', () => {
  const log = board();
  const p = payload(29_400);
  for (let i = 0; i < 2000; i += 100) log.appendMany(Array.from({ length: 100 }, () => ({ kind: 'ballot', payload: p })));
  const file = log.path;
  log.close();
  bench('verifyBoard (parse, canonical check, SHA-256 chain)', async () => void (await verifyBoard(file, { electionId: ELECTION })), {
    iterations: 5,
    time: 0,
    warmupIterations: 1,
  });
});
