/**
 * The per-chunk work merges associatively: however the ballot lines are cut into chunks and
 * however the partial results are grouped, the counts, failures, counted ballots and the final
 * tally are the same (what parallel verification will rely on).
 */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELECTION_LIFECYCLE } from '../../src/board/ballot-box.js';
import { parseElection, type Election } from '../../src/election/election.js';
import { parseCredentialList } from '../../src/election/credential.js';
import { talliesEqual, TallyAccumulator } from '../../src/tally/aggregate.js';
import { scanBoard } from '../../src/verify/board-scan.js';
import { directoryRecordStore } from '../../src/record/directory-store.js';
import {
  BallotPartial,
  subtractSuperseded,
  verifyBallotChunk,
  type BallotCheckContext,
  type BallotLine,
} from '../../src/verify/ballots.js';
import { OccurrenceIndex, type Occurrence } from '../../src/verify/occurrences.js';
import { Findings, compareFailures } from '../../src/verify/report.js';
import { readBoard, readJson } from './helpers.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden-record-v1', import.meta.url));
const STORE = directoryRecordStore(GOLDEN);

describe('OccurrenceIndex', () => {
  /** Conflicts (line → previous line) of keys added in order to one index. */
  function sequential(keys: readonly string[]): string[] {
    const ix = new OccurrenceIndex<null>();
    const out: string[] = [];
    keys.forEach((k, i) => {
      const p = ix.add(k, i + 1, null);
      if (p) out.push(`${i + 1}<${p.line}`);
    });
    return out.sort();
  }
  function part(keys: readonly string[], from: number, to: number, out: string[]): OccurrenceIndex<null> {
    const ix = new OccurrenceIndex<null>();
    for (let i = from; i < to; i++) {
      const p = ix.add(keys[i]!, i + 1, null);
      if (p) out.push(`${i + 1}<${p.line}`);
    }
    return ix;
  }
  const record = (out: string[]) => (prev: Occurrence<null>, next: Occurrence<null>) => void out.push(`${next.line}<${prev.line}`);

  it('reports each repeat once, against the occurrence before it, for any grouping of merges', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 3, maxLength: 30 }), fc.nat(), fc.nat(), (keys, x, y) => {
        const i = 1 + (x % (keys.length - 2));
        const j = i + 1 + (y % (keys.length - i - 1));
        const parts = (out: string[]) => [part(keys, 0, i, out), part(keys, i, j, out), part(keys, j, keys.length, out)] as const;
        const left: string[] = [];
        const [a1, b1, c1] = parts(left);
        a1.merge(b1, record(left)); // (a ⊕ b) ⊕ c
        a1.merge(c1, record(left));
        const right: string[] = [];
        const [a2, b2, c2] = parts(right);
        b2.merge(c2, record(right)); // a ⊕ (b ⊕ c)
        a2.merge(b2, record(right));
        expect(left.sort()).toEqual(sequential(keys));
        expect(right.sort()).toEqual(sequential(keys));
        expect(a1.size).toBe(new Set(keys).size);
      }),
    );
  });
});

describe('BallotPartial.merge', () => {
  let ctx: BallotCheckContext<any>;
  let lines: BallotLine[];

  beforeAll(async () => {
    const election: Election<any> = parseElection(readBoard(GOLDEN)[0]!.payload.election, {});
    const credentials = parseCredentialList(readJson(GOLDEN, 'credentials.json'), election.group);
    ctx = { election, credentials, batch: true, file: 'board.jsonl' };
    const scanned = [];
    for await (const l of scanBoard({
      store: STORE,
      file: 'board.jsonl',
      indexFile: 'record.json',
      electionId: 'mjvote-demo',
      lifecycle: ELECTION_LIFECYCLE,
      expectedHead: readJson(GOLDEN, 'record.json').boardHead,
      findings: new Findings(),
    }))
      if (l.kind === 'ballot')
        scanned.push({
          line: l.line,
          offset: l.offset,
          length: l.length,
          hash: l.hash,
          payload: l.payload,
          ...(l.text !== null && { text: l.text }),
          afterSeal: l.afterSeal,
        });
    // The golden ballots, then a copy of the first one and a copy of the revote under the first one's
    // line again (duplicates, re-reading the same bytes), so merges have conflicts to report.
    const last = scanned[scanned.length - 1]!.line;
    lines = [...scanned, { ...scanned[0]!, line: last + 1 }, { ...scanned[3]!, line: last + 2 }];
  });

  /** The final state of a partial: what the verifier reads from it. */
  async function outcome(p: BallotPartial<any>) {
    const tally = new TallyAccumulator(ctx.election.group, ctx.election.candidateCount, ctx.election.gradeCount);
    tally.merge(p.tally.result());
    await subtractSuperseded(STORE, ctx, p.superseded, tally, new Findings());
    return {
      ballots: p.ballots,
      beforeSeal: p.beforeSeal,
      revotes: p.revotes,
      failures: [...p.failures].sort(compareFailures),
      badLines: [...p.badLines].sort(),
      last: [...p.last].sort(),
      tally: tally.result(),
    };
  }

  it('any chunking and grouping gives the same counts, failures, counted ballots and tally', async () => {
    const whole = await outcome(verifyBallotChunk(ctx, lines));
    expect(whole.failures.map((f) => f.reason.split(':')[0])).toEqual(['duplicate', 'duplicate']);
    expect(whole.revotes).toBe(3); // one in the record, two by the copies
    const cuts = [
      [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
      [4, 4, 4, 3],
      [7, 8],
    ];
    for (const sizes of cuts) {
      const parts: BallotPartial<any>[] = [];
      let at = 0;
      for (const n of sizes) {
        parts.push(verifyBallotChunk({ ...ctx, batch: n % 2 === 0 }, lines.slice(at, at + n)));
        at += n;
      }
      // Right fold: p0 ⊕ (p1 ⊕ (p2 ⊕ …)).
      let right = parts[parts.length - 1]!;
      for (let i = parts.length - 2; i >= 0; i--) {
        parts[i]!.merge(right);
        right = parts[i]!;
      }
      const got = await outcome(right);
      expect({ ...got, tally: null }).toEqual({ ...whole, tally: null });
      expect(talliesEqual(ctx.election.group, got.tally, whole.tally)).toBe(true);
    }
  });
});
