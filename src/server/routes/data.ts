/** GET /api/data: the workspace's tables (rows, extents, time range, size, quarantined) and the quarantined records. */
import type { FastifyInstance } from 'fastify';
import { formatDatetime } from '../../engine/values/ticks.js';
import { readQuarantine } from '../../ingest/index.js';
import type { DataResponse, QuarantineRecord } from '../api.js';
import type { ServerContext } from '../context.js';
import { badRequest } from '../errors.js';

const MAX_LIMIT = 2000;

export function dataRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/data', async (req): Promise<DataResponse> => {
    const q = req.query as { table?: unknown; limit?: unknown };
    const table = typeof q.table === 'string' && q.table ? q.table : undefined;
    const limit = q.limit === undefined ? 200 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw badRequest(`'limit' must be a whole number from 1 to ${MAX_LIMIT}`);
    const tables = ctx.workspace.tables().map((t) => ({
      name: t.name, rows: t.rows, extents: t.extents, bytesOnDisk: t.bytesOnDisk, quarantined: t.quarantined,
      ...(t.minTimestamp !== undefined ? { minTime: formatDatetime(t.minTimestamp) } : {}),
      ...(t.maxTimestamp !== undefined ? { maxTime: formatDatetime(t.maxTimestamp) } : {}),
    }));
    const matching = readQuarantine(ctx.workspace, table ? { table } : {});
    return { tables, quarantine: { total: matching.length, records: matching.slice(0, limit).map(record) } };
  });
}

/** Only the fields the API promises, typed (a quarantine file is data written by ingest). */
function record(e: Record<string, unknown>): QuarantineRecord {
  const num = (k: string) => (typeof e[k] === 'number' ? { [k]: e[k] as number } : {});
  return {
    file: String(e['file'] ?? ''), ...num('line'), ...num('offset'), ...num('byte'),
    ...(typeof e['table'] === 'string' ? { table: e['table'] } : {}),
    reason: String(e['reason'] ?? ''),
    ...(typeof e['raw'] === 'string' ? { raw: e['raw'] } : {}),
  };
}
