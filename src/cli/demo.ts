/**
 * `mjvote demo`: a complete simulated election (see `src/demo/simulate.ts`), printed as a
 * table, with the merit-profile chart as SVG and the election record in a directory.
 * @module
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { runDemoElection } from '../demo/simulate.js';
import { meritProfileSvg } from '../mj/svg.js';
import { EXIT_FAILURE, EXIT_OK, parseCommandArgs, UsageError, type CliIo, type Command } from './command.js';
import { formatRankTable } from './rank.js';

const USAGE = `Usage: mjvote demo [--voters N] [--candidates M] [--grades K] [--trustees n] [--threshold t]
                   [--out DIR] [--seed S] [--group ID] [--quiet]

Runs a complete simulated majority-judgment election: n trustees with identity keys the
manifest lists, their key ceremony (every message signed), N voters with credentials grading
M candidates on K grades (with a few revotes, Benaloh audits and bad ballots that the ballot
box refuses), sealing, homomorphic tally, threshold decryption by a random t-subset of the
trustees, and the result. Writes the election record (version 2) to DIR (default: a new
folder mjvote-demo-XXXXXX in the current directory) with the chart DIR/merit-profiles.svg.
Check the record afterwards with: mjvote verify DIR

Options:
  --voters N       registered voters, each casts a ballot (default 100)
  --candidates M   candidates, 1..12 named (default 7)
  --grades K       grades, 2..10 (default 5: Très bien … Insuffisant)
  --trustees n     trustees in the key ceremony (default 5)
  --threshold t    trustees needed to decrypt (default 3)
  --out DIR        record directory (must be absent or empty)
  --seed S         seed of the simulated opinions and choices (default: random);
                   keys, nonces and ballot randomness always come from the CSPRNG
  --group ID       group (default ristretto255; e.g. belenios-2048)
  --quiet          no progress bars
`;

function intOption(v: string | undefined, name: string, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name}: expected an integer, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`--${name}: expected an integer in [${min}, ${max}], got ${n}`);
  return n;
}

/** The `demo` command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run a complete simulated election and write its record',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(
      argv,
      {
        voters: { type: 'string' },
        candidates: { type: 'string' },
        grades: { type: 'string' },
        trustees: { type: 'string' },
        threshold: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        group: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      'demo',
    );
    if (values.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    const voters = intOption(values.voters, 'voters', 100, 2, 10_000_000);
    const candidates = intOption(values.candidates, 'candidates', 7, 1, 100);
    const grades = intOption(values.grades, 'grades', 5, 2, 10);
    const trustees = intOption(values.trustees, 'trustees', 5, 1, 255);
    const threshold = intOption(values.threshold, 'threshold', Math.min(3, trustees), 1, trustees);
    const out = resolve(values.out ?? mkdtempSync(join(process.cwd(), 'mjvote-demo-')));
    const seed = values.seed ?? Math.random().toString(36).slice(2);
    const tty = !values.quiet && process.stderr.isTTY === true;
    const bars = new Map<string, cliProgress.SingleBar>();
    const t0 = Date.now();
    const report = await runDemoElection({
      voters,
      candidates,
      grades,
      trustees,
      threshold,
      out,
      seed,
      group: values.group,
      log: (line) => io.stderr(`${line}\n`),
      onProgress: tty
        ? (step, done, total) => {
            let bar = bars.get(step);
            if (!bar) {
              bar = new cliProgress.SingleBar(
                { format: `${step.padEnd(12)} [{bar}] {value}/{total} {eta_formatted}`, hideCursor: true, clearOnComplete: true },
                cliProgress.Presets.shades_classic,
              );
              bar.start(total, 0);
              bars.set(step, bar);
            }
            bar.update(done);
            if (done >= total) bar.stop();
          }
        : undefined,
    });
    for (const b of bars.values()) b.stop();
    const svgPath = join(out, 'merit-profiles.svg');
    writeFileSync(svgPath, meritProfileSvg(report.result, { title: report.manifest.title }));
    io.stdout(
      formatRankTable(
        report.result,
        `${report.manifest.title}: ${report.counted} ballots counted of ${report.registered} registered voters`,
      ),
    );
    io.stdout(
      `\nrefused ballots (as the ballot box reported them):\n${report.rejected.map((r) => `  ${r.code.padEnd(18)} ${r.what}`).join('\n')}\n`,
    );
    io.stdout(`\nrecord:  ${out}\nchart:   ${svgPath}\nseed:    ${seed}\ntime:    ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const same = report.decrypted.every((row, j) => row.every((c, k) => c === report.expected[j]![k]));
    if (!same) {
      io.stderr('mjvote demo: the decrypted merit profiles differ from the simulated votes\n');
      return EXIT_FAILURE;
    }
    io.stdout(`check:   the decrypted merit profiles equal the simulated votes counted in the clear\n`);
    return EXIT_OK;
  },
};
