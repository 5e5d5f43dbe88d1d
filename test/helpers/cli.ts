/**
 * Runs the `mjvote` command from the TypeScript sources (through tsx) in a fresh Node process:
 * for tests of what is decided per process, such as the ristretto255 backend (MJVOTE_BACKEND), and
 * for whole elections run as separate processes (`mjvote`, `serveProcess`).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

/** What an asynchronous run of the command did. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of commands run as their own process in tests: secrets never come from this
 * process's environment, and the scrypt cost of identity and state files is the test-only one.
 */
export const COMMAND_ENV: Record<string, string | undefined> = {
  ...process.env,
  MJVOTE_PASSPHRASE: undefined,
  MJVOTE_CREDENTIAL_CODE: undefined,
  MJVOTE_TEST_ONLY_SCRYPT_LOG_N: '4',
};

/** `mjvote ...args` from the sources in a process of its own, without blocking (several may run at once). */
export function mjvote(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
      env: { ...COMMAND_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `mjvote serve` running as its own process. */
export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The public API's address, as the server printed it. */
  readonly url: string;
  /** The exit code, once it exits. */
  readonly exited: Promise<number | null>;
  /** What it printed on stdout so far. */
  stdout(): string;
}

/** Starts `mjvote serve DIR --port 0 --quiet ...args` from the sources; resolves once it prints its address. */
export function serveProcess(dir: string, args: readonly string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', dir, '--port', '0', '--quiet', ...args], {
    cwd: ROOT,
    env: COMMAND_ENV,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /ballot box: (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, exited, stdout: () => out });
    });
    void exited.then((code) => reject(new Error(`mjvote serve exited (${code}) before serving: ${err}`)));
  });
}
