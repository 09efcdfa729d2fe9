/**
 * Kusto's REST API on the kqlite server, so Kusto tools and SDKs (azure-kusto-data, Kusto.Explorer, the
 * monaco-kusto editor) can use a workspace as a small Kusto database: `POST|GET /v1/rest/query` and
 * `/v2/rest/query` (queries, on the engine's worker threads with the request's limits),
 * `POST /v1/rest/mgmt` (mgmt.ts) and `GET /v1/rest/auth/metadata` (clients ask it before anything else).
 * Authentication is the server's (the bearer token where one is set; see auth.ts). Errors answer in the
 * OneApiErrors shape; every answer carries x-ms-client-request-id and x-ms-activity-id.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.js';
import type { ServerContext } from '../context.js';
import type { EnginePool } from '../engine-pool.js';
import type { ApiDiagnostic } from '../api.js';
import { KustoRequestError, oneApiError } from './kusto-errors.js';
import { runCommand } from './mgmt.js';
import { readRequest, runSettings, type KustoRequest } from './request.js';
import { completionTable, framesV2, rowCount, type KustoTable } from './response-v2.js';
import { commandV1, queryV1 } from './response-v1.js';
import { workspaceTarget } from './workspace-target.js';
import { whileConnected } from '../routes/query.js';

/** Rows a query may return with `notruncation` (the engine still needs a bound). */
const NO_TRUNCATION_CAP = 5_000_000;
const MGMT_BODY_LIMIT = 64 * 1024 * 1024;

interface Ids { clientRequestId: string; activityId: string }

function idsOf(req: FastifyRequest, r?: KustoRequest): Ids {
  const h = req.headers['x-ms-client-request-id'];
  return { clientRequestId: r?.clientRequestId ?? (typeof h === 'string' ? h.slice(0, 256) : `kqlite;${randomUUID()}`), activityId: randomUUID() };
}

function send(reply: FastifyReply, ids: Ids, status: number, body: string): FastifyReply {
  return reply.code(status).header('x-ms-client-request-id', ids.clientRequestId).header('x-ms-activity-id', ids.activityId).type('application/json; charset=utf-8').send(body);
}

/** An engine failure as Kusto reports it: syntax and semantic errors are bad requests, time-outs 504. */
function fromEngine(e: HttpError): KustoRequestError {
  const d: ApiDiagnostic | undefined = e.diagnostics?.find((x) => x.severity === 'error');
  const where = d ? ` [line:position=${d.line}:${d.column - 1}]` : '';
  if (d?.code.startsWith('KQL1')) return new KustoRequestError(400, 'BadRequest_SyntaxError', `Syntax error: ${d.message}${where}`, { code: d.code, message: d.message, type: 'Kusto.Data.Exceptions.SyntaxException' });
  if (d?.code.startsWith('KQL2')) return new KustoRequestError(400, 'General_BadRequest', `Semantic error: ${d.message}${where}`, { code: d.code, message: d.message, type: 'Kusto.Data.Exceptions.SemanticException' });
  if (e.status === 408 || d?.code === 'KQL4003') return new KustoRequestError(504, 'RequestExecutionTimeout', `Request execution timeout: ${e.message}`);
  if (d) return new KustoRequestError(400, 'General_BadRequest', `Query execution has resulted in error (${d.code}): ${d.message}`, { code: d.code, message: d.message, type: 'Kusto.Data.Exceptions.KustoQueryRunawayException' });
  if (e.status === 503) return new KustoRequestError(503, 'ServiceIsBusy', e.message);
  return new KustoRequestError(e.status >= 500 ? 500 : e.status, e.status >= 500 ? 'Internal' : 'General_BadRequest', e.message);
}

export interface KustoRouteOptions {
  /** Whether the commands that change the workspace (.create-merge table, .ingest inline) may run. */
  allowIngest: boolean;
  /** An error message as a client may see it (no absolute paths). */
  publicText: (text: string) => string;
}

const refuseWrite = (command: string) => () => Promise.reject(new KustoRequestError(403, 'Forbidden',
  `${command} changes the workspace, which this server does not allow: start it with kqlite serve --allow-ingest to take .create-merge table and .ingest inline`));

export function kustoRoutes(app: FastifyInstance, ctx: ServerContext, pool: EnginePool, opts: KustoRouteOptions): void {
  const writable = workspaceTarget(ctx);
  // read-only unless the operator said otherwise: any client that reaches the endpoint could add tables and rows
  const target = opts.allowIngest ? writable : { ...writable, createMerge: refuseWrite('.create-merge table'), ingestInline: refuseWrite('.ingest inline') };
  const fail = (reply: FastifyReply, ids: Ids, e: unknown) => {
    const k = e instanceof KustoRequestError ? e : e instanceof HttpError ? fromEngine(e) : new KustoRequestError(500, 'Internal', `internal error: ${(e as Error).message}`);
    return send(reply, ids, k.status, JSON.stringify(oneApiError(k.code, opts.publicText(k.message), ids, k.inner)));
  };
  // Fastify's own errors on these routes (bad JSON, body too large) answer in Kusto's shape too
  const errorHandler = (err: Error & { statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return fail(reply, idsOf(req), new KustoRequestError(status, status === 413 ? 'General_BadRequest' : status === 500 ? 'Internal' : 'General_BadRequest', status === 500 ? `internal error: ${err.message}` : `bad request: ${err.message}`));
  };

  const checkDb = (r: KustoRequest) => {
    if (r.db === undefined || r.db === '') throw new KustoRequestError(400, 'General_BadRequest', `the request names no database ('db'); this server holds '${target.database}'`);
    if (r.db.toLowerCase() !== target.database.toLowerCase()) throw new KustoRequestError(400, 'BadRequest_EntityNotFound', `Database '${r.db}' was not found (this server holds '${target.database}')`);
  };

  const query = (version: 1 | 2) => async (req: FastifyRequest, reply: FastifyReply) => {
    let ids = idsOf(req);
    try {
      const r = readRequest(req.body, req.query as Record<string, unknown>, req.headers);
      ids = idsOf(req, r);
      if (r.csl.trim().startsWith('.')) throw new KustoRequestError(400, 'General_BadRequest', 'management commands go to /v1/rest/mgmt, not the query endpoint');
      checkDb(r);
      const s = runSettings(r);
      const maxRecords = s.maxRecords ?? NO_TRUNCATION_CAP;
      const started = Date.now();
      const now = s.nowTicks ?? BigInt(Date.now()) * 10_000n;
      const res = await pool.query({
        query: r.csl, nowTicks: now.toString(), maxRows: maxRecords, timeoutMs: s.timeoutMs,
        ...(Object.keys(r.parameters).length ? { parameters: r.parameters } : {}), kustoRows: { dynamicAsText: version === 1 },
      }, ids.clientRequestId, whileConnected(reply));
      const truncated = res.tables.find((t) => t.truncated);
      const limitError = truncated
        ? oneApiError('LimitsExceeded', `Query result set has exceeded the internal record count limit ${maxRecords} (E_QUERY_RESULT_SET_TOO_LARGE): ${truncated.totalRows} records; set truncationmaxrecords or notruncation`, ids)
        : undefined;
      if (version === 1) {
        return send(reply, ids, 200, queryV1(res.tables.map((t) => ({ columns: t.columns, rowsJson: t.rowsJson ?? '[]' })), { ...ids, ...(limitError ? { failure: String(limitError.error['message']) } : {}) }));
      }
      const primary: KustoTable[] = res.tables.map((t) => ({ name: 'PrimaryResult', kind: 'PrimaryResult', columns: t.columns, rowsJson: t.rowsJson ?? '[]' }));
      const properties: KustoTable = { name: '@ExtendedProperties', kind: 'QueryProperties', columns: [{ name: 'TableId', type: 'int' }, { name: 'Key', type: 'string' }, { name: 'Value', type: 'dynamic' }], rowsJson: '[]' };
      const completion = completionTable({ ...ids, durationMs: Date.now() - started, rowCounts: primary.map((t) => rowCount(t.rowsJson)), warnings: res.warnings, ...(limitError ? { error: limitError } : {}) });
      const progressive = r.options['results_progressive_enabled'] === true || r.options['results_progressive_enabled'] === 'true';
      return send(reply, ids, 200, framesV2([properties, ...primary, completion], { progressive, ...(limitError ? { error: limitError } : {}) }));
    } catch (e) {
      return fail(reply, ids, e);
    }
  };

  for (const version of [1, 2] as const) {
    app.post(`/v${version}/rest/query`, { errorHandler }, query(version));
    app.get(`/v${version}/rest/query`, { errorHandler }, query(version));
  }

  app.post('/v1/rest/mgmt', { errorHandler, bodyLimit: MGMT_BODY_LIMIT }, async (req, reply) => {
    let ids = idsOf(req);
    try {
      const r = readRequest(req.body, req.query as Record<string, unknown>, req.headers);
      ids = idsOf(req, r);
      if (!r.csl.trim().startsWith('.')) throw new KustoRequestError(400, 'General_BadRequest', 'queries go to /v1/rest/query or /v2/rest/query; a management command starts with a dot');
      // .show databases and .show version need no database; everything else is about this one
      if (r.db !== undefined && r.db !== '') checkDb(r);
      return send(reply, ids, 200, commandV1(await runCommand(r.csl, target)));
    } catch (e) {
      return fail(reply, ids, e);
    }
  });

  // Clients (azure-kusto-data, Kusto.Explorer) read the cloud's login settings here before they send anything;
  // it is public on Kusto too (it says where to sign in, nothing about the data).
  app.get('/v1/rest/auth/metadata', { config: { public: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { AzureAD: { LoginEndpoint: 'https://login.microsoftonline.com', LoginMfaRequired: false, KustoClientAppId: 'db662dc1-0cfe-4e1c-a843-19a68e65be58', KustoClientRedirectUri: 'https://microsoft/kustoclient', KustoServiceResourceId: 'https://kusto.kusto.windows.net', FirstPartyAuthorityUrl: 'https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a' }, dSTS: {} };
  });
}
