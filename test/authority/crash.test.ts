/**
 * Crashes of the authority's steps (issue 21): `mjvote election cast`, `tally` and `publish`
 * killed with SIGKILL at random moments leave a board that reopens with nothing acknowledged
 * lost, and rerunning the step finishes the job; plus the exact states a crash between a board
 * append and the file that follows it leaves, rerun in-process.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/election/manifest.js';
import { generateTrusteeIdentity } from '../../src/election/trustee-identity.js';
import { credentialFromCode, credentialListToJson } from '../../src/election/credential.js';
import { ceremonyParamsForManifest } from '../../src/ceremony/params.js';
import { runTrusteeCeremony } from '../../src/demo/simulate.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { castBallot, encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
import { decryptionShareFileToJson } from '../../src/decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../../src/decrypt/tally.js';
import { parseEncryptedTally } from '../../src/tally/aggregate.js';
import { canonicalSha256, type JsonObject } from '../../src/json/canonical.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { readEntries } from '../../src/board/reader.js';
import {
  castBallots,
  closeElection,
  electionStatus,
  openElection,
  publishElection,
  readElectionDirectory,
  tallyElection,
  withBallotBox,
  type ElectionDirectory,
} from '../../src/authority/election-directory.js';
import { numberedVoters, registerVoters } from '../../src/authority/register.js';

const g = ristretto255;
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'mjvote-authority-crash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const identities = [generateTrusteeIdentity(), generateTrusteeIdentity(), generateTrusteeIdentity()];
const manifest = parseManifest({
  version: 2,
  electionId: 'crash-test',
  title: 'Crash test',
  candidates: [
    { id: 'a', name: 'Ada' },
    { id: 'b', name: 'Bob' },
  ],
  grades: ['Bien', 'Passable', 'Insuffisant'],
  group: 'ristretto255',
  trustees: { n: 3, t: 2, identities: identities.map((x) => x.publicKeyHex) },
});
const params = ceremonyParamsForManifest(g, manifest);
const ceremony = runTrusteeCeremony(params, identities);
const keys = ceremony.keys;
const transcriptJson: unknown = JSON.parse(JSON.stringify(ceremony.transcript.toJson()));
const VOTERS = 12;
const reg = registerVoters(g, manifest, numberedVoters(VOTERS));
const credentials = credentialListToJson(reg.list);

/** A fresh open election directory and one ballot line per voter (grades k mod 3, (k + 1) mod 3). */
function freshElection(name: string): { dir: string; d: ElectionDirectory<unknown>; lines: string[] } {
  const dir = join(tmp, name);
  openElection(dir, { manifest, ceremony: transcriptJson, credentials });
  const d = readElectionDirectory(dir);
  const lines = reg.deliveries.map((x, k) =>
    JSON.stringify(
      ballotToJson(castBallot(encryptBallot(d.election, credentialFromCode(g, manifest.electionId, x.code), [k % 3, (k + 1) % 3]))),
    ),
  );
  return { dir, d, lines };
}

function shareFile(d: ElectionDirectory<unknown>, j: number): { name: string; json: unknown } {
  const tallyJson = JSON.parse(readFileSync(join(d.dir, 'tally.json'), 'utf8'));
  const tally = parseEncryptedTally(g, tallyJson, 2, 3);
  const m = decryptionShares(g, keys.get(j)!, flattenTally(tally), tallyDecryptionContext(d.election));
  return {
    name: `share-${j}.json`,
    json: JSON.parse(
      JSON.stringify(
        decryptionShareFileToJson(
          params,
          {
            electionId: manifest.electionId,
            fingerprintHex: d.election.fingerprintHex,
            tallySha256: canonicalSha256(tallyJson),
            boardHead: '00'.repeat(32),
          },
          m,
        ),
      ),
    ),
  };
}

/** `mjvote ...args` in a child process, SIGKILLed after `killAfterLines` lines of stdout or `killAfterMs`. */
function runAndKill(
  args: string[],
  kill: { afterLines?: number; afterMs?: number },
): Promise<{ lines: string[]; signal: string | null; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (x) => (stderr += x));
    child.stdout.on('data', (x) => {
      buf += x;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (kill.afterLines !== undefined && lines.length >= kill.afterLines) child.kill('SIGKILL');
      }
    });
    if (kill.afterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    child.on('exit', (code, signal) => resolve({ lines, signal, code, stderr }));
  });
}

describe('a crash between a board append and the file that follows, rerun', () => {
  it('tally: the board holds the tally, tally.json is missing', async () => {
    const { dir, d, lines } = freshElection('tally-state');
    await castBallots(d, lines);
    await closeElection(d);
    const first = await tallyElection(d);
    unlinkSync(join(dir, 'tally.json'));
    const again = await tallyElection(d);
    expect(again.already).toBe(true);
    expect(again.tallySha256).toBe(first.tallySha256);
    expect(canonicalSha256(JSON.parse(readFileSync(join(dir, 'tally.json'), 'utf8')))).toBe(first.tallySha256);
    expect((await electionStatus(join(dir, 'board.jsonl'), manifest.electionId)).entries).toBe(2 + VOTERS + 2);
  });

  it('publish: one share on the board, no result; then the result on the board, no record.json', async () => {
    const { dir, d, lines } = freshElection('publish-state');
    await castBallots(d, lines);
    await closeElection(d);
    await tallyElection(d);
    const s1 = shareFile(d, 1);
    const s3 = shareFile(d, 3);
    // The state a crash leaves after the first share was appended.
    await withBallotBox(d, (box) => box.appendDecryptionShare((s1.json as { message: JsonObject }).message));
    const pub = await publishElection(d, [s1, s3]);
    expect(pub.combined.valid).toEqual([1, 3]);
    const board = readFileSync(join(dir, 'board.jsonl'), 'utf8').trim().split('\n');
    expect(board.filter((l) => l.includes('"kind":"decryption-share"'))).toHaveLength(2);
    expect((await verifyRecord(dir)).ok).toBe(true);
    // The state a crash leaves after the result was appended, before the files were written.
    for (const f of ['record.json', 'result.json', 'decryption-shares.json']) unlinkSync(join(dir, f));
    const again = await publishElection(d, [s1, s3]);
    expect(again.head).toBe(pub.head);
    expect(readFileSync(join(dir, 'board.jsonl'), 'utf8').trim().split('\n')).toHaveLength(board.length);
    expect((await verifyRecord(dir)).ok).toBe(true);
  });

  it('steps out of order are refused, and nothing is written', async () => {
    const { dir, d } = freshElection('order');
    const before = readFileSync(join(dir, 'board.jsonl'));
    await expect(tallyElection(d)).rejects.toThrow(/is open; close it first/);
    await expect(publishElection(d, [])).rejects.toThrow(/close and tally it first/);
    expect(readFileSync(join(dir, 'board.jsonl'))).toEqual(before);
    expect(existsSync(join(dir, 'tally.json'))).toBe(false);
    expect(existsSync(join(dir, 'record.json'))).toBe(false);
  });
});

describe('SIGKILL during a step, then the same step again', () => {
  it('cast: every acknowledged ballot survives, and the rerun casts the rest', async () => {
    const { dir, d, lines } = freshElection('cast-kill');
    writeFileSync(join(dir, '..', 'cast-kill.jsonl'), lines.join('\n') + '\n');
    const killed = await runAndKill(['election', 'cast', dir, join(dir, '..', 'cast-kill.jsonl'), '--json'], { afterLines: 4 });
    const acked = killed.lines.map((l) => JSON.parse(l)).filter((a) => a.accepted);
    expect(acked.length).toBeGreaterThanOrEqual(4);
    const onBoard = new Set<string>();
    for await (const e of readEntries(join(dir, 'board.jsonl'), { electionId: manifest.electionId, allowTornTail: true }))
      onBoard.add(e.hash);
    for (const a of acked) expect(onBoard.has(a.entryHash), `acknowledged entry ${a.entry}`).toBe(true);
    // The rerun: what was cast is answered `duplicate` (done), the rest is cast.
    const answers = await castBallots(d, lines);
    expect(answers.filter((a) => !a.accepted).every((a) => !a.accepted && a.code === 'duplicate')).toBe(true);
    expect((await electionStatus(join(dir, 'board.jsonl'), manifest.electionId)).ballots).toBe(VOTERS);
  });

  it('tally and publish: killed at several moments, the rerun gives a record that verifies', async () => {
    const base = freshElection('kill-base');
    await castBallots(base.d, base.lines);
    await closeElection(base.d);
    for (const [k, ms] of [150, 600, 900, 1300].entries()) {
      const dir = join(tmp, `kill-${k}`);
      cpSync(base.dir, dir, { recursive: true });
      const d = readElectionDirectory(dir);
      const t = await runAndKill(['election', 'tally', dir], { afterMs: ms });
      expect(t.signal === 'SIGKILL' || t.code === 0, t.stderr).toBe(true);
      await tallyElection(d);
      const files = [shareFile(d, 2), shareFile(d, 3)];
      files.forEach((f, i) => writeFileSync(join(tmp, `kill-${k}-share-${i}.json`), JSON.stringify(f.json)));
      const p = await runAndKill(
        ['election', 'publish', dir, '--shares', join(tmp, `kill-${k}-share-0.json`), '--shares', join(tmp, `kill-${k}-share-1.json`)],
        {
          afterMs: ms,
        },
      );
      expect(p.signal === 'SIGKILL' || p.code === 0, p.stderr).toBe(true);
      await publishElection(d, files);
      const report = await verifyRecord(dir);
      expect(report.ok, `kill after ${ms} ms: ${JSON.stringify(report.checks.filter((c) => c.failures.length > 0))}`).toBe(true);
      const shares = readFileSync(join(dir, 'board.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"kind":"decryption-share"'));
      expect(shares).toHaveLength(2);
    }
  });
});
