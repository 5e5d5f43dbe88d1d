/**
 * The ballot box's HTTP API as a Web-standard handler (`Request` → `Response`), so that it
 * mounts in Node's `http` ({@link ./node.ts}), Express, Fastify, Hono, Deno or Bun. The routes,
 * their answers and their refusal codes are described in `docs/server.md` and `docs/openapi.json`.
 *
 * Every request body is read within a byte limit before anything parses it (`413` beyond it,
 * without reading further); a ballot's JSON is parsed within depth and length limits on a
 * checker thread. Nothing of a body, a credential or a tracking code reaches the access log.
 * @module
 */
import { FormatError } from '../errors.js';
import { parseTrackingCode } from '../ballot/hash.js';
import { RECORD_FILES } from '../record/files.js';
import { TRACKING_CODE_ADVICE } from '../verify/report.js';
import type { CastRejection } from '../board/ballot-box.js';
import type { BallotBoxService } from './service.js';

/** One access-log line: what was asked and answered, never a body, a code or an address. */
export interface AccessLogLine {
  readonly time: string;
  /** Request number since the handler was made. */
  readonly id: number;
  readonly method: string;
  /** The route's template (`/tracking/{code}`, not the code). */
  readonly route: string;
  readonly status: number;
  /** Milliseconds until the response's head. */
  readonly ms: number;
  /** A refusal's code (`bad-proof`, `busy` …), when there is one. */
  readonly code?: string;
}

/** Options of {@link ballotBoxHandler}. */
export interface HandlerOptions {
  /** Largest request body accepted, in bytes (default: {@link defaultMaxBodyBytes} of the election). */
  readonly maxBodyBytes?: number;
  /** Origins allowed to call the API from a browser (CORS); none by default (same origin only). */
  readonly corsOrigins?: readonly string[];
  /** Seconds a client is told to wait when the queue is full (`Retry-After`, default 1). */
  readonly retryAfterSeconds?: number;
  /** Where access-log lines go (default: nowhere). */
  readonly log?: (line: AccessLogLine) => void;
  /** Hears an unexpected error behind a `500` (default: nowhere); never a request's body. */
  readonly onError?: (error: unknown) => void;
  /** Seconds between keep-alive comments on an idle live feed (default 15). */
  readonly heartbeatSeconds?: number;
  /**
   * The voters' pages (`loadPages` of `mjvote/node`, what `mjvote serve` serves at `/`): a GET
   * or HEAD of a path that is no API route is answered from them (404 for a file they lack).
   */
  readonly pages?: { respond(req: Request, url: URL): Response | null };
}

/** The routes of {@link ballotBoxHandler}, as docs/openapi.json names them. */
export const BALLOT_BOX_ROUTES = Object.freeze([
  '/election',
  '/ballots',
  '/audits',
  '/board',
  '/tracking/{code}',
  '/credentials/{key}',
  '/record/{file}',
  '/record.tar',
] as const);

/** The HTTP status of each refusal code of a ballot. */
export const BALLOT_REFUSAL_STATUS: Readonly<Record<CastRejection, number>> = Object.freeze({
  malformed: 400,
  'wrong-election': 400,
  'bad-proof': 400,
  'unknown-credential': 403,
  'bad-signature': 403,
  duplicate: 409,
  replay: 409,
  audited: 409,
  sealed: 410,
  'revote-limit': 429,
});

/**
 * The default body limit for an election of M candidates and K grades: twice the size of its
 * ballot as JSON (every element and scalar in hex, with the keys), plus 4 KiB. A 7 × 5 ballot
 * on ristretto255 is about 30 KB; its limit is about 74 KB.
 */
export function defaultMaxBodyBytes(candidates: number, grades: number, elementBytes: number, scalarBytes: number): number {
  const e = 2 * elementBytes + 16; // a hex element with its key and quotes
  const s = 2 * scalarBytes + 20;
  const cell = 2 * e + 2 * (2 * e + 2 * s) + 64;
  const answer = grades * cell + 2 * e + 2 * s + 64;
  return 2 * (candidates * answer + 2048) + 4096;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    readonly path?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(reason);
  }
}

/** Reads a request body as UTF-8 text within `max` bytes; a `413` refusal beyond it (reading stops there). */
export async function readBodyText(req: Request, max: number): Promise<string> {
  const declared = req.headers.get('content-length');
  if (declared !== null && (!/^\d{1,15}$/.test(declared) || Number(declared) > max))
    throw new HttpRefusal(413, 'too-large', `the body is larger than ${max} bytes`);
  if (req.body === null) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new HttpRefusal(413, 'too-large', `the body is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    bytes.set(c, o);
    o += c.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpRefusal(400, 'malformed', 'the body is not valid UTF-8', 'ballot');
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...BASE_HEADERS, 'content-type': JSON_TYPE, ...headers } });
}

function refusal(r: HttpRefusal): Response {
  return json(r.status, { code: r.code, reason: r.reason, ...(r.path !== undefined ? { path: r.path } : {}) }, r.headers);
}

function requireJson(req: Request): void {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpRefusal(415, 'unsupported-media-type', 'send the body as application/json');
}

/** A stream over an async iterable, pulled by the consumer; cancelling it aborts `abort`. */
function streamOf(it: AsyncIterable<Uint8Array>, abort: AbortController): ReadableStream<Uint8Array> {
  const iter = it[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        try {
          const r = await iter.next();
          if (r.done) c.close();
          else c.enqueue(r.value);
        } catch (e) {
          c.error(e);
        }
      },
      async cancel() {
        abort.abort();
        await iter.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A `Range` header of one byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) within `size`
 * bytes: inclusive bounds, null for no header or one we do not serve (several ranges, another
 * unit: RFC 9110 lets a server answer those with the whole file), or `unsatisfiable`.
 */
export function byteRange(header: string | null, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (header === null) return null;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null; // invalid: ignored (RFC 9110 §14.1.1)
  }
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** Board bytes as Server-Sent Events: one event per line, `id` its seq; an empty chunk is a keep-alive. */
async function* serverSentEvents(bytes: AsyncIterable<Uint8Array>, firstSeq: number): AsyncIterable<Uint8Array> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  let seq = firstSeq;
  let rest = '';
  yield enc.encode('retry: 2000\n\n');
  for await (const chunk of bytes) {
    if (chunk.byteLength === 0) {
      yield enc.encode(': keep-alive\n\n');
      continue;
    }
    rest += dec.decode(chunk, { stream: true });
    const lines = rest.split('\n');
    rest = lines.pop()!;
    if (lines.length > 0) yield enc.encode(lines.map((l) => `id: ${seq++}\ndata: ${l}\n\n`).join(''));
  }
}

/**
 * The public API of one election's ballot box:
 * `GET /election`, `POST /ballots`, `POST /audits`, `GET /board?from=SEQ[&follow=1]` (JSON
 * lines, or Server-Sent Events with `Accept: text/event-stream`), `GET /tracking/{code}`,
 * `GET /record/{file}` once published. See docs/server.md.
 */
export function ballotBoxHandler(service: BallotBoxService<unknown>, opts: HandlerOptions = {}): (req: Request) => Promise<Response> {
  const e = service.directory.election;
  const maxBody = opts.maxBodyBytes ?? defaultMaxBodyBytes(e.candidateCount, e.gradeCount, e.group.elementBytes, e.group.scalarBytes);
  const origins = new Set(opts.corsOrigins ?? []);
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  const heartbeatMs = 1000 * (opts.heartbeatSeconds ?? 15);
  let requests = 0;

  const cors = (req: Request): Record<string, string> => {
    const origin = req.headers.get('origin');
    return origin !== null && origins.has(origin) ? { 'access-control-allow-origin': origin, vary: 'origin' } : {};
  };

  async function route(req: Request, url: URL, note: { route: string; code?: string }): Promise<Response> {
    const path = url.pathname;
    const method = req.method;
    if (method === 'OPTIONS') {
      note.route = 'preflight';
      const origin = req.headers.get('origin');
      if (origin === null || !origins.has(origin)) throw new HttpRefusal(403, 'origin', 'this origin may not call the ballot box');
      return new Response(null, {
        status: 204,
        headers: {
          ...cors(req),
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '600',
        },
      });
    }
    const allow = (...methods: string[]): void => {
      if (!methods.includes(method))
        throw new HttpRefusal(405, 'method', `use ${methods.join(' or ')}`, undefined, { allow: methods.join(', ') });
    };
    if (path === '/election') {
      note.route = '/election';
      allow('GET');
      return json(200, service.info());
    }
    if (path === '/ballots') {
      note.route = '/ballots';
      allow('POST');
      requireJson(req);
      const text = await readBodyText(req, maxBody);
      const a = await service.submit(text);
      switch (a.kind) {
        case 'accepted':
          return json(201, { receipt: a.receipt, revote: a.revote });
        case 'retry':
          return json(200, { receipt: a.receipt, retry: true });
        case 'refused':
          throw new HttpRefusal(BALLOT_REFUSAL_STATUS[a.code], a.code, a.reason, a.path);
        case 'busy':
          throw new HttpRefusal(503, 'busy', 'too many ballots are being checked: send it again shortly', undefined, {
            'retry-after': retryAfter,
          });
        case 'stopping':
          throw new HttpRefusal(503, 'stopping', 'the ballot box is restarting: send it again shortly', undefined, {
            'retry-after': retryAfter,
          });
      }
    }
    if (path === '/audits') {
      note.route = '/audits';
      allow('POST');
      requireJson(req);
      const text = await readBodyText(req, 2 * maxBody);
      const a = service.audit(text);
      if (a.kind === 'published')
        return json(201, { seq: a.seq, entryHash: a.entryHash, trackingCode: a.trackingCode, ballotHash: a.ballotHash });
      if (a.kind === 'stopping')
        throw new HttpRefusal(503, 'stopping', 'the ballot box is restarting: send it again shortly', undefined, {
          'retry-after': retryAfter,
        });
      const status = a.code === 'sealed' ? 410 : a.code === 'cast' || a.code === 'already-audited' ? 409 : 400;
      throw new HttpRefusal(status, a.code, a.reason, a.path);
    }
    if (path === '/board') {
      note.route = '/board';
      allow('GET');
      const fromText = url.searchParams.get('from') ?? '0';
      if (!/^\d{1,15}$/.test(fromText)) throw new HttpRefusal(400, 'from', 'from: expected an entry number (0, 1, …)', 'from');
      const from = Number(fromText);
      if (from > service.entries) throw new HttpRefusal(416, 'from', `from: the board has ${service.entries} entries`, 'from');
      const sse = (req.headers.get('accept') ?? '').includes('text/event-stream');
      const follow = sse || url.searchParams.get('follow') === '1';
      const abort = new AbortController();
      req.signal.addEventListener('abort', () => abort.abort(), { once: true });
      const bytes = service.boardBytes(from, { follow, signal: abort.signal, heartbeatMs: sse ? heartbeatMs : undefined });
      const body = streamOf(sse ? serverSentEvents(bytes, from) : bytes, abort);
      return new Response(body, {
        status: 200,
        headers: {
          ...BASE_HEADERS,
          'content-type': sse ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
          'x-board-entries': String(service.entries),
          'x-board-head': service.head,
        },
      });
    }
    if (path.startsWith('/tracking/')) {
      note.route = '/tracking/{code}';
      allow('GET');
      let code: string;
      try {
        code = parseTrackingCode(decodeURIComponent(path.slice('/tracking/'.length)), 'code');
      } catch (err) {
        if (err instanceof FormatError || err instanceof URIError)
          throw new HttpRefusal(400, 'malformed', err instanceof FormatError ? err.reason : 'not a tracking code', 'code');
        throw err;
      }
      const t = service.track(code);
      return json(200, { ...t, advice: TRACKING_CODE_ADVICE[t.status] });
    }
    if (path.startsWith('/credentials/')) {
      note.route = '/credentials/{key}';
      allow('GET');
      const key = path.slice('/credentials/'.length);
      if (!/^[0-9a-f]{1,1024}$/.test(key))
        throw new HttpRefusal(400, 'malformed', 'expected the credential public key in lowercase hex', 'key');
      return json(200, service.credential(key));
    }
    if (path === '/record.tar') {
      note.route = '/record.tar';
      allow('GET', 'HEAD');
      const archive = service.phase === 'published' ? service.recordArchive() : null;
      if (archive === null) throw new HttpRefusal(404, 'not-published', 'the record is published after the tally is decrypted');
      const abort = new AbortController();
      req.signal.addEventListener('abort', () => abort.abort(), { once: true });
      return new Response(method === 'HEAD' ? null : streamOf(archive.bytes(), abort), {
        status: 200,
        headers: {
          ...BASE_HEADERS,
          'cache-control': 'public, max-age=60',
          'content-type': 'application/x-tar',
          'content-length': String(archive.size),
          'content-disposition': `attachment; filename="${archive.name}"`,
        },
      });
    }
    if (path === '/record' || path === '/record/' || path.startsWith('/record/')) {
      note.route = '/record/{file}';
      allow('GET');
      const name = path === '/record' || path === '/record/' ? RECORD_FILES.index : decodeURIComponent(path.slice('/record/'.length));
      if (!(Object.values(RECORD_FILES) as string[]).includes(name))
        throw new HttpRefusal(404, 'not-found', 'no such file in the record', 'file');
      const size = service.phase === 'published' ? service.recordFileSize(name) : null;
      if (size === null) throw new HttpRefusal(404, 'not-published', 'the record is published after the tally is decrypted');
      const range = byteRange(req.headers.get('range'), size);
      if (range === 'unsatisfiable')
        throw new HttpRefusal(416, 'range', `the file has ${size} bytes`, 'range', { 'content-range': `bytes */${size}` });
      const file = service.recordFile(name, range ?? undefined);
      if (file === null) throw new HttpRefusal(404, 'not-published', 'the record is published after the tally is decrypted');
      const abort = new AbortController();
      req.signal.addEventListener('abort', () => abort.abort(), { once: true });
      return new Response(streamOf(file, abort), {
        status: range === null ? 200 : 206,
        headers: {
          ...BASE_HEADERS,
          'cache-control': 'public, max-age=60',
          'accept-ranges': 'bytes',
          'content-type': name.endsWith('.jsonl') ? 'application/x-ndjson; charset=utf-8' : JSON_TYPE,
          ...(range === null
            ? { 'content-length': String(size) }
            : { 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) }),
        },
      });
    }
    if (opts.pages !== undefined && (method === 'GET' || method === 'HEAD')) {
      const page = opts.pages.respond(req, url);
      if (page !== null) {
        note.route = 'page';
        return page;
      }
    }
    throw new HttpRefusal(404, 'not-found', 'no such route');
  }

  return async (req: Request): Promise<Response> => {
    const t0 = performance.now();
    const id = ++requests;
    const note: { route: string; code?: string } = { route: 'other' };
    let res: Response;
    try {
      res = await route(req, new URL(req.url), note);
    } catch (err) {
      if (err instanceof HttpRefusal) {
        note.code = err.code;
        res = refusal(err);
      } else {
        opts.onError?.(err);
        note.code = 'internal';
        res = json(500, { code: 'internal', reason: 'the ballot box failed to answer; nothing was acknowledged' });
      }
    }
    for (const [k, v] of Object.entries(cors(req))) res.headers.set(k, v);
    opts.log?.({
      time: new Date().toISOString(),
      id,
      method: req.method,
      route: note.route,
      status: res.status,
      ms: Math.round((performance.now() - t0) * 10) / 10,
      ...(note.code !== undefined ? { code: note.code } : {}),
    });
    return res;
  };
}
