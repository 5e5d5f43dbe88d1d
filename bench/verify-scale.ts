/**
 * Verification at scale (issue 7): runs the built verifier (`node dist/cli/main.js verify`) on a
 * record in several modes, in the same run, and prints a markdown table: wall time, ballots per
 * second, CPU time, peak RSS (GNU time), ratio to the first mode, and the projection for the
 * 392,738 ballots of the 2022 Primaire Populaire.
 *
 *   npm run build && npx tsx bench/verify-scale.ts /tmp/rec-10k [--modes one-by-one,batch-1,batch-2,noble-batch-2]
 *
 * A baseline in the same run: `--baseline DIR` names another checkout of mjvote, built
 * (`git worktree add DIR <commit> && cd DIR && npm ci && npm run build`); a mode written
 * `base:batch-2` runs that checkout's CLI instead of this one's.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/verify-scale.ts RECORD_DIR [--modes …]');
const modesArg = process.argv.indexOf('--modes');
const modes = (modesArg > 0 ? process.argv[modesArg + 1]! : 'one-by-one,batch-1,batch-2').split(',');
const MODE: Record<string, { args: string[]; env?: Record<string, string>; label: string }> = {
  'one-by-one': { args: ['--no-batch', '--workers', '1'], label: 'one by one (`--no-batch`), 1 thread, WebAssembly' },
  'one-by-one-2': { args: ['--no-batch', '--workers', '2'], label: 'one by one (`--no-batch`), 2 workers, WebAssembly' },
  'batch-1': { args: ['--workers', '1'], label: 'batched, 1 thread, WebAssembly' },
  'batch-2': { args: ['--workers', '2'], label: 'batched, 2 workers, WebAssembly' },
  'noble-batch-1': { args: ['--workers', '1'], env: { MJVOTE_BACKEND: 'noble' }, label: 'batched, 1 thread, noble' },
  'noble-batch-2': { args: ['--workers', '2'], env: { MJVOTE_BACKEND: 'noble' }, label: 'batched, 2 workers, noble' },
  'noble-one-by-one-2': {
    args: ['--no-batch', '--workers', '2'],
    env: { MJVOTE_BACKEND: 'noble' },
    label: 'one by one (`--no-batch`), 2 workers, noble',
  },
};
const baselineArg = process.argv.indexOf('--baseline');
const baselineDir = baselineArg > 0 ? process.argv[baselineArg + 1]! : undefined;
const baselineCommit = baselineDir
  ? spawnSync('git', ['-C', baselineDir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim()
  : undefined;
const PRIMAIRE = 392_738;
const rows: string[] = [];
let base = 0;
let ballots = 0;
for (const spec of modes) {
  const isBase = spec.startsWith('base:');
  const m = isBase ? spec.slice(5) : spec;
  const known = MODE[m];
  if (!known) throw new Error(`unknown mode ${m}`);
  if (isBase && !baselineDir) throw new Error(`${spec}: --baseline DIR is required`);
  const mode = isBase ? { ...known, label: `${known.label} — baseline ${baselineCommit}` } : known;
  const cli = isBase ? `${baselineDir}/dist/cli/main.js` : 'dist/cli/main.js';
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, cli, 'verify', dir, '--json', ...mode.args], {
    env: { ...process.env, ...mode.env },
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const wall = (performance.now() - t) / 1000;
  const timeLine = r.stderr.split('\n').find((l) => l.startsWith('TIME '));
  if (r.status !== 0 || !timeLine) throw new Error(`${spec}: exit ${r.status}: ${r.stderr.slice(-2000)}`);
  const [, , user, sys, rssKb] = timeLine.split(' ').map(Number) as number[];
  const report = JSON.parse(r.stdout);
  if (!report.ok) throw new Error(`${spec}: the record does not verify`);
  ballots = report.counts.ballots;
  const rate = ballots / wall;
  if (base === 0) base = rate;
  const projected = PRIMAIRE / rate / 60;
  rows.push(
    `| ${mode.label} | ${wall.toFixed(1)} s | ${rate.toFixed(0)} | ${(((user! + sys!) * 1000) / ballots).toFixed(2)} ms | ${(rssKb! / 1024).toFixed(0)} MiB | ${(rate / base).toFixed(2)}× | ${projected.toFixed(0)} min |`,
  );
  console.error(rows.at(-1));
}
const index = JSON.parse(readFileSync(`${dir}/record.json`, 'utf8'));
console.log(
  [
    `Record \`${dir}\` (${index.electionId}, ${ballots} ballot entries); ${os.cpus()[0]?.model}, ${os.cpus().length} cores; Node ${process.version}; load average at end ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}.`,
    '',
    '| mode | wall time | ballots/s | CPU per ballot | peak RSS | speed vs first row | projected for 392,738 ballots |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
