/**
 * BallotCheckerPool: ballots checked on worker threads in batches that form under load, with
 * the outcomes checkBallotTexts gives on one thread; `pending` back to 0; close() rejecting what
 * is left; a worker that dies mid-batch replaced, its ballots checked again (alone), a ballot
 * that kills its worker twice rejected, and nobody left hanging.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BallotCheckerPool, type CheckerPoolOptions } from '../../src/server/checker-pool.js';
import { checkBallotTexts } from '../../src/server/checker.js';
import { credentials, credentialsJson, election, electionJson, goodTexts, MUTATIONS, mutate, reference } from './checker-fixtures.js';

const pools: BallotCheckerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
async function start(opts: CheckerPoolOptions): Promise<BallotCheckerPool> {
  const p = await BallotCheckerPool.start(electionJson, credentialsJson, opts);
  pools.push(p);
  return p;
}

/** 40 ballots, every fifth one hostile (each kind of hostile ballot at least once). */
const texts = Array.from({ length: 40 }, (_, i) =>
  i % 5 === 4 ? mutate(i % 8, MUTATIONS[Math.floor(i / 5) % MUTATIONS.length]!, 1000 + i, i % 2 === 0) : goodTexts[i % goodTexts.length]!,
);
const expected = texts.map((t) => reference(election, t));

describe('BallotCheckerPool', () => {
  it('2 workers, batches of at most 8: 40 ballots submitted at once get their outcomes; pending goes back to 0', async () => {
    const pool = await start({ workers: 2, maxBatch: 8 });
    expect(pool.pending).toBe(0);
    const all = Promise.all(texts.map((t) => pool.check(t)));
    expect(pool.pending).toBe(40);
    expect(await all).toEqual(expected);
    expect(pool.pending).toBe(0);
    const { batches, ballots } = pool.stats;
    expect(ballots).toBe(40);
    expect(batches).toBeGreaterThanOrEqual(5);
    // The same outcomes as on one thread (some refused, the rest accepted).
    expect(expected).toEqual(checkBallotTexts(election, credentials, texts));
    expect(expected.filter((o) => !o.ok)).toHaveLength(8);
  });

  it('one ballot alone, then more: batches form only when ballots wait', async () => {
    const pool = await start({ workers: 1, maxBatch: 32 });
    expect(await pool.check(goodTexts[0]!)).toEqual(expected[0]);
    expect(pool.stats).toEqual({ batches: 1, ballots: 1 });
    await Promise.all(texts.slice(0, 10).map((t) => pool.check(t)));
    expect(pool.stats).toEqual({ batches: 2, ballots: 11 });
  });

  it("batching off, workers: 0 (the calling thread, still in batches), the thread's default backend: the same outcomes", async () => {
    for (const opts of [
      { workers: 2, maxBatch: 8, batch: false },
      { workers: 0, maxBatch: 8 },
      { workers: 1, maxBatch: 8, backend: 'default' as const },
    ]) {
      const pool = await start(opts);
      expect(await Promise.all(texts.map((t) => pool.check(t)))).toEqual(expected);
      expect(pool.pending).toBe(0);
      expect(pool.stats.ballots).toBe(40);
      await pool.close();
    }
  });

  it('close() rejects every ballot queued or being checked, and any check after it', async () => {
    for (const workers of [2, 0]) {
      const pool = await start({ workers, maxBatch: 4 });
      const first = pool.check(goodTexts[0]!);
      expect(await first).toEqual(expected[0]);
      const left = Promise.allSettled(texts.map((t) => pool.check(t)));
      await pool.close();
      const settled = await left;
      expect(settled.every((s) => s.status === 'rejected' && /closed/.test(String(s.reason)))).toBe(true);
      await expect(pool.check(goodTexts[0]!)).rejects.toThrow(/closed/);
      expect(pool.pending).toBe(0);
    }
  });

  it('a worker that dies mid-batch: replaced, its other ballots checked again alone, the killer rejected; nobody hangs', async () => {
    const workerUrl = new URL('./checker-crash-worker.mjs', import.meta.url);
    const pool = await start({ workers: 2, maxBatch: 8, workerUrl });
    const batch = [...texts.slice(0, 12), 'crash', ...texts.slice(12, 20)];
    const settled = await Promise.allSettled(batch.map((t) => pool.check(t)));
    settled.forEach((s, i) => {
      if (batch[i] === 'crash') {
        expect(s.status).toBe('rejected');
        expect(String((s as PromiseRejectedResult).reason)).toMatch(/died twice while checking this ballot.*code 3/);
      } else expect(s).toEqual({ status: 'fulfilled', value: expected[texts.indexOf(batch[i]!)] });
    });
    expect(pool.pending).toBe(0);
    // Two workers again, both working.
    expect(await Promise.all(texts.map((t) => pool.check(t)))).toEqual(expected);
    expect(pool.pending).toBe(0);
  });

  it('a replacement that cannot start: no worker is left, every ballot is rejected and none hangs', async () => {
    const workerUrl = new URL('./checker-crash-worker.mjs', import.meta.url);
    const pool = await start({ workers: 1, maxBatch: 8, workerUrl });
    process.env.MJVOTE_TEST_CHECKER_LOAD_FAILS = '1'; // for workers started from now on
    try {
      const batch = [...texts.slice(0, 5), 'crash', ...texts.slice(5, 10)];
      const settled = await Promise.allSettled(batch.map((t) => pool.check(t)));
      for (const s of settled) {
        expect(s.status).toBe('rejected');
        expect(String((s as PromiseRejectedResult).reason)).toMatch(
          /no ballot checker worker is left: ballot checker worker could not load the election: ballot checker worker exited \(code 4\)/,
        );
      }
    } finally {
      delete process.env.MJVOTE_TEST_CHECKER_LOAD_FAILS;
    }
    await expect(pool.check(goodTexts[0]!)).rejects.toThrow(/no ballot checker worker is left/);
    expect(pool.pending).toBe(0);
  });

  it('a worker that cannot load the election: start() rejects with its reason', async () => {
    const bad = { ...electionJson, fingerprint: '00'.repeat(32) };
    await expect(BallotCheckerPool.start(bad, credentialsJson, { workers: 1 })).rejects.toThrow(
      /could not load the election: .*election\.fingerprint/,
    );
    await expect(BallotCheckerPool.start(bad, credentialsJson, { workers: 0 })).rejects.toThrow(/election\.fingerprint/);
    const otherList = { ...credentialsJson, electionId: 'other' };
    await expect(BallotCheckerPool.start(electionJson, otherList, { workers: 1 })).rejects.toThrow(/credentialList\.electionId/);
    await expect(BallotCheckerPool.start(electionJson, credentialsJson, { workers: -1 })).rejects.toThrow(RangeError);
    await expect(BallotCheckerPool.start(electionJson, credentialsJson, { maxBatch: 0 })).rejects.toThrow(RangeError);
  });

  const built = fileURLToPath(new URL('../../dist/checker-worker.mjs', import.meta.url));
  it.skipIf(!existsSync(built))('the built, self-contained worker (dist/checker-worker.mjs) as workerUrl', async () => {
    const pool = await start({ workers: 1, maxBatch: 8, workerUrl: built });
    expect(await Promise.all(texts.map((t) => pool.check(t)))).toEqual(expected);
  });
});
