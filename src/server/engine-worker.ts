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
import { ConfigError, externalDataFor, sourcedExternalDataFor, Workspace } from '../ingest/index.js';
import { loadRules, sources } from '../rules/index.js';
import { apiDiagnostics } from './errors.js';
import { rowsJson } from './kusto/kusto-json.js';
import type { EngineWorkerReply, EngineWorkerRequest, HuntJob, HuntStartedMessage, QueryJob } from './engine-protocol.js';

const { dir, memoryBudgetBytes } = workerData as { dir: string; memoryBudgetBytes?: number };
/** A result as text is held by this thread, the server thread and the response: Kusto's own default cap. */
const MAX_RESULT_BYTES = 64 * 1024 * 1024;
const workspace = Workspace.open(dir, { create: true });
let db: Db | undefined;

function query(req: QueryJob & { seq: number }): EngineWorkerReply {
  // externaldata: the network only where the workspace's config.json allows it (read per job, so a change applies)
  const r = runQuery(req.query, { source: workspace, now: BigInt(req.nowTicks), maxRows: req.maxRows, timeoutMs: req.timeoutMs, maxResultBytes: MAX_RESULT_BYTES, ...(memoryBudgetBytes ? { memoryBudgetBytes } : {}), ...(req.parameters ? { queryParameters: req.parameters } : {}), externalData: externalDataFor(dir), library: sources.workspaceLibrary(dir) });
  if (!r.ok) {
    const first = r.diagnostics.find((d) => d.severity === 'error');
    // KQL4003: the engine's own deadline; answered like the thread-level timeout
    const status = first?.code === 'KQL4003' ? 408 : 400;
    // a query that ran out of memory leaves this thread's heap full of its garbage: the pool replaces the
    // thread, so the next query starts on a fresh heap instead of failing too
    const recycle = first?.code === 'KQL4004' || undefined;
    return { seq: req.seq, ok: false, status, message: first?.message ?? 'the query failed', diagnostics: apiDiagnostics(req.query, r.diagnostics), ...(recycle ? { recycle } : {}) };
  }
  return {
    seq: req.seq, ok: true, kind: 'query', warnings: r.warnings, diagnostics: apiDiagnostics(req.query, r.diagnostics), stats: r.stats,
    tables: r.tables.map((t) => {
      const base = { name: t.name, columns: t.columns, totalRows: t.totalRows, truncated: t.totalRows > t.table.length };
      // Kusto clients get exact JSON text (JSON numbers cannot carry a long); the web app gets cells
      return req.kustoRows ? { ...base, rows: [], rowsJson: rowsJson(t.table, req.kustoRows.dynamicAsText) } : { ...base, rows: encodedRows(t.table) };
    }),
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
      rules: req.ruleIds.map((id) => byId.get(id)!), source: workspace, db: (db ??= openFindingsDb(dir)), actor: req.actor, externalData: externalDataFor(dir), sourcedExternalData: sourcedExternalDataFor(dir), library: sources.workspaceLibrary(dir),
      onStart: (runId) => parentPort!.postMessage({ seq: req.seq, started: runId } satisfies HuntStartedMessage),
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
    // a config.json that cannot be read is the user's to mend, not an internal error; anything else was never
    // expected (runQuery and runHunt end in values): a thread that threw is not trusted with the next job
    reply = e instanceof ConfigError ? { seq: req.seq, ok: false, status: 400, message: e.message } : { seq: req.seq, ok: false, status: 500, message: `internal error: ${(e as Error).message}`, recycle: true };
  }
  parentPort!.postMessage(reply);
});
