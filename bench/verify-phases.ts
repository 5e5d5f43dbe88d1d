/**
 * CPU per ballot of each phase of batched ballot checking, one thread, the WebAssembly group:
 * JSON.parse of the line, the canonical re-serialization of its entry, parseBallot (with the
 * batch decoding of its 226 points), the verifier's path for canonical lines instead of those three
 * (parseCanonicalBallotText, where the checkout has it), ballotEquations (Fiat–Shamir challenges, exactly-one
 * sums), BatchVerifier.add, the verifier's ballotCombination + addCombination instead of those
 * two (where the checkout has it; its batch is the one verified), .verify (merge and MSM) per
 * chunk of `--chunk` (default 128), and the tally; plus scalarFromHex alone, per scalar. With `--baseline DIR` (another checkout with its
 * dependencies installed) the same phases of that checkout's sources run in the same rounds,
 * alternating.
 *
 *   npx tsx bench/verify-phases.ts /tmp/mjrec/r2k [--baseline /tmp/base] [--ballots 1024] [--rounds 5] [--chunk 128]
 *
 * The ballots of all chunks stay in memory for the whole round, so garbage collection is
 * charged to whichever phase triggers it: compare phases across checkouts, not with a profile.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
if (!dir || dir.startsWith('--')) throw new Error('usage: bench/verify-phases.ts RECORD_DIR [--baseline DIR] [--ballots N] [--rounds R]');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const maxBallots = Number(arg('--ballots') ?? 1024);
const rounds = Number(arg('--rounds') ?? 5);
const CHUNK = Number(arg('--chunk') ?? 128);

async function load(root: string) {
  // The first of these files that the checkout has (modules have moved between versions; a
  // baseline may be an older checkout).
  const m = async (...paths: string[]) => {
    for (const p of paths) {
      const f = join(resolve(root), 'src', p);
      if (existsSync(f)) return import(pathToFileURL(f).href);
    }
    return {};
  };
  const group = await m('group/ristretto255.ts');
  return {
    parseElection: (await m('election/election.ts', 'election.ts')).parseElection,
    // ristretto255 on its WebAssembly backend (before the single group: a group of its own).
    W: group.ristretto255With?.('wasm') ?? (await m('wasm/ristretto255-wasm.ts')).ristretto255Wasm,
    parseBallot: (await m('ballot/parse.ts', 'ballot/ballot.ts')).parseBallot,
    ballotEquations: (await m('ballot/check.ts')).ballotEquations,
    BatchVerifier: (await m('proofs/batch.ts')).BatchVerifier,
    TallyAccumulator: (await m('tally/aggregate.ts')).TallyAccumulator,
    canonicalJson: (await m('json/canonical.ts', 'board/canonical-json.ts')).canonicalJson,
    // The verifier's weighting of a ballot (absent before 2026-12-03's fifth pass).
    ballotCombination: (await m('ballot/check.ts')).ballotCombination as
      ((election: unknown, b: unknown, rho: readonly bigint[]) => unknown) | undefined,
    ballotEquationCount: (await m('ballot/check.ts')).ballotEquationCount as ((election: unknown) => number) | undefined,
    // The verifier's path for canonical ballot lines (absent before 2026-12-03's fourth pass).
    parseCanonicalBallotText: (await m('ballot/canonical-text.ts')).parseCanonicalBallotText as
      ((text: string, start: number, election: unknown) => { ballot: unknown } | null) | undefined,
  };
}
type Lib = Awaited<ReturnType<typeof load>>;

const lines = readFileSync(join(dir, 'board.jsonl'), 'utf8').split('\n');
const setupLine = lines.find((l) => l.includes('"kind":"setup"'));
if (!setupLine) throw new Error('no setup entry on the board');
const ballotsTxt = lines.filter((l) => l.includes('"kind":"ballot"')).slice(0, maxBallots);
const N = ballotsTxt.length;
const scalarHex = ballotsTxt.slice(0, 50).flatMap((l) => [...l.matchAll(/"(?:challenge|response)":"([0-9a-f]{64})"/g)].map((m) => m[1]!));

const cpu = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

function round(lib: Lib, out: Map<string, number[]>): void {
  const election = lib.parseElection(JSON.parse(setupLine!).payload.election, { group: lib.W });
  const acc = new Map<string, number>();
  const ph = <T>(name: string, f: () => T): T => {
    const t = cpu();
    const r = f();
    acc.set(name, (acc.get(name) ?? 0) + (cpu() - t) / N);
    return r;
  };
  const objs = ph('JSON.parse of the lines', () => ballotsTxt.map((l) => JSON.parse(l)));
  ph('canonical JSON of the entries', () => objs.map((o) => lib.canonicalJson(o)));
  const bs = ph('parseBallot (incl. decodeMany)', () => objs.map((o) => lib.parseBallot(o.payload.ballot, election, 'payload.ballot')));
  const fast = lib.parseCanonicalBallotText;
  if (fast)
    ph("parseCanonicalBallotText (the verifier's path: no JSON.parse, no canonical JSON)", () =>
      ballotsTxt.forEach((l) => {
        if (fast(l, l.indexOf('"payload":{"ballot":') + 20, election) === null)
          throw new Error('a ballot line the fast path does not take');
      }),
    );
  for (let c = 0; c < N; c += CHUNK) {
    const part = bs.slice(c, c + CHUNK);
    const eqs = ph('ballotEquations', () => part.map((b: unknown) => lib.ballotEquations(election, b)));
    const bv = new lib.BatchVerifier(lib.W);
    ph('BatchVerifier.add', () => eqs.forEach((e: unknown, i: number) => bv.add(i, e)));
    let batch = bv;
    const comb = lib.ballotCombination;
    if (comb && lib.ballotEquationCount) {
      const n = lib.ballotEquationCount(election);
      batch = new lib.BatchVerifier(lib.W);
      ph("ballotCombination + addCombination (the verifier's path: equations and add in one)", () =>
        part.forEach((b: unknown, i: number) => batch.addCombination(i, n, (rho: readonly bigint[]) => comb(election, b, rho))),
      );
    }
    const r = ph('BatchVerifier.verify (merge, MSM)', () => batch.verify());
    if (!r.ok) throw new Error('the record does not verify');
    const tally = new lib.TallyAccumulator(lib.W, election.candidateCount, election.gradeCount);
    ph('tally', () => {
      for (const b of part) tally.add(b.answers.map((a: { choices: unknown }) => a.choices));
      tally.result();
    });
  }
  for (const [k, v] of acc) out.set(k, [...(out.get(k) ?? []), v]);
  const t = cpu();
  for (let r = 0; r < 20; r++) for (const h of scalarHex) lib.W.scalarFromHex(h, 's');
  out.set('scalarFromHex, per scalar (µs)', [
    ...(out.get('scalarFromHex, per scalar (µs)') ?? []),
    ((cpu() - t) * 1000) / (20 * scalarHex.length),
  ]);
}

const libs: [string, Lib][] = [['this checkout', await load('.')]];
const baseline = arg('--baseline');
if (baseline) libs.unshift([`baseline (${baseline})`, await load(baseline)]);
const res = new Map<string, Map<string, number[]>>(libs.map(([n]) => [n, new Map()]));
for (const [, lib] of libs) round(lib, new Map()); // warm-up
for (let r = 0; r < rounds; r++) for (const [name, lib] of r % 2 === 0 ? libs : [...libs].reverse()) round(lib, res.get(name)!);

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
console.log(
  `Record \`${dir}\`: ${N} ballots, chunks of ${CHUNK}, ${rounds} rounds (checkouts alternating); ${os.cpus()[0]?.model} × ${os.cpus().length}, Node ${process.version}.\n`,
);
const names = [...new Set(libs.flatMap(([n]) => [...res.get(n)!.keys()]))];
console.log(`| phase (ms of CPU per ballot, median) | ${libs.map(([n]) => n).join(' | ')} |\n|---|${libs.map(() => '---:').join('|')}|`);
for (const k of names)
  console.log(`| ${k} | ${libs.map(([n]) => (res.get(n)!.has(k) ? median(res.get(n)!.get(k)!).toFixed(3) : '—')).join(' | ')} |`);
