/**
 * The `mjvote` command line: a small dispatcher over a table of commands.
 *
 * To add a command, write `src/cli/<name>.ts` exporting a {@link Command} (see `command.ts`
 * for the conventions: exit codes, one-line errors, {@link CliIo}) and add it to `COMMANDS`.
 * The build bundles this file into `dist/cli/main.js`, the package's `mjvote` binary.
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import packageJson from '../../package.json' with { type: 'json' };
import { EXIT_OK, EXIT_USAGE, UsageError, processIo, runReporting, type CliIo, type Command } from './command.js';
import { rankCommand } from './rank.js';
import { demoCommand } from './demo.js';
import { trusteeCommand } from './trustee.js';
import { verifyCommand } from './verify.js';
import { electionCommand } from './election.js';
import { voteCommand } from './vote.js';
import { serveCommand } from './serve.js';
import { checkOpeningCommand } from './check-opening.js';
import { backendRequest } from '../wasm/runtime.js';

/** Every command, in the order `mjvote --help` lists them. */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  rankCommand,
  verifyCommand,
  trusteeCommand,
  electionCommand,
  voteCommand,
  checkOpeningCommand,
  serveCommand,
];

/** The text of `mjvote --help`. */
export function mainUsage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return (
    `Usage: mjvote <command> [options]\n\n` +
    `Verifiable elections decided by majority judgment.\n\n` +
    `Commands:\n` +
    COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n') +
    `\n\nmjvote <command> --help   help on one command\nmjvote --version          print the version\n`
  );
}

/** Runs `mjvote` with the arguments after the program name; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runReporting('mjvote', io, async () => {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stderr(mainUsage());
      return EXIT_USAGE;
    }
    if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
      io.stdout(mainUsage());
      return EXIT_OK;
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`${packageJson.version}\n`);
      return EXIT_OK;
    }
    const name = first === 'help' ? rest[0]! : first;
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      io.stderr(`mjvote: unknown command ${JSON.stringify(name)} (see mjvote --help)\n`);
      return EXIT_USAGE;
    }
    if (first === 'help') {
      io.stdout(command.usage);
      return EXIT_OK;
    }
    checkBackendEnv();
    return command.run(rest, io);
  });
}

/** A bad MJVOTE_BACKEND is a usage error (exit 2), before the command runs. */
function checkBackendEnv(): void {
  try {
    backendRequest();
  } catch (e) {
    throw e instanceof RangeError ? new UsageError(e.message) : e;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Runs the command for this process's arguments and sets its exit code (the `mjvote` binary). */
export function runMjvote(): void {
  // `mjvote rank … | head` closes stdout early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (isEntryPoint()) runMjvote();
