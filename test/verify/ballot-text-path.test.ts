/**
 * verifyBallotChunk reads canonical ballot lines straight from their text
 * (parseCanonicalBallotText) and parses everything else. Checked here: for the golden board's
 * ballot lines, each edited in one of many ways (envelope, JSON spelling, ballot fields,
 * elements, scalars), a chunk sent as text gives exactly the partial of the same chunk sent as
 * parsed payloads (which never takes the fast path): counts, failures with their paths and
 * reasons, hashes, replays, counted ballots and tally.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseElection, type Election } from '../../src/election/election.js';
import { parseCredentialList } from '../../src/election/credential.js';
import { ballotPartialToWire, verifyBallotChunk, type BallotCheckContext, type BallotLine } from '../../src/verify/ballots.js';
import { entryPayload } from '../../src/verify/board-scan.js';
import { readBoard, readJson } from './helpers.js';

const GOLDEN = 'test/fixtures/golden-record-v1';

const ZERO = '00'.repeat(32);
const EDITS: ((l: string) => string)[] = [
  (l) => l,
  (l) => l.replace('{"v":1,', '{"v":1, '),
  (l) => l.replace('"payload":{', '"payload":{"a":1,'),
  (l) => l.replace('"payload":{"ballot":', '"payload":{"ballot":1,"ballot":'),
  (l) => l.replace(/\}$/, ',"extra":1}'),
  (l) => l.replace(/\}\}$/, ',"z":1}}'), // a second key in the payload
  (l) => `${l} `,
  (l) => l.replace('"kind":"ballot"', '"kind":"Ballot"'),
  (l) => l.replace(/"time":"(.{20})/, '"time":"$1 '),
  (l) => l.replace(/"challenge":"(.)/, '"challenge":"\\u003$1'),
  (l) => l.replace(/"version":(\d+)/, '"version":$1.0'),
  (l) => l.replace(/"version":(\d+)/, '"version":2'),
  (l) => l.replace('"alpha"', '"\\u0061lpha"'),
  (l) => l.replace(/"alpha":"[0-9a-f]{64}"/, `"alpha":"${ZERO}"`),
  (l) => l.replace(/"beta":"[0-9a-f]{64}"/, `"beta":"${ZERO}"`),
  (l) => l.replace(/"credential":"[0-9a-f]{64}"/, `"credential":"${ZERO}"`),
  (l) => l.replace(/"a":"[0-9a-f]{64}"/, `"a":"${'ff'.repeat(32)}"`),
  (l) => l.replace(/"response":"[0-9a-f]{64}"/, `"response":"${'ff'.repeat(32)}"`),
  (l) => l.replace(/"electionId":"[^"]*"/, '"electionId":"another-one"'),
  (l) => l.replace(/"electionId":"[^"]*"/, '"electionId":"-"'),
  (l) => l.replace(/"beta":"([0-9a-f]{63})[0-9a-f]/, '"beta":"$10'),
  (l) => l.replace(/"commitment1":"([0-9a-f]{64})","commitment2":"([0-9a-f]{64})"/, '"commitment1":"$2","commitment2":"$1"'),
  (l) => l.replace(/\{"alpha":"[0-9a-f]{64}","beta":"[0-9a-f]{64}"\},/, ''),
  (l) => l.replace(/,"signature":\{/, ',"signature":{"x":1,'),
];

describe('verifyBallotChunk: ballot lines as text (fast path) and as payloads give the same partial', () => {
  let ctx: BallotCheckContext<any>;
  let board: string[];
  let ballotIdx: number[];

  beforeAll(() => {
    const election: Election<any> = parseElection(readBoard(GOLDEN)[0]!.payload.election, {});
    ctx = {
      election,
      credentials: parseCredentialList(readJson(GOLDEN, 'credentials.json'), election.group),
      batch: true,
      file: 'board.jsonl',
    };
    board = readFileSync(join(GOLDEN, 'board.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    ballotIdx = board
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l.includes('"kind":"ballot"'))
      .map(([, i]) => i);
  });

  const chunk = (texts: readonly string[], asText: boolean): BallotLine[] =>
    texts.map((text, i) => ({
      line: i + 1,
      offset: 1000 * i,
      length: text.length,
      hash: `h${i}`,
      payload: asText ? undefined : entryPayload((JSON.parse(text) as { payload?: unknown }).payload),
      ...(asText && { text }),
      afterSeal: false,
    }));

  it('the golden ballots, with up to two lines edited in one of the ways above, batched or not', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: EDITS.length - 1 })), { maxLength: 2 }), fc.boolean(), (edits, batch) => {
        const texts = ballotIdx.map((i) => board[i]!);
        for (const [k, e] of edits) texts[k % texts.length] = EDITS[e]!(texts[k % texts.length]!);
        const c = { ...ctx, batch };
        const fast = ballotPartialToWire(verifyBallotChunk(c, chunk(texts, true)));
        const reference = ballotPartialToWire(verifyBallotChunk(c, chunk(texts, false)));
        expect(fast).toEqual(reference);
        if (edits.every(([, e]) => e === 0)) expect(fast.failures).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('each edit alone changes the line and gives the same partial either way', () => {
    const texts = ballotIdx.map((i) => board[i]!);
    for (let e = 1; e < EDITS.length; e++) {
      const t = [...texts];
      t[1] = EDITS[e]!(t[1]!);
      expect(t[1], `edit ${e}`).not.toBe(texts[1]);
      const fast = ballotPartialToWire(verifyBallotChunk(ctx, chunk(t, true)));
      expect(fast, `edit ${e}`).toEqual(ballotPartialToWire(verifyBallotChunk(ctx, chunk(t, false))));
    }
  });
});
