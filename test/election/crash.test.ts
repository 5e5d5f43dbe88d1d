import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BallotBox } from '../../src/board/ballot-box.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { electionToJson } from '../../src/election/election.js';
import { credentialListToJson } from '../../src/election/credential.js';
import { smallElection } from './helpers.js';

/** Runs the caster child and SIGKILLs it after `killAfter` acknowledgements; resolves to the acks. */
function castAndKill(dir: string, board: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/caster.ts'), dir, board], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: string[] = [];
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.startsWith('ack ')) acks.push(line.slice(4));
        if (acks.length >= killAfter) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' || code === 0 ? resolve(acks) : reject(new Error(`caster exited ${code}: ${err}`)),
    );
  });
}

describe('ballot box crash safety', () => {
  it('after SIGKILL in the middle of appends, every acknowledged ballot is on the reopened board', async () => {
    const E = smallElection({ voters: 24, candidates: 2, grades: 3 });
    const dir = mkdtempSync(join(tmpdir(), 'mjvote-crash-'));
    const board = join(dir, 'board.jsonl');
    writeFileSync(join(dir, 'election.json'), JSON.stringify(electionToJson(E.election)));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify(credentialListToJson(E.list)));
    BallotBox.create(board, E.election, E.list, '00'.repeat(32)).close();
    const acked: string[] = [];
    const ballotHashesOnBoard = () =>
      new Set(
        readFileSync(board, 'utf8')
          .split('\n')
          .filter((l) => l.endsWith('}'))
          .map((l) => JSON.parse(l))
          .filter((e) => e.kind === 'ballot')
          .map((e) => parseBallot(e.payload.ballot, E.election).hashHex),
      );
    for (let round = 0; round < 3; round++) {
      const ballots = E.creds
        .slice(round * 8, round * 8 + 8)
        .map((c, i) => ballotToJson(encryptBallot(E.election, c, [i % 3, (i + round) % 3]).cast()));
      writeFileSync(join(dir, 'ballots.json'), JSON.stringify(ballots));
      const acks = await castAndKill(dir, board, 2 + round * 2);
      expect(acks.length).toBeGreaterThanOrEqual(2 + round * 2);
      acked.push(...acks);
      // Reopen: the chain verifies; a torn tail, if the kill tore a line, is discarded and reported.
      const { box, recovered } = BallotBox.open(board, E.election, E.list);
      if (recovered) expect(recovered.discardedBytes).toBeGreaterThan(0);
      box.close();
      const present = ballotHashesOnBoard();
      for (const h of acked) expect(present.has(h), `acknowledged ballot ${h} is on the board`).toBe(true);
    }
    // A torn last line, as a kill during a write leaves it, is discarded and reported.
    appendFileSync(board, readFileSync(board, 'utf8').split('\n')[2]!.slice(0, 100));
    const { box, recovered } = BallotBox.open(board, E.election, E.list);
    expect(recovered).not.toBeNull();
    expect(box.voters).toBe(ballotHashesOnBoard().size);
    box.close();
  });
});
