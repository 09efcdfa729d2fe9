/**
 * The workbench: GET /api/schema (tables for the editor's completion), POST /api/query (runs on a worker
 * thread with row/time/memory limits; errors come back with positioned diagnostics) and
 * POST /api/query/:clientId/cancel.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DEFENDER_TABLES } from '../../kql/semantics/index.js';
import { formatDatetime } from '../../engine/values/ticks.js';
import { jsonText } from '../../engine/values/json.js';
import type { CancelResponse, KqlType, QueryRequest, QueryResponse, RemotesResponse, SchemaResponse } from '../api.js';
import type { ServerContext } from '../context.js';
import type { EnginePool } from '../engine-pool.js';
import { datetimeParam } from './params.js';
import { getRemote, openRemote, readRemotes, RemoteError } from '../../remote/index.js';
import { encodedRows } from '../../engine/format/encode.js';
import { HttpError } from '../errors.js';

export const QUERY_LIMITS = { defaultRows: 10_000, maxRows: 100_000, defaultTimeoutMs: 30_000, maxTimeoutMs: 300_000, maxQueryChars: 100_000 };

const QUERY_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['query'],
  properties: {
    query: { type: 'string', minLength: 1, maxLength: QUERY_LIMITS.maxQueryChars },
    asOf: { type: 'string', maxLength: 64 },
    maxRows: { type: 'integer', minimum: 1, maximum: QUERY_LIMITS.maxRows },
    timeoutMs: { type: 'integer', minimum: 100, maximum: QUERY_LIMITS.maxTimeoutMs },
    clientId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
    remote: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,63}$' },
  },
} as const;

/** Aborted when the client closes the connection before its answer is sent: its query is not worth finishing. */
export function whileConnected(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

export function queryRoutes(app: FastifyInstance, ctx: ServerContext, pool: EnginePool): void {
  app.get('/api/schema', async (): Promise<SchemaResponse> => {
    const ws = ctx.workspace.snapshot();
    const inWs = new Map(ws.tableNames().map((n) => [n.toLowerCase(), n]));
    const tables: SchemaResponse['tables'] = [];
    for (const name of inWs.values()) tables.push({ name, inWorkspace: true, columns: (ws.schema(name)?.columns ?? []).map((c) => ({ name: c.name, type: c.type as KqlType })) });
    for (const t of DEFENDER_TABLES) {
      if (!t.name || inWs.has(t.name.toLowerCase())) continue;
      tables.push({ name: t.name, inWorkspace: false, columns: t.columns.map((c) => ({ name: c.name, type: c.type as KqlType })) });
    }
    return { database: 'kqlite', tables: tables.sort((a, b) => a.name.localeCompare(b.name)) };
  });

  // longs are written as exact integer literals (REST v2): a long beyond ±2^53 is a bigint, which JSON.stringify refuses
  app.post('/api/query', { schema: { body: QUERY_BODY } }, async (req, reply): Promise<QueryResponse> => {
    const b = req.body as QueryRequest;
    if (b.remote) return remoteQuery(ctx, b);
    const asOf = datetimeParam('asOf', b.asOf) ?? ctx.workspace.maxTimestamp() ?? BigInt(Date.now()) * 10_000n;
    const r = await pool.query({ query: b.query, nowTicks: asOf.toString(), maxRows: b.maxRows ?? QUERY_LIMITS.defaultRows, timeoutMs: b.timeoutMs ?? QUERY_LIMITS.defaultTimeoutMs }, b.clientId, whileConnected(reply));
    // set once the query ran: an error keeps the app's own error serialization
    reply.type('application/json; charset=utf-8').serializer(jsonText);
    return { ok: true, asOf: formatDatetime(asOf), tables: r.tables, warnings: r.warnings, diagnostics: r.diagnostics, stats: r.stats };
  });

  app.get('/api/remotes', async (): Promise<RemotesResponse> => ({
    remotes: [...readRemotes(ctx.dir)].map(([name, r]) => ({ name, kind: r.kind, where: r.kind === 'kusto' ? `${r.cluster}/${r.database}` : r.kind === 'log-analytics' ? r.workspaceId! : r.endpoint ?? 'graph.microsoft.com' })),
  }));

  app.post('/api/query/:clientId/cancel', async (req): Promise<CancelResponse> => ({ cancelled: pool.cancel((req.params as { clientId: string }).clientId) }));
}

/**
 * A workbench query on a saved remote engine: awaited here (it is network I/O, not work for this thread),
 * with the workbench's row and time limits; now() is the asOf given, else the wall clock (the remote holds
 * live data). Remote failures answer 400 with the remote's message.
 */
async function remoteQuery(ctx: ServerContext, b: QueryRequest): Promise<QueryResponse> {
  const asOf = datetimeParam('asOf', b.asOf) ?? BigInt(Date.now()) * 10_000n;
  const maxRows = b.maxRows ?? QUERY_LIMITS.defaultRows;
  let engine;
  try {
    engine = openRemote(getRemote(ctx.dir, b.remote!));
    const r = await engine.query(b.query, { now: asOf, maxRows: maxRows + 1, timeoutMs: b.timeoutMs ?? QUERY_LIMITS.defaultTimeoutMs });
    return {
      ok: true, asOf: formatDatetime(asOf), remote: engine.label, warnings: r.warnings, diagnostics: [], stats: { rowsScanned: 0, durationMs: r.durationMs },
      tables: r.tables.map((t) => {
        const rows = encodedRows(t.table);
        return { name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type as KqlType })), rows: rows.slice(0, maxRows), totalRows: rows.length, truncated: rows.length > maxRows };
      }),
    };
  } catch (e) {
    if (e instanceof RemoteError) throw new HttpError(400, e.message);
    throw e;
  } finally {
    engine?.close();
  }
}
