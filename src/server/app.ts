/**
 * The server: the JSON API under /api/ and the built web app, on Fastify. Loopback by default; anywhere
 * else every API request needs the bearer token (see auth.ts). Every error is JSON (`ApiError`).
 */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { DamagedFileError } from '../common/damaged.js';
import { ServerContext } from './context.js';
import { HttpError, errorBody, redactPaths } from './errors.js';
import { actorOf, allowedHostNames, crossOriginRefusal, decodedPath, hostOfHeader, isApiPath, isLoopback, tokenMatches } from './auth.js';
import { EnginePool } from './engine-pool.js';
import { failRun } from '../hunts/index.js';
import { defaultWebRoot, sendStatic, staticFile } from './static-files.js';
import { coverageRoutes } from './routes/coverage.js';
import { findingRoutes } from './routes/findings.js';
import { huntRoutes } from './routes/hunts.js';
import { dataRoutes } from './routes/data.js';
import { inventoryRoutes } from './routes/inventory.js';
import { queryRoutes } from './routes/query.js';
import { ruleRoutes } from './routes/rules.js';
import { feedRoutes } from './routes/feeds.js';
import { statusRoutes } from './routes/status.js';
import { kustoRoutes } from './kusto/routes.js';

export interface ServerOptions {
  workspaceDir: string;
  /** The bearer token every /api/ request must carry; undefined = none needed (loopback only). */
  token?: string;
  host?: string;
  /** More host names (besides loopback names and `host`) that requests may address, e.g. a DNS name of this machine. */
  allowHosts?: string[];
  webRoot?: string;
  /** Worker threads for workbench queries and hunts (default 2). */
  engineWorkers?: number;
  /** V8 heap cap of each engine worker in MB (default 2048); a query's memory budget is half of it unless set. */
  engineHeapMb?: number;
  engineMemoryBudgetBytes?: number;
  /** Queries and hunts that may wait for a worker (default 32); more are refused with 503. */
  engineQueueMax?: number;
  logger?: boolean;
  /** Kusto management commands that change the workspace (`.create-merge table`, `.ingest inline`); off unless given (`kqlite serve --allow-ingest`). */
  allowIngest?: boolean;
  /** Connection limits (tests shorten them): whole headers within headersMs, the whole request (body too) within requestMs. */
  timeouts?: { headersMs?: number; requestMs?: number; keepAliveMs?: number; checkEveryMs?: number };
}

// The app's own assets only; monaco injects inline styles (it makes <style> elements and style attributes
// and takes no nonce), its workers are bundled files. No inline or foreign script can run.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; worker-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
// Everything else (JSON, feeds, YAML, scripts, fonts) is never a document: opened directly it runs nothing
// and cannot be framed, whatever it holds (an Atom feed is XML a browser would otherwise render).
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";
/** Headers every response carries, whichever path made it (routes, refusals, 404s, Fastify's own errors). */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin', 'cross-origin-resource-policy': 'same-origin',
};
/** Slow clients: headers must arrive within 10 s and the whole request (a 64 MiB .ingest inline too) within 60 s. */
const TIMEOUTS = { headersMs: 10_000, requestMs: 60_000, keepAliveMs: 10_000, checkEveryMs: 1_000 };

function secured(reply: FastifyReply): FastifyReply {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
  // scripts are left without one: a worker (the editor's) takes the CSP its own script arrives with, and
  // the page's policy already decides which scripts run
  const script = /^(text|application)\/javascript/.test(String(reply.getHeader('content-type') ?? ''));
  if (!reply.hasHeader('content-security-policy') && !script) reply.header('content-security-policy', DATA_CSP);
  return reply;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.token) throw new Error(`serving on ${host} needs a token (every API request must carry it)`);
  const ctx = new ServerContext(opts.workspaceDir, actorOf(!!opts.token));
  const t = { ...TIMEOUTS, ...opts.timeouts };
  // error messages name files relative to the workspace or the install, never by absolute path
  const publicText = (text: string) => redactPaths(text, opts.workspaceDir);
  const hostNames = allowedHostNames(host, opts.allowHosts);
  const pool = new EnginePool({
    dir: opts.workspaceDir, size: opts.engineWorkers ?? 2, ...(opts.engineHeapMb ? { heapMb: opts.engineHeapMb } : {}), ...(opts.engineMemoryBudgetBytes ? { memoryBudgetBytes: opts.engineMemoryBudgetBytes } : {}),
    ...(opts.engineQueueMax !== undefined ? { maxQueued: opts.engineQueueMax } : {}),
    onRunLost: (runId, reason) => failRun(ctx.db, runId, reason),
  });
  // Strict validation: unknown fields are refused, not silently dropped; types are not coerced.
  const app = Fastify({
    logger: opts.logger ?? false, bodyLimit: 1024 * 1024,
    // a client that sends its request slowly (slowloris) is cut off instead of holding a connection for ever
    requestTimeout: t.requestMs, keepAliveTimeout: t.keepAliveMs,
    http: { headersTimeout: Math.min(t.headersMs, t.requestMs), connectionsCheckingInterval: t.checkEveryMs },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    // errors Fastify meets before routing (a malformed URL, an over-long parameter): the same JSON error body as every other
    frameworkErrors: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      // (these replies skip the onSend hook)
      void secured(reply as unknown as FastifyReply).code(status).header('content-type', 'application/json; charset=utf-8').send(errorBody(status, publicText(err.message)));
    },
  });
  const webRoot = opts.webRoot ?? defaultWebRoot();

  app.addHook('onSend', async (_req, reply, payload) => {
    secured(reply);
    return payload;
  });

  // Every request passes here before its handler (Fastify has already routed it): see auth.ts.
  app.addHook('onRequest', async (req, reply) => {
    const hostName = hostOfHeader(req.headers.host);
    if (hostName === undefined || !hostNames.has(hostName)) {
      return reply.code(421).send(errorBody(421, `this server does not answer to the host '${String(req.headers.host ?? '').slice(0, 100)}' (start it with --allow-host NAME to add a name)`));
    }
    const path = decodedPath(req.url);
    if (path === undefined) return reply.code(400).send(errorBody(400, 'bad request: the path has a malformed %-escape'));
    // the feed documents carry rule content too; feed readers that cannot send a header may pass ?token=
    if (/^\/+feed\.(atom|json)$/i.test(path)) {
      const given = new URL(req.url, 'http://x').searchParams.get('token');
      if (opts.token && !tokenMatches(req.headers.authorization, opts.token) && !tokenMatches(given ? `Bearer ${given}` : undefined, opts.token)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="kqlite"').send(errorBody(401, 'this server needs a token: send "Authorization: Bearer <token>" or add ?token=<token> to the feed address'));
      }
      return;
    }
    // Deny by default: a registered route is an API route (unless it declares itself public: the Kusto
    // clients' login metadata); so is any path under /api however it is spelt.
    const isPublic = (req.routeOptions.config as { public?: boolean } | undefined)?.public === true;
    const api = (req.routeOptions.url !== undefined && !isPublic) || isApiPath(path);
    if (!api) return;
    reply.header('cache-control', 'no-store');
    if (opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="kqlite"').send(errorBody(401, 'this server needs a token: send "Authorization: Bearer <token>" (printed by kqlite serve at start)'));
    }
    const one = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);
    const refusal = crossOriginRefusal(req.method, req.headers.host, one(req.headers.origin), one(req.headers['sec-fetch-site']), one(req.headers['sec-fetch-mode']));
    if (refusal) return reply.code(403).send(errorBody(403, refusal));
  });

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, _req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).send(errorBody(err.status, publicText(err.message), err.diagnostics));
    if (err.validation) return reply.code(400).send(errorBody(400, `bad request: ${err.message}`));
    // a read-only workspace's findings are a copy that cannot be changed (context.ts)
    if ((err as { code?: string }).code === 'SQLITE_READONLY') return reply.code(409).send(errorBody(409, 'the workspace is read-only: this change cannot be stored'));
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) app.log.error(err);
    // a damaged workspace file says what it is and what to do; anything else unexpected is ours
    return reply.code(status).send(errorBody(status, publicText(status === 500 && !(err instanceof DamagedFileError) ? `internal error: ${err.message}` : err.message)));
  });

  statusRoutes(app, ctx, { tokenRequired: !!opts.token });
  ruleRoutes(app, ctx);
  huntRoutes(app, ctx, pool);
  findingRoutes(app, ctx);
  coverageRoutes(app, ctx);
  inventoryRoutes(app, ctx);
  dataRoutes(app, ctx);
  queryRoutes(app, ctx, pool);
  feedRoutes(app, ctx);
  kustoRoutes(app, ctx, pool, { allowIngest: opts.allowIngest === true, publicText });

  app.setNotFoundHandler((req, reply) => {
    if (isApiPath(decodedPath(req.url) ?? '')) return reply.code(404).send(errorBody(404, `no API route ${req.method} ${req.url.split('?')[0]}`));
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply.code(405).send(errorBody(405, `${req.method} is not allowed here`));
    const f = staticFile(webRoot, req.url);
    if (!f) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    return sendStatic(req, reply, f, f.type.startsWith('text/html') ? { 'content-security-policy': CSP } : {});
  });

  app.addHook('onClose', async () => {
    await pool.close();
    ctx.close();
  });
  return app;
}
