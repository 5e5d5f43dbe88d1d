/**
 * The organiser's API of a running ballot box, served on a loopback port only and protected by
 * a bearer token that the server writes at start (`private/admin-token`, 0600): whoever can
 * read that file runs the election's steps, nobody else. `mjvote election close|tally|publish`
 * use it by themselves when a server holds the board ({@link ./admin-client.ts}).
 *
 * - `GET /admin/status`: the public parameters' summary and where the election stands, and the
 *   checker's batches so far (`checker: {batches, ballots}`: their ratio is the mean batch size);
 * - `POST /admin/close`: seal;
 * - `POST /admin/tally`: the encrypted tally, answered as JSON lines — progress lines
 *   `{"progress": {"done", "total"}}`, then `{"done": {…}}` or `{"error": {…}}` — so that a long
 *   tally keeps its connection alive and shows progress;
 * - `POST /admin/publish`: body `{"shares": [{"name", "json"}]}`, the trustees' share files.
 * @module
 */
import { MjvoteError } from '../errors.js';
import { parseJson } from '../json/parse.js';
import type { BallotBoxService } from './service.js';
import { readBodyText, type AccessLogLine } from './handler.js';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Largest body of `POST /admin/publish` (share files of every trustee). */
const MAX_ADMIN_BODY = 64 * 1024 * 1024;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function errorBody(e: unknown): { code: string; reason: string } {
  if (e instanceof MjvoteError) return { code: e.code, reason: e.message };
  if (e instanceof Error && 'status' in e) return { code: 'request', reason: e.message };
  throw e;
}

/** The token check of the admin API: constant-time over the tokens' SHA-256. */
export function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** The admin API's handler (see the module notes); `token` is the bearer token it accepts. */
export function adminHandler(
  service: BallotBoxService<unknown>,
  token: string,
  opts: { log?: (line: AccessLogLine) => void; onError?: (e: unknown) => void } = {},
): (req: Request) => Promise<Response> {
  let requests = 0;
  async function route(req: Request, path: string): Promise<Response> {
    const auth = req.headers.get('authorization');
    if (!tokenMatches(auth?.startsWith('Bearer ') ? auth.slice(7) : null, token))
      return json(401, { code: 'unauthorized', reason: 'send the token of private/admin-token as Authorization: Bearer TOKEN' });
    const is = (method: string, p: string): boolean => req.method === method && path === p;
    try {
      if (is('GET', '/admin/status')) return json(200, { ...service.info(), checker: service.checkerStats });
      if (is('POST', '/admin/close')) return json(200, await service.close());
      if (is('POST', '/admin/publish')) {
        const body = parseJson(await readBodyText(req, MAX_ADMIN_BODY), 'body') as { shares?: unknown };
        if (typeof body !== 'object' || body === null || !Array.isArray(body.shares))
          return json(400, { code: 'malformed', reason: 'body: expected {"shares": [{"name", "json"}]}' });
        const files = (body.shares as unknown[]).map((f, i) => {
          const o = f as { name?: unknown; json?: unknown };
          if (typeof o !== 'object' || o === null || typeof o.name !== 'string' || !('json' in o))
            throw new MjvoteError('format', `body.shares[${i}]: expected {"name", "json"}`);
          return { name: o.name, json: o.json };
        });
        const p = await service.publish(files);
        return json(200, {
          head: p.head,
          used: p.combined.used,
          valid: p.combined.valid,
          invalid: p.combined.invalid.map((x) => ({ trustee: x.trustee, code: x.code, reason: x.reason })),
        });
      }
      if (is('POST', '/admin/tally')) {
        const enc = new TextEncoder();
        let last = 0;
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            const line = (v: unknown): void => c.enqueue(enc.encode(JSON.stringify(v) + '\n'));
            service
              .tally((done, total) => {
                const now = Date.now();
                if (now - last >= 500 || done === total) {
                  last = now;
                  line({ progress: { done, total } });
                }
              })
              .then(
                (r) => line({ done: r }),
                (e: unknown) => line({ error: errorBody(e) }),
              )
              .finally(() => c.close());
          },
        });
        return new Response(body, {
          status: 200,
          headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' },
        });
      }
    } catch (e) {
      const b = errorBody(e);
      return json(b.code === 'service' ? 409 : 400, b);
    }
    return json(404, { code: 'not-found', reason: 'no such admin route' });
  }
  return async (req) => {
    const t0 = performance.now();
    const path = new URL(req.url).pathname;
    let res: Response;
    try {
      res = await route(req, path);
    } catch (e) {
      opts.onError?.(e);
      res = json(500, { code: 'internal', reason: 'the admin step failed unexpectedly' });
    }
    opts.log?.({
      time: new Date().toISOString(),
      id: ++requests,
      method: req.method,
      route: path.startsWith('/admin/') ? path : 'other',
      status: res.status,
      ms: Math.round((performance.now() - t0) * 10) / 10,
    });
    return res;
  };
}
