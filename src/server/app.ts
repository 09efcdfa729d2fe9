/**
 * The server: the JSON API under /api/ and the built web app, on Fastify. Loopback by default; anywhere
 * else every API request needs the bearer token (see auth.ts). Every error is JSON (`ApiError`).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { ServerContext } from './context.js';
import { HttpError, errorBody } from './errors.js';
import { isLoopback, tokenMatches } from './auth.js';
import { EnginePool } from './engine-pool.js';
import { defaultWebRoot, staticFile } from './static-files.js';
import { coverageRoutes } from './routes/coverage.js';
import { findingRoutes } from './routes/findings.js';
import { huntRoutes } from './routes/hunts.js';
import { dataRoutes } from './routes/data.js';
import { inventoryRoutes } from './routes/inventory.js';
import { queryRoutes } from './routes/query.js';
import { ruleRoutes } from './routes/rules.js';
import { statusRoutes } from './routes/status.js';

export interface ServerOptions {
  workspaceDir: string;
  /** The bearer token every /api/ request must carry; undefined = none needed (loopback only). */
  token?: string;
  host?: string;
  webRoot?: string;
  /** Worker threads for workbench queries and hunts (default 2). */
  engineWorkers?: number;
  logger?: boolean;
}

// The app's own assets only; monaco injects inline styles, its workers are bundled files.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; worker-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.token) throw new Error(`serving on ${host} needs a token (every API request must carry it)`);
  const ctx = new ServerContext(opts.workspaceDir);
  const pool = new EnginePool({ dir: opts.workspaceDir, size: opts.engineWorkers ?? 2 });
  // Strict validation: unknown fields are refused, not silently dropped; types are not coerced.
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1024 * 1024, ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } } });
  const webRoot = opts.webRoot ?? defaultWebRoot();

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (!req.url.startsWith('/api/') && req.url !== '/api') return;
    reply.header('cache-control', 'no-store');
    if (opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
      reply.code(401).header('www-authenticate', 'Bearer realm="kqlite"').send(errorBody(401, 'this server needs a token: send "Authorization: Bearer <token>" (printed by kqlite serve at start)'));
    }
  });

  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, _req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).send(errorBody(err.status, err.message, err.diagnostics));
    if (err.validation) return reply.code(400).send(errorBody(400, `bad request: ${err.message}`));
    // a read-only workspace's findings are a copy that cannot be changed (context.ts)
    if ((err as { code?: string }).code === 'SQLITE_READONLY') return reply.code(409).send(errorBody(409, `the workspace ${ctx.dir} is read-only: this change cannot be stored`));
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) app.log.error(err);
    return reply.code(status).send(errorBody(status, status === 500 ? `internal error: ${err.message}` : err.message));
  });

  statusRoutes(app, ctx, { tokenRequired: !!opts.token });
  ruleRoutes(app, ctx);
  huntRoutes(app, ctx, pool);
  findingRoutes(app, ctx);
  coverageRoutes(app, ctx);
  inventoryRoutes(app, ctx);
  dataRoutes(app, ctx);
  queryRoutes(app, ctx, pool);

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api') return reply.code(404).send(errorBody(404, `no API route ${req.method} ${req.url.split('?')[0]}`));
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply.code(405).send(errorBody(405, `${req.method} is not allowed here`));
    const f = staticFile(webRoot, req.url);
    if (!f) return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    reply.header('cache-control', f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (f.type.startsWith('text/html')) reply.header('content-security-policy', CSP);
    return reply.type(f.type).send(f.body);
  });

  app.addHook('onClose', async () => {
    await pool.close();
    ctx.close();
  });
  return app;
}
