/**
 * Where verification time goes (issue 7's cost breakdown): runs the built verifier on one
 * thread under the V8 CPU profiler and sums self time by category.
 *
 *   npm run build && npx tsx bench/profile-verify.ts /tmp/rec-2k [--workers 2] [--top]
 *
 * With `--workers N` (N > 1) the verifier runs with N worker threads: the first table is the main
 * thread's profile (reading the board, chain hashes, canonical form, handing lines over), the
 * second the workers' profiles summed. `--top` adds the largest functions of any category.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/profile-verify.ts RECORD_DIR');
const out = mkdtempSync(join(tmpdir(), 'mjvote-prof-'));
const wi = process.argv.indexOf('--workers');
const workers = wi > 0 ? Number(process.argv[wi + 1]) : 1;
const r = spawnSync(
  process.execPath,
  [
    '--cpu-prof',
    '--cpu-prof-interval',
    '250',
    '--cpu-prof-dir',
    out,
    'dist/cli/main.js',
    'verify',
    dir,
    '--workers',
    String(workers),
    '--json',
  ],
  { encoding: 'utf8', maxBuffer: 1 << 30 },
);
if (r.status !== 0) throw new Error(r.stderr);
const ballots = JSON.parse(r.stdout).counts.ballots as number;
const CATEGORIES: [string, RegExp][] = [
  ['WebAssembly: point decoding, MSM, group arithmetic', /^wasm-function/],
  ['garbage collection', /garbage collector/],
  ['SHA-2 (board chain, ballot hashes, Fiat–Shamir transcripts)', /crypto\/hash|sha|hash_to_field|expand_message|i2osp|strxor/i],
  ['JSON parsing and canonical checks of board lines', /JSON|decodeLine|canonical|scan|parse(Entry|Line)/],
  ['hex and BigInt conversions', /fromHex|toHex|bigintTo|bytesToBigint|hexToNumber|numberToHex|scalar(From|To)Hex|decodeScalar/],
  ['transcripts and equations (JS)', /Transcript|item|element|contextBytes|concatBytes|Equations|combined|add$|mul$|create$|scalar$|elem$/],
  ['parsing ballots into typed values', /parseBallot|expectObject|expectArray|parse[A-Z]/],
];
// CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile: the main thread is thread 0.
const files = readdirSync(out);
const mainFile = files.find((f) => f.split('.')[4] === '0') ?? files[0]!;
report(workers > 1 ? 'main thread' : '', [mainFile]);
const workerFiles = files.filter((f) => f !== mainFile);
if (workerFiles.length > 0) report(`${workerFiles.length} workers summed`, workerFiles);

function report(label: string, profiles: string[]): void {
  const sums = new Map<string, number>();
  const others = new Map<string, number>();
  const all = new Map<string, number>();
  let total = 0;
  for (const file of profiles) {
    const prof = JSON.parse(readFileSync(join(out, file), 'utf8'));
    const nodes = new Map<number, any>(prof.nodes.map((n: any) => [n.id, n]));
    prof.samples.forEach((id: number, i: number) => {
      const n = nodes.get(id);
      const name = `${n.callFrame.functionName} ${n.callFrame.url}`;
      if (/\(idle\)|\(program\)/.test(name)) return;
      const dt = prof.timeDeltas[i] / 1000;
      total += dt;
      const cat = CATEGORIES.find(([, re]) => re.test(name))?.[0] ?? 'other JavaScript';
      sums.set(cat, (sums.get(cat) ?? 0) + dt);
      const key = `${n.callFrame.functionName || `(anonymous):${n.callFrame.lineNumber + 1}`} ${String(n.callFrame.url).split('/').slice(-2).join('/')}`;
      all.set(key, (all.get(key) ?? 0) + dt);
      if (cat === 'other JavaScript') others.set(key, (others.get(key) ?? 0) + dt);
    });
  }
  console.log(
    `CPU profile of \`verify ${dir} --workers ${workers}\`${label ? ` (${label})` : ''}: ${ballots} ballots, ${(total / ballots).toFixed(2)} ms of CPU per ballot (profiled).\n`,
  );
  console.log('| where | ms per ballot | share |\n|---|---:|---:|');
  for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]))
    console.log(`| ${k} | ${(v / ballots).toFixed(2)} | ${((100 * v) / total).toFixed(0)} % |`);
  console.log('\nLargest items of "other JavaScript":\n');
  for (const [k, v] of [...others].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`- \`${k}\`: ${(v / ballots).toFixed(3)} ms per ballot`);
  if (process.argv.includes('--top')) {
    console.log('\nLargest functions of any kind:\n');
    for (const [k, v] of [...all].sort((a, b) => b[1] - a[1]).slice(0, 30))
      console.log(`- \`${k}\`: ${(v / ballots).toFixed(3)} ms per ballot`);
  }
  console.log('');
}
