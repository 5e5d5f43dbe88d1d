/**
 * Checking submitted ballots off the event loop (issue 22): a pool of worker threads
 * (`checker-worker.ts`), each holding the election and the credential list, that check queued
 * ballots with {@link checkBallotTexts} (Node only).
 *
 * Batches form by themselves: an idle worker takes up to `maxBatch` queued ballots at once (an
 * even share when several workers are idle), so under light load a ballot is checked alone and
 * at once, and under heavy load the queue grows while the workers are busy and the next batches
 * are large: the load that makes batching worthwhile is the load that forms the batches.
 *
 * A worker that dies (an uncaught error, `process.exit`, terminated from outside) is replaced by
 * a new one, and each ballot it was checking is checked again once, alone, so that a ballot that
 * kills its worker cannot take other voters' ballots with it; a ballot whose worker dies a
 * second time is rejected with an error. A replacement that cannot even load is not replaced
 * again; when no worker is left, every queued ballot is rejected.
 *
 * Where the worker code is: see `../verify/spawn-worker.ts` (`dist/checker-worker.mjs`, or the
 * `workerUrl` option for a consumer that bundles mjvote).
 * @module
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ElectionJson } from '../election/election.js';
import type { CredentialListJson } from '../election/credential.js';
import { spawnWorker, type WorkerScript } from '../verify/spawn-worker.js';
import { checkBallotTexts, loadCheckerElection, type BallotCheckOutcome, type CheckerBackend, type CheckerElection } from './checker.js';
import type { CheckerRequest, CheckerWorkerInit } from './checker-worker.js';

/** Options of {@link BallotCheckerPool.start}. */
export interface CheckerPoolOptions {
  /** Worker threads (default `availableParallelism()`); 0 checks on the calling thread, still in batches, between events. */
  workers?: number;
  /** Most ballots one worker checks at once (default 32). */
  maxBatch?: number;
  /** Verify a batch's signatures and proofs together (default true); false: each ballot alone, equation by equation (for comparison). */
  batch?: boolean;
  /** The backend the workers load a ristretto255 election on (default `wasm`; see {@link loadCheckerElection}). */
  backend?: CheckerBackend;
  /** Deepest JSON nesting accepted (checkBallotTexts' default). */
  maxDepth?: number;
  /** Longest ballot text accepted (checkBallotTexts' default: `maxBallotTextLength(election)`). */
  maxLength?: number;
  /**
   * The worker script, when mjvote is bundled into another file: copy `mjvote/checker-worker`
   * (the package's `dist/checker-worker.mjs`, self-contained) and give its path or URL.
   */
  workerUrl?: URL | string;
}

/** The checker's worker code, as spawnWorker finds it. */
const CHECKER_WORKER: WorkerScript = {
  source: new URL('./checker-worker.ts', import.meta.url),
  built: 'checker-worker.mjs',
  name: 'ballot checker worker',
  bundledHint:
    'when mjvote is bundled into another file, copy mjvote/checker-worker (dist/checker-worker.mjs, self-contained) next to it and pass its URL as the workerUrl option, or check with workers: 0',
};

/** A ballot waiting for its outcome. */
interface Job {
  readonly text: string;
  readonly resolve: (o: BallotCheckOutcome) => void;
  readonly reject: (e: Error) => void;
  /** Its worker died once while checking it: it goes alone, and a second death rejects it. */
  retried: boolean;
}

/** A worker thread and what it is doing. */
interface Slot {
  readonly worker: Worker;
  /** It has loaded the election and answers requests. */
  ready: boolean;
  /** The ballots it is checking (null: idle). */
  jobs: Job[] | null;
  /** The error it reported before it exited, if any. */
  error: Error | null;
}

/** The answer of a worker: `{ready}` once loaded, then one per request. */
type WorkerMessage = { ready: true } | { id: number; outcomes: BallotCheckOutcome[] } | { id: number; error: string };

const positiveInteger = (v: number, what: string, min: number): number => {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${what}: expected an integer ≥ ${min}, got ${v}`);
  return v;
};

/**
 * Checks submitted ballots on worker threads, in batches that form under load (see the module
 * notes). Start it with {@link BallotCheckerPool.start}; {@link BallotCheckerPool.check} a ballot's
 * text; {@link BallotCheckerPool.close} it when done (the workers keep the process alive).
 */
export class BallotCheckerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private inFlight = 0;
  private batches = 0;
  private ballots = 0;
  private nextId = 0;
  private scheduled = false;
  private closed = false;
  /** Set when no worker is left: every check rejects with it (close the pool and start another). */
  private broken: Error | null = null;
  /** The election on this thread, for `workers: 0`. */
  private local: CheckerElection | null = null;
  private localRunning = false;

  private constructor(
    private readonly init: CheckerWorkerInit,
    private readonly maxBatch: number,
    private readonly workerUrl: URL | string | undefined,
  ) {}

  /**
   * Starts the pool: each worker loads the election and the credential list (validated in
   * full; `workers: 0` loads them on this thread). Resolves once every worker is ready.
   * @throws RangeError for a bad option; the loading error (a FormatError naming the JSON path
   *   when on this thread; an Error with the worker's message otherwise), or Error when the
   *   worker script is not found.
   */
  static async start(
    electionJson: ElectionJson,
    credentialsJson: CredentialListJson,
    opts: CheckerPoolOptions = {},
  ): Promise<BallotCheckerPool> {
    const workers = positiveInteger(opts.workers ?? availableParallelism(), 'workers', 0);
    const maxBatch = positiveInteger(opts.maxBatch ?? 32, 'maxBatch', 1);
    const init: CheckerWorkerInit = {
      electionJson,
      credentialsJson,
      backend: opts.backend ?? 'wasm',
      batch: opts.batch ?? true,
      ...(opts.maxDepth !== undefined && { maxDepth: positiveInteger(opts.maxDepth, 'maxDepth', 1) }),
      ...(opts.maxLength !== undefined && { maxLength: positiveInteger(opts.maxLength, 'maxLength', 0) }),
    };
    const pool = new BallotCheckerPool(init, maxBatch, opts.workerUrl);
    if (workers === 0) {
      pool.local = loadCheckerElection(electionJson, credentialsJson, init.backend);
      return pool;
    }
    try {
      await Promise.all(Array.from({ length: workers }, () => pool.spawn()));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /**
   * Checks a submitted ballot's text (an untrusted request body): its outcome, once a worker has
   * checked it with others queued meanwhile. A bad ballot resolves with `{ok: false, …}`.
   * @throws (rejects) Error when the pool is closed, or its workers died (see the module notes).
   */
  check(text: string): Promise<BallotCheckOutcome> {
    if (this.closed) return Promise.reject(new Error('the ballot checker pool is closed'));
    if (this.broken !== null) return Promise.reject(this.broken);
    return new Promise<BallotCheckOutcome>((resolve, reject) => {
      this.queue.push({ text, resolve, reject, retried: false });
      this.schedule();
    });
  }

  /** Ballots queued or being checked: what a server bounds (and answers 503 beyond). */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Batches checked and the ballots in them, so far (ballots / batches: the mean batch size). */
  get stats(): { batches: number; ballots: number } {
    return { batches: this.batches, ballots: this.ballots };
  }

  /** Stops the workers; every ballot queued or being checked is rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const e = new Error('the ballot checker pool is closed');
    for (const job of this.queue.splice(0)) job.reject(e);
    for (const s of this.slots) this.fail(s, e);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Dispatches at the end of this turn, so that ballots submitted together are checked together. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.local !== null)
      setImmediate(() => {
        this.scheduled = false;
        this.checkHere();
      });
    else
      queueMicrotask(() => {
        this.scheduled = false;
        this.dispatch();
      });
  }

  /**
   * The next batch for one of `idle` idle workers: a retried ballot alone, else an even share
   * of the queue up to maxBatch (stopping before a retried ballot).
   */
  private take(idle: number): Job[] {
    if (this.queue[0]!.retried) return [this.queue.shift()!];
    const n = Math.min(this.maxBatch, Math.ceil(this.queue.length / idle));
    let k = 1;
    while (k < n && !this.queue[k]!.retried) k++;
    return this.queue.splice(0, k);
  }

  /** Gives queued ballots to idle workers. */
  private dispatch(): void {
    if (this.closed) return;
    const idle = this.slots.filter((s) => s.ready && s.jobs === null);
    for (let k = 0; k < idle.length && this.queue.length > 0; k++) {
      const s = idle[k]!;
      const jobs = this.take(idle.length - k);
      s.jobs = jobs;
      this.inFlight += jobs.length;
      const request: CheckerRequest = { id: this.nextId++, texts: jobs.map((j) => j.text) };
      s.worker.postMessage(request);
    }
  }

  /** `workers: 0`: checks one batch on this thread, then yields to other events before the next. */
  private checkHere(): void {
    if (this.closed || this.localRunning || this.queue.length === 0) return;
    const jobs = this.take(1);
    this.localRunning = true;
    this.inFlight += jobs.length;
    try {
      const { election, credentials } = this.local!;
      const { batch, maxDepth, maxLength } = this.init;
      const outcomes = checkBallotTexts(
        election,
        credentials,
        jobs.map((j) => j.text),
        { batch, maxDepth, maxLength },
      );
      this.settle(jobs, outcomes);
    } catch (e) {
      this.settle(jobs, e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.localRunning = false;
    }
    if (this.queue.length > 0) this.schedule();
  }

  /** Resolves (or rejects) a batch's ballots. */
  private settle(jobs: Job[], result: BallotCheckOutcome[] | Error): void {
    this.inFlight -= jobs.length;
    if (result instanceof Error) {
      for (const j of jobs) j.reject(result);
      return;
    }
    this.batches++;
    this.ballots += jobs.length;
    jobs.forEach((j, k) => j.resolve(result[k]!));
  }

  /** Rejects what a worker is checking. */
  private fail(s: Slot, e: Error): void {
    const jobs = s.jobs;
    s.jobs = null;
    if (jobs !== null) this.settle(jobs, e);
  }

  /** Starts a worker; resolves once it has loaded the election, rejects if it dies first. */
  private spawn(): Promise<void> {
    const worker = spawnWorker(CHECKER_WORKER, this.init, this.workerUrl);
    const slot: Slot = { worker, ready: false, jobs: null, error: null };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if ('ready' in m) {
          slot.ready = true;
          resolve();
        } else if (slot.jobs !== null) {
          const jobs = slot.jobs;
          slot.jobs = null;
          this.settle(jobs, 'error' in m ? new Error(`ballot checker worker: ${m.error}`) : m.outcomes);
        }
        this.dispatch();
      });
      worker.on('error', (e) => {
        slot.error = e;
      });
      worker.on('exit', (code) => {
        const cause = slot.error ?? new Error(`ballot checker worker exited (code ${code})`);
        const wasReady = slot.ready;
        const e = wasReady ? cause : new Error(`ballot checker worker could not load the election: ${cause.message}`, { cause });
        this.slots.splice(this.slots.indexOf(slot), 1);
        if (!wasReady) reject(e);
        if (!this.closed) this.died(slot, e, wasReady);
      });
    });
  }

  /**
   * After a worker's death: its ballots are queued again once (first, each alone) or rejected;
   * a worker that had loaded is replaced.
   */
  private died(slot: Slot, e: Error, wasReady: boolean): void {
    const jobs = slot.jobs ?? [];
    slot.jobs = null;
    this.inFlight -= jobs.length;
    const again = jobs.filter((j) => !j.retried);
    for (const j of jobs)
      if (j.retried) j.reject(new Error(`ballot checker worker died twice while checking this ballot: ${e.message}`, { cause: e }));
    for (const j of again) j.retried = true;
    this.queue.unshift(...again);
    if (wasReady)
      try {
        this.spawn().catch(() => {
          // A replacement that cannot load: its own exit handler has dealt with it.
        });
      } catch {
        // The worker script vanished: go on with the workers left, if any.
      }
    if (this.slots.length === 0) {
      this.broken = new Error(`no ballot checker worker is left: ${e.message}`, { cause: e });
      for (const j of this.queue.splice(0)) j.reject(this.broken);
      return;
    }
    this.dispatch();
  }
}
