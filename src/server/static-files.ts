/**
 * Serves the built single-page app (dist/web) with an SPA fallback: a page URL (/rules/x, /coverage ...)
 * answers index.html and the app routes on the client. Only files inside dist/web are ever read.
 *
 * Caching: esbuild's hashed names (chunks/*-HASH.js, fonts/*-HASH.ttf; see scripts/build-web.mjs) never
 * change content, so they are cached for a year as immutable; everything else (index.html, app.js, the two
 * editor workers, whose names the code spells) is `no-cache`: revalidated on every load with its ETag /
 * Last-Modified and answered 304 when unchanged, so the 8 MB Kusto worker crosses the wire once per build.
 * Text is sent brotli- or gzip-compressed as the browser accepts, each encoding made once per file and kept.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, relative, resolve, sep, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg|font\/ttf)/;
/** esbuild's `[name]-[hash]` outputs: 8 characters of A-Z and 0-9 before the extension. */
const HASHED = /^(chunks|fonts)\/[^/]+-[A-Z0-9]{8}\.[A-Za-z0-9.]+$/;

/** dist/web beside the compiled server, or (running from source) the repository's dist/web. */
export function defaultWebRoot(): string {
  const fromDist = fileURLToPath(new URL('../web/', import.meta.url));
  const fromSrc = fileURLToPath(new URL('../../dist/web/', import.meta.url));
  return import.meta.url.endsWith('.ts') ? fromSrc : fromDist;
}

type Encoding = 'br' | 'gzip';

export interface StaticFile {
  body: Buffer;
  type: string;
  immutable: boolean;
  etag: string;
  lastModified: Date;
  /** The body in an encoding, made once per file version (undefined: not worth compressing). */
  encoded(encoding: Encoding): Promise<Buffer | undefined>;
}

interface Cached { mtimeMs: number; body: Buffer; etag: string; encodings: Map<Encoding, Promise<Buffer | undefined>> }

// The built files are read once and kept (the Kusto worker alone is ~8 MB); a rebuild changes their mtime.
const cache = new Map<string, Cached>();
function readCached(file: string): Cached & { lastModified: Date } {
  const st = statSync(file);
  let hit = cache.get(file);
  if (hit?.mtimeMs !== st.mtimeMs) {
    const body = readFileSync(file);
    hit = { mtimeMs: st.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`, encodings: new Map() };
    cache.set(file, hit);
  }
  return { ...hit, lastModified: st.mtime };
}

const compress = { br: promisify(brotliCompress), gzip: promisify(gzip) };

function fileOf(path: string, type: string, immutable: boolean): StaticFile {
  const c = readCached(path);
  return {
    body: c.body, type, immutable, etag: c.etag, lastModified: c.lastModified,
    encoded(encoding) {
      if (!COMPRESSIBLE.test(type) || c.body.length < 1024) return Promise.resolve(undefined);
      let p = c.encodings.get(encoding);
      if (!p) {
        // brotli quality 5: most of the gain of 11 at a small fraction of its time on the 8 MB worker
        p = (encoding === 'br' ? compress.br(c.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: c.body.length } }) : compress.gzip(c.body, { level: 6 }))
          .then((b) => (b.length < c.body.length ? b : undefined));
        c.encodings.set(encoding, p);
      }
      return p;
    },
  };
}

export function staticFile(root: string, urlPath: string): StaticFile | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]!).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  const target = resolve(root, rel);
  const r = relative(resolve(root), target);
  const inside = r !== '' && !r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r) && !rel.includes('\0');
  // judged by where the file really is: a symlink in the web root that points out of it is not served
  if (inside && extname(target) && existsSync(target) && statSync(target).isFile() && within(realpathSync(root), realpathSync(target))) {
    return fileOf(target, TYPES[extname(target)] ?? 'application/octet-stream', HASHED.test(r.split(sep).join('/')));
  }
  // A path with a file extension that does not exist is a 404, not the app.
  if (extname(rel)) return undefined;
  const index = resolve(root, 'index.html');
  if (!existsSync(index)) return notBuilt;
  return fileOf(index, TYPES['.html']!, false);
}

function within(root: string, file: string): boolean {
  const r = relative(root, file);
  return r !== '' && r !== '..' && !r.startsWith('..' + sep) && !isAbsolute(r);
}

/** The encoding to send: brotli, else gzip, when the request accepts it (q > 0). */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    if (name) accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (e: string) => (accepted.get(e) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : undefined;
}

/** Whether the browser's copy is current: If-None-Match (preferred) or If-Modified-Since. */
function notModified(req: FastifyRequest, f: StaticFile): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === f.etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  const since = ims ? Date.parse(ims) : NaN;
  return !Number.isNaN(since) && Math.floor(f.lastModified.getTime() / 1000) * 1000 <= since;
}

/** Sends a static file with its caching headers, a 304 when the browser's copy is current, compressed when it can. */
export async function sendStatic(req: FastifyRequest, reply: FastifyReply, f: StaticFile, headers: Record<string, string> = {}): Promise<FastifyReply> {
  reply.header('cache-control', f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('etag', f.etag).header('last-modified', f.lastModified.toUTCString()).header('vary', 'accept-encoding');
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  if (notModified(req, f)) return reply.code(304).send();
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  const body = encoding ? await f.encoded(encoding) : undefined;
  if (body && encoding) reply.header('content-encoding', encoding);
  return reply.type(f.type).send(body ?? f.body);
}

const NOT_BUILT_HTML = `<!doctype html><meta charset="utf-8"><title>kqlite</title><p>The web app is not built in this checkout: run <code>npm run build</code>. The JSON API is served under <a href="/api/status">/api/</a>.</p>`;
const notBuilt: StaticFile = {
  body: Buffer.from(NOT_BUILT_HTML), type: TYPES['.html']!, immutable: false, etag: '"not-built"', lastModified: new Date(),
  encoded: () => Promise.resolve(undefined),
};
