/**
 * Runs the `mjvote` command from the TypeScript sources (through tsx) in a fresh Node process:
 * for tests of what is decided per process, such as the ristretto255 backend (MJVOTE_BACKEND).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The result of one run. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `mjvote ...args` from the sources, with `env` added to this process's environment. */
export function runCliFromSource(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `mjvote verify DIR --json ...args` on a backend, parsed. */
export function verifyJsonOn(
  backend: 'noble' | 'wasm',
  dir: string,
  ...args: string[]
): { status: number | null; report: any; stderr: string } {
  const r = runCliFromSource(['verify', dir, '--json', ...args], { MJVOTE_BACKEND: backend });
  let report: any = null;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    // left null: the caller's expectation on `report` fails and shows stderr
  }
  return { status: r.status, report, stderr: r.stderr };
}
