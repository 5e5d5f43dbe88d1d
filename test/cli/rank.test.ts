/**
 * `mjvote` and `mjvote rank`: run in-process through `main()` with captured output, plus one
 * run of the built binary (`node dist/cli/main.js`), which must exist in CI (`npm run build`
 * runs before `npm test`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILURE, runReporting, type CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { meritProfileSvg } from '../../src/mj/svg.js';
import { mjResultToJson, parseProfilesJson } from '../../src/mj/json.js';
import { rank } from '../../src/mj/rank.js';

const FIXTURE = fileURLToPath(new URL('../mj/fixtures/primaire-populaire-2022.json', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** The package's `mjvote` binary (package.json's bin), which runs dist/cli/main.js. */
const BIN = fileURLToPath(
  new URL(`../../${JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).bin.mjvote}`, import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'mjvote-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function mjvote(args: string[], stdin?: string, env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: async () => stdin ?? '',
    env,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

/** A bad-input run: exit 2, nothing on stdout, exactly one line on stderr, no stack trace. */
function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

const fixture = parseProfilesJson(JSON.parse(readFileSync(FIXTURE, 'utf8')));

describe('mjvote', () => {
  it('--help lists the commands', async () => {
    const r = await mjvote(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mjvote <command>/);
    expect(r.stdout).toMatch(/\n {2}rank +rank candidates/);
    expect((await mjvote(['help'])).stdout).toBe(r.stdout);
  });

  it('without arguments prints the usage on stderr and exits 2', async () => {
    const r = await mjvote([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: mjvote/);
  });

  it('rejects an unknown command in one line', async () => {
    expectOneLineError(await mjvote(['tally']), /^mjvote: unknown command "tally" \(see mjvote --help\)$/m);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await mjvote(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('an internal error is one line and exit 1; MJVOTE_DEBUG=1 adds the stack', async () => {
    for (const debug of [false, true]) {
      let err = '';
      const io: CliIo = { stdout: () => {}, stderr: (t) => void (err += t), env: debug ? { MJVOTE_DEBUG: '1' } : {} };
      const code = await runReporting('mjvote x', io, async () => {
        throw new TypeError('boom');
      });
      expect(code).toBe(EXIT_FAILURE);
      expect(err.split('\n')[0]).toBe('mjvote x: internal error: boom');
      expect(/\n\s+at /.test(err)).toBe(debug);
    }
  });
});

describe('mjvote rank', () => {
  it('--help and help rank print the usage', async () => {
    const r = await mjvote(['rank', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: mjvote rank PROFILES\.json/);
    for (const word of ['--rule', '--missing', '--json', '--svg', 'majority-gauge', 'typical', 'usual', 'central', 'normalize'])
      expect(r.stdout).toContain(word);
    expect((await mjvote(['help', 'rank'])).stdout).toBe(r.stdout);
    expect((await mjvote(['rank', '-h'])).stdout).toBe(r.stdout);
  });

  it('prints a readable table: rank, candidate, majority grade and mention, percentages', async () => {
    const r = await mjvote(['rank', FIXTURE]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Primaire Populaire 2022: majority-judgment, 392,738 voters');
    expect(lines[1]).toMatch(/^rank {2}candidate +majority grade +Très bien +Bien +Assez bien +Passable +Insuffisant$/);
    expect(lines[2]).toMatch(/^ {3}1 {2}Christiane Taubira +Bien \+ +49\.4% +18\.0% +11\.7% +7\.9% +13\.0%$/);
    expect(lines[4]).toMatch(/^ {3}3 {2}Jean-Luc Mélenchon +Assez bien − +20\.5%/);
    expect(lines[8]).toMatch(/^ {3}7 {2}Anna Agueb-Porterie +Insuffisant +2\.0%/);
    // columns line up (code points, accents included)
    const at = (l: string): number => [...l].indexOf('%');
    expect(new Set(lines.slice(2, 9).map(at)).size).toBe(1);
  });

  it('--json prints the result sorted by rank, bigints as strings', async () => {
    const r = await mjvote(['rank', FIXTURE, '--json', '--rule', 'typical']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toEqual(mjResultToJson(rank(fixture.profiles, fixture.grades, { rule: 'typical', voters: 392738n })));
    expect(json.rule).toBe('typical');
    expect(json.ranking.map((c: { rank: number }) => c.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(json.ranking[0]).toMatchObject({ candidate: 'Christiane Taubira', rank: 1, majorityGrade: 'Bien', mention: '+' });
  });

  it('accepts every rule', async () => {
    for (const rule of ['majority-judgment', 'majority-gauge', 'typical', 'usual', 'central']) {
      const r = await mjvote(['rank', FIXTURE, '--rule', rule, '--json']);
      expect(r.code, rule).toBe(0);
      expect(JSON.parse(r.stdout).rule).toBe(rule);
    }
  });

  it('--svg writes the chart, the same as the library draws', async () => {
    const out = join(dir, 'chart.svg');
    const r = await mjvote(['rank', FIXTURE, '--svg', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(meritProfileSvg(rank(fixture.profiles, fixture.grades), { title: 'Primaire Populaire 2022' }));
  });

  it('unequal totals: refused by default naming the candidate, accepted with --missing', async () => {
    const p = file('unequal.json', { grades: ['good', 'fair', 'poor'], profiles: { A: [2, 1, 1], B: [1, 1, 1] } });
    expectOneLineError(
      await mjvote(['rank', p]),
      /^mjvote rank: .*unequal\.json: profiles\.B: "B" has 3 grades but "A" has 4; unequal totals need a policy/,
    );
    const lowest = await mjvote(['rank', p, '--missing', 'lowest']);
    expect(lowest.code).toBe(0);
    expect(lowest.stdout).toContain('Missing grades were counted as "poor".');
    for (const m of ['median', 'normalize']) expect((await mjvote(['rank', p, '--missing', m])).code).toBe(0);
  });

  it('reads standard input for -', async () => {
    const r = await mjvote(['rank', '-', '--json'], JSON.stringify({ grades: ['yes', 'no'], profiles: { x: [2, 1], y: ['1', '2'] } }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ranking.map((c: { candidate: string }) => c.candidate)).toEqual(['x', 'y']);
  });

  it.each<[string, () => string[], RegExp]>([
    ['no file', () => ['rank'], /missing PROFILES\.json/],
    ['two files', () => ['rank', FIXTURE, FIXTURE], /unexpected argument/],
    ['unknown option', () => ['rank', FIXTURE, '--frob'], /unknown option '--frob' \(see mjvote rank --help\)/],
    ['option without value', () => ['rank', FIXTURE, '--rule'], /--rule/],
    ['bad rule', () => ['rank', FIXTURE, '--rule', 'borda'], /--rule must be one of majority-judgment, .*got "borda"/],
    ['bad policy', () => ['rank', FIXTURE, '--missing', 'zero'], /--missing must be one of error, lowest, median, normalize/],
    ['missing file', () => ['rank', join(dir, 'nope.json')], /cannot read .*nope\.json: no such file/],
    ['a directory', () => ['rank', dir], /cannot read .*: is a directory/],
    ['invalid JSON', () => ['rank', file('bad.json', '{"grades": [')], /bad\.json: not valid JSON/],
    [
      'negative count',
      () => ['rank', file('neg.json', { grades: ['a', 'b'], profiles: { 'Jean-Luc': [1, -1] } })],
      /neg\.json: profiles\["Jean-Luc"\]\[1\]: a vote count must not be negative, got -1$/m,
    ],
    [
      'fractional count',
      () => ['rank', file('frac.json', { grades: ['a', 'b'], profiles: { x: [1.5, 1] } })],
      /profiles\.x\[0\]: a vote count must be an integer/,
    ],
    [
      'wrong length',
      () => ['rank', file('len.json', { grades: ['a', 'b'], profiles: { x: [1] } })],
      /profiles\.x: the profile of "x" has 1 counts but there are 2 grades/,
    ],
    ['no grades', () => ['rank', file('nog.json', { grades: [], profiles: { x: [] } })], /grades: no grades/],
    ['no candidates', () => ['rank', file('noc.json', { grades: ['a'], profiles: {} })], /profiles: no candidates/],
    [
      'all-zero profile',
      () => ['rank', file('zero.json', { grades: ['a', 'b'], profiles: { x: [0, 0] } })],
      /profiles\.x: every count of "x" is zero/,
    ],
    [
      'unknown key',
      () => ['rank', file('key.json', { grades: ['a'], profiles: { x: [1] }, candidates: [] })],
      /\$\.candidates: unknown key/,
    ],
    ['svg not writable', () => ['rank', FIXTURE, '--svg', join(dir, 'no', 'such', 'dir.svg')], /cannot write .*dir\.svg: ENOENT/],
  ])('bad input (%s): exit 2 and one line naming what is wrong', async (_, args, pattern) => {
    expectOneLineError(await mjvote(args()), pattern);
  });
});

const haveDist = existsSync(DIST);
const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';

describe('the built binary (package.json bin → dist/cli/main.js)', () => {
  it.skipIf(!haveDist && !inCi)('runs rank end to end with the exit codes of the issue', () => {
    expect(haveDist, 'dist/cli/main.js is missing: run npm run build before npm test').toBe(true);
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const viaBin = spawnSync(BIN, ['rank', FIXTURE, '--json'], { encoding: 'utf8' });
    expect(viaBin.status, viaBin.stderr).toBe(0);
    const ok = spawnSync(process.execPath, [DIST, 'rank', FIXTURE, '--json'], { encoding: 'utf8' });
    expect(ok.stdout).toBe(viaBin.stdout);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(mjResultToJson(rank(fixture.profiles, fixture.grades, { voters: 392738n })));
    const bad = spawnSync(process.execPath, [DIST, 'rank', join(dir, 'nope.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^mjvote rank: cannot read .*nope\.json: no such file\n$/);
    const help = spawnSync(process.execPath, [DIST, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('rank');
  });
});

describe('rank: duplicate candidates', () => {
  it('a candidate listed twice in PROFILES.json is refused with exit 2, naming it', async () => {
    const { main } = await import('../../src/cli/main.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'mjvote-dup-')), 'p.json');
    writeFileSync(f, '{"grades":["Bien","Passable"],"profiles":{"Ada":[1,2],"Alan":[2,1],"Ada":[3,0]}}');
    let err = '';
    const code = await main(['rank', f], { stdout: () => {}, stderr: (t) => void (err += t) });
    expect(code).toBe(2);
    expect(err).toMatch(/\$\.profiles\.Ada: duplicate key/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
