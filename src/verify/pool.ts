/**
 * Parallel ballot checking: a pool of verifier threads (Node worker threads, Web Workers: any
 * {@link VerifyWorkerFactory}) that check chunks of ballot lines while the main thread reads and
 * hash-checks the board. Partials come back in any order and are merged in board order (the
 * merge is associative, not commutative: a later ballot supersedes an earlier one). At most
 * `2 × workers` chunks are in flight, so memory stays bounded whatever the board's size.
 * Browser-safe (the threads come from the factory: `node-workers.ts`, `web-workers.ts`).
 * @module
 */
import { ballotPartialFromWire, verifyBallotChunk, type BallotCheckContext, type BallotLine, type BallotPartial } from './ballots.js';
import type { ChunkAnswer, VerifyWorker, VerifyWorkerFactory, WorkerInit } from './chunk-worker.js';

/** A pool of verifier workers fed with consecutive chunks of ballot lines. */
export class BallotPool<E> {
  private readonly workers: VerifyWorker[] = [];
  private readonly idle: VerifyWorker[];
  private readonly queue: { id: number; lines: BallotLine[] }[] = [];
  private readonly done = new Map<number, BallotPartial<E>>();
  private readonly waiters: (() => void)[] = [];
  private nextId = 0;
  private nextMerge = 0;
  private failure: Error | null = null;

  constructor(
    readonly ctx: BallotCheckContext<E>,
    init: WorkerInit,
    size: number,
    private readonly onMerged: (p: BallotPartial<E>) => void,
    start: VerifyWorkerFactory,
  ) {
    try {
      for (let i = 0; i < size; i++) this.workers.push(start(init));
    } catch (e) {
      // One did not start (its file is not there): stop those that did.
      void Promise.all(this.workers.map((w) => w.terminate()));
      throw e;
    }
    this.idle = [...this.workers];
    for (const w of this.workers)
      w.listen(
        (message: unknown) => {
          // The script's other messages (a Web Worker's `{ ready }`) carry no chunk id.
          if (typeof (message as { id?: unknown } | null)?.id !== 'number') return;
          const m = message as ChunkAnswer;
          if ('error' in m) this.failure ??= new Error(`verifier worker: ${m.error}`);
          else this.done.set(m.id, ballotPartialFromWire(this.ctx, m.partial));
          this.idle.push(w);
          this.mergeReady();
          this.dispatch();
          this.wake();
        },
        (e) => {
          this.failure ??= e;
          this.wake();
        },
      );
  }

  private get inFlight(): number {
    return this.nextId - this.nextMerge;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) this.idle.pop()!.post(this.queue.shift()!);
  }

  private mergeReady(): void {
    while (this.done.has(this.nextMerge)) {
      const p = this.done.get(this.nextMerge)!;
      this.done.delete(this.nextMerge++);
      try {
        this.onMerged(p);
      } catch (e) {
        // Reported to the caller by the next submit() or finish(), not thrown in an event handler.
        this.failure ??= e instanceof Error ? e : new Error(String(e));
      }
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async waitUntil(cond: () => boolean): Promise<void> {
    while (!cond()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    if (this.failure) throw this.failure;
  }

  /** Queues a chunk; waits while too many chunks are in flight (backpressure). */
  async submit(lines: BallotLine[]): Promise<void> {
    await this.waitUntil(() => this.inFlight < 2 * this.workers.length);
    // Lines cross as they are: one with its text has no payload (BallotChunker.push dropped it,
    // or the board scan never parsed it), and the worker parses the text.
    this.queue.push({ id: this.nextId++, lines });
    this.dispatch();
  }

  /** Stops the workers at once (after an error: nothing more is merged). */
  async terminate(): Promise<void> {
    this.queue.length = 0;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Waits for every chunk to be checked and merged, then stops the workers. */
  async finish(): Promise<void> {
    try {
      await this.waitUntil(() => this.inFlight === 0);
    } finally {
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
  }
}

/**
 * Feeds ballot lines, in board order, to chunks of `chunkSize` checked on this thread
 * (`workers` = 1) or by a {@link BallotPool} of threads `startWorker` starts; every chunk's
 * partial reaches `absorb` in board order.
 */
export class BallotChunker<E> {
  private chunk: BallotLine[] = [];
  private readonly pool: BallotPool<E> | null;

  constructor(
    private readonly ctx: BallotCheckContext<E>,
    workerInit: WorkerInit,
    workers: number,
    private readonly chunkSize: number,
    private readonly absorb: (p: BallotPartial<E>) => void,
    startWorker?: VerifyWorkerFactory,
  ) {
    if (workers > 1 && startWorker === undefined) throw new RangeError('workers: more than 1 needs a worker factory');
    this.pool = workers > 1 ? new BallotPool(ctx, workerInit, workers, absorb, startWorker!) : null;
  }

  /** Adds a line; checks a chunk once it is full (waiting while too many are in flight). */
  async push(line: BallotLine): Promise<void> {
    // A line with its text crosses to a worker as text: its parsed payload is dropped here,
    // so that the tree dies young (not kept, and promoted, while the chunk fills).
    this.chunk.push(this.pool !== null && line.text !== undefined ? { ...line, payload: undefined } : line);
    if (this.chunk.length >= this.chunkSize) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const lines = this.chunk;
    this.chunk = [];
    if (this.pool !== null) await this.pool.submit(lines);
    else this.absorb(verifyBallotChunk(this.ctx, lines));
  }

  /** Checks the last chunk, waits for every chunk and stops the workers. */
  async finish(): Promise<void> {
    try {
      await this.flush();
    } catch (e) {
      await this.stop();
      throw e;
    }
    await this.pool?.finish();
  }

  /** After an error: drops what is pending and stops the workers, so that nothing keeps running. */
  async stop(): Promise<void> {
    this.chunk = [];
    await this.pool?.terminate();
  }
}
