/**
 * What every `mjvote` command implements, and the conventions they share.
 *
 * A command is a file `src/cli/<name>.ts` exporting a {@link Command}; `src/cli/main.ts` lists it
 * in its command table. `run` gets the arguments after the command name and an {@link CliIo}
 * (so tests run commands in-process and capture their output) and resolves to the exit code:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | the command ran but what it checked failed (e.g. a verification), or an internal error |
 * | 2 | bad input: unknown option, missing or unreadable file, malformed content |
 *
 * Errors are reported as ONE line on stderr naming what is wrong (`mjvote rank: profiles.json:
 * profiles.Jadot[2]: a vote count must not be negative, got -1`), never a stack trace
 * (set `MJVOTE_DEBUG=1` to get one for internal errors).
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FormatError, MjvoteError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import { ioReason, readRegularFile } from '../files.js';

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** The command ran and what it checked failed, or an internal error happened. */
export const EXIT_FAILURE = 1;
/** Bad input: usage, unreadable file, malformed content. */
export const EXIT_USAGE = 2;

/** Where a command writes; the real process streams by default, strings in tests. */
export interface CliIo {
  /** Writes to standard output (text is written as is; include the newline). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads standard input to the end (for `-` as a file name). */
  readonly stdin?: () => Promise<string>;
  /** Environment variables (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A `mjvote` sub-command. */
export interface Command {
  /** The word after `mjvote`. */
  readonly name: string;
  /** One line for `mjvote --help`. */
  readonly summary: string;
  /** Full help text, printed by `mjvote <name> --help`. */
  readonly usage: string;
  /** Runs the command on the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Bad usage or bad input: reported on one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The process's own streams. */
export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
};

/**
 * `node:util` `parseArgs` in strict mode, with its errors turned into one-line
 * {@link UsageError}s (`unknown option '--foo' (see mjvote rank --help)`).
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv.slice(), options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '') : String(e);
    throw new UsageError(`${message.charAt(0).toLowerCase()}${message.slice(1)} (see mjvote ${command} --help)`);
  }
}

/** Reads a UTF-8 text file, or standard input for `-`; unreadable files are {@link UsageError}s. */
export async function readTextInput(path: string, io: CliIo): Promise<string> {
  if (path === '-') {
    if (!io.stdin) throw new UsageError('standard input is not available');
    return io.stdin();
  }
  try {
    return (await readRegularFile(path)).toString('utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : ioReason(e)}`);
  }
}

/** Parses JSON text strictly ({@link parseJson}: limits, no duplicate key); a problem is a {@link UsageError} naming the file. */
export function parseJsonInput(text: string, path: string): unknown {
  try {
    return parseJson(text, '$');
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`${path}: ${e.path === '$' ? '' : `${e.path}: `}${e.reason}`);
    throw e;
  }
}

/**
 * Runs a command body and maps what it throws to an exit code and one line on stderr:
 * {@link UsageError} and {@link FormatError} (bad input) → 2; mjvote's other typed errors
 * (a proof, protocol or bound failure) → 1 with their message; anything else → 1 as an
 * internal error.
 */
export async function runReporting(prefix: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError || e instanceof FormatError) {
      io.stderr(`${prefix}: ${oneLine(e.message)}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof MjvoteError) {
      io.stderr(`${prefix}: ${oneLine(e.message)}\n`);
      return EXIT_FAILURE;
    }
    const env = io.env ?? {};
    io.stderr(`${prefix}: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    if (env['MJVOTE_DEBUG'] && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
    return EXIT_FAILURE;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
