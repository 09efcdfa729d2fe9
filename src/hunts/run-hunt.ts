/**
 * A hunt: run the selected rules over the telemetry with `now()` bound to one reference time, merge each
 * rule's result groups into findings, and record the run. Rules that cannot run here (validation errors,
 * tables the workspace lacks) are skipped with the reason; a rule that fails at run time is reported and
 * the hunt goes on. Rules share table scans and common where chains (the engine's shared scan cache), so a
 * pack of hundreds of rules over one table costs about one pass plus index lookups. They all read one
 * snapshot of the source, so the hunt sees one state of the workspace and lists it once.
 */
import { runQuery } from '../engine/index.js';
import { formatDatetime } from '../engine/values/ticks.js';
import type { Db } from './db.js';
import { upsertObservation } from './findings-store.js';
import { observe } from './grouping.js';
import { activeSuppressions, suppressionFor } from './suppressions.js';
import type { HuntRule, HuntSource } from './types.js';

export interface HuntOptions {
  rules: readonly HuntRule[];
  source: HuntSource;
  db: Db;
  /** `now()` for every rule, ticks since 1970; default: the latest event time in the source. */
  asOf?: bigint;
  actor?: string;
  timeoutMs?: number;
  /**
   * Rules reading the same table through the same where chain share one pass (default true); false runs
   * every rule on its own. Both give identical findings (test/hunts/fused-hunt.test.ts).
   */
  fused?: boolean;
  onRule?: (rule: HuntRule, index: number, total: number) => void;
}

export interface RuleOutcome {
  ruleId: string;
  ruleName: string;
  tool?: string;
  severity: string;
  outcome: 'ran' | 'skipped' | 'failed';
  reason?: string;
  rows: number;
  rowsScanned: number;
  durationMs: number;
  findingsNew: number;
  findingsUpdated: number;
  findingsSuppressed: number;
}

export interface HuntSummary {
  runId: number;
  asOf: string;
  asOfSource: 'flag' | 'latest-event';
  rulesRun: number;
  rulesSkipped: number;
  rulesFailed: number;
  rowsScanned: number;
  eventsPerSecond: number;
  durationMs: number;
  findingsNew: number;
  findingsUpdated: number;
  findingsSuppressed: number;
  /** Ids of the findings this run touched, in rule order then group order. */
  findingIds: string[];
  newFindingIds: string[];
  rules: RuleOutcome[];
  byTool: Record<string, { new: number; updated: number; suppressed: number }>;
  bySeverity: Record<string, { new: number; updated: number; suppressed: number }>;
  topDevices: { device: string; findings: number }[];
}

export class HuntError extends Error {}

export function runHunt(opts: HuntOptions): HuntSummary {
  const started = Date.now();
  // the workspace as it is now, listed once for every rule (an ingest running meanwhile shows in the next hunt)
  const source = opts.source.snapshot?.() ?? opts.source;
  const asOf = opts.asOf ?? source.maxTimestamp();
  if (asOf === undefined) throw new HuntError('the workspace holds no events: ingest telemetry (kqlite ingest) or create the demo (kqlite demo) first');
  const asOfText = formatDatetime(asOf);
  const now = new Date().toISOString();
  const actor = opts.actor ?? 'kqlite';
  const { db } = opts;
  const runId = Number(db.prepare('INSERT INTO runs (started_at, as_of, actor, rules) VALUES (?,?,?,?)').run(now, asOfText, actor, JSON.stringify(opts.rules.map((r) => r.id))).lastInsertRowid);
  const present = new Set(source.tableNames().map((t) => t.toLowerCase()));
  const sups = activeSuppressions(db, now);
  const outcomes: RuleOutcome[] = [];
  const findingIds: string[] = [];
  const newFindingIds: string[] = [];
  const deviceCounts = new Map<string, number>();
  const sharedScans = opts.fused === false ? undefined : new Map();
  opts.rules.forEach((rule, i) => {
    opts.onRule?.(rule, i, opts.rules.length);
    const o: RuleOutcome = { ruleId: rule.id, ruleName: rule.name, severity: rule.severity, outcome: 'ran', rows: 0, rowsScanned: 0, durationMs: 0, findingsNew: 0, findingsUpdated: 0, findingsSuppressed: 0 };
    if (rule.tool) o.tool = rule.tool;
    outcomes.push(o);
    const missing = rule.tables.filter((t) => !present.has(t.toLowerCase()));
    if (rule.notRunnable !== undefined) {
      o.outcome = 'skipped';
      o.reason = `not runnable here: ${rule.notRunnable}`;
      return;
    }
    if (rule.status === 'error') {
      o.outcome = 'skipped';
      o.reason = `validation error: ${rule.diagnostics?.[0]?.message ?? 'see kqlite rules show'}`;
      return;
    }
    if (missing.length) {
      o.outcome = 'skipped';
      o.reason = `the workspace has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`;
      return;
    }
    const r = runQuery(rule.query, { source, now: asOf, ...(sharedScans ? { sharedScans } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    o.durationMs = r.stats.durationMs;
    o.rowsScanned = r.stats.rowsScanned;
    if (!r.ok || !r.tables.length) {
      o.outcome = 'failed';
      o.reason = r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the query returned no table';
      return;
    }
    const table = r.tables[0]!.table;
    o.rows = table.length;
    const observations = observe(rule.id, rule.query, table, asOfText);
    db.transaction(() => {
      for (const ob of observations) {
        const { id, isNew } = upsertObservation(db, rule, ob, runId, now);
        findingIds.push(id);
        if (isNew) newFindingIds.push(id);
        const suppressed = !!suppressionFor({ ruleId: rule.id, ruleName: rule.name, tool: rule.tool, device: ob.device, user: ob.user, signer: ob.signer }, sups);
        if (suppressed) o.findingsSuppressed++;
        else if (isNew) o.findingsNew++;
        else o.findingsUpdated++;
        if (!suppressed && ob.device) deviceCounts.set(ob.device, (deviceCounts.get(ob.device) ?? 0) + 1);
      }
    })();
  });
  const summary = summarise(runId, asOfText, opts.asOf === undefined ? 'latest-event' : 'flag', outcomes, findingIds, newFindingIds, deviceCounts, Date.now() - started);
  db.prepare('UPDATE runs SET finished_at = ?, outcome = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), summary.rulesFailed ? 'completed with failures' : 'completed', JSON.stringify(summary), runId);
  return summary;
}

function summarise(runId: number, asOf: string, asOfSource: HuntSummary['asOfSource'], rules: RuleOutcome[], findingIds: string[], newFindingIds: string[], devices: Map<string, number>, durationMs: number): HuntSummary {
  const byTool: HuntSummary['byTool'] = {};
  const bySeverity: HuntSummary['bySeverity'] = {};
  const add = (m: HuntSummary['byTool'], k: string, o: RuleOutcome) => {
    const e = (m[k] ??= { new: 0, updated: 0, suppressed: 0 });
    e.new += o.findingsNew;
    e.updated += o.findingsUpdated;
    e.suppressed += o.findingsSuppressed;
  };
  for (const o of rules) {
    if (o.outcome !== 'ran' || o.findingsNew + o.findingsUpdated + o.findingsSuppressed === 0) continue;
    add(byTool, o.tool ?? '(no tool)', o);
    add(bySeverity, o.severity, o);
  }
  const rowsScanned = rules.reduce((s, o) => s + o.rowsScanned, 0);
  return {
    runId, asOf, asOfSource,
    rulesRun: rules.filter((o) => o.outcome === 'ran').length,
    rulesSkipped: rules.filter((o) => o.outcome === 'skipped').length,
    rulesFailed: rules.filter((o) => o.outcome === 'failed').length,
    rowsScanned,
    eventsPerSecond: durationMs > 0 ? Math.round((rowsScanned / durationMs) * 1000) : rowsScanned,
    durationMs,
    findingsNew: rules.reduce((s, o) => s + o.findingsNew, 0),
    findingsUpdated: rules.reduce((s, o) => s + o.findingsUpdated, 0),
    findingsSuppressed: rules.reduce((s, o) => s + o.findingsSuppressed, 0),
    findingIds, newFindingIds, rules, byTool, bySeverity,
    topDevices: [...devices].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10).map(([device, findings]) => ({ device, findings })),
  };
}
