/**
 * Nothing acknowledged is lost (issue 22): `mjvote serve` runs as its own process while clients
 * post ballots; it is killed with SIGKILL several times and restarted. Every receipt a client
 * received names an entry that is on the board with the same seq and hash; ballots whose
 * request failed are posted again (a retry: the original receipt if it had been appended). The
 * organiser then closes, tallies and publishes with `mjvote election` talking to the running
 * server, and `mjvote verify --receipt` accepts the record and every receipt. A SIGTERM stops the
 * server gracefully: everything in flight answered, exit 0.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryHash } from '../../src/board/chain.js';
import { runCliFromSource, serveProcess, type ServeProcess } from '../helpers/cli.js';
import { electionFixture } from './fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'mjvote-server-crash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Starts `mjvote serve DIR` on one checker thread and resolves once it prints its address. */
const serve = (dir: string, ...args: string[]): Promise<ServeProcess> => serveProcess(dir, ['--workers', '1', ...args]);

interface Receipt {
  seq: number;
  entryHash: string;
  ballotHash: string;
  trackingCode: string;
}

/** Posts one ballot; resolves to its receipt, or null when the request failed or was not acknowledged. */
async function postBallot(url: string, text: string): Promise<Receipt | null> {
  try {
    const r = await fetch(`${url}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    if (r.status !== 201 && r.status !== 200) return null;
    return ((await r.json()) as { receipt: Receipt }).receipt;
  } catch {
    return null; // the server died under the request: nothing was acknowledged
  }
}

describe('mjvote serve under SIGKILL and SIGTERM', () => {
  it('loses nothing it acknowledged, across kills and restarts; retries get the original receipts', async () => {
    const f = electionFixture(tmp, 'kill', { voters: 60 });
    const ballots = Array.from({ length: 60 }, (_, k) => f.ballot(k, [k % 3, (k + 1) % 3, (k + 2) % 3]).text);
    const receipts = new Map<number, Receipt>(); // ballot index → the receipt a client got
    let next = 0;
    for (let round = 0; round < 4; round++) {
      const s = await serve(f.dir);
      // Four clients post ballots one after another until the server is killed under them.
      const clients = Array.from({ length: 4 }, async () => {
        for (;;) {
          const k = next++;
          if (k >= ballots.length) return;
          const r = await postBallot(s.url, ballots[k]!);
          if (r === null) return; // the server is gone; this ballot is retried later
          receipts.set(k, r);
        }
      });
      // Kill it once some ballots went through, while others are in flight.
      const target = receipts.size + 5;
      while (receipts.size < target && next < ballots.length) await new Promise((r) => setTimeout(r, 10));
      s.child.kill('SIGKILL');
      await s.exited;
      await Promise.all(clients);
    }
    // A last server: every ballot without a receipt is posted again (retries of the lost ones).
    const s = await serve(f.dir);
    for (let k = 0; k < ballots.length; k++) {
      const r = await postBallot(s.url, ballots[k]!);
      expect(r, `ballot ${k}`).not.toBeNull();
      const first = receipts.get(k);
      // A ballot acknowledged before a kill gets the very same receipt again.
      if (first !== undefined) expect(r).toEqual(first);
      receipts.set(k, r!);
    }
    // Every receipt names its entry: same seq, same hash, same ballot.
    const lines = readFileSync(join(f.dir, 'board.jsonl'));
    const text = lines
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    for (const r of receipts.values()) {
      const line = text[r.seq]!;
      expect(entryHash(new TextEncoder().encode(line))).toBe(r.entryHash);
      expect(JSON.parse(line)).toMatchObject({ seq: r.seq, kind: 'ballot' });
    }
    expect(text.length).toBe(2 + ballots.length);
    // The organiser's steps reach the running server; trustees decrypt; the record verifies with every receipt.
    expect(runCliFromSource(['election', 'close', f.dir])).toMatchObject({ status: 0 });
    const tally = runCliFromSource(['election', 'tally', f.dir, '--json']);
    expect(tally.status).toBe(0);
    const head = (JSON.parse(tally.stdout) as { head: string }).head;
    const files = f.shareFiles([1, 2], head).map((x) => {
      const path = join(tmp, `kill-${x.name}`);
      writeFileSync(path, JSON.stringify(x.json));
      return path;
    });
    const pub = runCliFromSource(['election', 'publish', f.dir, '--shares', ...files]);
    expect(pub.status, pub.stderr).toBe(0);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const receiptsFile = join(tmp, 'receipts.jsonl');
    writeFileSync(receiptsFile, [...receipts.values()].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const v = runCliFromSource(['verify', f.dir, '--receipt', receiptsFile, '--json']);
    expect(v.status, v.stderr).toBe(0);
  });

  it('SIGTERM: stops accepting, answers what is in flight, exits 0', async () => {
    const f = electionFixture(tmp, 'term', { voters: 20 });
    const ballots = Array.from({ length: 20 }, (_, k) => f.ballot(k, [0, 1, 2]).text);
    const s = await serve(f.dir);
    const answers = ballots.map(async (b) => {
      try {
        return (await fetch(`${s.url}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b })).status;
      } catch {
        return 'refused-connection';
      }
    });
    await new Promise((r) => setTimeout(r, 50));
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const statuses = await Promise.all(answers);
    // Each got an answer: acknowledged (on disk), or told to come back; none left hanging.
    for (const st of statuses) expect([201, 503, 'refused-connection']).toContain(st);
    const lines = readFileSync(join(f.dir, 'board.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines.length - 2).toBe(statuses.filter((x) => x === 201).length);
    expect(s.stdout()).toMatch(/stopped: \d+ entries/);
  });
});
