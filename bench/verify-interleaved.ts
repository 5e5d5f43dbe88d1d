/**
 * This checkout against another built checkout, in one process, interleaved: `verifyRecord` on
 * one thread, alternating the two libraries round by round (ABBA order), CPU time of each run
 * (`process.cpuUsage`, the verifier's only thread). On a box whose speed drifts by ±10 % within
 * minutes, this is steadier than runs one after the other (`bench/verify-scale.ts --baseline`).
 *
 *   npm run build && npx tsx bench/verify-interleaved.ts /tmp/mjrec/r2k --baseline /tmp/base [--rounds 6] [--workers 2]
 *
 * With `--workers N` (N > 1) each run uses N worker threads and the table adds the wall time;
 * the CPU time then counts every thread of the process.
 *
 * Each side runs ristretto255 on the backend it takes by default (WebAssembly). A baseline from
 * the time of the relaxed-SIMD build runs its default (SIMD) build; the table names each side's build.
 *
 * with /tmp/base made by `git worktree add /tmp/base COMMIT && cd /tmp/base && npm ci && npm run build`.
 */
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
const baseArg = process.argv.indexOf('--baseline');
const roundsArg = process.argv.indexOf('--rounds');
if (!dir || baseArg < 0) throw new Error('usage: bench/verify-interleaved.ts RECORD_DIR --baseline BUILT_CHECKOUT [--rounds N]');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 6;
const workersArg = process.argv.indexOf('--workers');
const workers = workersArg > 0 ? Number(process.argv[workersArg + 1]) : 1;
type Lib = {
  verifyRecord(dir: string, opts: { workers: number }): Promise<{ ok: boolean; counts?: { ballots?: number } }>;
  wasmVariant?(): string;
};
const load = async (root: string) => (await import(pathToFileURL(join(resolve(root), 'dist', 'node.js')).href)) as Lib;
const libs: [string, Lib][] = [
  ['baseline', await load(process.argv[baseArg + 1]!)],
  ['this checkout', await load('.')],
];
const cpu: Record<string, number[]> = { baseline: [], 'this checkout': [] };
const wall: Record<string, number[]> = { baseline: [], 'this checkout': [] };
let ballots = 0;
for (let r = 0; r < rounds; r++) {
  for (const [name, lib] of r % 2 === 0 ? libs : [...libs].reverse()) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const rep = await lib.verifyRecord(dir, { workers });
    wall[name]!.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    if (!rep.ok) throw new Error(`${name}: the record does not verify`);
    ballots = rep.counts?.ballots ?? ballots;
    cpu[name]!.push((c.user + c.system) / 1000);
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const b = median(cpu.baseline!);
const t = median(cpu['this checkout']!);
console.log(
  `Record \`${dir}\` (${ballots} ballots), ${rounds} interleaved rounds, ${workers === 1 ? 'one verifier thread' : `${workers} worker threads`}; ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}.\n`,
);
console.log(
  `| build | CPU per run (ms), each round | median | ms per ballot |${workers > 1 ? ' wall (s), each round | median wall | ballots/s |' : ''}\n|---|---|---:|---:|${workers > 1 ? '---|---:|---:|' : ''}`,
);
for (const [name, v] of Object.entries(cpu)) {
  const w = wall[name]!;
  const extra =
    workers > 1 ? ` ${w.map((x) => x.toFixed(1)).join(', ')} | ${median(w).toFixed(1)} | ${(ballots / median(w)).toFixed(0)} |` : '';
  const lib = libs.find(([n]) => n === name)![1];
  console.log(
    `| ${name} (${lib.wasmVariant?.() ?? 'simd'} build) | ${v.map((x) => x.toFixed(0)).join(', ')} | ${median(v).toFixed(0)} | ${(median(v) / ballots).toFixed(2)} |${extra}`,
  );
}
console.log(
  `\nThis checkout is **${(b / t).toFixed(2)}×** the baseline (median CPU per run)${workers > 1 ? `, ${(median(wall.baseline!) / median(wall['this checkout']!)).toFixed(2)}× by median wall time` : ''}.`,
);
