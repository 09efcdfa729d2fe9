/**
 * A hunt whose rules run on a remote engine: each rule's query goes there with now() bound to the hunt's
 * reference time, and the answers feed the same hunt code as a local hunt (runHunt with resultOf), so
 * findings, ids, triage, suppressions and inventory are the same; the run names the remote.
 * The reference time defaults, as locally, to the latest event of the rules' tables where the engine can
 * say (Kusto), else to the wall clock (Log Analytics and Defender hold live data).
 */
import type { QueryResult, ResultTable } from '../engine/index.js';
import type { Table } from '../engine/storage/column.js';
import { joinTicks } from '../engine/values/ticks.js';
import { runHunt, type Db, type HuntRule, type HuntSource, type HuntSummary } from '../hunts/index.js';
import { RemoteError, type RemoteEngine } from './remote-types.js';

export interface RemoteHuntOptions {
  rules: readonly HuntRule[];
  engine: RemoteEngine;
  db: Db;
  asOf?: bigint;
  actor?: string;
  timeoutMs?: number;
  onRule?: (rule: HuntRule, index: number, total: number) => void;
  /** As runHunt's: called inside the run's commit (the CLI writes its HTML report there). */
  beforeCommit?: (summary: HuntSummary) => void;
}

function maxTicks(t: ResultTable | undefined): bigint | undefined {
  const c = t?.table.columns[0]?.column;
  if (!c || c.type !== 'datetime' || !t!.table.length) return undefined;
  if (c.validity && !(c.validity[0]! & 1)) return undefined;
  return joinTicks(c.hi[0]!, c.lo[0]!);
}

/** The latest event over `tables` on the engine: max(Timestamp), or max(TimeGenerated) where there is none. */
async function latestEvent(engine: RemoteEngine, tables: string[]): Promise<bigint | undefined> {
  let latest: bigint | undefined;
  for (const t of tables) {
    for (const col of ['Timestamp', 'TimeGenerated']) {
      try {
        const r = await engine.query(`['${t.replace(/'/g, "\\'")}'] | summarize max(${col})`);
        const m = maxTicks(r.tables[0]);
        if (m !== undefined && (latest === undefined || m > latest)) latest = m;
        break;
      } catch (e) {
        if (!(e instanceof RemoteError)) throw e;
      }
    }
  }
  return latest;
}

const EMPTY: Table = { columns: [], length: 0 };

export async function runRemoteHunt(o: RemoteHuntOptions): Promise<HuntSummary> {
  const present = o.engine.tableNames ? new Set((await o.engine.tableNames()).map((t) => t.toLowerCase())) : undefined;
  const runnable = o.rules.filter((r) => r.status !== 'error' && (!present || r.tables.every((t) => present.has(t.toLowerCase()))));
  let asOf = o.asOf;
  if (asOf === undefined && o.engine.tableNames) {
    asOf = await latestEvent(o.engine, [...new Set(runnable.flatMap((r) => r.tables))].filter((t) => present?.has(t.toLowerCase())));
  }
  asOf ??= BigInt(Date.now()) * 10_000n;
  const results = new Map<string, QueryResult>();
  for (const [i, rule] of runnable.entries()) {
    o.onRule?.(rule, i, runnable.length);
    try {
      const r = await o.engine.query(rule.query, { now: asOf, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
      results.set(rule.id, { ok: true, diagnostics: [], tables: r.tables, warnings: r.warnings, stats: { rowsScanned: 0, durationMs: r.durationMs } });
    } catch (e) {
      if (!(e instanceof RemoteError)) throw e;
      results.set(rule.id, { ok: false, diagnostics: [{ code: 'KQL4030', severity: 'error', message: e.message, span: { start: 0, end: 0 } }], tables: [], warnings: [], stats: { rowsScanned: 0, durationMs: 0 } });
    }
  }
  // The hunt code's view of the remote: its tables (for the skip reasons) and the reference time.
  const names = present ? [...present] : [...new Set(o.rules.flatMap((r) => r.tables.map((t) => t.toLowerCase())))];
  const source: HuntSource = { tableNames: () => names, schema: () => undefined, scan: () => [EMPTY], maxTimestamp: () => asOf };
  return runHunt({
    rules: o.rules, source, db: o.db, asOf, remote: o.engine.label,
    ...(o.actor ? { actor: o.actor } : {}),
    ...(o.beforeCommit ? { beforeCommit: o.beforeCommit } : {}),
    resultOf: (rule) => results.get(rule.id) ?? { ok: false, diagnostics: [{ code: 'KQL4030', severity: 'error', message: 'the rule did not run on the remote', span: { start: 0, end: 0 } }], tables: [], warnings: [], stats: { rowsScanned: 0, durationMs: 0 } },
  });
}
