/**
 * The pages' client of the ballot box's HTTP API (docs/server.md, docs/openapi.json). Where the
 * API is: `config.json`'s `api` beside the page (a platform hosting the pages itself sets it),
 * else the page's own directory (the pages served by `mjvote serve`).
 *
 * Every answer is untrusted input: bodies are read within a size limit and parsed strictly
 * (`parseJson`), and what the pages act on is validated by the library's parsers (the
 * election, receipts). An answer that is not what the API documents is an {@link ApiError}.
 * @module
 */
import { parseJson } from '../../../src/json/parse.js';
import type { ElectionInfo, TrackingAnswer } from '../../../src/server/service.js';

export type { ElectionInfo, TrackingAnswer };

/** A refusal or failure of the API: `status` 0 for a network error; `code` the API's refusal code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    readonly path?: string,
  ) {
    super(`${status} ${code}: ${reason}`);
    this.name = 'ApiError';
  }
}

/** Largest answer the pages read as JSON (the election with its manifest is a few KiB). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

let base: Promise<URL> | null = null;

/** The API's base URL (ends with `/`). */
export function apiBase(): Promise<URL> {
  base ??= (async () => {
    const here = new URL('.', location.href);
    try {
      const r = await fetch(new URL('config.json', here), { cache: 'no-cache' });
      if (r.ok) {
        const c = parseJson(await r.text(), 'config.json') as { api?: unknown };
        if (typeof c === 'object' && c !== null && typeof c.api === 'string') {
          const u = new URL(c.api, here);
          if (!u.pathname.endsWith('/')) u.pathname += '/';
          return u;
        }
      }
    } catch {
      // no usable config.json: the API is beside the page
    }
    return here;
  })();
  return base;
}

/** The URL of an API path (`election`, `ballots`, `record/result.json`…). */
export async function apiUrl(path: string): Promise<URL> {
  return new URL(path, await apiBase());
}

async function readText(r: Response): Promise<string> {
  const declared = Number(r.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) throw new ApiError(r.status, 'too-large', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
  const text = await r.text();
  if (text.length > MAX_ANSWER_BYTES) throw new ApiError(r.status, 'too-large', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
  return text;
}

/**
 * Calls the API and returns the parsed JSON body of a 2xx answer with its status; a refusal
 * becomes an ApiError with the API's code, reason and path.
 */
export async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  let r: Response;
  try {
    r = await fetch(await apiUrl(path), { cache: 'no-store', ...init });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const text = await readText(r);
  let body: unknown;
  try {
    body = parseJson(text, 'answer');
  } catch {
    throw new ApiError(r.status, 'not-json', `the server answered ${r.status} with something that is not JSON`);
  }
  if (!r.ok) {
    const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; reason?: unknown; path?: unknown };
    throw new ApiError(
      r.status,
      typeof b.code === 'string' ? b.code : 'http',
      typeof b.reason === 'string' ? b.reason : `HTTP ${r.status}`,
      typeof b.path === 'string' ? b.path : undefined,
    );
  }
  return { status: r.status, body };
}

/** `GET /election`: the public parameters and where the election stands (shape checked by the caller's parsers). */
export async function getElection(): Promise<ElectionInfo> {
  const { body } = await call('election');
  const b = body as ElectionInfo;
  if (typeof b !== 'object' || b === null || typeof b.phase !== 'string' || typeof b.election !== 'object')
    throw new ApiError(200, 'shape', 'GET /election: not an election');
  return b;
}

/** `GET /tracking/{code}`. */
export async function track(code: string): Promise<TrackingAnswer> {
  const { body } = await call(`tracking/${encodeURIComponent(code)}`);
  return body as TrackingAnswer;
}

/** `POST` of a JSON text (a ballot to `ballots`, an opening to `audits`). */
export async function postJson(path: string, text: string): Promise<{ status: number; body: unknown }> {
  return call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
}
