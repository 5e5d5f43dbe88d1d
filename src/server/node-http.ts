/**
 * The ballot box on Node's own `http` server: the Web-standard handlers mounted through a small
 * adapter, the public API on its address, the organiser's admin API on a loopback port with a
 * token file, slow-client timeouts, and a graceful stop.
 *
 * Why Node's `http` and not a framework: the handler is Web-standard already (a platform mounts
 * it in its own framework), the limits that matter against hostile clients (header size,
 * header and request timeouts, keep-alive) are settings of Node's server, and the adapter from
 * `IncomingMessage` to `Request` and from `Response` back is forty lines with back-pressure and
 * disconnects handled; a framework would add a dependency to the package for no check we need.
 *
 * Node-only.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BallotBoxService, type BallotBoxServiceOptions } from './service.js';
import { ballotBoxHandler, type HandlerOptions } from './handler.js';
import { adminHandler } from './admin.js';
import { PRIVATE_DIR } from '../authority/election-directory.js';

/** A Web-standard handler. */
export type FetchHandler = (req: Request) => Promise<Response>;

/**
 * A Node `http` request listener running a Web-standard handler: the request's body is
 * streamed to it, the response's body streamed back with back-pressure; a client that goes
 * away aborts the request's signal (and cancels a streaming body). A body left unread (a
 * refusal before reading it) closes the connection after the answer instead of reading it.
 */
export function nodeRequestListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const method = req.method ?? 'GET';
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    let request: Request;
    try {
      request = new Request(new URL(req.url ?? '/', 'http://localhost'), {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? null : (Readable.toWeb(req) as ReadableStream<Uint8Array>),
        duplex: 'half',
        signal: abort.signal,
      } as RequestInit);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end('{"code":"malformed","reason":"not a valid HTTP request"}');
      return;
    }
    handler(request).then(
      (response) => send(response, req, res),
      () => {
        if (!res.headersSent) res.writeHead(500, { connection: 'close' });
        res.end();
      },
    );
  };
}

async function send(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  if (!req.complete) headers.connection = 'close'; // the body was not read: do not read it now
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  res.flushHeaders();
  const reader = response.body.getReader();
  try {
    for (;;) {
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value))
        await new Promise<void>((r) => {
          res.once('drain', r);
          res.once('close', r);
        });
    }
    res.end();
  } catch {
    res.destroy();
  }
}

/** Options of {@link serveBallotBox}. */
export interface ServeOptions extends BallotBoxServiceOptions, HandlerOptions {
  /** Address of the public API (default `127.0.0.1`; `0.0.0.0` or `::` for every interface). */
  readonly host?: string;
  /** Port of the public API (default 8080; 0: any free port). */
  readonly port?: number;
  /** Port of the admin API, always on 127.0.0.1 (default 0: any free port, written to the server file). */
  readonly adminPort?: number;
  /** Most milliseconds to receive a request's headers (default 10,000; a slow client gets 408). */
  readonly headersTimeoutMs?: number;
  /** Most milliseconds to receive a whole request, body included (default 30,000; then 408). */
  readonly requestTimeoutMs?: number;
  /** Milliseconds an idle keep-alive connection stays open (default 5,000). */
  readonly keepAliveTimeoutMs?: number;
  /** Largest request head in bytes (default 16 KiB; beyond it 431). */
  readonly maxHeaderBytes?: number;
  /** Milliseconds {@link RunningBallotBox.stop} waits for open connections before closing them (default 10,000). */
  readonly stopGraceMs?: number;
}

/** A running ballot box (see {@link serveBallotBox}). */
export interface RunningBallotBox {
  /** The public API's base URL. */
  readonly url: string;
  /** The admin API's base URL (loopback). */
  readonly adminUrl: string;
  readonly service: BallotBoxService<unknown>;
  /**
   * Graceful stop: stops accepting connections, answers every ballot in flight (its line on
   * disk), ends live feeds, records the checkpoint, closes the board, removes the server and
   * token files. Idempotent.
   */
  stop(): Promise<void>;
}

/** The admin token file, in {@link PRIVATE_DIR}: a fresh token per server start. */
export const ADMIN_TOKEN_FILE = 'admin-token';
/** The running server's addresses, in {@link PRIVATE_DIR}, for `mjvote election` steps. */
export const SERVER_FILE = 'server.json';

/** What {@link SERVER_FILE} holds. */
export interface ServerFileJson {
  readonly url: string;
  readonly adminUrl: string;
  readonly pid: number;
}

function writePrivate(dir: string, name: string, text: string): string {
  const pdir = join(dir, PRIVATE_DIR);
  mkdirSync(pdir, { recursive: true, mode: 0o700 });
  const path = join(pdir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return path;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlOf(a: AddressInfo): string {
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `http://${host}:${a.port}`;
}

/**
 * Serves the ballot box of the election directory `dir`: opens its board (refused when another
 * process holds it: two servers on one board cannot both start), starts the checker threads,
 * the public API and the admin API, and writes `private/admin-token` (0600) and
 * `private/server.json`.
 */
export async function serveBallotBox(dir: string, opts: ServeOptions = {}): Promise<RunningBallotBox> {
  const service = await BallotBoxService.start(dir, opts);
  const token = randomBytes(32).toString('base64url');
  const servers: Server[] = [];
  try {
    const headersTimeout = opts.headersTimeoutMs ?? 10_000;
    const serverOptions = {
      maxHeaderSize: opts.maxHeaderBytes ?? 16 * 1024,
      headersTimeout,
      requestTimeout: opts.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 5_000,
      // Node checks both timeouts every connectionsCheckingInterval (30 s by default).
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(headersTimeout / 4))),
    };
    servers.push(createServer(serverOptions, nodeRequestListener(ballotBoxHandler(service, opts))));
    servers.push(createServer(serverOptions, nodeRequestListener(adminHandler(service, token, opts))));
    const [pub, adm] = servers as [Server, Server];
    const url = urlOf(await listen(pub, opts.port ?? 8080, opts.host ?? '127.0.0.1'));
    const adminUrl = urlOf(await listen(adm, opts.adminPort ?? 0, '127.0.0.1'));
    writePrivate(dir, ADMIN_TOKEN_FILE, token + '\n');
    const serverFile: ServerFileJson = { url, adminUrl, pid: process.pid };
    writePrivate(dir, SERVER_FILE, JSON.stringify(serverFile) + '\n');
    let stopped: Promise<void> | null = null;
    const stop = (): Promise<void> =>
      (stopped ??= (async () => {
        const closed = servers.map((s) => new Promise<void>((r) => s.close(() => r())));
        for (const s of servers) s.closeIdleConnections();
        await service.stop();
        const grace = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), opts.stopGraceMs ?? 10_000);
        grace.unref();
        await Promise.all(closed);
        clearTimeout(grace);
        rmSync(join(dir, PRIVATE_DIR, SERVER_FILE), { force: true });
        rmSync(join(dir, PRIVATE_DIR, ADMIN_TOKEN_FILE), { force: true });
      })());
    return { url, adminUrl, service, stop };
  } catch (e) {
    for (const s of servers) s.close();
    await service.stop();
    throw e;
  }
}
