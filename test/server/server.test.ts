/**
 * The ballot box served over HTTP (issue 22), against a real server on loopback: every route and
 * every refusal code, retries answered with the original receipt, the live feed, tracking codes,
 * the organiser's steps through the admin API while serving, CORS, and hostile requests that must
 * leave the board byte for byte as it was.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBallotBox, type RunningBallotBox } from '../../src/server/node-http.js';
import type { AccessLogLine } from '../../src/server/handler.js';
import { parseBallotReceipt, verifyBallotReceiptSignature } from '../../src/board/receipt.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { electionFixture, type ElectionFixture } from './fixture.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { credentialFromCode } from '../../src/election/credential.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { schnorrProofToJson } from '../../src/proofs/wire.js';
import { fromHex } from '../../src/bytes.js';

const tmp = mkdtempSync(join(tmpdir(), 'mjvote-server-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const post = (base: string, path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

function boardBytes(f: ElectionFixture): Buffer {
  return readFileSync(join(f.dir, 'board.jsonl'));
}

/** Sends raw bytes on a fresh connection and returns everything the server answers until it closes. */
function raw(url: string, chunks: readonly (string | Buffer)[], opts: { pauseMs?: number } = {}): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(u.port), u.hostname);
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('error', (e) =>
      (e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE' ? resolve(out) : reject(e),
    );
    s.on('close', () => resolve(out));
    s.on('connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) break;
        s.write(c);
        if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
      }
    });
  });
}

describe('the ballot box over HTTP', () => {
  let f: ElectionFixture;
  let srv: RunningBallotBox;
  const origin = 'https://booth.example.org';
  const logs: AccessLogLine[] = [];

  beforeAll(async () => {
    f = electionFixture(tmp, 'main', { voters: 12 });
    srv = await serveBallotBox(f.dir, {
      port: 0,
      checker: { workers: 1, maxBatch: 8 },
      maxBallotsPerCredential: 3,
      corsOrigins: [origin],
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      log: (l) => logs.push(l),
    });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('GET /election: the public parameters and where the election stands', async () => {
    const r = await fetch(`${srv.url}/election`);
    expect(r.status).toBe(200);
    const e = (await r.json()) as Record<string, unknown>;
    expect(e).toMatchObject({
      electionId: f.manifest.electionId,
      fingerprint: f.d.election.fingerprintHex,
      registered: 12,
      phase: 'open',
      entries: 2,
      ballots: 0,
    });
    expect(e.receiptKey).toMatch(/^[0-9a-f]{64}$/);
    expect((e.election as { manifest: { electionId: string } }).manifest.electionId).toBe(f.manifest.electionId);
  });

  it('POST /ballots: 201 with a receipt signed by the box; a retry gets the same receipt', async () => {
    const b = f.ballot(0, [0, 1, 2]);
    const r = await post(srv.url, '/ballots', b.text);
    expect(r.status).toBe(201);
    const body = (await r.json()) as { receipt: unknown; revote: boolean };
    expect(body.revote).toBe(false);
    const receipt = parseBallotReceipt(body.receipt);
    expect(receipt).toMatchObject({ trackingCode: b.trackingCode, ballotHash: b.hash, seq: 2, electionId: f.manifest.electionId });
    expect(
      verifyBallotReceiptSignature(receipt, ((await (await fetch(`${srv.url}/election`)).json()) as { receiptKey: string }).receiptKey),
    ).toBe(true);
    // The entry on the board is the one the receipt names.
    const line = boardBytes(f).toString('utf8').split('\n')[2]!;
    expect(JSON.parse(line)).toMatchObject({ seq: 2, kind: 'ballot', time: (body.receipt as { time: string }).time });
    // A client's retry: the very same receipt, 200, nothing appended.
    const before = boardBytes(f);
    const again = await post(srv.url, '/ballots', b.text);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ receipt: body.receipt, retry: true });
    expect(boardBytes(f).equals(before)).toBe(true);
  });

  it('refuses with the library codes and paths, and the right status', async () => {
    const cases: [string, string, number, string, string?][] = [];
    const good = f.ballot(1, [1, 1, 1]);
    const j = JSON.parse(good.text) as Record<string, any>;
    cases.push(['not JSON', '{"answers":', 400, 'malformed']);
    cases.push(['nested too deep', '['.repeat(100) + ']'.repeat(100), 400, 'malformed']);
    cases.push(['wrong election', JSON.stringify({ ...j, electionId: 'elsewhere' }), 400, 'wrong-election', 'ballot.electionId']);
    const sig = {
      ...j,
      signature: { ...j.signature, response: j.signature.response.replace(/^./, (c: string) => (c === '0' ? '1' : '0')) },
    };
    cases.push(['bad signature', JSON.stringify(sig), 403, 'bad-signature', 'ballot.signature']);
    const other = JSON.parse(f.ballot(2, [0, 0, 0]).text) as Record<string, any>;
    // Another ballot's first answer, the whole re-signed by the voter: the signature holds, a proof does not.
    const mixed: Record<string, any> = { ...j, answers: [other.answers[0], ...j.answers.slice(1)] };
    const mixedHash = parseBallot(mixed, f.d.election).hashHex;
    const cred = credentialFromCode(ristretto255, f.manifest.electionId, f.codes[1]!);
    mixed.signature = schnorrProofToJson(ristretto255, cred.signBallotHash(f.d.election.fingerprint, fromHex(mixedHash)));
    cases.push(['a proof of another ballot', JSON.stringify(mixed), 400, 'bad-proof', 'ballot.answers[0].proofs[0]']);
    const before = boardBytes(f);
    for (const [what, text, status, code, path] of cases) {
      const r = await post(srv.url, '/ballots', text);
      const body = (await r.json()) as { code: string; path: string };
      expect([what, r.status, body.code]).toEqual([what, status, code]);
      if (path) expect(body.path).toBe(path);
    }
    expect(boardBytes(f).equals(before)).toBe(true);
  });

  it('refuses a credential that is not registered (403)', async () => {
    const outsider = electionFixture(tmp, 'outsider', { voters: 1 });
    // Same election id would be needed to get past wrong-election: forge one with this election's ids.
    const b = JSON.parse(outsider.ballot(0, [0, 0, 0]).text) as Record<string, unknown>;
    const r = await post(
      srv.url,
      '/ballots',
      JSON.stringify({ ...b, electionId: f.manifest.electionId, fingerprint: f.d.election.fingerprintHex }),
    );
    expect(r.status).toBe(403);
    expect(((await r.json()) as { code: string }).code).toBe('unknown-credential');
  });

  it('replay (409), audits (201, then 409 for casting it), revote cap (429), and tracking codes', async () => {
    const first = f.ballot(3, [0, 0, 1]);
    expect((await post(srv.url, '/ballots', first.text)).status).toBe(201);
    // The same ciphertexts under voter 4's credential, re-signed by voter 4: its proofs fail (they
    // are bound to voter 3), but the board's replay check answers first, as BallotBox.cast does.
    const copy: Record<string, any> = { ...(JSON.parse(first.text) as Record<string, unknown>) };
    const cred4 = credentialFromCode(ristretto255, f.manifest.electionId, f.codes[4]!);
    copy.credential = cred4.publicKeyHex;
    copy.signature = schnorrProofToJson(
      ristretto255,
      cred4.signBallotHash(f.d.election.fingerprint, fromHex(parseBallot(copy, f.d.election).hashHex)),
    );
    const replay = await post(srv.url, '/ballots', JSON.stringify(copy));
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ code: 'replay', path: 'ballot.answers[0].choices[0]' });
    // Audits: published (201); again (409); a cast ballot cannot be audited (409); an opening that
    // does not fit its ballot (400).
    const castAudit = f.audit(8, [0, 0, 0]);
    expect((await post(srv.url, '/ballots', castAudit.ballotText)).status).toBe(201);
    const late = await post(srv.url, '/audits', castAudit.text);
    expect([late.status, ((await late.json()) as { code: string }).code]).toEqual([409, 'cast']);
    const other = JSON.parse(f.audit(9, [1, 1, 1]).text) as { ballot: unknown; opening: unknown };
    const mismatched = JSON.stringify({
      ballot: (JSON.parse(f.audit(9, [0, 0, 0]).text) as { ballot: unknown }).ballot,
      opening: other.opening,
    });
    expect((await post(srv.url, '/audits', mismatched)).status).toBe(400);
    const a = f.audit(4, [2, 2, 2]);
    const ar = await post(srv.url, '/audits', a.text);
    expect(ar.status).toBe(201);
    expect(((await ar.json()) as { trackingCode: string }).trackingCode).toBe(a.trackingCode);
    const cast = await post(srv.url, '/ballots', a.ballotText);
    expect(cast.status).toBe(409);
    expect(((await cast.json()) as { code: string }).code).toBe('audited');
    expect((await post(srv.url, '/audits', a.text)).status).toBe(409);
    // Revotes: voter 5 may cast 3 ballots, not 4.
    const v5 = [f.ballot(5, [0, 0, 0]), f.ballot(5, [1, 1, 1]), f.ballot(5, [2, 2, 2]), f.ballot(5, [0, 1, 2])];
    const statuses = [];
    for (const b of v5) statuses.push((await post(srv.url, '/ballots', b.text)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const track = async (code: string) => (await (await fetch(`${srv.url}/tracking/${code}`)).json()) as Record<string, any>;
    expect(await track(v5[0]!.trackingCode)).toMatchObject({ status: 'superseded', trackingCode: v5[0]!.trackingCode });
    expect(await track(v5[2]!.trackingCode)).toMatchObject({ status: 'counted' });
    expect((await track(v5[2]!.trackingCode)).entry).toMatchObject({ kind: 'ballot' });
    expect(await track(a.trackingCode)).toMatchObject({ status: 'audited' });
    expect(await track(v5[3]!.trackingCode)).toMatchObject({ status: 'absent' });
    // Typed as a person would: lower case, spaces, look-alikes.
    expect(await track(encodeURIComponent(v5[2]!.trackingCode.toLowerCase().replace(/-/g, ' ')))).toMatchObject({ status: 'counted' });
    const bad = await fetch(`${srv.url}/tracking/not-a-code`);
    expect(bad.status).toBe(400);
  });

  it('GET /board: the board as JSON lines from any entry, and a live feed of new entries', async () => {
    const all = await (await fetch(`${srv.url}/board`)).text();
    expect(Buffer.from(all).equals(boardBytes(f))).toBe(true);
    const from3 = await (await fetch(`${srv.url}/board?from=3`)).text();
    expect(from3).toBe(all.split('\n').slice(3).join('\n'));
    expect((await fetch(`${srv.url}/board?from=x`)).status).toBe(400);
    expect((await fetch(`${srv.url}/board?from=99999`)).status).toBe(416);
    // Server-Sent Events from the current end: the next ballot arrives as an event.
    const entries = all.split('\n').length - 1;
    const ac = new AbortController();
    const feed = await fetch(`${srv.url}/board?from=${entries}`, { headers: { accept: 'text/event-stream' }, signal: ac.signal });
    expect(feed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = feed.body!.getReader();
    const b = f.ballot(6, [2, 1, 0]);
    const posted = post(srv.url, '/ballots', b.text);
    let text = '';
    while (!text.includes('\n\nid:') && !/id: \d+\ndata: .*\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    expect((await posted).status).toBe(201);
    const m = /id: (\d+)\ndata: (.*)\n\n/.exec(text)!;
    expect(Number(m[1])).toBe(entries);
    expect(JSON.parse(m[2]!)).toMatchObject({ seq: entries, kind: 'ballot' });
    ac.abort();
  });

  it('hostile requests get their status and leave the board byte for byte unchanged', async () => {
    const before = boardBytes(f);
    // Declared too large: refused before reading.
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect((await post(srv.url, '/ballots', big)).status).toBe(413);
    // Too large without a declared length (chunked).
    const chunked = await raw(srv.url, [
      'POST /ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      ...Array.from({ length: 40 }, () => `4000\r\n${'y'.repeat(0x4000)}\r\n`),
      '0\r\n\r\n',
    ]);
    expect(chunked).toMatch(/^HTTP\/1\.1 413/);
    // Wrong media type, wrong method, unknown route.
    expect((await post(srv.url, '/ballots', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await fetch(`${srv.url}/ballots`)).status).toBe(405);
    expect((await fetch(`${srv.url}/nowhere`)).status).toBe(404);
    // A slow client: headers never finished → 408, connection closed.
    const slow = await raw(srv.url, ['POST /ballots HTTP/1.1\r\nHost: x\r\n']);
    expect(slow).toMatch(/^HTTP\/1\.1 408/);
    // A slow body: declared, then trickled past the request timeout.
    const slowBody = await raw(
      srv.url,
      ['POST /ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n', '{', '"a', '":'],
      { pauseMs: 900 },
    );
    expect(slowBody === '' || /^HTTP\/1\.1 408/.test(slowBody)).toBe(true);
    // A head too large.
    const huge = await raw(srv.url, [`GET /election HTTP/1.1\r\nHost: x\r\nX-Big: ${'z'.repeat(20000)}\r\n\r\n`]);
    expect(huge).toMatch(/^HTTP\/1\.1 431/);
    expect(boardBytes(f).equals(before)).toBe(true);
  });

  it('access logs: one line per request, route templates only, no code, credential or body', async () => {
    expect(logs.length).toBeGreaterThan(20);
    const text = logs.map((l) => JSON.stringify(l)).join('\n');
    for (const code of f.codes) expect(text).not.toContain(code);
    expect(text).not.toMatch(/[0-9A-TV-Z]{5}-[0-9A-TV-Z]{5}-[0-9A-TV-Z]{5}/); // no tracking code
    expect(text).not.toMatch(/[0-9a-f]{64}/); // no credential, hash or key
    expect(new Set(logs.map((l) => l.route))).toEqual(new Set(['/election', '/ballots', '/audits', '/board', '/tracking/{code}', 'other']));
    for (const l of logs) expect(Object.keys(l).sort()).toEqual(expect.arrayContaining(['id', 'method', 'ms', 'route', 'status', 'time']));
  });

  it('CORS only for the configured origins', async () => {
    const yes = await fetch(`${srv.url}/election`, { headers: { origin } });
    expect(yes.headers.get('access-control-allow-origin')).toBe(origin);
    const no = await fetch(`${srv.url}/election`, { headers: { origin: 'https://evil.example' } });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${srv.url}/ballots`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    const preNo = await fetch(`${srv.url}/ballots`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(preNo.status).toBe(403);
  });

  it('a second server on the same board refuses to start', async () => {
    await expect(serveBallotBox(f.dir, { port: 0, checker: { workers: 0 } })).rejects.toThrow(/lock|another/i);
  });

  it('the admin API needs the token; close, tally and publish run while serving; the record is served and verifies', async () => {
    const admin = (path: string, token: string | null, body?: unknown) =>
      fetch(`${srv.adminUrl}${path}`, {
        method: body === undefined && path.endsWith('status') ? 'GET' : 'POST',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    expect((await admin('/admin/close', null)).status).toBe(401);
    expect((await admin('/admin/close', 'wrong')).status).toBe(401);
    const token = readFileSync(join(f.dir, 'private', 'admin-token'), 'utf8').trim();
    expect(statSync(join(f.dir, 'private', 'admin-token')).mode & 0o777).toBe(0o600);
    const status = (await (await admin('/admin/status', token)).json()) as {
      entries: number;
      checker: { batches: number; ballots: number };
    };
    expect(status.entries).toBeGreaterThan(1);
    expect(status.checker.batches).toBeGreaterThan(0);
    expect(status.checker.ballots).toBeGreaterThanOrEqual(status.checker.batches);
    expect((await fetch(`${srv.url}/record/result.json`)).status).toBe(404);
    const closed = await admin('/admin/close', token);
    expect(closed.status).toBe(200);
    const late = await post(srv.url, '/ballots', f.ballot(7, [0, 0, 0]).text);
    expect(late.status).toBe(410);
    expect(((await late.json()) as { code: string }).code).toBe('sealed');
    const tally = await (await admin('/admin/tally', token)).text();
    const last = JSON.parse(tally.trim().split('\n').pop()!) as { done: { head: string; ballots: number } };
    expect(last.done.ballots).toBe(5); // voters 0, 3, 5 (its last of three), 6 and 8
    const shares = f.shareFiles([1, 3], last.done.head);
    const pub = await admin('/admin/publish', token, { shares });
    expect(pub.status).toBe(200);
    const record = await fetch(`${srv.url}/record/record.json`);
    expect(record.status).toBe(200);
    const board = await (await fetch(`${srv.url}/record/board.jsonl`)).text();
    expect(Buffer.from(board).equals(boardBytes(f))).toBe(true);
    expect((await fetch(`${srv.url}/record/box-key.json`)).status).toBe(404);
    expect((await fetch(`${srv.url}/record/private/admin-token`)).status).toBe(404);
    const report = await verifyRecord(f.dir);
    expect(report.ok).toBe(true);
  });
});

describe('a full queue', () => {
  it('answers 503 with Retry-After beyond max-pending, and only the accepted ballots are on the board', async () => {
    const f = electionFixture(tmp, 'busy', { voters: 8 });
    const srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 1, maxBatch: 1 }, maxPending: 2, retryAfterSeconds: 3 });
    try {
      const texts = Array.from({ length: 8 }, (_, k) => f.ballot(k, [0, 1, 2]).text);
      const answers = await Promise.all(texts.map((t) => post(srv.url, '/ballots', t)));
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
      for (const r of answers.filter((x) => x.status === 503)) {
        expect(r.headers.get('retry-after')).toBe('3');
        expect(((await r.json()) as { code: string }).code).toBe('busy');
      }
      const lines = boardBytes(f)
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '');
      expect(lines.length - 2).toBe(statuses.filter((s) => s === 201).length);
    } finally {
      await srv.stop();
    }
  });
});
