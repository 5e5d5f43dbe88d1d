/** The browser tests' Chromium lookup (test/helpers/chromium.ts), on made-up environments and file systems. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserRequired, browserTestPlan, browserTests, findChromium, standardChromiumPaths } from './chromium.js';

/** A file system where exactly `present` are executables. */
const only =
  (...present: string[]) =>
  (p: string) =>
    present.includes(p);
const linux = { platform: 'linux' as const };

describe('findChromium', () => {
  it('MJVOTE_CHROMIUM wins over the hints and the usual install paths', () => {
    const env = { MJVOTE_CHROMIUM: '/opt/c/chrome', CHROME_PATH: '/usr/bin/google-chrome' };
    expect(findChromium({ ...linux, env, isExecutable: () => true })).toEqual({
      kind: 'found',
      path: '/opt/c/chrome',
      source: 'MJVOTE_CHROMIUM',
    });
  });

  it('MJVOTE_CHROMIUM=none finds nothing, even where every path exists', () => {
    for (const none of ['none', 'NONE', ' none ']) {
      const r = findChromium({ ...linux, env: { MJVOTE_CHROMIUM: none, CHROME_PATH: '/x' }, isExecutable: () => true });
      expect(r).toEqual({ kind: 'absent', reason: 'MJVOTE_CHROMIUM=none', searched: [] });
    }
  });

  it('a MJVOTE_CHROMIUM that names no executable is an error, not replaced by a standard path', () => {
    const r = findChromium({ ...linux, env: { MJVOTE_CHROMIUM: '/nonexistent' }, isExecutable: only('/usr/bin/chromium') });
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.message).toMatch(/^MJVOTE_CHROMIUM=\/nonexistent is not an executable file/);
  });

  it('the real check: a missing file and a directory are not executables', () => {
    expect(findChromium({ env: { MJVOTE_CHROMIUM: '/nonexistent/chromium' } }).kind).toBe('invalid');
    expect(findChromium({ env: { MJVOTE_CHROMIUM: process.cwd() } }).kind).toBe('invalid');
  });

  it('CHROME_PATH, then PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, are used when they exist and passed over otherwise', () => {
    const env = { CHROME_PATH: '/a/chrome', PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: '/b/chromium' };
    expect(findChromium({ ...linux, env, isExecutable: only('/a/chrome', '/b/chromium', '/usr/bin/chromium') })).toMatchObject({
      path: '/a/chrome',
      source: 'CHROME_PATH',
    });
    expect(findChromium({ ...linux, env, isExecutable: only('/b/chromium', '/usr/bin/chromium') })).toMatchObject({
      path: '/b/chromium',
      source: 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH',
    });
    expect(findChromium({ ...linux, env, isExecutable: only('/usr/bin/chromium') })).toMatchObject({
      path: '/usr/bin/chromium',
      source: 'standard path',
    });
  });

  it('searches the usual install paths in order, and says where it looked', () => {
    expect(findChromium({ ...linux, env: {}, isExecutable: only('/snap/bin/chromium', '/usr/bin/google-chrome') })).toMatchObject({
      path: '/usr/bin/google-chrome',
    });
    const r = findChromium({ ...linux, env: { CHROME_PATH: '/gone' }, isExecutable: () => false });
    expect(r).toEqual({ kind: 'absent', reason: 'no Chromium found', searched: ['CHROME_PATH=/gone', ...standardChromiumPaths('linux')] });
    expect(standardChromiumPaths('linux')).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/snap/bin/chromium',
    ]);
  });

  it('knows macOS and Windows install paths', () => {
    expect(standardChromiumPaths('darwin')).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(standardChromiumPaths('darwin')).toContain('/Applications/Chromium.app/Contents/MacOS/Chromium');
    const win = standardChromiumPaths('win32', { LOCALAPPDATA: 'C:\\Users\\v\\AppData\\Local' });
    expect(win).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe');
    expect(win).toContain('C:\\Users\\v\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    expect(
      findChromium({ platform: 'win32', env: {}, isExecutable: only('C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe') }),
    ).toMatchObject({ kind: 'found' });
  });
});

describe('browserTestPlan', () => {
  it('runs where a Chromium is found, required or not', () => {
    for (const env of [{}, { MJVOTE_REQUIRE_BROWSER: '1' }])
      expect(browserTestPlan({ ...linux, env, isExecutable: only('/usr/bin/chromium') })).toEqual({
        path: '/usr/bin/chromium',
        skip: false,
        failure: undefined,
        skipLine: undefined,
      });
  });

  it('skips, with a line saying how to get one, where none is found and none is required', () => {
    const plan = browserTestPlan({ ...linux, env: { MJVOTE_REQUIRE_BROWSER: '0' }, isExecutable: () => false });
    expect(plan).toMatchObject({ path: undefined, skip: true, failure: undefined });
    expect(plan.skipLine).toMatch(
      /^browser tests skipped: no Chromium found \(set MJVOTE_CHROMIUM=\/path\/to\/chromium, .*\); CI sets MJVOTE_REQUIRE_BROWSER=1 and fails instead$/,
    );
  });

  it('MJVOTE_REQUIRE_BROWSER=1 makes absence a failure that says how to install one or set MJVOTE_CHROMIUM', () => {
    for (const env of [{ MJVOTE_REQUIRE_BROWSER: '1' }, { MJVOTE_REQUIRE_BROWSER: 'true', MJVOTE_CHROMIUM: 'none' }]) {
      const plan = browserTestPlan({ ...linux, env, isExecutable: () => false });
      expect(plan).toMatchObject({ path: undefined, skip: false, skipLine: undefined });
      expect(plan.failure).toMatch(
        /^MJVOTE_REQUIRE_BROWSER=\S+ requires the browser tests, but .*set MJVOTE_CHROMIUM=\/path\/to\/chromium, or install .*apt-get install -y chromium/,
      );
    }
  });

  it('a MJVOTE_CHROMIUM that names no executable fails even when not required', () => {
    const plan = browserTestPlan({ ...linux, env: { MJVOTE_CHROMIUM: '/nonexistent' }, isExecutable: only('/usr/bin/chromium') });
    expect(plan).toMatchObject({ skip: false, path: undefined });
    expect(plan.failure).toMatch(/MJVOTE_CHROMIUM=\/nonexistent is not an executable file/);
  });

  it('MJVOTE_REQUIRE_BROWSER: 1 or true, nothing else', () => {
    expect(['1', 'true', 'TRUE', ' 1 '].map((v) => browserRequired({ MJVOTE_REQUIRE_BROWSER: v }))).toEqual([true, true, true, true]);
    expect(['', '0', 'false', 'no', undefined].map((v) => browserRequired({ MJVOTE_REQUIRE_BROWSER: v }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('browserTests', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('prints the skip line, with the file, and executable() throws the failure', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubEnv('MJVOTE_CHROMIUM', 'none');
    vi.stubEnv('MJVOTE_REQUIRE_BROWSER', '');
    const t = browserTests('some.test.ts');
    expect(t.skip).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/^some\.test\.ts: browser tests skipped: MJVOTE_CHROMIUM=none /);

    vi.stubEnv('MJVOTE_REQUIRE_BROWSER', '1');
    const r = browserTests('some.test.ts');
    expect(r.skip).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(() => r.executable()).toThrow(/^MJVOTE_REQUIRE_BROWSER=1 requires the browser tests/);
  });
});
