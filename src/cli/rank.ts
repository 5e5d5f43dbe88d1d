/**
 * `mjvote rank PROFILES.json`: ranks candidates from their merit profiles and prints a table,
 * or the JSON result, and optionally writes the merit-profile chart (SVG).
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { FormatError } from '../errors.js';
import { formatPercent } from '../mj/fraction.js';
import { MJ_RULES, type MjRule } from '../mj/rules.js';
import { meritProfileSvg } from '../mj/svg.js';
import { mjResultToJson, parseProfilesJson } from '../mj/json.js';
import { rank, type MjResult } from '../mj/rank.js';
import { type MissingPolicy } from '../mj/missing.js';
import { EXIT_OK, UsageError, parseCommandArgs, parseJsonInput, readTextInput, runReporting, type CliIo, type Command } from './command.js';

const MISSING: readonly string[] = ['error', 'lowest', 'median', 'normalize'];

const USAGE = `Usage: mjvote rank PROFILES.json [--rule RULE] [--missing POLICY] [--json] [--svg FILE]

Ranks candidates by majority judgment from their merit profiles.

PROFILES.json (use - for standard input):
  {"grades": ["best", …, "worst"],
   "profiles": {"<candidate>": [count for the best grade, …, count for the worst], …}}
  Optional keys: "voters" (number of voters), "title", "note". Counts are JSON integers,
  or decimal strings for counts beyond 2^53.

Options:
  --rule RULE        majority-judgment (default): majority grade, then majority value
                     majority-gauge: majority grade, then +/- and the larger share
                     typical, usual, central: Fabre's tie-breaks (p - q, (p - q)/(1 - p - q),
                     (p - q)/(p + q))
  --missing POLICY   when candidates have different numbers of grades:
                     error (default), lowest (count missing grades as the lowest grade),
                     median (as the candidate's majority grade), normalize (compare shares)
  --json             print the result as JSON instead of a table
  --svg FILE         also write the merit-profile chart to FILE
  --title TEXT       title of the table and chart (default: the file's "title")
  -h, --help         show this help

Exit status: 0 ranked; 2 bad input (one line on stderr says what is wrong).
`;

const OPTIONS = {
  rule: { type: 'string' },
  missing: { type: 'string' },
  json: { type: 'boolean' },
  svg: { type: 'string' },
  title: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function choice<T extends string>(value: string | undefined, allowed: readonly string[], option: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new UsageError(`${option} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** Code points, for padding columns of names with accents. */
function width(s: string): number {
  return [...s].length;
}

function mentionText(mention: string): string {
  return mention === '-' ? ' \u2212' : mention === '+' ? ' +' : '';
}

/** The readable table: rank, candidate, majority grade and mention, profile as percentages. */
export function formatRankTable(result: MjResult, title?: string): string {
  const header = ['rank', 'candidate', 'majority grade', ...result.grades];
  const rows = result.ranking.map((c) => [
    String(c.rank),
    c.candidate,
    c.majorityGrade.label + mentionText(c.mention),
    ...c.profile.map((n) => `${formatPercent(n, c.total, 1)}%`),
  ]);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const rightAligned = (i: number): boolean => i === 0 || i >= 3;
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (rightAligned(i) ? ' '.repeat(widths[i]! - width(cell)) + cell : cell + ' '.repeat(widths[i]! - width(cell))))
      .join('  ')
      .trimEnd();
  const totals = new Set(result.ranking.map((c) => c.total));
  const voters = totals.size === 1 ? `, ${[...totals][0]!.toLocaleString('en-US')} voters` : '';
  const out: string[] = [];
  out.push(`${title ? `${title}: ` : ''}${result.rule}${voters}`);
  out.push(line(header));
  for (const r of rows) out.push(line(r));
  out.push('');
  out.push('+ more voters above the majority grade than below it; \u2212 otherwise. Ties share a rank.');
  if (result.missing === 'normalize') out.push('Unequal totals: shares of each candidate\u2019s own grades are compared.');
  else if (result.missing !== 'error')
    out.push(
      `Missing grades were counted as ${result.missing === 'median' ? 'each candidate\u2019s majority grade' : `"${result.grades[result.missing === 'lowest' ? result.grades.length - 1 : result.missing.grade]}"`}.`,
    );
  return out.join('\n') + '\n';
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runReporting('mjvote rank', io, async () => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, 'rank');
    if (values.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError('missing PROFILES.json (see mjvote rank --help)');
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (one PROFILES.json at a time)`);
    const rule = choice<MjRule>(values.rule, MJ_RULES, '--rule', 'majority-judgment');
    const missing = choice<MissingPolicy & string>(values.missing, MISSING, '--missing', 'error');
    if (values.svg === '') throw new UsageError('--svg needs a file name');

    const path = positionals[0]!;
    const text = await readTextInput(path, io);
    const label = path === '-' ? 'standard input' : path;
    let result: MjResult;
    let title: string | undefined;
    try {
      const file = parseProfilesJson(parseJsonInput(text, label));
      title = values.title ?? file.title;
      result = rank(file.profiles, file.grades, { rule, missing, ...(file.voters !== undefined && { voters: file.voters }) });
    } catch (e) {
      if (e instanceof FormatError) throw new UsageError(`${label}: ${e.message}`);
      throw e;
    }

    if (values.svg !== undefined) {
      const svg = meritProfileSvg(result, title === undefined ? {} : { title });
      try {
        await writeFile(values.svg, svg, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot write ${values.svg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    io.stdout(values.json ? JSON.stringify(mjResultToJson(result), null, 2) + '\n' : formatRankTable(result, title));
    return EXIT_OK;
  });
}

/** The `rank` command. */
export const rankCommand: Command = {
  name: 'rank',
  summary: 'rank candidates from their merit profiles (table, JSON, SVG chart)',
  usage: USAGE,
  run,
};
