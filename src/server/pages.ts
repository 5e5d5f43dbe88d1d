/**
 * The voters' pages (web/, built into dist/web) served beside the ballot box's API: the booth
 * at `/`, the public board, the results, the auditor's page and the independent opening check.
 *
 * The files are read once, at start, into memory (about a megabyte with the WebAssembly), each
 * with its gzip form and an ETag, so a page costs no disk read and a burst of voters no CPU
 * for compression. Every page answer carries a Content-Security-Policy that allows nothing
 * from another origin: scripts, workers, styles, images and connections are the server's own
 * (`'wasm-unsafe-eval'` lets the pages compile the WebAssembly backend; no inline script or
 * style is allowed), and the pages may not be framed (clickjacking).
 *
 * Node-only (files, zlib).
 * @module
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';

/** The Content-Security-Policy of every page answer. */
export const PAGES_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "img-src 'self' blob: data:; style-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Largest site the server loads (a safety bound against pointing --pages at a wrong directory). */
const MAX_SITE_BYTES = 64 * 1024 * 1024;

interface PageFile {
  readonly type: string;
  readonly body: Uint8Array<ArrayBuffer>;
  readonly gzip: Uint8Array<ArrayBuffer> | null;
  readonly etag: string;
}

/** A loaded site: answers GET and HEAD of its files, or null for a path it does not have. */
export interface Pages {
  /** The site's directory. */
  readonly dir: string;
  /** The files' paths, as served (`/index.html`, …). */
  readonly paths: readonly string[];
  /** The answer for `url`'s path, or null when the site has no such file. */
  respond(req: Request, url: URL): Response | null;
}

/**
 * The pages mjvote ships: `dist/web` of the package (beside the built module, or, run from
 * the sources, at the repository's root). Null when they were not built.
 */
export function defaultPagesDir(): string | null {
  for (const rel of ['./web/', '../web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

function walk(dir: string, prefix: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`, out);
    else if (e.isFile()) out.push(`${prefix}${e.name}`);
  }
}

/**
 * Loads the site in `dir` (every regular file under it, dot files left out).
 * @throws Error when `dir` has no `index.html` or is larger than 64 MiB.
 */
export function loadPages(dir: string): Pages {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`${dir}: no index.html (build the pages with npm run build)`);
  const names: string[] = [];
  walk(dir, '', names);
  const files = new Map<string, PageFile>();
  let total = 0;
  for (const name of names) {
    const path = join(dir, name);
    total += statSync(path).size;
    if (total > MAX_SITE_BYTES) throw new Error(`${dir}: larger than ${MAX_SITE_BYTES} bytes: not a site of pages`);
    const body = new Uint8Array(readFileSync(path));
    const type = TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/(json|wasm)|image\/svg)/.test(type) && body.length > 512;
    const gzip = compressible ? new Uint8Array(gzipSync(body, { level: zlib.Z_BEST_COMPRESSION })) : null;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(`/${name}`, { type, body, gzip, etag });
  }
  return {
    dir,
    paths: [...files.keys()].sort(),
    respond(req, url) {
      const path = url.pathname === '/' ? '/index.html' : url.pathname;
      const f = files.get(path);
      if (f === undefined) return null;
      const headers: Record<string, string> = {
        'content-type': f.type,
        'cache-control': 'no-cache',
        etag: f.etag,
        vary: 'accept-encoding',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'content-security-policy': PAGES_CSP,
      };
      if (req.headers.get('if-none-match') === f.etag) return new Response(null, { status: 304, headers });
      const gzip = f.gzip !== null && /\bgzip\b/.test(req.headers.get('accept-encoding') ?? '') ? f.gzip : null;
      const body = gzip ?? f.body;
      if (gzip !== null) headers['content-encoding'] = 'gzip';
      headers['content-length'] = String(body.length);
      return new Response(req.method === 'HEAD' ? null : body, { status: 200, headers });
    },
  };
}
