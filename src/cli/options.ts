/**
 * Option helpers and the step dispatcher shared by the sub-commands of `mjvote trustee` and
 * `mjvote election`.
 * @module
 */
import { EXIT_OK, EXIT_USAGE, parseCommandArgs, runReporting, UsageError, type CliIo } from './command.js';

/** Parsed option values of a sub-command. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** A required string option; `command` names the step for the help hint (`election open`). @throws UsageError */
export function requiredOption(v: OptionValues, name: string, command: string): string {
  const x = v[name];
  if (typeof x !== 'string' || x === '') throw new UsageError(`missing --${name} (see mjvote ${command} --help)`);
  return x;
}

/** An optional string option. */
export function optionalString(v: OptionValues, name: string): string | undefined {
  const x = v[name];
  if (x === '') throw new UsageError(`--${name} needs a value`);
  return typeof x === 'string' ? x : undefined;
}

/** A list option's values (empty when absent). */
export function listOption(v: OptionValues, name: string): string[] {
  const x = v[name];
  return Array.isArray(x) ? x : [];
}

/** A non-negative integer option in [min, max]. @throws UsageError */
export function integerOption(v: OptionValues, name: string, min: number, max: number, fallback?: number): number {
  const x = v[name];
  if (x === undefined && fallback !== undefined) return fallback;
  if (typeof x !== 'string' || !/^\d+$/.test(x))
    throw new UsageError(`--${name}: expected an integer${x === undefined ? '' : `, got '${String(x)}'`}`);
  const n = Number(x);
  if (n < min || n > max) throw new UsageError(`--${name}: expected an integer in [${min}, ${max}], got ${n}`);
  return n;
}

/**
 * The options that take a list of paths (`--commitments a.json b.json DIR`): parseArgs wants
 * one value per option, so every following word that is not an option is given its own copy of
 * the option (`--commitments a.json --commitments b.json --commitments DIR`). This lets a shell
 * glob (`--shares board/shares-*.json`) name several files.
 */
export function expandListOptions(argv: readonly string[], listOptions: readonly string[]): string[] {
  const out: string[] = [];
  let current: string | null = null;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--') {
      out.push(...argv.slice(k));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const name = a.replace(/^--?/, '').split('=')[0]!;
      current = listOptions.includes(name) ? name : null;
      out.push(a);
      if (current !== null && !a.includes('=') && k + 1 < argv.length) out.push(argv[++k]!);
      continue;
    }
    if (current !== null) out.push(`--${current}`, a);
    else out.push(a);
  }
  return out;
}

/** A step of a command family (`mjvote trustee init`, `mjvote election open`). */
export interface CommandStep {
  readonly name: string;
  /** Full help text, printed by `--help`. */
  readonly usage: string;
  /** parseArgs options (without `--help`); list options take every following word (see {@link expandListOptions}). */
  readonly options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
}

/**
 * Runs `mjvote FAMILY STEP …`: the family's help (with no step, or `--help`), an unknown step,
 * the step's options (list options expanded, `--help`), and the step itself through
 * `runReporting`, so that every family answers the same way and with the same exit codes.
 */
export function runCommandStep<S extends CommandStep>(
  family: string,
  steps: readonly S[],
  usage: string,
  argv: readonly string[],
  io: CliIo,
  run: (step: S, values: OptionValues, positionals: string[]) => Promise<number>,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage);
    return Promise.resolve(name === undefined ? EXIT_USAGE : EXIT_OK);
  }
  const step = steps.find((s) => s.name === name);
  if (!step)
    return runReporting(`mjvote ${family}`, io, () =>
      Promise.reject(new UsageError(`unknown step ${JSON.stringify(name)} (see mjvote ${family} --help)`)),
    );
  return runReporting(`mjvote ${family} ${step.name}`, io, async () => {
    const lists = Object.entries(step.options)
      .filter(([, o]) => o.multiple)
      .map(([k]) => k);
    const { values, positionals } = parseCommandArgs(
      expandListOptions(rest, lists),
      { ...step.options, help: { type: 'boolean', short: 'h' } },
      `${family} ${step.name}`,
    );
    if (values.help) {
      io.stdout(step.usage);
      return EXIT_OK;
    }
    return run(step, values, positionals);
  });
}
