import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { entryHash, genesisHash, serializeEntry } from '../../src/board/chain.js';
import type { JsonObject } from '../../src/json/canonical.js';
import { openLog } from '../../src/board/log.js';
import { utf8 } from '../../src/bytes.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mjvote-board-'));
  roots.push(d);
  return d;
}

export const ELECTION = 'test-election-2024';
export const T0 = Date.UTC(2024, 0, 15, 8, 0, 0);

/** A deterministic clock: one millisecond per call. */
export function fixedClock(start = T0): () => Date {
  let t = start;
  return () => new Date(t++);
}

/** Writes a board with setup, credentials, `ballots` ballots and closes it; returns its path. */
export function makeBoard(ballots: number, dir = tempDir(), name = 'board.jsonl'): string {
  const file = path.join(dir, name);
  const { log } = openLog(file, { electionId: ELECTION, create: true, clock: fixedClock() });
  log.appendEntry('setup', { manifest: { id: ELECTION, candidates: ['a', 'b'] } });
  log.appendEntry('credentials', { list: ['c0', 'c1', 'c2'] });
  for (let i = 0; i < ballots; i++) log.appendEntry('ballot', { credential: `c${i % 3}`, answer: i, text: 'é ü 日本 \u0001 "q" \\' });
  log.close();
  return file;
}

/** The lines of a file, without their newlines (the file must end with a newline). */
export function readLines(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) throw new Error('test helper expects a final newline');
  return text.slice(0, -1).split('\n');
}

export function writeLines(file: string, lines: string[]): void {
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
}

/**
 * Forges a board whose hash chain is correct (as an attacker with write access could),
 * for checking the rules that do not rest on the chain alone.
 */
export function forgeBoard(file: string, entries: { kind: string; payload: JsonObject }[], electionId = ELECTION): void {
  let prev = genesisHash(electionId);
  const clock = fixedClock();
  const lines = entries.map((e, seq) => {
    const text = serializeEntry({ seq, prev, kind: e.kind, time: clock().toISOString(), payload: e.payload });
    prev = entryHash(utf8(text));
    return text;
  });
  writeLines(file, lines);
}

/** Runs `fn` and returns what it threw (fails the test when it returns). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}

export async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
