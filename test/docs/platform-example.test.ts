/**
 * docs/platform.md §5, "A worked example", run exactly as written: its ```sh blocks, in order,
 * in one bash script (`set -euo pipefail`) in a fresh directory, with `mjvote` run from the
 * sources. The example must end in a record that verifies, whose merit profiles are the grades
 * the example's voters cast (read from the example's own `mjvote vote` and `election cast`
 * commands: the last ballot of each voter that reached the box, audits left out).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyRecord } from '../../src/verify/verify-record.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

/** The text of the section that starts with `heading` (up to the next `## ` heading). */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section '${heading}'`);
  const end = markdown.indexOf('\n## ', start + heading.length + 2);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The bodies of the ```lang blocks, in order. */
function blocksOf(text: string, lang: 'sh' | 'text'): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);
}

/**
 * The `mjvote` commands of a script, in order, as shell words (quotes removed): continuation
 * lines joined, each from the word `mjvote` on (in a loop or a subshell too).
 */
function mjvoteCommands(script: string): string[][] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => words(line.trim()))
    .filter((w) => w.includes('mjvote'))
    .map((w) => w.slice(w.indexOf('mjvote')));
}

/** Shell words of one line, enough for the example's commands: '…', "…" (no expansion), plain. */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '#' && word === null) break;
    if (c === ' ' || c === '\t') {
      if (word !== null) out.push(word);
      word = null;
    } else if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unbalanced quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else word = (word ?? '') + c;
  }
  if (word !== null) out.push(word);
  return out;
}

/** The values of option `name` in a command's words. */
function option(cmd: readonly string[], name: string): string[] {
  return cmd.flatMap((w, k) => (w === name && k + 1 < cmd.length ? [cmd[k + 1]!] : []));
}

interface Vote {
  voter: string;
  grades: Map<string, string>;
  audit: boolean;
}

/**
 * What the example's voters cast: each `mjvote vote` names its ballot file (--out) and the voter
 * (--code-file); each `mjvote election cast` the ballot files the box receives, in order.
 * Returns each voter's counted grades (the last non-audit ballot cast).
 */
function countedBallots(script: string): { counted: Map<string, Map<string, string>>; votes: Vote[]; audits: number } {
  const byFile = new Map<string, Vote>();
  const counted = new Map<string, Map<string, string>>();
  let audits = 0;
  for (const cmd of mjvoteCommands(script)) {
    if (cmd[1] === 'vote') {
      const [out] = option(cmd, '--out');
      const [codeFile] = option(cmd, '--code-file');
      expect(out, cmd.join(' ')).toBeDefined();
      expect(codeFile, cmd.join(' ')).toBeDefined();
      const grades = new Map(option(cmd, '--grade').map((g) => [g.slice(0, g.indexOf('=')), g.slice(g.indexOf('=') + 1)] as const));
      byFile.set(out!, { voter: codeFile!.replace(/^.*\//, '').replace(/\.code$/, ''), grades, audit: cmd.includes('--audit') });
    } else if (cmd[1] === 'election' && cmd[2] === 'cast') {
      for (const file of cmd.slice(4).filter((w) => !w.startsWith('--'))) {
        const v = byFile.get(file);
        expect(v, `election cast ${file}: no mjvote vote wrote it`).toBeDefined();
        if (v!.audit) audits++;
        else counted.set(v!.voter, v!.grades);
      }
    }
  }
  return { counted, votes: [...byFile.values()], audits };
}

const tmp = mkdtempSync(join(tmpdir(), 'mjvote-platform-example-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('docs/platform.md §5, the worked example', () => {
  const doc = readFileSync(join(ROOT, 'docs/platform.md'), 'utf8');
  const example = section(doc, '## 5. A worked example');
  const blocks = blocksOf(example, 'sh');
  const script = blocks.join('\n');

  it('has the whole election in its sh blocks, with a revote and an audit', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    const steps = mjvoteCommands(script).map((c) => (c[1] === 'election' || c[1] === 'trustee' ? `${c[1]} ${c[2]}` : c[1]));
    for (const step of [
      'trustee identity',
      'election new',
      'election register',
      'trustee init',
      'trustee reveal',
      'trustee check',
      'trustee transcript',
      'trustee finish',
      'election open',
      'vote',
      'election cast',
      'election close',
      'election tally',
      'trustee decrypt',
      'election publish',
      'verify',
    ])
      expect(steps).toContain(step);
    expect(steps.at(-1)).toBe('verify');
    const { votes, counted, audits } = countedBallots(script);
    expect(audits).toBeGreaterThanOrEqual(1);
    expect(votes.filter((v) => !v.audit).length).toBeGreaterThan(counted.size); // a revote
  });

  it('runs as written and ends in a record that verifies, with the grades cast', async () => {
    // `mjvote` from the sources: tsx (for --import and for the verifier's worker threads,
    // which load it from the working directory) must resolve from the example's directory.
    symlinkSync(join(ROOT, 'node_modules'), join(tmp, 'node_modules'), 'dir');
    const prelude = [
      'set -euo pipefail',
      `mjvote() { node --import tsx ${JSON.stringify(MAIN)} "$@"; }`,
      // Identity and state files at scrypt cost 2^4 instead of 2^17 (test only: the files say so).
      'export MJVOTE_TEST_ONLY_SCRYPT_LOG_N=4',
      '',
    ].join('\n');
    const env: Record<string, string | undefined> = { ...process.env, MJVOTE_PASSPHRASE: undefined, MJVOTE_CREDENTIAL_CODE: undefined };
    const started = Date.now();
    const run = spawnSync('bash', ['-c', prelude + script], { cwd: tmp, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    const seconds = (Date.now() - started) / 1000;
    expect(run.status, `exit ${run.status} after ${seconds} s\n--- stderr ---\n${run.stderr}\n--- stdout ---\n${run.stdout}`).toBe(0);
    // What the text shows the commands print, they print.
    const shown = blocksOf(example, 'text');
    expect(shown.length).toBeGreaterThanOrEqual(1);
    for (const text of shown) expect(run.stdout).toContain(text);
    const verified = /`(VERIFIED: [^`…]*)[^`]*`/.exec(example);
    expect(verified, 'the example quotes the VERIFIED line').not.toBeNull();
    expect(run.stdout).toContain(verified![1]);

    // The registrar deleted the delivery file, and no voter's code was ever printed.
    expect(existsSync(join(tmp, 'registrar/delivery.csv'))).toBe(false);
    const codes = readdirSync(join(tmp, 'voters'))
      .filter((f) => f.endsWith('.code'))
      .map((f) => readFileSync(join(tmp, 'voters', f), 'utf8').trim());
    expect(codes).toHaveLength(6);
    for (const code of codes) expect(run.stdout + run.stderr).not.toContain(code);

    const dir = join(tmp, 'election');
    const report = await verifyRecord(dir);
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.failures.length > 0))).toBe(true);

    // The published merit profiles are the counts of the grades the example's voters cast.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      candidates: { id: string }[];
      grades: string[];
    };
    const { counted } = countedBallots(script);
    const expected = manifest.candidates.map((c) =>
      manifest.grades.map((g) =>
        String([...counted.values()].filter((grades) => grades.get(c.id)?.toLowerCase() === g.toLowerCase()).length),
      ),
    );
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as {
      ballots: number;
      meritProfiles: { candidate: string; counts: string[] }[];
    };
    expect(result.ballots).toBe(counted.size);
    expect(result.meritProfiles.map((p) => p.candidate)).toEqual(manifest.candidates.map((c) => c.id));
    expect(result.meritProfiles.map((p) => p.counts)).toEqual(expected);
  });
});
