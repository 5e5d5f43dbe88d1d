/**
 * Ballot encryption in a real browser: the ESM bundle (`dist/browser/mjvote.browser.js`, built
 * from `src/index.ts` by the tsup config's browser entry) is served on 127.0.0.1 and loaded in
 * headless Chromium driven by playwright-core; the page encrypts a ballot (and audits
 * another) from the election's public parameters, and Node checks the results; the page also
 * runs the WebAssembly backend (it needs WebAssembly SIMD) against noble's encodings.
 *
 * If the bundle is missing or older than a file under `src/` (a local run without
 * `npm run build`), the browser entry of `tsup.config.ts` is built into a temporary directory.
 *
 * The Chromium comes from test/helpers/chromium.ts (MJVOTE_CHROMIUM, else the usual install
 * paths); where there is none the tests are skipped with a line on stderr, unless
 * MJVOTE_REQUIRE_BROWSER=1 (as in `.ci/run`), where they fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ristretto255 as g, ristretto255With } from '../../src/group/ristretto255.js';
import { decrypt } from '../../src/elgamal.js';
import { createCredentialList, credentialFromCode, generateCredentialCode } from '../../src/election/credential.js';
import { electionToJson, parseElection } from '../../src/election/election.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { checkBallot } from '../../src/ballot/check.js';
import { checkOpening, parseOpening } from '../../src/ballot/opening.js';
import { testElection, testManifest } from '../ballot/fixtures.js';
import { browserTests, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { browserBundle } from '../helpers/browser-bundle.js';

const CHROMIUM = browserTests('test/browser/encrypt.test.ts');

describe.skipIf(CHROMIUM.skip)('ballot encryption in headless chromium', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let bundle: { text: string; source: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const executablePath = CHROMIUM.executable(); // throws why, where a Chromium is required but missing
    bundle = await browserBundle();
    server = createServer((req, res) => {
      if (req.url === '/mjvote.browser.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(bundle.text);
      } else if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        // The page imports the bundle as a module and exposes it (page.evaluate sources pass
        // through vitest's transform, which rewrites a dynamic import() inside them).
        res.end(
          '<!doctype html><meta charset="utf-8"><title>mjvote booth test</title>' +
            '<script type="module">import * as m from "/mjvote.browser.js"; window.mjvote = m;</script>',
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath,
      timeout: 0,
      args: [...CHROMIUM_ARGS],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(0);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'mjvote' in window);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  });

  it('the bundle imports no node: module', () => {
    expect(bundle.text.length).toBeGreaterThan(10_000);
    expect(bundle.text).not.toMatch(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:/);
  });

  it('encrypts a 7 × 5 ballot in the page that Node checks, decrypts and recognises; audits another', async () => {
    const { election, secretKey } = testElection(g, testManifest({ electionId: 'browser-2024', M: 7, K: 5 }));
    const electionJson = electionToJson(election);
    const code = generateCredentialCode();
    const grades = [0, 4, 2, 1, 3, 0, 4];
    const audited = [1, 1, 1, 1, 1, 1, 1];

    const out = await page.evaluate(
      async ({ electionJson, code, grades, audited }) => {
        const m = (window as any).mjvote;
        const election = m.parseElection(electionJson);
        const cred = m.credentialFromCode(election.group, election.manifest.electionId, code.toLowerCase());
        const backend = m.ristretto255Backend();
        const t0 = performance.now();
        const handle = m.encryptBallot(election, cred, grades);
        const ms = performance.now() - t0;
        const trackingCode = handle.trackingCode;
        const ballot = m.ballotToJson(handle.cast());
        const other = m.encryptBallot(election, cred, audited);
        const opening = m.openingToJson(election, other.audit());
        let castAfterAudit = 'accepted';
        try {
          other.cast();
        } catch (e) {
          castAfterAudit = (e as { code: string }).code;
        }
        return {
          ballot,
          trackingCode,
          ms,
          auditedBallot: m.ballotToJson(other.ballot),
          opening,
          castAfterAudit,
          userAgent: navigator.userAgent,
          backend,
          publicKey: cred.publicKeyHex,
          secretShown: JSON.stringify(cred).includes(code.replace(/-/g, '').slice(0, 8)),
        };
      },
      { electionJson, code, grades, audited },
    );

    expect(pageErrors).toEqual([]);
    expect(out.userAgent).toMatch(/Chrome/);
    expect(out.backend).toBe('wasm'); // the library's default group takes the fast path in the browser
    console.info(`chromium (${bundle.source}): encrypt-and-prove 7 × 5 in ${out.ms.toFixed(0)} ms on the ${out.backend} backend`);

    const e = parseElection(JSON.parse(JSON.stringify(electionJson)));
    const cred = credentialFromCode(g, e.manifest.electionId, code);
    expect(out.publicKey).toBe(cred.publicKeyHex);
    expect(out.secretShown).toBe(false);
    const credentials = createCredentialList(g, e.manifest.electionId, [cred.publicKey]);

    const ballot = parseBallot(out.ballot, e);
    expect(checkBallot(e, ballot, { credentials })).toEqual({ ok: true });
    expect(checkBallot(e, ballot, { credentials, batch: true })).toEqual({ ok: true });
    expect(ballot.trackingCode).toBe(out.trackingCode);
    const decrypted = ballot.answers.map((a) => a.choices.findIndex((ct) => decrypt(g, secretKey, ct, 1) === 1n));
    expect(decrypted).toEqual(grades);

    const auditedBallot = parseBallot(out.auditedBallot, e);
    expect(checkOpening(e, auditedBallot, parseOpening(out.opening, e))).toEqual({ ok: true, grades: audited });
    expect(out.castAfterAudit).toBe('audited');
    expect(checkBallot(e, auditedBallot, { credentials, audited: new Set([auditedBallot.hashHex]) })).toMatchObject({
      ok: false,
      code: 'audited',
    });
  });

  it('the default group runs on WebAssembly (SIMD) in the page; it batch-decodes, rejects and adds as noble does in Node', async () => {
    const noble = ristretto255With('noble');
    const encs = Array.from({ length: 9 }, (_, i) => noble.toHex(noble.G.multiply(BigInt(i * 7919 + 3))));
    const bad = [...encs];
    bad[4] = 'ff'.repeat(32); // non-canonical: rejected in the second lane of a pair
    const out = await page.evaluate(
      ({ encs, bad }) => {
        const m = (window as any).mjvote;
        const W = m.ristretto255;
        const bytes = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
        let badPath = '';
        try {
          W.decodeMany(bad.map(bytes), 'cts');
        } catch (e) {
          badPath = (e as { path: string }).path;
        }
        const pts = W.decodeMany(encs.map(bytes), 'cts');
        return {
          backend: m.ristretto255Backend(),
          roundTrip: pts.map((p: unknown) => W.toHex(p)),
          sum: W.toHex(pts.reduce((a: unknown, b: unknown) => W.add(a, b))),
          badPath,
        };
      },
      { encs, bad },
    );
    expect(pageErrors).toEqual([]);
    expect(out.backend).toBe('wasm');
    expect(out.roundTrip).toEqual(encs);
    expect(out.sum).toBe(noble.toHex(encs.map((h) => noble.fromHex(h, 'e')).reduce((a, b) => noble.add(a, b))));
    expect(out.badPath).toBe('cts[4]');
  });
});
