/**
 * The voters' pages served beside the API (issue 23), on a real server on loopback: files of
 * the site with their type, a Content-Security-Policy allowing nothing from elsewhere, gzip,
 * ETag revalidation, HEAD; paths outside the site (traversal, dot files) are 404; API routes
 * keep precedence. Also the two routes the pages added: GET /credentials/{key} and byte ranges
 * of the published record's files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { RECORD_FILES } from '../../src/record/files.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { ustarHeader } from '../../src/server/record-archive.js';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBallotBox, type RunningBallotBox } from '../../src/server/node-http.js';
import { byteRange } from '../../src/server/handler.js';
import { loadPages, PAGES_CSP } from '../../src/server/pages.js';
import { electionFixture, type ElectionFixture } from './fixture.js';
import { credentialFromCode } from '../../src/election/credential.js';
import { ristretto255 } from '../../src/group/ristretto255.js';

const tmp = mkdtempSync(join(tmpdir(), 'mjvote-pages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A GET with a raw path (fetch would normalise `..`): status, headers and body bytes. */
function rawGet(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('pages served beside the API', () => {
  let f: ElectionFixture;
  let srv: RunningBallotBox;
  const site = join(tmp, 'site');
  const page = '<!doctype html><title>t</title>' + 'x'.repeat(4000);

  beforeAll(async () => {
    mkdirSync(join(site, 'sub'), { recursive: true });
    writeFileSync(join(site, 'index.html'), page);
    writeFileSync(join(site, 'app.js'), 'export {};\n');
    writeFileSync(join(site, 'sub', 'a.json'), '{"a":1}');
    writeFileSync(join(site, '.secret'), 'no');
    writeFileSync(join(tmp, 'outside.txt'), 'outside');
    f = electionFixture(tmp, 'e', { voters: 4 });
    srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 1 }, pages: loadPages(site) });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('serves the site with its types, the CSP, gzip and ETags', async () => {
    const r = await rawGet(srv.url, '/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(PAGES_CSP);
    expect(PAGES_CSP).toContain("default-src 'none'");
    expect(PAGES_CSP).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body.toString()).toBe(page);
    const z = await rawGet(srv.url, '/index.html', { 'accept-encoding': 'gzip, br' });
    expect(z.headers['content-encoding']).toBe('gzip');
    expect(z.body.length).toBeLessThan(page.length / 4);
    expect(gunzipSync(z.body).toString()).toBe(page);
    const again = await rawGet(srv.url, '/index.html', { 'if-none-match': String(r.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await rawGet(srv.url, '/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await rawGet(srv.url, '/sub/a.json')).body.toString()).toBe('{"a":1}');
    const head = await fetch(`${srv.url}/app.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('nothing outside the site: traversal, dot files, other methods', async () => {
    for (const p of ['/../outside.txt', '/%2e%2e/outside.txt', '/sub/../../outside.txt', '/.secret', '/sub', '/nope.html', '//etc/passwd'])
      expect((await rawGet(srv.url, p)).status, p).toBe(404);
    expect((await fetch(`${srv.url}/index.html`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('API routes keep precedence over files', async () => {
    const r = await fetch(`${srv.url}/election`);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.headers.get('content-security-policy')).toBe(null);
  });

  it('GET /credentials/{key}: registered or not, and the ballots it has', async () => {
    const cred = credentialFromCode(ristretto255, f.manifest.electionId, f.codes[0]!);
    const before = (await (await fetch(`${srv.url}/credentials/${cred.publicKeyHex}`)).json()) as Record<string, unknown>;
    expect(before).toEqual({ credential: cred.publicKeyHex, registered: true, ballots: 0, maxBallots: null });
    const b = f.ballot(0, [0, 1, 2]);
    expect(
      (await fetch(`${srv.url}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b.text })).status,
    ).toBe(201);
    const after = (await (await fetch(`${srv.url}/credentials/${cred.publicKeyHex}`)).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ registered: true, ballots: 1 });
    expect(after.counted).toBeGreaterThan(1);
    const stranger = 'ab'.repeat(32);
    expect(await (await fetch(`${srv.url}/credentials/${stranger}`)).json()).toEqual({
      credential: stranger,
      registered: false,
      ballots: 0,
      maxBallots: null,
    });
    for (const bad of ['XYZ', 'AB'.repeat(32), 'a'.repeat(2000)]) {
      const r = await fetch(`${srv.url}/credentials/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(((await r.json()) as { code: string }).code).toBe('malformed');
    }
  });

  it('the published record answers byte ranges', async () => {
    const admin = (path: string, token: string, body?: unknown) =>
      fetch(`${srv.adminUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const token = readFileSync(join(f.dir, 'private', 'admin-token'), 'utf8').trim();
    expect((await admin('/admin/close', token)).status).toBe(200);
    const tally = await (await admin('/admin/tally', token)).text();
    const last = JSON.parse(tally.trim().split('\n').pop()!) as { done: { head: string } };
    expect((await admin('/admin/publish', token, { shares: f.shareFiles([1, 2], last.done.head) })).status).toBe(200);
    const board = readFileSync(join(f.dir, 'board.jsonl'));
    const whole = await rawGet(srv.url, '/record/board.jsonl');
    expect(whole.status).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(board)).toBe(true);
    const part = await rawGet(srv.url, '/record/board.jsonl', { range: 'bytes=10-99' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-99/${board.length}`);
    expect(part.body.equals(board.subarray(10, 100))).toBe(true);
    const tail = await rawGet(srv.url, '/record/board.jsonl', { range: 'bytes=-5' });
    expect(tail.body.equals(board.subarray(board.length - 5))).toBe(true);
    const past = await rawGet(srv.url, '/record/board.jsonl', { range: `bytes=${board.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${board.length}`);
    expect((await rawGet(srv.url, '/record/board.jsonl', { range: 'bytes=0-1,5-6' })).status).toBe(200);
  });

  it('GET /record.tar: the whole record in one archive, which tar extracts and the verifier accepts', async () => {
    const head = await fetch(`${srv.url}/record.tar`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const r = await rawGet(srv.url, '/record.tar');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-tar');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${f.manifest.electionId}-record.tar"`);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(head.headers.get('content-length')).toBe(String(r.body.length));
    expect(r.body.length % 512).toBe(0);
    const out = join(tmp, 'extracted');
    mkdirSync(out);
    writeFileSync(join(tmp, 'record.tar'), r.body);
    execFileSync('tar', ['-xf', join(tmp, 'record.tar'), '-C', out]);
    const folder = join(out, `${f.manifest.electionId}-record`);
    const names = readdirSync(folder).sort();
    expect(names).toEqual(Object.values(RECORD_FILES).sort());
    for (const name of names) expect(readFileSync(join(folder, name)).equals(readFileSync(join(f.dir, name))), name).toBe(true);
    expect((await verifyRecord(folder)).ok).toBe(true);
    expect((await fetch(`${srv.url}/record.tar`, { method: 'POST', body: '' })).status).toBe(405);
  });
});

describe('GET /record.tar before publication', () => {
  it('is 404 not-published', async () => {
    const g = electionFixture(tmp, 'unpublished', { voters: 2 });
    const s = await serveBallotBox(g.dir, { port: 0, checker: { workers: 0 } });
    try {
      const r = await fetch(`${s.url}/record.tar`);
      expect(r.status).toBe(404);
      expect(((await r.json()) as { code: string }).code).toBe('not-published');
    } finally {
      await s.stop();
    }
  });
});

describe('ustarHeader', () => {
  it('writes the fields tar reads, with a checksum over the header', () => {
    const h = ustarHeader('e-record/board.jsonl', 1234, 1_700_000_000);
    expect(h.length).toBe(512);
    const text = (a: number, n: number) => new TextDecoder().decode(h.subarray(a, a + n)).replace(/\0.*$/s, '');
    expect(text(0, 100)).toBe('e-record/board.jsonl');
    expect(parseInt(text(124, 12), 8)).toBe(1234);
    expect(text(257, 6)).toBe('ustar');
    const sum = h.reduce((a, b, i) => a + (i >= 148 && i < 156 ? 32 : b), 0);
    expect(parseInt(text(148, 8), 8)).toBe(sum);
  });
});

describe('byteRange', () => {
  it('reads one range within the size, ignores what it does not serve', () => {
    expect(byteRange(null, 100)).toBe(null);
    expect(byteRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=95-', 100)).toEqual({ start: 95, end: 99 });
    expect(byteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(byteRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=0-0', 0)).toBe('unsatisfiable');
    expect(byteRange('bytes=9-3', 100)).toBe(null);
    expect(byteRange('items=0-9', 100)).toBe(null);
    expect(byteRange('bytes=0-1,4-5', 100)).toBe(null);
    expect(byteRange('bytes=-', 100)).toBe(null);
    expect(byteRange('bytes=99999999999999999-', 100)).toBe(null);
  });
});
