import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemoElection } from '../../src/demo/simulate.js';

// Whole elections over several (M candidates, K grades, n trustees, t threshold): the merit
// profiles recovered by threshold decryption equal the simulated plaintext grades counted directly.
const cases = [
  { candidates: 1, grades: 2, trustees: 1, threshold: 1, voters: 4 },
  { candidates: 3, grades: 3, trustees: 3, threshold: 2, voters: 7 },
  { candidates: 2, grades: 5, trustees: 4, threshold: 4, voters: 6 },
  { candidates: 4, grades: 4, trustees: 5, threshold: 3, voters: 6 },
];

describe('end-to-end elections', () => {
  for (const c of cases) {
    it(`M=${c.candidates} K=${c.grades} n=${c.trustees} t=${c.threshold}, ${c.voters} voters`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'mjvote-e2e-'));
      const r = await runDemoElection({ ...c, out, seed: `e2e-${c.candidates}-${c.grades}`, revoteRate: 0.3, audits: 1 });
      expect(r.decrypted).toEqual(r.expected);
      expect(r.counted).toBe(c.voters); // one counted ballot per voter, whatever the revotes
      expect(r.decryptingTrustees).toHaveLength(c.threshold);
      // Every refusal the demo provokes is reported with its reason.
      const codes = r.rejected.map((x) => x.code).sort();
      expect(codes).toEqual(expect.arrayContaining(['audited', 'bad-proof', 'bad-signature', 'duplicate', 'replay', 'unknown-credential']));
      // The published result is the ranking of the decrypted profiles.
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result.meritProfiles.map((p: { counts: string[] }) => p.counts.map(BigInt))).toEqual(r.decrypted);
      expect(result.ranking.ranking).toHaveLength(c.candidates);
      const board = readFileSync(join(out, 'board.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).kind);
      expect(board[0]).toBe('setup');
      expect(board.at(-1)).toBe('result');
      expect(board.filter((k) => k === 'decryption-share')).toHaveLength(c.threshold);
    });
  }
});
