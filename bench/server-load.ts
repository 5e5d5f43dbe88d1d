/**
 * The ballot box over HTTP under load (issue 22): `mjvote serve` in its own process on
 * loopback, fed distinct valid 7 × 5 ballots by a bounded load generator in this process.
 *
 *   npx tsx bench/server-load.ts --source /tmp/auth-60k/election [--keys /tmp/auth-60k/keys.json]
 *        [--ballots 6000] [--warmup 200] [--connections 64] [--workers 2] [--max-batch N]
 *        [--rates 0.25,0.5,0.9] [--fixed-rate 200] [--rate-seconds 30] [--saturation-rate N]
 *        [--arrivals poisson|uniform] [--sockets 512]
 *        [--pp-tenth] [--pp-ballots 39274] [--pp-calibration 1000]
 *        [--only saturation,rates,nobatch,pp-tenth] [--out DIR] [--keep]
 *
 * A JSON summary goes to standard output, tables to standard error. Without `--out`, the work
 * goes in a temporary directory; each run's election directory is removed after it unless
 * `--keep`.
 *
 * Runs, each on a fresh election directory and a fresh server:
 * - `saturation`: `--connections` clients post `--ballots` ballots as fast as answers come
 *   (autocannon, closed loop): accepted ballots per second and latency;
 * - `rates`: ballots offered at 25 %, 50 % and 90 % of that rate and at `--fixed-rate` (200/s)
 *   by an open-loop generator (below), `--rate-seconds` each: latency;
 * - `nobatch`: `saturation` with `serve --no-batch`, for the ratio;
 * - `pp-tenth`: a tenth of the Primaire Populaire (39,274 ballots, `--pp-ballots`) through one
 *   server, then `mjvote election close`, `tally` (through the running server, as an organiser
 *   runs them), the trustees' decryption (in process), `publish`, and `mjvote verify --workers 2`,
 *   each timed; the same first with `--pp-calibration` ballots (1,000), so that each step's
 *   projection to 392,738 ballots is a line through the two sizes (a step's fixed cost, such as
 *   reading the 466,895 credentials, is not multiplied by ten).
 *
 * Every answer must be 201: any other status, a connection error, or a board that does not hold
 * exactly the ballots acknowledged fails the run (reported, exit 1). A `--warmup` of ballots
 * goes first on each server except pp-tenth's, outside the figures.
 *
 * The ballots come from an existing board (`--source`, an election directory of a 7 × 5
 * election, read only): making one costs about 21 ms, so they are not made here. A fresh
 * directory opened with the source's manifest, ceremony and credentials accepts them (the
 * election fingerprint depends only on the manifest and the ceremony); each is posted once per
 * run, as its canonical JSON (what a booth sends, and the checker's fast path).
 *
 * Why the fixed rates are not autocannon's `overallRate`: autocannon 8 gives each connection a
 * quota per second, refilled by a timer that all connections start together, so the offered
 * load is a burst at the start of each second and then silence, and latency measures the queue
 * of that burst; and its coordinated-omission correction divides 1 by a rate per second instead
 * of 1000 (an expected interval of 1 ms), which records up to one synthetic sample per
 * millisecond of each real latency. This generator sends ballot i at a planned time (a seeded
 * Poisson process by default: voters arrive independently; `--arrivals uniform` for even
 * spacing) whatever the answers before it, on up to `--sockets` keep-alive connections, and
 * measures each latency from the planned time, so a client that falls behind cannot hide it.
 * The Poisson arrivals are drawn given their number (n sorted uniform times over n / rate
 * seconds), so that every run offers exactly its rate.
 *
 * The client shares the machine's cores with the server: its CPU time, the server's and the
 * rest of the machine's are in the output. Linux (/proc) for the CPU and memory figures.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { canonicalJson, canonicalSha256 } from '../src/json/canonical.js';
import { openElection, readElectionDirectory } from '../src/authority/election-directory.js';
import type { TrusteeKey } from '../src/ceremony/trustee-key.js';
import { importTrusteeState } from '../src/ceremony/state-file.js';
import { decryptionShares } from '../src/decrypt/shares.js';
import { decryptionShareFileToJson } from '../src/decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../src/decrypt/tally.js';
import { parseEncryptedTally } from '../src/tally/aggregate.js';

const PRIMAIRE_POPULAIRE = 392_738;
const BENCH_PASSPHRASE = 'bench only: not a real passphrase';
const RUNS = ['saturation', 'rates', 'nobatch', 'pp-tenth'] as const;
type RunName = (typeof RUNS)[number];

const { values: o } = parseArgs({
  options: {
    source: { type: 'string', default: '/tmp/auth-60k/election' },
    keys: { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'boolean' },
    ballots: { type: 'string', default: '6000' },
    warmup: { type: 'string', default: '200' },
    connections: { type: 'string', default: '64' },
    workers: { type: 'string', default: String(availableParallelism()) },
    'max-batch': { type: 'string' },
    only: { type: 'string' },
    'pp-tenth': { type: 'boolean' },
    'pp-ballots': { type: 'string', default: String(Math.round(PRIMAIRE_POPULAIRE / 10)) },
    'pp-calibration': { type: 'string', default: '1000' },
    rates: { type: 'string', default: '0.25,0.5,0.9' },
    'fixed-rate': { type: 'string', default: '200' },
    'rate-seconds': { type: 'string', default: '30' },
    'saturation-rate': { type: 'string' },
    arrivals: { type: 'string', default: 'poisson' },
    sockets: { type: 'string', default: '512' },
  },
});

function positive(name: string, s: string | undefined, min = 1): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n < min) throw new RangeError(`--${name}: expected a number ≥ ${min}, got ${s}`);
  return n;
}
const SOURCE = o.source!;
const KEYS = o.keys ?? join(dirname(SOURCE), 'keys.json');
const BALLOTS = Math.floor(positive('ballots', o.ballots));
const WARMUP = Math.floor(positive('warmup', o.warmup, 0));
const CONNECTIONS = Math.floor(positive('connections', o.connections));
const WORKERS = Math.floor(positive('workers', o.workers, 0));
const PP_BALLOTS = Math.floor(positive('pp-ballots', o['pp-ballots']));
const PP_CALIBRATION = Math.floor(positive('pp-calibration', o['pp-calibration']));
if (PP_CALIBRATION >= PP_BALLOTS) throw new RangeError('--pp-calibration must be fewer than --pp-ballots');
const FRACTIONS = o.rates!.split(',').map((x) => positive('rates', x, 0.01));
const FIXED_RATE = positive('fixed-rate', o['fixed-rate']);
const RATE_SECONDS = positive('rate-seconds', o['rate-seconds']);
const SOCKETS = Math.floor(positive('sockets', o.sockets));
if (o.arrivals !== 'poisson' && o.arrivals !== 'uniform') throw new RangeError('--arrivals: poisson or uniform');
const ARRIVALS = o.arrivals;
const only = (o.only?.split(',') ?? ['saturation', 'rates', 'nobatch', ...(o['pp-tenth'] ? ['pp-tenth'] : [])]) as RunName[];
for (const r of only) if (!RUNS.includes(r)) throw new RangeError(`--only: ${r} is not one of ${RUNS.join(', ')}`);
if (only.includes('pp-tenth') && !existsSync(KEYS))
  throw new Error(`--keys ${KEYS}: the trustees' state files of the source election are needed to decrypt (pp-tenth)`);
if (only.includes('rates') && !only.includes('saturation') && o['saturation-rate'] === undefined)
  throw new Error('--only rates needs the saturation rate: run saturation too, or give --saturation-rate N');

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OUT = o.out ?? mkdtempSync(join(tmpdir(), 'mjvote-server-load-'));
mkdirSync(OUT, { recursive: true });
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

// ---- The ballots: read once from the source board, as many as the runs need ----

/** The source board's ballots as canonical JSON bytes, read lazily, kept for the later runs. */
class BallotSource {
  private readonly texts: Buffer[] = [];
  private readonly lines: AsyncIterator<string>;
  constructor(board: string) {
    const rl = createInterface({ input: createReadStream(board, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    this.lines = rl[Symbol.asyncIterator]();
  }
  /** Ballots [from, from + n): distinct within a run. */
  async slice(from: number, n: number): Promise<Buffer[]> {
    while (this.texts.length < from + n) {
      const next = await this.lines.next();
      if (next.done) throw new Error(`${SOURCE} holds ${this.texts.length} ballots; this run needs ${from + n}`);
      const entry = JSON.parse(next.value) as { kind: string; payload: { ballot?: unknown } };
      if (entry.kind === 'ballot') this.texts.push(Buffer.from(canonicalJson(entry.payload.ballot)));
    }
    return this.texts.slice(from, from + n);
  }
}
const source = new BallotSource(join(SOURCE, 'board.jsonl'));
const inputs = {
  manifest: JSON.parse(readFileSync(join(SOURCE, 'manifest.json'), 'utf8')) as unknown,
  ceremony: JSON.parse(readFileSync(join(SOURCE, 'ceremony.json'), 'utf8')) as unknown,
  credentials: JSON.parse(readFileSync(join(SOURCE, 'credentials.json'), 'utf8')) as unknown,
};

// ---- CPU and memory, from /proc ----

interface CpuSample {
  readonly at: number;
  /** Clock ticks of the whole machine: busy (not idle, not waiting for I/O) and all. */
  readonly machineBusy: number;
  readonly machineAll: number;
  readonly server: number;
  readonly client: number;
}
function cpuSample(serverPid: number): CpuSample {
  let machineBusy = 0;
  let machineAll = 0;
  let server = 0;
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    machineAll = f.reduce((a, b) => a + b, 0);
    machineBusy = machineAll - f[3]! - f[4]!;
    // utime and stime (fields 14 and 15) count every thread of the process, the checkers too.
    const s = readFileSync(`/proc/${serverPid}/stat`, 'utf8');
    const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
    server = Number(fields[11]) + Number(fields[12]);
  } catch {
    // Not Linux: no CPU figures.
  }
  const c = process.cpuUsage();
  return { at: performance.now(), machineBusy, machineAll, server, client: ((c.user + c.system) / 1e6) * CLK_TCK };
}
interface CpuFigures {
  /** CPU seconds of the server process (every thread). */
  readonly serverSeconds: number;
  /** CPU seconds of this process (the load generator). */
  readonly clientSeconds: number;
  /** Busy share of all cores, by the server, this client and everything else on the machine. */
  readonly serverShare: number;
  readonly clientShare: number;
  readonly othersShare: number;
}
function cpuBetween(a: CpuSample, b: CpuSample): CpuFigures {
  const all = Math.max(1, b.machineAll - a.machineAll);
  const server = b.server - a.server;
  const client = b.client - a.client;
  return {
    serverSeconds: server / CLK_TCK,
    clientSeconds: client / CLK_TCK,
    serverShare: server / all,
    clientShare: client / all,
    othersShare: Math.max(0, b.machineBusy - a.machineBusy - server - client) / all,
  };
}
function peakRssMiB(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

// ---- The server, in its own process ----

interface Server {
  readonly url: string;
  readonly adminUrl: string;
  readonly child: ChildProcess;
  readonly token: string;
  readonly startSeconds: number;
  status(): Promise<{ ballots: number; entries: number; checker: { batches: number; ballots: number } }>;
  /** SIGTERM; resolves with the exit code (0 expected) and the seconds it took. */
  stop(): Promise<{ code: number | null; signal: string | null; seconds: number }>;
}

function cli(args: readonly string[]): string[] {
  return ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args];
}

async function startServer(dir: string, extra: readonly string[]): Promise<Server> {
  const t0 = performance.now();
  const args = ['serve', dir, '--port', '0', '--quiet', '--workers', String(WORKERS), ...extra];
  if (o['max-batch'] !== undefined) args.push('--max-batch', o['max-batch']);
  const child = spawn(process.execPath, cli(args), { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[server] ${d.toString()}`));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const lines = createInterface({ input: child.stdout! });
  const urls = await new Promise<{ url: string; adminUrl: string }>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /^ballot box: (\S+)\s+admin \(.*\): (\S+)$/.exec(line);
      if (m) resolve({ url: m[1]!, adminUrl: m[2]! });
    });
    void exited.then(({ code, signal }) => reject(new Error(`mjvote serve exited before serving (${code ?? signal})`)));
  });
  const token = readFileSync(join(dir, 'private', 'admin-token'), 'utf8').trim();
  const startSeconds = (performance.now() - t0) / 1000;
  return {
    ...urls,
    child,
    token,
    startSeconds,
    async status() {
      const r = await fetch(`${urls.adminUrl}/admin/status`, { headers: { authorization: `Bearer ${token}` } });
      if (r.status !== 200) throw new Error(`GET /admin/status: ${r.status}`);
      return (await r.json()) as Awaited<ReturnType<Server['status']>>;
    },
    async stop() {
      const t = performance.now();
      child.kill('SIGTERM');
      const e = await exited;
      return { ...e, seconds: (performance.now() - t) / 1000 };
    },
  };
}

/** A CLI step in a child process, timed; its standard output (stderr goes to ours). */
async function cliStep(args: readonly string[]): Promise<{ seconds: number; stdout: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, cli(args), { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`mjvote ${args.join(' ')} exited with ${code}`);
  return { seconds, stdout };
}

// ---- The load ----

interface Load {
  readonly offered: 'closed loop' | { perSecond: number; arrivals: string };
  /** Closed loop: the clients; open loop: the keep-alive connections it opened (at most --sockets). */
  readonly connections: number;
  readonly posted: number;
  readonly accepted: number;
  /** Answers by status, and requests that got none (connection errors, timeouts). */
  readonly statuses: Record<string, number>;
  readonly errors: number;
  /** From the first request to the last answer. */
  readonly seconds: number;
  readonly acceptedPerSecond: number;
  /** Between the 10th and the 90th percentile of the answers in time: without ramp-up and drain. */
  readonly steadyPerSecond: number;
  /** Milliseconds: closed loop from the request's write, open loop from its planned time. */
  readonly latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Open loop: the latest a request left after its planned time (the client keeping up). */
  readonly sendLagMaxMs?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarize(
  offered: Load['offered'],
  connections: number,
  latencies: number[],
  done: number[],
  statuses: Record<string, number>,
  errors: number,
  t0: number,
): Load {
  const accepted = statuses['201'] ?? 0;
  const posted = Object.values(statuses).reduce((a, b) => a + b, 0) + errors;
  const seconds = (Math.max(t0, ...done.slice(-1)) - t0) / 1000;
  const l = Float64Array.from(latencies).sort();
  const i10 = Math.floor(done.length * 0.1);
  const i90 = Math.max(i10, Math.ceil(done.length * 0.9) - 1);
  const steady = i90 > i10 ? ((i90 - i10) * 1000) / (done[i90]! - done[i10]!) : NaN;
  return {
    offered,
    connections,
    posted,
    accepted,
    statuses,
    errors,
    seconds,
    acceptedPerSecond: accepted / seconds,
    steadyPerSecond: steady,
    latencyMs: {
      p50: percentile(l, 50),
      p90: percentile(l, 90),
      p99: percentile(l, 99),
      max: l.length ? l[l.length - 1]! : NaN,
      mean: l.reduce((a, b) => a + b, 0) / Math.max(1, l.length),
    },
  };
}

/** Closed loop (autocannon): each connection posts its next ballot when its last is answered. */
async function closedLoop(url: string, bodies: readonly Buffer[], connections: number): Promise<Load> {
  connections = Math.min(connections, bodies.length);
  let next = 0;
  const latencies: number[] = [];
  const done: number[] = [];
  const statuses: Record<string, number> = {};
  const t0 = performance.now();
  const instance = autocannon({
    url,
    connections,
    amount: bodies.length,
    timeout: 300,
    requests: [
      {
        method: 'POST',
        path: '/ballots',
        headers: { 'content-type': 'application/json' },
        // Called once per request sent: each ballot goes once.
        setupRequest: (req) => {
          if (next >= bodies.length) throw new Error('autocannon asked for more ballots than its amount');
          return { ...req, body: bodies[next++]! };
        },
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    done.push(performance.now());
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 201) latencies.push(ms);
  });
  const r = await instance;
  return summarize('closed loop', connections, latencies, done, statuses, r.errors, t0);
}

/** A seeded uniform generator in [0, 1) (mulberry32): the same arrivals on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Open loop: ballot i leaves at its planned time whatever the answers before it; latency from that time. */
async function openLoop(url: string, bodies: readonly Buffer[], perSecond: number): Promise<Load> {
  const u = new URL('/ballots', url);
  const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  // n ballots over n / perSecond seconds, exactly the rate offered: evenly spaced, or a Poisson
  // process given its n arrivals (n sorted uniform times), seeded.
  const span = (bodies.length * 1000) / perSecond;
  const random = seeded(22);
  const planned = Float64Array.from(bodies, (_, i) => (ARRIVALS === 'uniform' ? (i * span) / bodies.length : random() * span)).sort();
  const latencies: number[] = [];
  const done: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let lagMax = 0;
  const sockets = new Set<unknown>();
  const t0 = performance.now() + 20;
  await new Promise<void>((resolve) => {
    let next = 0;
    let answered = 0;
    const finish = (): void => {
      if (++answered === bodies.length) resolve();
    };
    const send = (i: number): void => {
      const due = t0 + planned[i]!;
      lagMax = Math.max(lagMax, performance.now() - due);
      const body = bodies[i]!;
      const req = request(
        {
          hostname: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const now = performance.now();
            done.push(now);
            statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
            if (res.statusCode === 201) latencies.push(now - due);
            finish();
          });
        },
      );
      req.once('socket', (socket) => sockets.add(socket));
      req.on('error', () => {
        errors++;
        finish();
      });
      req.end(body);
    };
    const tick = (): void => {
      const now = performance.now();
      while (next < bodies.length && t0 + planned[next]! <= now) send(next++);
      if (next < bodies.length) setTimeout(tick, Math.max(0, t0 + planned[next]! - performance.now()));
    };
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });
  agent.destroy();
  // The connections the answers' pace called for (at most --sockets).
  return { ...summarize({ perSecond, arrivals: ARRIVALS }, sockets.size, latencies, done, statuses, errors, t0), sendLagMaxMs: lagMax };
}

// ---- A run: fresh directory, fresh server, warm-up, load, checks ----

interface RunResult {
  readonly name: string;
  readonly serve: string;
  readonly ok: boolean;
  readonly failures: string[];
  readonly load: Load;
  readonly cpu: CpuFigures;
  /** The server's CPU milliseconds per accepted ballot. */
  readonly serverCpuMsPerBallot: number;
  /** Batches the checker made during the load, and the ballots in them. */
  readonly checker: { batches: number; ballots: number; meanBatch: number };
  readonly serverStartSeconds: number;
  readonly serverPeakRssMiB: number | null;
  readonly loadAverage: readonly number[];
  /** pp-tenth: the seconds of each step after the ballots. */
  readonly steps?: Record<string, number>;
}

let runCount = 0;
async function run(
  name: string,
  opts: { noBatch?: boolean; warmup: number; ballots: number; load: (url: string, bodies: Buffer[]) => Promise<Load> },
  after?: (dir: string, server: Server, load: Load, failures: string[]) => Promise<Record<string, number>>,
): Promise<RunResult> {
  const dir = join(OUT, `${String(++runCount).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-')}`);
  rmSync(dir, { recursive: true, force: true });
  const warm = await source.slice(0, opts.warmup);
  const bodies = await source.slice(opts.warmup, opts.ballots);
  console.error(`${name}: a fresh election directory, a server, ${opts.warmup} ballots to warm up, ${opts.ballots} measured`);
  openElection(dir, inputs);
  const serve = opts.noBatch ? ['--no-batch'] : [];
  const server = await startServer(dir, serve);
  const failures: string[] = [];
  let stopped = false;
  try {
    if (warm.length > 0) {
      const w = await closedLoop(server.url, warm, Math.min(16, CONNECTIONS));
      if (w.accepted !== warm.length) failures.push(`warm-up: ${w.accepted} of ${warm.length} accepted (${JSON.stringify(w.statuses)})`);
    }
    const before = await server.status();
    const loadAverage = loadavg();
    const c0 = cpuSample(server.child.pid!);
    const load = await opts.load(server.url, bodies);
    const c1 = cpuSample(server.child.pid!);
    const after0 = await server.status();
    const peak = peakRssMiB(server.child.pid!);
    for (const [s, n] of Object.entries(load.statuses)) if (s !== '201') failures.push(`${n} answers ${s}`);
    if (load.errors > 0) failures.push(`${load.errors} requests without an answer`);
    if (after0.ballots - before.ballots !== load.accepted)
      failures.push(`the board holds ${after0.ballots - before.ballots} new ballots, ${load.accepted} were acknowledged`);
    const batches = after0.checker.batches - before.checker.batches;
    const checked = after0.checker.ballots - before.checker.ballots;
    const cpu = cpuBetween(c0, c1);
    let steps: Record<string, number> | undefined;
    if (after) {
      steps = await after(dir, server, load, failures);
      stopped = true;
    }
    const stop = stopped ? null : await server.stop();
    stopped = true;
    if (stop && (stop.code !== 0 || stop.signal !== null)) failures.push(`mjvote serve exited with ${stop.code ?? stop.signal}`);
    const result: RunResult = {
      name,
      serve: `mjvote serve DIR --workers ${WORKERS}${o['max-batch'] ? ` --max-batch ${o['max-batch']}` : ''}${opts.noBatch ? ' --no-batch' : ''}`,
      ok: failures.length === 0,
      failures,
      load,
      cpu,
      serverCpuMsPerBallot: (cpu.serverSeconds * 1000) / Math.max(1, load.accepted),
      checker: { batches, ballots: checked, meanBatch: checked / Math.max(1, batches) },
      serverStartSeconds: server.startSeconds,
      serverPeakRssMiB: peak,
      loadAverage,
      ...(steps ? { steps } : {}),
    };
    report(result);
    return result;
  } finally {
    if (!stopped) await server.stop();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function ms(x: number): string {
  return Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '—';
}
function duration(seconds: number): string {
  return seconds >= 120 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}
function report(r: RunResult): void {
  const l = r.load;
  const offered =
    l.offered === 'closed loop' ? `closed, ${l.connections} conn.` : `${l.offered.perSecond.toFixed(0)}/s ${l.offered.arrivals}`;
  console.error(
    `${r.name.padEnd(22)} ${offered.padEnd(18)} ${String(l.accepted).padStart(6)} in ${l.seconds.toFixed(1).padStart(6)} s` +
      `  ${l.acceptedPerSecond.toFixed(1).padStart(6)}/s (steady ${l.steadyPerSecond.toFixed(1)})` +
      `  p50 ${ms(l.latencyMs.p50)} p99 ${ms(l.latencyMs.p99)} max ${ms(l.latencyMs.max)} ms` +
      `  batch ${r.checker.meanBatch.toFixed(1)}  CPU server ${(100 * r.cpu.serverShare).toFixed(0)}%` +
      ` client ${(100 * r.cpu.clientShare).toFixed(0)}% others ${(100 * r.cpu.othersShare).toFixed(0)}%` +
      (l.sendLagMaxMs !== undefined ? `  lag ≤ ${ms(l.sendLagMaxMs)} ms` : '') +
      (r.ok ? '' : `  FAILED: ${r.failures.join('; ')}`),
  );
}

// ---- The tenth of the Primaire Populaire: the organiser's steps after the ballots ----

async function primaireSteps(dir: string, server: Server, load: Load, failures: string[]): Promise<Record<string, number>> {
  const steps: Record<string, number> = { post: load.seconds };
  const time = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    steps[name] = (performance.now() - t0) / 1000;
    console.error(`  ${name.padEnd(44)} ${steps[name]!.toFixed(1).padStart(8)} s`);
    return r;
  };
  // close and tally reach the running server through its admin API, as an organiser's would.
  await time('close (through the server)', () => cliStep(['election', 'close', dir, '--json']));
  const tallied = JSON.parse((await time('tally (through the server)', () => cliStep(['election', 'tally', dir, '--json']))).stdout) as {
    ballots: number;
    tallySha256: string;
    head: string;
  };
  const d = readElectionDirectory(dir);
  const t = d.manifest.trustees.t;
  const keys = (JSON.parse(readFileSync(KEYS, 'utf8')) as unknown[])
    .map((f) => importTrusteeState(f, BENCH_PASSPHRASE, d.group, { allowWeakKdf: true }) as TrusteeKey<unknown>)
    .slice(0, t);
  const shareFiles = await time(`${t} trustees decrypt (in process)`, () => {
    const tallyJson = JSON.parse(readFileSync(join(dir, 'tally.json'), 'utf8')) as unknown;
    const tally = parseEncryptedTally(d.group, tallyJson, d.manifest.candidates.length, d.manifest.grades.length);
    if (canonicalSha256(tallyJson) !== tallied.tallySha256) throw new Error('tally.json is not the tally the server announced');
    return keys.map((k) => {
      const file = join(dir, '..', `share-${k.trustee}.json`);
      const json = decryptionShareFileToJson(
        d.transcript.params,
        {
          electionId: d.manifest.electionId,
          fingerprintHex: d.election.fingerprintHex,
          tallySha256: tallied.tallySha256,
          boardHead: tallied.head,
        },
        decryptionShares(d.group, k, flattenTally(tally), tallyDecryptionContext(d.election)),
      );
      writeFileSync(file, JSON.stringify(json));
      return file;
    });
  });
  await time('publish (through the server)', () =>
    cliStep(['election', 'publish', dir, '--json', ...shareFiles.flatMap((f) => ['--shares', f])]),
  );
  for (const f of shareFiles) rmSync(f, { force: true });
  const stop = await time('stop the server', () => server.stop());
  if (stop.code !== 0 || stop.signal !== null) failures.push(`mjvote serve exited with ${stop.code ?? stop.signal}`);
  const verified = await time('verify --workers 2', () => cliStep(['verify', dir, '--workers', '2', '--json']));
  const v = JSON.parse(verified.stdout) as { ok?: boolean };
  if (v.ok !== true) failures.push('mjvote verify: the record does not verify');
  if (tallied.ballots !== load.accepted) failures.push(`the tally counts ${tallied.ballots} ballots, ${load.accepted} were accepted`);
  return steps;
}

// ---- Main ----

const started = new Date();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
})();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: availableParallelism(),
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  kernel: release(),
};
console.error(
  `${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; source ${SOURCE}; work dir ${OUT}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
const results: RunResult[] = [];
/** Runs that threw (a step that failed, a server that did not start): named, and the others go on. */
const crashed: { name: string; error: string }[] = [];
async function attempt(name: string, f: () => Promise<RunResult>): Promise<RunResult | null> {
  try {
    const r = await f();
    results.push(r);
    return r;
  } catch (e) {
    console.error(`${name} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    crashed.push({ name, error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}
const saturationLoad = (url: string, b: Buffer[]): Promise<Load> => closedLoop(url, b, CONNECTIONS);
let saturation = o['saturation-rate'] !== undefined ? positive('saturation-rate', o['saturation-rate']) : NaN;
try {
  if (only.includes('saturation')) {
    const r = await attempt('saturation', () => run('saturation', { warmup: WARMUP, ballots: BALLOTS, load: saturationLoad }));
    if (r !== null) saturation = r.load.acceptedPerSecond;
  }
  if (only.includes('rates')) {
    const offered = [
      ...(Number.isFinite(saturation)
        ? FRACTIONS.map((f) => ({ name: `${Math.round(f * 100)} % of saturation`, rate: f * saturation }))
        : []),
      { name: `${FIXED_RATE}/s`, rate: FIXED_RATE },
    ];
    for (const x of offered) {
      const n = Math.max(1, Math.round(x.rate * RATE_SECONDS));
      await attempt(x.name, () => run(x.name, { warmup: WARMUP, ballots: n, load: (url, b) => openLoop(url, b, x.rate) }));
    }
  }
  if (only.includes('nobatch'))
    await attempt('saturation, no batch', () =>
      run('saturation, no batch', { noBatch: true, warmup: WARMUP, ballots: BALLOTS, load: saturationLoad }),
    );
  if (only.includes('pp-tenth')) {
    for (const n of [PP_CALIBRATION, PP_BALLOTS])
      await attempt(`PP, ${n} ballots`, () => run(`PP, ${n} ballots`, { warmup: 0, ballots: n, load: saturationLoad }, primaireSteps));
  }
} finally {
  if (!o.out && !o.keep && existsSync(OUT)) rmSync(OUT, { recursive: true, force: true });
}

/**
 * The Primaire Populaire projected from the two sizes: each step's seconds on the line through
 * (n0, t0) and (n1, t1). The decryption (the tally's size is the election's, not the ballots')
 * and the stop are not projected. Section 8 of BENCHMARKS.md found the steps a little worse than
 * linear from 20,000 to 60,000 ballots: read the projection as a floor.
 */
function projectPrimaire(small: RunResult, big: RunResult) {
  const n0 = small.load.accepted;
  const n1 = big.load.accepted;
  const steps = Object.keys(big.steps!).map((step) => {
    const t0 = small.steps![step]!;
    const t1 = big.steps![step]!;
    const scales = !step.includes('decrypt') && !step.startsWith('stop');
    // Below the noise (a step that hardly depends on the ballots), no negative cost.
    const perBallot = Math.max(0, (t1 - t0) / (n1 - n0));
    return {
      step,
      /** Seconds at n0 and at n1 ballots. */
      seconds: [t0, t1],
      msPerBallot: scales ? perBallot * 1000 : null,
      fixedSeconds: scales ? t1 - perBallot * n1 : null,
      projectedSeconds: scales ? t1 + perBallot * (PRIMAIRE_POPULAIRE - n1) : t1,
      /** The n1 run times 392,738 / n1: an upper bound when the fixed cost is positive. */
      proportionalSeconds: scales ? (t1 * PRIMAIRE_POPULAIRE) / n1 : t1,
    };
  });
  return { ballots: PRIMAIRE_POPULAIRE, from: [n0, n1] as const, steps };
}
const pp = results.filter((r) => r.steps !== undefined);
const primairePopulaire = pp.length === 2 && pp.every((r) => r.ok) ? projectPrimaire(pp[0]!, pp[1]!) : null;

const batched = results.find((r) => r.name === 'saturation');
const alone = results.find((r) => r.name === 'saturation, no batch');
const summary = {
  issue: 22,
  date: started.toISOString(),
  command: `npx tsx bench/server-load.ts ${process.argv.slice(2).join(' ')}`,
  commit,
  machine,
  note: 'the load generator runs on the same machine as the server (its CPU share is in cpu.clientShare)',
  source: SOURCE,
  options: {
    ballots: BALLOTS,
    warmup: WARMUP,
    connections: CONNECTIONS,
    serveWorkers: WORKERS,
    maxBatch: o['max-batch'] ?? 'default',
    rateSeconds: RATE_SECONDS,
    arrivals: ARRIVALS,
    sockets: SOCKETS,
  },
  ballotBytes: (await source.slice(0, 1))[0]!.length,
  saturationPerSecond: saturation,
  batchingRatio: batched && alone ? batched.load.acceptedPerSecond / alone.load.acceptedPerSecond : null,
  primairePopulaire,
  runs: results,
  crashed,
};
console.log(JSON.stringify(summary, null, 1));

console.error(
  '\n| run | offered | accepted | ballots/s | p50 ms | p99 ms | max ms | mean batch | server CPU/ballot | CPU server / client / others |',
);
console.error('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of results) {
  const l = r.load;
  const offered =
    l.offered === 'closed loop'
      ? `closed loop, ${l.connections} connections`
      : `${l.offered.perSecond.toFixed(0)}/s (${l.offered.arrivals}, ${l.connections} connections)`;
  console.error(
    `| ${r.name}${r.ok ? '' : ' **FAILED**'} | ${offered} | ${l.accepted} | ${l.acceptedPerSecond.toFixed(1)} | ${ms(l.latencyMs.p50)} | ${ms(l.latencyMs.p99)} | ${ms(l.latencyMs.max)} | ${r.checker.meanBatch.toFixed(1)} | ${r.serverCpuMsPerBallot.toFixed(2)} ms | ${[r.cpu.serverShare, r.cpu.clientShare, r.cpu.othersShare].map((x) => `${(100 * x).toFixed(0)}%`).join(' / ')} |`,
  );
}
if (summary.batchingRatio !== null) console.error(`\nbatching on / off at saturation: ${summary.batchingRatio.toFixed(2)}×`);
if (primairePopulaire !== null) {
  const [n0, n1] = primairePopulaire.from;
  console.error(`\nThe Primaire Populaire: the steps at ${n0} and ${n1} ballots, projected to ${PRIMAIRE_POPULAIRE.toLocaleString('en')}`);
  console.error(`| step | ${n0} ballots | ${n1} ballots | per ballot | fixed | projected | ×${(PRIMAIRE_POPULAIRE / n1).toFixed(1)} |`);
  console.error('|---|---:|---:|---:|---:|---:|---:|');
  for (const x of primairePopulaire.steps)
    console.error(
      `| ${x.step} | ${x.seconds[0]!.toFixed(1)} s | ${x.seconds[1]!.toFixed(1)} s | ` +
        `${x.msPerBallot === null ? '—' : `${x.msPerBallot.toFixed(2)} ms`} | ${x.fixedSeconds === null ? '—' : `${x.fixedSeconds.toFixed(1)} s`} | ` +
        `${duration(x.projectedSeconds)} | ${duration(x.proportionalSeconds)} |`,
    );
}
const failed = [...results.filter((r) => !r.ok).map((r) => r.name), ...crashed.map((c) => c.name)];
if (failed.length > 0) console.error(`\n${failed.length} run(s) FAILED: ${failed.join(', ')}`);
process.exit(failed.length > 0 ? 1 : 0);
