/**
 * The library's DEFAULT path against its noble fallback, in the same run:
 *
 * (a) Headless Chromium: `encryptBallot` of a 7 × 5 ballot with the browser bundle
 *     (`dist/browser/mjvote.browser.js`) and its default group, in two pages of one browser:
 *     one served with no Content-Security-Policy (the default group takes WebAssembly) and one
 *     served with `Content-Security-Policy: script-src 'self'`, which forbids WebAssembly
 *     compilation (the default group falls back to noble). The script asserts in each page what
 *     `ristretto255Backend()` says ('wasm', 'noble'). Timed in the page with `performance.now()`
 *     around `encryptBallot(election, credential, grades)` alone (encrypt 35 cells, 35 0/1
 *     proofs, 7 exactly-one proofs, the ballot hash and signature).
 * (b) Node: `box.cast(ballot)` of a `BallotBox` (parse the ballot object, every check — listed
 *     credential, signature, all proofs batched —, append the entry with its fsync), in two
 *     child processes of this script: one with the default group (`MJVOTE_BACKEND` removed from
 *     its environment: WebAssembly), one with `MJVOTE_BACKEND=noble`. The same election and
 *     the same distinct, valid ballots (one per voter, made before any timing) go into two
 *     separate boards; `JSON.parse` of the ballot text is done before the timed call.
 *
 * In both, the two sides take turns (rounds, the first side alternating), after a warm-up; the
 * table gives medians (with the quartiles) and the ratio noble / default.
 *
 *   npx tsx bench/default-backend.ts [--rounds 10] [--encryptions 2] [--casts 5] [--warmup 3]
 *        [--skip-browser] [--skip-node] [--board-dir DIR]
 *
 * Per side: rounds × encryptions encryptions (default 20), rounds × casts casts (default 50).
 * The boards go to the OS temporary directory (or --board-dir): a cast's fsync depends on that
 * disk. Chromium is found as the browser tests find it (test/helpers/chromium.ts:
 * MJVOTE_CHROMIUM, else the usual install paths); without one, (a) is skipped, saying so.
 */
import { fork, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { browserBundle } from '../test/helpers/browser-bundle.js';

const SELF = fileURLToPath(import.meta.url);
const M = 7;
const K = 5;

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
}
const median = (xs: readonly number[]) => quantile(xs, 0.5);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cell = (xs: readonly number[]) => `**${ms(median(xs))} ms** (${ms(quantile(xs, 0.25))}–${ms(quantile(xs, 0.75))})`;
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---------------------------------------------------------------------------------------------
// (b), child side: one ballot box on this process's default group

interface Setup {
  election: unknown;
  credentials: unknown;
  ceremonySha256: string;
  ballots: string[];
}
type ToChild = { cast: [number, number] } | { close: true };
type FromChild = { ready: true; backend: string } | { times: { wall: number; cpu: number }[] } | { error: string };

async function child(setupFile: string, boardPath: string): Promise<void> {
  const send = (m: FromChild) => process.send!(m);
  try {
    const { BallotBox, parseElection, parseCredentialList, ristretto255Backend } = await import('../src/node.js');
    const setup = JSON.parse(readFileSync(setupFile, 'utf8')) as Setup;
    const election = parseElection(setup.election);
    const credentials = parseCredentialList(setup.credentials, election.group, { electionId: election.manifest.electionId });
    const box = BallotBox.create(boardPath, election, credentials, setup.ceremonySha256);
    const ballots = setup.ballots.map((t) => JSON.parse(t) as unknown); // outside the timed calls
    process.on('message', (m: ToChild) => {
      if ('close' in m) {
        box.close();
        process.disconnect();
        return;
      }
      const times: { wall: number; cpu: number }[] = [];
      for (let i = m.cast[0]; i < m.cast[1]; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const r = box.cast(ballots[i]);
        const wall = performance.now() - t0;
        const c = process.cpuUsage(c0);
        if (!r.accepted) return send({ error: `ballot ${i} refused: ${r.code} at ${r.path}: ${r.reason}` });
        times.push({ wall, cpu: (c.user + c.system) / 1000 });
      }
      send({ times });
    });
    send({ ready: true, backend: ristretto255Backend() });
  } catch (e) {
    send({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

/** A child process casting into its own box, with a request/answer helper. */
function startChild(name: string, env: NodeJS.ProcessEnv, setupFile: string, boardPath: string) {
  const proc = fork(SELF, ['--child', setupFile, boardPath], {
    env,
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: ((m: FromChild) => void) | undefined;
  let failed: Error | undefined;
  const pending: FromChild[] = [];
  proc.on('message', (m: FromChild) => (waiting ? waiting(m) : pending.push(m)));
  proc.on('exit', (code) => {
    if (code !== 0 && code !== null) failed = new Error(`${name} child exited with ${code}`);
    waiting?.({ error: failed?.message ?? `${name} child exited` });
  });
  const next = (): Promise<FromChild> =>
    new Promise((ok) => {
      const m = pending.shift();
      if (m) return ok(m);
      if (failed) return ok({ error: failed.message });
      waiting = (x) => {
        waiting = undefined;
        ok(x);
      };
    });
  const expect = async <T extends FromChild>(key: string): Promise<T> => {
    const m = await next();
    if ('error' in m) throw new Error(`${name}: ${m.error}`);
    if (!(key in m)) throw new Error(`${name}: unexpected message ${JSON.stringify(m)}`);
    return m as T;
  };
  return {
    name,
    ready: () => expect<{ ready: true; backend: string }>('ready'),
    cast: async (from: number, to: number) => {
      proc.send({ cast: [from, to] } satisfies ToChild);
      return (await expect<{ times: { wall: number; cpu: number }[] }>('times')).times;
    },
    close: () =>
      new Promise<void>((ok) => {
        proc.once('exit', () => ok());
        proc.send({ close: true } satisfies ToChild);
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// (a): the page

/** The module the pages load (plain JavaScript, served as /boot.js). */
const BOOT_JS = `
import * as m from '/mjvote.browser.js';
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' (blocked: ' + e.blockedURI + ')'));
const t0 = performance.now();
const backend = m.ristretto255Backend(); // first use: decides the backend (compiles the module, or fails to)
const decideMs = performance.now() - t0;
let election, credential;
window.bench = {
  backend,
  decideMs,
  violations,
  setup(electionJson, code) {
    election = m.parseElection(electionJson);
    credential = m.credentialFromCode(election.group, election.manifest.electionId, code);
    return m.ristretto255Backend();
  },
  encrypt(n, seed) {
    const times = [];
    let handle;
    for (let i = 0; i < n; i++) {
      const grades = Array.from({ length: ${M} }, (_, j) => (seed + i + j * 3) % ${K});
      const t = performance.now();
      handle = m.encryptBallot(election, credential, grades);
      times.push(performance.now() - t);
    }
    return { times, ballot: m.ballotToJson(handle.cast()) };
  },
};
window.benchReady = true;
`;
const PAGE_HTML =
  '<!doctype html><meta charset="utf-8"><title>mjvote default-backend bench</title><script type="module" src="/boot.js"></script>';
const CSP_NO_WASM = "script-src 'self'";

interface BrowserResult {
  chromium: string;
  bundle: string;
  wasm: number[];
  noble: number[];
  decideMs: { wasm: number; noble: number };
  /** The pages' `securitypolicyviolation` events (what the CSP blocked). */
  violations: { wasm: string[]; noble: string[] };
  ballots: { wasm: unknown; noble: unknown };
}

async function browserBench(o: {
  executable: string;
  electionJson: unknown;
  codes: [string, string];
  rounds: number;
  per: number;
  warmup: number;
}): Promise<BrowserResult> {
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_ARGS } = await import('../test/helpers/chromium.js');
  const bundle = await browserBundle();
  const server = createServer((req, res) => {
    if (req.url === '/mjvote.browser.js' || req.url === '/boot.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.url === '/boot.js' ? BOOT_JS : bundle.text);
    } else if (req.url === '/' || req.url === '/csp') {
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
      if (req.url === '/csp') headers['content-security-policy'] = CSP_NO_WASM;
      res.writeHead(200, headers);
      res.end(PAGE_HTML);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: o.executable, timeout: 0, args: [...CHROMIUM_ARGS] });
  try {
    const open = async (path: string) => {
      const page = await browser.newPage();
      page.setDefaultTimeout(0);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${origin}${path}`);
      await page.waitForFunction('window.benchReady === true');
      if (errors.length) throw new Error(`page ${path}: ${errors.join('; ')}`);
      return page;
    };
    const pages = { wasm: await open('/'), noble: await open('/csp') };
    const decideMs = { wasm: 0, noble: 0 };
    const violations = { wasm: [] as string[], noble: [] as string[] };
    for (const side of ['wasm', 'noble'] as const) {
      const p = pages[side];
      const first = (await p.evaluate('window.bench.backend')) as string;
      const after = (await p.evaluate(
        `window.bench.setup(${JSON.stringify(o.electionJson)}, ${JSON.stringify(o.codes[side === 'wasm' ? 0 : 1])})`,
      )) as string;
      if (first !== side || after !== side)
        throw new Error(
          `the ${side === 'wasm' ? 'page without CSP' : `page with CSP "${CSP_NO_WASM}"`} runs ristretto255Backend() = '${first}', expected '${side}'`,
        );
      decideMs[side] = (await p.evaluate('window.bench.decideMs')) as number;
      violations[side] = (await p.evaluate('window.bench.violations')) as string[];
    }
    type Out = { times: number[]; ballot: unknown };
    const run = async (side: 'wasm' | 'noble', n: number, seed: number): Promise<Out> => {
      await pages[side].bringToFront();
      return (await pages[side].evaluate(`window.bench.encrypt(${n}, ${seed})`)) as Out;
    };
    for (const side of ['wasm', 'noble'] as const) await run(side, o.warmup, 0);
    const times = { wasm: [] as number[], noble: [] as number[] };
    const ballots = { wasm: undefined as unknown, noble: undefined as unknown };
    for (let r = 0; r < o.rounds; r++) {
      const order = r % 2 === 0 ? (['wasm', 'noble'] as const) : (['noble', 'wasm'] as const);
      for (const side of order) {
        const out = await run(side, o.per, r + 1);
        times[side].push(...out.times);
        ballots[side] = out.ballot;
      }
      process.stderr.write(`  (a) round ${r + 1}/${o.rounds}: wasm ${ms(median(times.wasm))} ms, noble ${ms(median(times.noble))} ms\n`);
    }
    return { chromium: browser.version(), bundle: bundle.source, wasm: times.wasm, noble: times.noble, decideMs, violations, ballots };
  } finally {
    await browser.close();
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}

// ---------------------------------------------------------------------------------------------
// The run

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '10' },
      encryptions: { type: 'string', default: '2' },
      casts: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '3' },
      'skip-browser': { type: 'boolean', default: false },
      'skip-node': { type: 'boolean', default: false },
      'board-dir': { type: 'string' },
    },
  });
  const rounds = Number(values.rounds);
  const per = Number(values.encryptions);
  const casts = Number(values.casts);
  const warmup = Number(values.warmup);
  for (const [k, v] of Object.entries({ rounds, encryptions: per, casts, warmup }))
    if (!Number.isInteger(v) || v < (k === 'warmup' ? 0 : 1)) throw new Error(`--${k} must be a positive integer`);

  const { findChromium } = await import('../test/helpers/chromium.js');
  const lib = await import('../src/node.js');
  const { demoManifest, runCeremony } = await import('../src/demo/simulate.js');
  const { canonicalSha256 } = await import('../src/json/canonical.js');
  const g = lib.ristretto255;

  const found = findChromium();
  const startLoad = load();
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const cpus = os.cpus();

  // One election for both parts: 7 candidates × 5 grades, (n, t) = (3, 2), a real ceremony.
  const castsTotal = warmup + rounds * casts;
  const manifest = demoManifest({ candidates: M, grades: K, trustees: 3, threshold: 2, electionId: 'bench-default-backend' });
  const { transcript } = runCeremony(g, manifest.electionId, 3, 2);
  const election = lib.createElection(manifest, {
    coefficientCommitments: transcript.result.qualified.map((i) => transcript.reveals.find((r) => r.trustee === i)!.coefficientCommitments),
    jointPublicKey: transcript.result.jointPublicKey,
  });
  const creds = Array.from({ length: castsTotal + 2 }, () => lib.generateCredential(g, manifest.electionId));
  const list = lib.createCredentialList(
    g,
    manifest.electionId,
    creds.map((c) => c.publicKey),
  );
  const electionJson = lib.electionToJson(election);

  let browser: BrowserResult | undefined;
  let browserSkipped: string | undefined;
  if (values['skip-browser']) browserSkipped = 'skipped (--skip-browser)';
  else if (found.kind !== 'found')
    browserSkipped =
      found.kind === 'invalid'
        ? `skipped: ${found.message}`
        : `skipped: ${found.reason}${found.searched.length ? ` (looked at ${found.searched.join(', ')})` : ''}; set MJVOTE_CHROMIUM=/path/to/chromium or install one`;
  if (browserSkipped) process.stderr.write(`(a) Chromium ${browserSkipped}\n`);
  else if (found.kind === 'found') {
    process.stderr.write(`(a) headless Chromium (${found.path}): ${rounds} rounds × ${per} encryptions per page, warm-up ${warmup}\n`);
    browser = await browserBench({
      executable: found.path,
      electionJson,
      codes: [creds[castsTotal]!.revealCode(), creds[castsTotal + 1]!.revealCode()],
      rounds,
      per,
      warmup,
    });
    // The pages' ballots are real: parse and check the last of each in Node.
    for (const side of ['wasm', 'noble'] as const) {
      const b = lib.parseBallot(browser.ballots[side], election);
      const check = lib.checkBallot(election, b, { credentials: list, batch: true });
      if (!check.ok) throw new Error(`the ${side} page's ballot does not check: ${check.code}`);
    }
  }

  let node:
    | {
        backends: Record<string, string>;
        wasm: { wall: number; cpu: number }[];
        noble: { wall: number; cpu: number }[];
        dir: string;
        fs: string;
      }
    | undefined;
  if (!values['skip-node']) {
    process.stderr.write(
      `(b) BallotBox.cast in two child processes: ${castsTotal} distinct ballots each (${warmup} warm-up, ${rounds} rounds × ${casts})\n`,
    );
    const ballots = creds.slice(0, castsTotal).map((c, v) => {
      const grades = Array.from({ length: M }, (_, j) => (v + j * 3) % K);
      return JSON.stringify(lib.ballotToJson(lib.encryptBallot(election, c, grades).cast()));
    });
    const dir = mkdtempSync(join(values['board-dir'] ?? os.tmpdir(), 'mjvote-default-backend-'));
    try {
      const setupFile = join(dir, 'setup.json');
      const setup: Setup = {
        election: electionJson,
        credentials: lib.credentialListToJson(list),
        ceremonySha256: canonicalSha256(transcript.toJson()),
        ballots,
      };
      writeFileSync(setupFile, JSON.stringify(setup));
      const defaultEnv = { ...process.env };
      delete defaultEnv.MJVOTE_BACKEND;
      const kids = {
        wasm: startChild('default', defaultEnv, setupFile, join(dir, 'board-default.jsonl')),
        noble: startChild('MJVOTE_BACKEND=noble', { ...process.env, MJVOTE_BACKEND: 'noble' }, setupFile, join(dir, 'board-noble.jsonl')),
      };
      const backends = { wasm: (await kids.wasm.ready()).backend, noble: (await kids.noble.ready()).backend };
      if (backends.wasm !== 'wasm') throw new Error(`the default child runs ristretto255Backend() = '${backends.wasm}', expected 'wasm'`);
      if (backends.noble !== 'noble') throw new Error(`the MJVOTE_BACKEND=noble child runs '${backends.noble}'`);
      if (warmup > 0) for (const side of ['wasm', 'noble'] as const) await kids[side].cast(0, warmup);
      const times = { wasm: [] as { wall: number; cpu: number }[], noble: [] as { wall: number; cpu: number }[] };
      for (let r = 0; r < rounds; r++) {
        const from = warmup + r * casts;
        const order = r % 2 === 0 ? (['wasm', 'noble'] as const) : (['noble', 'wasm'] as const);
        for (const side of order) times[side].push(...(await kids[side].cast(from, from + casts)));
        process.stderr.write(
          `  (b) round ${r + 1}/${rounds}: default ${ms(median(times.wasm.map((t) => t.wall)))} ms, noble ${ms(median(times.noble.map((t) => t.wall)))} ms\n`,
        );
      }
      await Promise.all([kids.wasm.close(), kids.noble.close()]);
      const fs = spawnSync('findmnt', ['-no', 'FSTYPE', '--target', dir], { encoding: 'utf8' }).stdout?.trim() || 'file system unknown';
      node = { backends, ...times, dir: values['board-dir'] ? values['board-dir'] : 'the OS temporary directory', fs };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // The report (markdown, on stdout).
  const out: string[] = [];
  out.push('## The default ristretto255 path against the noble fallback (`bench/default-backend.ts`)', '');
  out.push(
    `- Machine: ${cpus[0]?.model.trim() ?? '?'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`,
  );
  out.push(
    `- Node ${process.version}; ${browser ? `Chromium ${browser.chromium} (headless, playwright-core)` : `Chromium: ${browserSkipped}`}`,
  );
  out.push(`- Date: ${date}; load average ${startLoad} at start, ${load()} at end`);
  out.push(`- Options: --rounds ${rounds} --encryptions ${per} --casts ${casts} --warmup ${warmup}`, '');
  out.push('| what (7 × 5 ballot) | default: WebAssembly | fallback: noble | noble / default |', '|---|---:|---:|---:|');
  if (browser) {
    const r = median(browser.noble) / median(browser.wasm);
    out.push(
      `| Chromium: \`encryptBallot\`, ms per ballot (median of ${browser.wasm.length}; quartiles) | ${cell(browser.wasm)} | ${cell(browser.noble)} | **${r.toFixed(2)}×** |`,
    );
  } else out.push(`| Chromium: \`encryptBallot\` | ${browserSkipped} | | |`);
  if (node) {
    const wall = { wasm: node.wasm.map((t) => t.wall), noble: node.noble.map((t) => t.wall) };
    const cpu = { wasm: node.wasm.map((t) => t.cpu), noble: node.noble.map((t) => t.cpu) };
    out.push(
      `| Node: \`box.cast(ballot)\`, wall ms per cast (median of ${wall.wasm.length}; quartiles) | ${cell(wall.wasm)} | ${cell(wall.noble)} | **${(median(wall.noble) / median(wall.wasm)).toFixed(2)}×** |`,
    );
    out.push(
      `| Node: the same, process CPU ms per cast | ${cell(cpu.wasm)} | ${cell(cpu.noble)} | ${(median(cpu.noble) / median(cpu.wasm)).toFixed(2)}× |`,
    );
  }
  out.push('');
  if (browser) {
    out.push(
      `(a) Pages served on 127.0.0.1, the bundle from ${browser.bundle}. Default: the page with no CSP, \`ristretto255Backend()\` = 'wasm' (first use, compiling the module: ${ms(browser.decideMs.wasm)} ms). ` +
        `Fallback: the same page with \`Content-Security-Policy: ${CSP_NO_WASM}\`, \`ristretto255Backend()\` = 'noble' (first use: ${ms(browser.decideMs.noble)} ms)` +
        `; CSP violations reported by the page: ${browser.violations.noble.length ? browser.violations.noble.join(', ') : 'none'} (page without CSP: ${browser.violations.wasm.length || 'none'}). ` +
        'Timed in the page: `encryptBallot` alone (35 encryptions, 42 proofs, hash, signature); the pages take turns. The last ballot of each page was checked in Node.',
    );
  }
  if (node) {
    out.push(
      `(b) Two child processes, ristretto255Backend() = '${node.backends.wasm}' (MJVOTE_BACKEND unset) and '${node.backends.noble}' (MJVOTE_BACKEND=noble), the same ${warmup + rounds * casts} ballots into two boards in ${node.dir} (${node.fs}). ` +
        'Timed: `box.cast(object)` (parse, duplicate and replay checks, listed credential, signature and every proof batched, the entry appended with its fsync); the JSON text is parsed before. CPU time is that of the process (all its threads, so the V8 helper threads can take it above wall time); it excludes the wait for the disk.',
    );
  }
  console.log(out.join('\n'));
}

// Last: every declaration above is initialised before either side runs.
if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
else await main();
