/**
 * A worker thread that runs workbench queries, so a slow or hostile query never blocks the server and can
 * be cancelled by terminating the thread. It keeps its own Workspace open (extents stay cached between
 * queries) and answers each request with result rows already encoded as the JSON API sends them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runQuery } from '../engine/index.js';
import { encodedRows } from '../engine/format/encode.js';
import { Workspace } from '../ingest/index.js';
import { apiDiagnostics } from './errors.js';
import type { QueryWorkerReply, QueryWorkerRequest } from './query-protocol.js';

const { dir, memoryBudgetBytes } = workerData as { dir: string; memoryBudgetBytes: number };
const workspace = Workspace.open(dir, { create: true });

parentPort!.on('message', (req: QueryWorkerRequest) => {
  let reply: QueryWorkerReply;
  try {
    const r = runQuery(req.query, { source: workspace, now: BigInt(req.nowTicks), maxRows: req.maxRows, timeoutMs: req.timeoutMs, memoryBudgetBytes });
    if (!r.ok) {
      const first = r.diagnostics.find((d) => d.severity === 'error');
      // KQL4003: the engine's own deadline; answered like the thread-level timeout
      const status = first?.code === 'KQL4003' ? 408 : 400;
      reply = { seq: req.seq, ok: false, status, message: first?.message ?? 'the query failed', diagnostics: apiDiagnostics(req.query, r.diagnostics) };
    }
    else {
      reply = {
        seq: req.seq, ok: true, warnings: r.warnings, diagnostics: apiDiagnostics(req.query, r.diagnostics), stats: r.stats,
        tables: r.tables.map((t) => ({ name: t.name, columns: t.columns, rows: encodedRows(t.table), totalRows: t.totalRows, truncated: t.totalRows > t.table.length })),
      };
    }
  } catch (e) {
    reply = { seq: req.seq, ok: false, status: 500, message: `internal error: ${(e as Error).message}` };
  }
  parentPort!.postMessage(reply);
});
