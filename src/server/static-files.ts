/**
 * Serves the built single-page app (dist/web) with an SPA fallback: a page URL (/rules/x, /coverage ...)
 * answers index.html and the app routes on the client. Only files inside dist/web are ever read.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, relative, resolve, sep, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2', '.map': 'application/json',
};

/** dist/web beside the compiled server, or (running from source) the repository's dist/web. */
export function defaultWebRoot(): string {
  const fromDist = fileURLToPath(new URL('../web/', import.meta.url));
  const fromSrc = fileURLToPath(new URL('../../dist/web/', import.meta.url));
  return import.meta.url.endsWith('.ts') ? fromSrc : fromDist;
}

export interface StaticFile { body: Buffer; type: string; immutable: boolean }

// The built files are read once and kept (the Kusto worker alone is ~8 MB); a rebuild changes their mtime.
const bodies = new Map<string, { mtimeMs: number; body: Buffer }>();
function readCached(file: string): Buffer {
  const mtimeMs = statSync(file).mtimeMs;
  const hit = bodies.get(file);
  if (hit?.mtimeMs === mtimeMs) return hit.body;
  const body = readFileSync(file);
  bodies.set(file, { mtimeMs, body });
  return body;
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
  const inside = r !== '' && !r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r);
  if (inside && extname(target) && existsSync(target) && statSync(target).isFile()) {
    return { body: readCached(target), type: TYPES[extname(target)] ?? 'application/octet-stream', immutable: /\/assets\//.test('/' + rel) };
  }
  // A path with a file extension that does not exist is a 404, not the app.
  if (extname(rel)) return undefined;
  const index = resolve(root, 'index.html');
  if (!existsSync(index)) return { body: Buffer.from(NOT_BUILT), type: TYPES['.html']!, immutable: false };
  return { body: readCached(index), type: TYPES['.html']!, immutable: false };
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>kqlite</title><p>The web app is not built in this checkout: run <code>npm run build</code>. The JSON API is served under <a href="/api/status">/api/</a>.</p>`;
