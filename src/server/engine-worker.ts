/**
 * A worker thread that runs workbench queries and hunts, so a slow or hostile query, or a hunt over a big
 * workspace, never blocks the server, and a query can be cancelled by terminating the thread. It keeps its
 * own Workspace open (extents stay cached between jobs) and answers with results already encoded as the
 * JSON API sends them; a hunt writes its run and findings to the workspace's findings database (WAL, so the
 * server thread reads them as soon as the reply arrives).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runQuery } from '../engine/index.js';
import { encodedRows } from '../engine/format/encode.js';
import { workspaceWritable } from '../common/workspace-dir.js';
import { HuntError, openFindingsDb, runHunt, type Db } from '../hunts/index.js';
import { Workspace } from '../ingest/index.js';
import { loadRules } from '../rules/index.js';
import { apiDiagnostics } from './errors.js';
import type { EngineWorkerReply, EngineWorkerRequest, HuntJob, QueryJob } from './engine-protocol.js';

const { dir, memoryBudgetBytes } = workerData as { dir: string; memoryBudgetBytes: number };
const workspace = Workspace.open(dir, { create: true });
let db: Db | undefined;

function query(req: QueryJob & { seq: number }): EngineWorkerReply {
  const r = runQuery(req.query, { source: workspace, now: BigInt(req.nowTicks), maxRows: req.maxRows, timeoutMs: req.timeoutMs, memoryBudgetBytes });
  if (!r.ok) {
    const first = r.diagnostics.find((d) => d.severity === 'error');
    // KQL4003: the engine's own deadline; answered like the thread-level timeout
    const status = first?.code === 'KQL4003' ? 408 : 400;
    return { seq: req.seq, ok: false, status, message: first?.message ?? 'the query failed', diagnostics: apiDiagnostics(req.query, r.diagnostics) };
  }
  return {
    seq: req.seq, ok: true, kind: 'query', warnings: r.warnings, diagnostics: apiDiagnostics(req.query, r.diagnostics), stats: r.stats,
    tables: r.tables.map((t) => ({ name: t.name, columns: t.columns, rows: encodedRows(t.table), totalRows: t.totalRows, truncated: t.totalRows > t.table.length })),
  };
}

function hunt(req: HuntJob & { seq: number }): EngineWorkerReply {
  const byId = new Map(loadRules(dir).map((r) => [r.id, r]));
  const missing = req.ruleIds.filter((id) => !byId.has(id));
  // the rule store changed between the route's selection and this thread's read
  if (missing.length) return { seq: req.seq, ok: false, status: 409, message: `rules changed while the hunt started; no rule ${missing.map((m) => `'${m}'`).join(', ')} now` };
  try {
    if (!workspaceWritable(dir)) return { seq: req.seq, ok: false, status: 409, message: `the workspace ${dir} is read-only: a hunt here could not store its findings (kqlite hunt reports them without storing)` };
    const summary = runHunt({
      rules: req.ruleIds.map((id) => byId.get(id)!), source: workspace, db: (db ??= openFindingsDb(dir)), actor: req.actor,
      ...(req.asOfTicks !== undefined ? { asOf: BigInt(req.asOfTicks) } : {}),
    });
    return { seq: req.seq, ok: true, kind: 'hunt', summary };
  } catch (e) {
    if (e instanceof HuntError) return { seq: req.seq, ok: false, status: 409, message: e.message };
    throw e;
  }
}

parentPort!.on('message', (req: EngineWorkerRequest) => {
  let reply: EngineWorkerReply;
  try {
    reply = req.kind === 'hunt' ? hunt(req) : query(req);
  } catch (e) {
    reply = { seq: req.seq, ok: false, status: 500, message: `internal error: ${(e as Error).message}` };
  }
  parentPort!.postMessage(reply);
});
