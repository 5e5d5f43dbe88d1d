/**
 * The organiser's steps sent to a running ballot box: when `mjvote serve` holds an election
 * directory's board, `mjvote election close|tally|publish` find its admin address in
 * `private/server.json` and its token in `private/admin-token`, and ask it to run the step
 * through its writer (the board's lock would refuse a second writer). Node-only.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MjvoteError } from '../errors.js';
import { ADMIN_TOKEN_FILE, SERVER_FILE, type ServerFileJson } from './node-http.js';
import { PRIVATE_DIR } from '../authority/election-directory.js';

/** A step the running server refused or could not run. */
export class AdminRequestError extends MjvoteError {
  constructor(
    /** The server's code for the refusal (`election-directory`, `insufficient-shares`, `format` …). */
    readonly refusal: string,
    message: string,
    readonly status: number,
  ) {
    super('admin', message);
  }
}

/** The server running on `dir`'s board, or null when none is (no server file, or its process is gone). */
export function runningServer(dir: string): ServerFileJson | null {
  const path = join(dir, PRIVATE_DIR, SERVER_FILE);
  if (!existsSync(path)) return null;
  let s: ServerFileJson;
  try {
    s = JSON.parse(readFileSync(path, 'utf8')) as ServerFileJson;
  } catch {
    return null;
  }
  if (typeof s.adminUrl !== 'string' || !Number.isSafeInteger(s.pid)) return null;
  try {
    process.kill(s.pid, 0); // is it alive? (signal 0 only checks)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return null;
  }
  return s;
}

async function request(dir: string, server: ServerFileJson, method: string, path: string, body?: unknown): Promise<Response> {
  const token = readFileSync(join(dir, PRIVATE_DIR, ADMIN_TOKEN_FILE), 'utf8').trim();
  const res = await fetch(new URL(path, server.adminUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { code?: string; reason?: string };
    throw new AdminRequestError(e.code ?? 'admin', e.reason ?? `the ballot box answered ${res.status}`, res.status);
  }
  return res;
}

/** Seals the box through the running server. */
export async function adminClose(dir: string, server: ServerFileJson): Promise<{ entries: number; head: string; already: boolean }> {
  return (await (await request(dir, server, 'POST', '/admin/close')).json()) as { entries: number; head: string; already: boolean };
}

/** Tallies through the running server, hearing its progress. */
export async function adminTally(
  dir: string,
  server: ServerFileJson,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ ballots: number; head: string; tallySha256: string; already: boolean }> {
  const res = await request(dir, server, 'POST', '/admin/tally');
  const dec = new TextDecoder();
  let rest = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    rest += dec.decode(chunk, { stream: true });
    const lines = rest.split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      const m = JSON.parse(l) as {
        progress?: { done: number; total: number };
        done?: { ballots: number; head: string; tallySha256: string; already: boolean };
        error?: { code: string; reason: string };
      };
      if (m.progress) onProgress(m.progress.done, m.progress.total);
      if (m.done) return m.done;
      if (m.error) throw new AdminRequestError(m.error.code, m.error.reason, 200);
    }
  }
  throw new AdminRequestError('admin', 'the ballot box ended the tally without an answer', 200);
}

/** Publishes through the running server. */
export async function adminPublish(
  dir: string,
  server: ServerFileJson,
  shares: readonly { name: string; json: unknown }[],
): Promise<{ head: string; used: number[]; valid: number[]; invalid: { trustee: number; code: string; reason: string }[] }> {
  return (await (await request(dir, server, 'POST', '/admin/publish', { shares })).json()) as {
    head: string;
    used: number[];
    valid: number[];
    invalid: { trustee: number; code: string; reason: string }[];
  };
}
