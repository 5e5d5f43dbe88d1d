/**
 * Test helpers for the verifier: copy a record, edit its board and re-chain it (so that an edit
 * is a consistent forgery and only the check that should catch it fails), run the CLI in-process.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryHash, genesisHash, serializeEntry } from '../../src/board/chain.js';
import type { JsonObject } from '../../src/json/canonical.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';
import type { VerificationReport } from '../../src/verify/report.js';
import { parseManifest } from '../../src/election/manifest.js';
import { groupById } from '../../src/group/index.js';
import { ceremonyParamsForManifest, type CeremonyParams } from '../../src/ceremony/params.js';
import { identitySignedBytes, type SignedMessageKind } from '../../src/ceremony/signatures.js';
import type { TrusteeIdentity } from '../../src/election/trustee-identity.js';
import { toHex, utf8 } from '../../src/bytes.js';

/** A board line as a plain object (`{v, seq, prev, kind, time, payload}`). */
export interface Line {
  v: number;
  seq: number;
  prev: string;
  kind: string;
  time: string;
  payload: JsonObject;
}

const made: string[] = [];

/** A fresh copy of a record directory (removed by {@link removeCopies}). */
export function copyRecord(src: string): string {
  const dir = tempDir();
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** A new temporary directory (removed by {@link removeCopies}). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mjvote-verify-'));
  made.push(dir);
  return dir;
}

/** Removes every directory made by {@link copyRecord} and {@link tempDir} (call in afterAll). */
export function removeCopies(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function readJson<T = any>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}

export function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), JSON.stringify(value, null, 1) + '\n');
}

/** The board's lines, parsed. */
export function readBoard(dir: string): Line[] {
  return readFileSync(join(dir, 'board.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

/** Writes lines as they are (no re-chaining): an edit that breaks the chain. */
export function writeBoardRaw(dir: string, lines: readonly Line[]): void {
  writeFileSync(join(dir, 'board.jsonl'), lines.map((l) => serializeEntry(l)).join('\n') + '\n');
}

/**
 * Writes lines re-chained as a forger would: seq renumbered, every prev recomputed from the
 * genesis of the record's election, the seal's entries and head recomputed, record.json's
 * boardHead updated. With `fixSealCounts` the seal's `ballots` and `counted` are recomputed too
 * (ballot entries before the seal, distinct credentials among them).
 */
export function writeBoardRechained(dir: string, lines: readonly Line[], opts: { fixSealCounts?: boolean } = {}): void {
  const index = readJson(dir, 'record.json');
  let prev = genesisHash(index.electionId);
  const out: string[] = [];
  const credentials = new Set<string>();
  let ballots = 0;
  lines.forEach((l, seq) => {
    let payload = l.payload;
    if (l.kind === 'seal') {
      payload = { ...payload, entries: seq, head: prev };
      if (opts.fixSealCounts) payload = { ...payload, ballots, counted: credentials.size };
    }
    if (l.kind === 'ballot' && !lines.slice(0, seq).some((x) => x.kind === 'seal')) {
      ballots++;
      credentials.add((l.payload.ballot as JsonObject).credential as string);
    }
    const text = lineText({ seq, prev, kind: l.kind, time: l.time, payload });
    out.push(text);
    prev = entryHash(utf8(text));
  });
  writeFileSync(join(dir, 'board.jsonl'), out.join('\n') + '\n');
  writeJson(dir, 'record.json', { ...index, boardHead: prev });
}

/**
 * The canonical line, or, for a payload canonical JSON refuses (e.g. a number beyond 2^53), the
 * same envelope with the payload as JSON.stringify writes it (chained, but not canonical).
 */
function lineText(e: Parameters<typeof serializeEntry>[0]): string {
  try {
    return serializeEntry(e);
  } catch {
    return `{"v":1,"seq":${e.seq},"prev":"${e.prev}","kind":"${e.kind}","time":"${e.time}","payload":${JSON.stringify(e.payload)}}`;
  }
}

/** Flips one hex digit of a hex string (position `i`, default the first): 0↔1, else → 0. */
export function flipHex(h: string, i = 0): string {
  const c = h[i]!;
  return h.slice(0, i) + (c === '0' ? '1' : '0') + h.slice(i + 1);
}

/** Index of the n-th line of a kind. */
export function lineOf(lines: readonly Line[], kind: string, n = 0): number {
  const idx = lines.map((l, i) => (l.kind === kind ? i : -1)).filter((i) => i >= 0);
  if (idx[n] === undefined) throw new Error(`no ${kind} line #${n}`);
  return idx[n]!;
}

/**
 * The numbers of the checks that did not pass. Check 10 (receipts) skipped because no receipt
 * was given is no fault of the record, and is left out.
 */
export function failedChecks(r: VerificationReport): number[] {
  return r.checks.filter((c) => c.status !== 'pass' && !(c.number === 10 && c.status === 'skipped')).map((c) => c.number);
}

/** Every failure of a report, flattened (for assertions and messages). */
export function allFailures(r: VerificationReport): string {
  return r.checks
    .flatMap((c) => c.failures.map((f) => `[${f.check}] ${f.file}${f.line ? `:${f.line}` : ''} ${f.path ?? ''} ${f.reason}`))
    .join('\n');
}

/** The result of a CLI run. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mjvote …` in-process with captured output. */
export async function mjvote(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {} };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The ceremony parameters of a record's (version-2) manifest: what its trustees sign under. */
export function manifestCeremonyParams(dir: string): CeremonyParams<unknown> {
  const manifest = parseManifest(readJson(dir, 'manifest.json'));
  return ceremonyParamsForManifest(groupById(manifest.group, 'group'), manifest);
}

/**
 * Signs a message in its wire form (a ceremony message or a decryption-share message) with
 * `identity`, as its trustee's software would, in place: `identitySignature` over the rest.
 */
export function resign(params: CeremonyParams<unknown>, kind: SignedMessageKind, message: any, identity: TrusteeIdentity): void {
  const { identitySignature: _old, ...body } = message;
  message.identitySignature = toHex(identity.sign(identitySignedBytes(params, kind, body)));
}
