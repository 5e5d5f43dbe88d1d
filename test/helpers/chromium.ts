/**
 * Finding a Chromium (or Chrome) for the browser tests (test/browser/encrypt.test.ts,
 * test/mj/svg.test.ts), the arguments they launch it with, and whether they may be skipped.
 *
 * Where the executable comes from, first match wins:
 *   1. `MJVOTE_CHROMIUM`: a path, used as given. If it names no executable file that is an
 *      error (the browser tests fail saying so): the user asked for that one, so it is never
 *      silently replaced by another. `MJVOTE_CHROMIUM=none` means "pretend there is no
 *      browser": no search at all (to try the skip path on a machine that has one).
 *   2. `CHROME_PATH` (chrome-launcher's convention), then `PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH`:
 *      hints set for other tools, used if they name an executable, passed over otherwise.
 *   3. The usual install paths: Linux /usr/bin/chromium (Debian's, what CI installs),
 *      /usr/bin/chromium-browser, /usr/bin/google-chrome(-stable), /snap/bin/chromium;
 *      macOS Google Chrome.app, Chromium.app; Windows chrome.exe under Program Files,
 *      Program Files (x86) and the user's LocalAppData.
 *
 * With none found the browser tests are skipped and say so on stderr, unless
 * `MJVOTE_REQUIRE_BROWSER=1` (or `true`), which `.ci/run` sets: then they fail, with a message
 * saying how to install a Chromium or set MJVOTE_CHROMIUM.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { win32 } from 'node:path';

/** What both browser tests launch Chromium with (through playwright-core's `chromium.launch`). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Env = Record<string, string | undefined>;

export type ChromiumLookup =
  /** An executable; `source` says which rule found it. */
  | { kind: 'found'; path: string; source: string }
  /** Nothing found, or `MJVOTE_CHROMIUM=none`; `searched` says where we looked. */
  | { kind: 'absent'; reason: string; searched: string[] }
  /** `MJVOTE_CHROMIUM` names no executable file. */
  | { kind: 'invalid'; message: string };

/** The usual install paths on `platform`, most likely first. */
export function standardChromiumPaths(platform: NodeJS.Platform = process.platform, env: Env = process.env): string[] {
  if (platform === 'darwin')
    return ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'] ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', env['LOCALAPPDATA']];
    const paths: string[] = [];
    for (const root of roots) {
      if (!root) continue;
      paths.push(
        win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
      );
    }
    return [...new Set(paths)];
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ];
}

/** An existing regular file we may execute (on Windows: an existing file). */
export function isExecutableFile(path: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface LookupOptions {
  env?: Env;
  platform?: NodeJS.Platform;
  /** Whether a path is a usable executable (tests inject one). */
  isExecutable?: (path: string) => boolean;
}

/** Finds a Chromium by the rules above; never throws. */
export function findChromium(options: LookupOptions = {}): ChromiumLookup {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const ok = options.isExecutable ?? ((p: string) => isExecutableFile(p, platform));

  const explicit = env['MJVOTE_CHROMIUM']?.trim();
  if (explicit) {
    if (explicit.toLowerCase() === 'none') return { kind: 'absent', reason: 'MJVOTE_CHROMIUM=none', searched: [] };
    if (ok(explicit)) return { kind: 'found', path: explicit, source: 'MJVOTE_CHROMIUM' };
    return {
      kind: 'invalid',
      message:
        `MJVOTE_CHROMIUM=${explicit} is not an executable file. Point it at a Chromium or Chrome ` +
        `executable, unset it to search the usual install paths, or set MJVOTE_CHROMIUM=none to skip the browser tests.`,
    };
  }

  const searched: string[] = [];
  for (const name of ['CHROME_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH']) {
    const hint = env[name]?.trim();
    if (!hint) continue;
    if (ok(hint)) return { kind: 'found', path: hint, source: name };
    searched.push(`${name}=${hint}`);
  }
  for (const path of standardChromiumPaths(platform, env)) {
    if (ok(path)) return { kind: 'found', path, source: 'standard path' };
    searched.push(path);
  }
  return { kind: 'absent', reason: 'no Chromium found', searched };
}

/** `MJVOTE_REQUIRE_BROWSER` is `1` or `true`: a missing Chromium fails the browser tests. */
export function browserRequired(env: Env = process.env): boolean {
  const v = env['MJVOTE_REQUIRE_BROWSER']?.trim().toLowerCase();
  return v === '1' || v === 'true';
}

const HOW_TO_GET_ONE =
  "set MJVOTE_CHROMIUM=/path/to/chromium, or install Chromium or Google Chrome, e.g. Debian's: apt-get install -y chromium";

export interface BrowserTestPlan {
  /** The executable, when there is one. */
  path: string | undefined;
  /** Skip the browser tests: no Chromium and none required. */
  skip: boolean;
  /** Why the browser tests must fail (set when there is no path and `skip` is false). */
  failure: string | undefined;
  /** The line printed when skipping. */
  skipLine: string | undefined;
}

/** What the browser tests should do here: run on `path`, skip (with `skipLine`), or fail with `failure`. */
export function browserTestPlan(options: LookupOptions = {}): BrowserTestPlan {
  const env = options.env ?? process.env;
  const found = findChromium(options);
  if (found.kind === 'found') return { path: found.path, skip: false, failure: undefined, skipLine: undefined };
  if (found.kind === 'invalid') return { path: undefined, skip: false, failure: found.message, skipLine: undefined };
  if (browserRequired(env))
    return {
      path: undefined,
      skip: false,
      failure:
        `MJVOTE_REQUIRE_BROWSER=${env['MJVOTE_REQUIRE_BROWSER']} requires the browser tests, but ${found.reason}` +
        (found.searched.length ? ` (looked at ${found.searched.join(', ')})` : '') +
        `: ${HOW_TO_GET_ONE}.`,
      skipLine: undefined,
    };
  return {
    path: undefined,
    skip: true,
    failure: undefined,
    skipLine: `browser tests skipped: ${found.reason} (${HOW_TO_GET_ONE}); ` + 'CI sets MJVOTE_REQUIRE_BROWSER=1 and fails instead',
  };
}

/**
 * For a browser test file, at module scope: the plan for this process, and the skip line printed
 * (console.warn, so vitest's reporter shows it under the file) when the tests are skipped.
 */
export function browserTests(file: string): BrowserTestPlan & { executable(): string } {
  const plan = browserTestPlan();
  if (plan.skip) console.warn(`${file}: ${plan.skipLine}`);
  return {
    ...plan,
    /** The path to launch, or throws the reason the browser tests fail. */
    executable(): string {
      if (plan.path) return plan.path;
      throw new Error(plan.failure ?? 'no Chromium');
    },
  };
}
