/**
 * The verifier main thread's canonical-form check of ballot lines (`isCanonicalJsonText` on each
 * payload, as `board-scan.ts` runs it), per line, on the first lines of a record's board.
 *
 *   npx tsx bench/canonical-check.ts /tmp/mjrec/r2k [--lines 600] [--baseline DIR]
 *
 * `--baseline DIR` (another checkout, sources only) times its `isCanonicalJsonText` on the same
 * lines, alternating with this checkout's round by round. Medians of 15 rounds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { isCanonicalJsonText } from '../src/json/canonical.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bench/canonical-check.ts RECORD_DIR [--lines N] [--baseline DIR]');
const li = process.argv.indexOf('--lines');
const count = li > 0 ? Number(process.argv[li + 1]) : 600;
const bi = process.argv.indexOf('--baseline');
type Check = (text: string, start?: number, end?: number) => boolean;
const impls: [string, Check][] = [['this checkout', isCanonicalJsonText]];
if (bi > 0) {
  // src/json/canonical.ts since the JSON modules moved; src/board/canonical-json.ts before.
  const root = resolve(process.argv[bi + 1]!);
  const file = [join(root, 'src', 'json', 'canonical.ts'), join(root, 'src', 'board', 'canonical-json.ts')].find((f) => existsSync(f));
  if (!file) throw new Error(`${root}: no src/json/canonical.ts or src/board/canonical-json.ts`);
  const mod = (await import(pathToFileURL(file).href)) as { isCanonicalJsonText: Check };
  impls.unshift(['baseline', mod.isCanonicalJsonText]);
}
// Ballot lines and the start of their payload (after `"payload":`), up to the closing brace.
const lines = readFileSync(join(dir, 'board.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.includes('"kind":"ballot"'))
  .slice(0, count)
  .map((l) => ({ l, start: l.indexOf('"payload":') + 10 }));
const times = new Map<string, number[]>(impls.map(([n]) => [n, []]));
for (let round = 0; round < 15; round++)
  for (const [name, check] of round % 2 === 0 ? impls : [...impls].reverse()) {
    let ok = 0;
    const t = performance.now();
    for (const { l, start } of lines) if (check(l, start, l.length - 1)) ok++;
    times.get(name)!.push(((performance.now() - t) * 1000) / lines.length);
    if (ok !== lines.length) throw new Error(`${name}: ${lines.length - ok} ballot payloads not recognised as canonical`);
  }
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const avg = lines.reduce((a, x) => a + x.l.length, 0) / lines.length;
console.log(
  `${lines.length} ballot lines of ${dir} (${avg.toFixed(0)} characters on average); ${os.cpus()[0]?.model}, Node ${process.version}. Medians of 15 rounds.\n`,
);
console.log('| code | µs per line |\n|---|---:|');
for (const [name] of impls) console.log(`| ${name} | ${median(times.get(name)!).toFixed(1)} |`);
if (impls.length === 2)
  console.log(`\nThis checkout is **${(median(times.get('baseline')!) / median(times.get('this checkout')!)).toFixed(2)}×** the baseline.`);
