/**
 * A record published over HTTP as a {@link RecordStore}: the verifier reads `record.json`
 * first, then the files its `files` map names, each at `baseUrl` + name. The board is streamed
 * from the response body, never held whole; the superseded ballots are read again with HTTP
 * `Range` requests (nearby lines in one request), and when the server answers a range request
 * with the whole file (200 instead of 206) the remaining lines are picked out of one streaming
 * pass over it.
 *
 * Everything a server answers is untrusted: a non-2xx status or a network error is the same
 * failure a missing or unreadable file gives (a 404 or 410 is "missing"); a JSON file larger
 * than the verifier's limit is refused as it arrives, whatever `Content-Length` says; a
 * `Content-Range` that is not the range asked for is a read failure; a read that stalls longer
 * than `idleTimeoutMs` is abandoned. The bytes themselves are checked by the verifier (the board
 * against `record.json`'s head, every line against its hash). Browser-safe (any `fetch`).
 * @module
 */
import { concatBytes } from '../bytes.js';
import {
  isPlainFileName,
  NOT_A_PLAIN_NAME,
  releaseLock,
  storeErrorReason,
  type ByteRange,
  type ByteStream,
  type RecordStore,
  type StoreResult,
} from './store.js';

/** Options of {@link httpRecordStore}. */
export interface HttpRecordStoreOptions {
  /** The `fetch` to use (default `globalThis.fetch`): e.g. one that adds credentials or logs. */
  readonly fetch?: typeof fetch;
  /** Milliseconds without an answer or a byte before a request is abandoned as failed (default 60,000). */
  readonly idleTimeoutMs?: number;
}

/** Ranges closer than this are read in one request (a ballot line is ≈ 30 KB). */
const RANGE_GAP_BYTES = 64 * 1024;
/** Largest span of one range request. */
const MAX_SPAN_BYTES = 4 * 1024 * 1024;
/** Range requests in flight at once. */
const RANGES_IN_FLIGHT = 4;

/** A request that went wrong, with the reason the verifier reports. */
class HttpReadError extends Error {}

/**
 * The record published at `baseUrl` (a directory URL: a missing final `/` is added; relative
 * URLs are resolved against the page's location).
 * @throws RangeError when `baseUrl` is not an `http:` or `https:` URL.
 */
export function httpRecordStore(baseUrl: URL | string, options: HttpRecordStoreOptions = {}): RecordStore {
  const here = (globalThis as { location?: { href?: string } }).location?.href;
  let base: URL;
  try {
    base = new URL(String(baseUrl), here);
  } catch {
    throw new RangeError(`baseUrl: expected a URL, got ${JSON.stringify(String(baseUrl))}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new RangeError(`baseUrl: expected an http: or https: URL, got ${base.protocol}`);
  base.hash = '';
  base.search = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const idleMs = options.idleTimeoutMs ?? 60_000;
  if (!(idleMs > 0)) throw new RangeError('idleTimeoutMs: expected a positive number of milliseconds');
  const urlOf = (name: string): URL => new URL(encodeURIComponent(name), base);

  /** Sends a request; resolves with the response once its headers arrive, within the idle timeout. */
  async function request(name: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Response> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new HttpReadError(`no answer in ${idleMs / 1000} s`)), idleMs);
    try {
      return await doFetch(urlOf(name), { ...init, signal: abort.signal, redirect: 'follow', credentials: 'same-origin' });
    } catch (e) {
      throw e instanceof HttpReadError ? e : new HttpReadError(`network error: ${storeErrorReason(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A request whose failure is an answer (`{ ok: false }`), for the methods that never throw. */
  async function answer(name: string, init: RequestInit & { headers?: Record<string, string> }): Promise<StoreResult<Response>> {
    let res: Response;
    try {
      res = await request(name, init);
    } catch (e) {
      return { ok: false, missing: false, reason: storeErrorReason(e) };
    }
    if (res.ok) return { ok: true, value: res };
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, missing: res.status === 404 || res.status === 410, reason: statusReason(res) };
  }

  /** The chunks of a response body, each read within the idle timeout; cancelled when the iteration stops early. */
  async function* bodyChunks(res: Response): AsyncGenerator<Uint8Array> {
    if (res.body === null) {
      yield new Uint8Array(await withTimeout(res.arrayBuffer(), idleMs));
      return;
    }
    const reader = res.body.getReader();
    let done = false;
    try {
      for (;;) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await withTimeout(reader.read(), idleMs);
        } catch (e) {
          throw e instanceof HttpReadError ? e : new HttpReadError(`network error: ${storeErrorReason(e)}`);
        }
        if (r.done) {
          done = true;
          return;
        }
        if (r.value.length > 0) yield r.value;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      releaseLock(reader);
    }
  }

  return Object.freeze({
    describe: () => base.href,
    where: (name: string) => urlOf(name).href,

    async size(name: string): Promise<StoreResult<number>> {
      if (!isPlainFileName(name)) return NOT_A_PLAIN_NAME;
      let r = await answer(name, { method: 'HEAD' });
      // A server that serves the record to GET only (mjvote serve): ask for the headers of a GET.
      if (!r.ok && /^HTTP (405|501)\b/.test(r.reason)) {
        r = await answer(name, { method: 'GET' });
        if (r.ok) await r.value.body?.cancel().catch(() => undefined);
      }
      if (!r.ok) return r;
      return { ok: true, value: contentLength(r.value) ?? 0 };
    },

    async readFile(name: string, maxBytes: number): Promise<StoreResult<Uint8Array>> {
      if (!isPlainFileName(name)) return NOT_A_PLAIN_NAME;
      const r = await answer(name, { method: 'GET' });
      if (!r.ok) return r;
      const tooLarge = { ok: false, missing: false, reason: `larger than ${maxBytes} bytes` } as const;
      const declared = contentLength(r.value);
      if (declared !== null && declared > maxBytes) {
        await r.value.body?.cancel().catch(() => undefined);
        return tooLarge;
      }
      const parts: Uint8Array[] = [];
      let length = 0;
      try {
        for await (const chunk of bodyChunks(r.value)) {
          length += chunk.length;
          if (length > maxBytes) return tooLarge; // the loop's exit cancels the body
          parts.push(chunk);
        }
      } catch (e) {
        return { ok: false, missing: false, reason: storeErrorReason(e) };
      }
      return { ok: true, value: concatBytes(...parts) };
    },

    async stream(name: string): Promise<StoreResult<ByteStream>> {
      if (!isPlainFileName(name)) return NOT_A_PLAIN_NAME;
      const r = await answer(name, { method: 'GET' });
      if (!r.ok) return r;
      return { ok: true, value: { size: contentLength(r.value), chunks: bodyChunks(r.value) } };
    },

    async *readRanges(name: string, ranges: readonly ByteRange[]): AsyncGenerator<Uint8Array> {
      if (!isPlainFileName(name)) throw new HttpReadError('not a plain file name inside the record');
      const spans = spansOf(ranges);
      // Up to RANGES_IN_FLIGHT requests ahead of the span being answered.
      const pending: Promise<Response>[] = [];
      const ask = (i: number): void => {
        const s = spans[i];
        if (s === undefined) return;
        const p = request(name, { method: 'GET', headers: { Range: `bytes=${s.start}-${s.end - 1}` } });
        p.catch(() => undefined); // a failure is reported when its turn comes, not as an unhandled rejection
        pending.push(p);
      };
      // The first request goes alone: a server that ignores Range answers it with the whole file,
      // and no other request is sent. After a 206, RANGES_IN_FLIGHT are kept in flight.
      let asked = 1;
      ask(0);
      try {
        for (let i = 0; i < spans.length; i++) {
          const span = spans[i]!;
          const res = await pending.shift()!;
          if (res.status !== 200) while (asked < Math.min(spans.length, i + 1 + RANGES_IN_FLIGHT)) ask(asked++);
          if (res.status === 206) {
            const start = contentRangeStart(res);
            if (start !== span.start) {
              await res.body?.cancel().catch(() => undefined);
              throw new HttpReadError(`the server answered another range than bytes ${span.start}-${span.end - 1}`);
            }
            const bytes = await readAtMost(bodyChunks(res), span.end - span.start);
            for (const r of span.ranges)
              yield bytes.subarray(r.offset - span.start, Math.min(bytes.length, r.offset - span.start + r.length));
          } else if (res.status === 416) {
            // Range Not Satisfiable: the file is shorter now; every line of the span reads short.
            await res.body?.cancel().catch(() => undefined);
            for (let k = 0; k < span.ranges.length; k++) yield new Uint8Array(0);
          } else if (res.status === 200) {
            // The server ignores Range: one pass over the whole file picks every remaining line.
            const rest = spans.slice(i).flatMap((s) => s.ranges);
            yield* pickRanges(bodyChunks(res), rest);
            return;
          } else {
            await res.body?.cancel().catch(() => undefined);
            throw new HttpReadError(statusReason(res));
          }
        }
      } finally {
        // Requests still in flight (after an error, or a 200): their bodies are dropped.
        for (const p of pending.splice(0)) void p.then((res) => res.body?.cancel()).catch(() => undefined);
      }
    },
  });
}

/** A `fetch` answer's status as a reason (`HTTP 404 Not Found`). */
function statusReason(res: Response): string {
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

/** The body's length from `Content-Length`, when it is one and the body is not re-encoded; else null. */
function contentLength(res: Response): number | null {
  const v = res.headers.get('content-length');
  const enc = res.headers.get('content-encoding');
  if (v === null || !/^\d{1,15}$/.test(v.trim()) || (enc !== null && enc.trim().toLowerCase() !== 'identity')) return null;
  return Number(v.trim());
}

/** The first byte of a 206 answer's `Content-Range` (`bytes a-b/n`), or null when it is not one. */
function contentRangeStart(res: Response): number | null {
  const m = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15}|\*)$/.exec(res.headers.get('content-range')?.trim() ?? '');
  return m === null ? null : Number(m[1]);
}

/** Consecutive ranges grouped into spans read by one request each. */
function spansOf(ranges: readonly ByteRange[]): { start: number; end: number; ranges: ByteRange[] }[] {
  const spans: { start: number; end: number; ranges: ByteRange[] }[] = [];
  for (const r of ranges) {
    const last = spans[spans.length - 1];
    const end = r.offset + r.length;
    if (last !== undefined && r.offset >= last.end && r.offset - last.end <= RANGE_GAP_BYTES && end - last.start <= MAX_SPAN_BYTES) {
      last.end = end;
      last.ranges.push(r);
    } else spans.push({ start: r.offset, end: Math.max(end, r.offset + 1), ranges: [r] });
  }
  return spans;
}

/** The first `n` bytes of a stream (fewer if it ends before); the rest is not read. */
async function readAtMost(chunks: AsyncGenerator<Uint8Array>, n: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const c of chunks) {
    parts.push(c.subarray(0, n - length));
    length += Math.min(c.length, n - length);
    if (length >= n) break;
  }
  return concatBytes(...parts);
}

/**
 * The bytes of each range (sorted, not overlapping) from one pass over a whole file, in order;
 * a range the file ends inside is answered short, and the ones after it empty.
 */
async function* pickRanges(chunks: AsyncGenerator<Uint8Array>, ranges: readonly ByteRange[]): AsyncGenerator<Uint8Array> {
  let k = 0;
  let pos = 0;
  let buf: Uint8Array[] = [];
  let have = 0;
  for await (const c of chunks) {
    while (k < ranges.length) {
      const r = ranges[k]!;
      const from = Math.max(0, r.offset + have - pos); // where the range's next byte is in this chunk
      if (from >= c.length) break;
      const take = Math.min(c.length - from, r.length - have);
      buf.push(c.slice(from, from + take));
      have += take;
      if (have < r.length) break;
      yield concatBytes(...buf);
      buf = [];
      have = 0;
      k++;
    }
    pos += c.length;
    if (k === ranges.length) return; // the rest of the file is not read
  }
  if (k < ranges.length) {
    yield concatBytes(...buf);
    for (k++; k < ranges.length; k++) yield new Uint8Array(0);
  }
}

/** `p`, or a rejection once `ms` pass first. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpReadError(`no data for ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
