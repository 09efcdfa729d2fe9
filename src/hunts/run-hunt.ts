/**
 * A hunt: run the selected rules over the telemetry with `now()` bound to one reference time, merge each
 * rule's result groups into findings, and record the run; the findings and the run's completion are
 * committed together, so what a run found is new until a run that completed has seen it. Rules that
 * cannot run here (validation errors, tables the workspace lacks) are skipped with the reason; a rule that
 * fails at run time is reported and the hunt goes on. Rules share table scans and common where chains (the engine's shared scan cache), so a
 * pack of hundreds of rules over one table costs about one pass plus index lookups. They all read one
 * snapshot of the source, so the hunt sees one state of the workspace and lists it once.
 */
import { byCodeUnits } from '../common/text-order.js';
import { runQuery, type ExternalDataSource, type QueryResult } from '../engine/index.js';
import { formatDatetime } from '../engine/values/ticks.js';
import type { Db } from './db.js';
import { upsertObservation, type ObservationEffect } from './findings-store.js';
import { observe } from './grouping.js';
import { failRun, startRun } from './runs.js';
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
  /** Where rules' externaldata reads URLs (the network permission lives here); absent: externaldata fails. */
  externalData?: ExternalDataSource;
  /**
   * Where the externaldata of rules synced from git sources reads instead (`source.kind` 'git'): rules that
   * come from someone else's repository never download, whatever the network permission (a rule would
   * otherwise tell its author each time it ran, from where, or pull rows into findings); callers pass the
   * workspace's cached copies only. Absent: their externaldata fails.
   */
  sourcedExternalData?: ExternalDataSource;
  /**
   * Rules reading the same table through the same where chain share one pass (default true); false runs
   * every rule on its own. Both give identical findings (test/hunts/fused-hunt.test.ts).
   */
  fused?: boolean;
  onRule?: (rule: HuntRule, index: number, total: number) => void;
  /** Stored functions (ASIM parsers, watchlists) rules may call. */
  library?: import('../kql/semantics/index.js').FunctionLibrary;
  /** The run's id, as soon as it is recorded (whoever may have to stop the hunt can then end its run). */
  onStart?: (runId: number) => void;
  /**
   * Called inside the commit, with the run's findings written but not yet committed (reads on `db` see
   * them): a report that cannot be written throws, and the run fails with nothing kept, so its findings
   * are still new to the next run instead of consumed by one nobody saw.
   */
  beforeCommit?: (summary: HuntSummary) => void;
  /**
   * The rule's result when the query ran elsewhere (a remote engine, src/remote): used instead of running
   * the rule here. The rest of the hunt (findings, suppressions, the run record) is the same.
   */
  resultOf?: (rule: HuntRule) => QueryResult;
  /** Where the rules ran, when not here (named on the run). */
  remote?: string;
  /** Each rule's result table as the hunt got it, before it becomes findings (rule tests compare its rows). */
  onResult?: (rule: HuntRule, result: QueryResult['tables'][number]) => void;
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
  /** Seen again with the same evidence. */
  findingsUnchanged: number;
  findingsSuppressed: number;
}

type Tally = { new: number; updated: number; unchanged: number; suppressed: number };

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
  findingsUnchanged: number;
  findingsSuppressed: number;
  /** Ids of the findings this run touched, in rule order then group order. */
  findingIds: string[];
  newFindingIds: string[];
  rules: RuleOutcome[];
  byTool: Record<string, Tally>;
  bySeverity: Record<string, Tally>;
  topDevices: { device: string; findings: number }[];
  /** The remote engine the rules ran on (kusto https://…/db, log-analytics <id>, defender …); absent: here. */
  remote?: string;
}

export class HuntError extends Error {}

/**
 * Runs the rules, then commits the run as a whole: every finding and the run's completion in one
 * transaction at the end. A run that dies (killed, out of memory, a report that cannot be written) leaves
 * no findings behind, only its run row, which the next open marks failed; what it found is new to the
 * next run that completes. Rules run outside any transaction, so hunts in two processes overlap and only
 * take turns for their commits.
 */
export function runHunt(opts: HuntOptions): HuntSummary {
  const started = Date.now();
  // the workspace as it is now, listed once for every rule (an ingest running meanwhile shows in the next hunt)
  const source = opts.source.snapshot?.() ?? opts.source;
  const asOf = opts.asOf ?? source.maxTimestamp();
  if (asOf === undefined) throw new HuntError('the workspace holds no events: ingest telemetry (kqlite ingest) or create the demo (kqlite demo) first');
  const asOfText = formatDatetime(asOf);
  const now = new Date().toISOString();
  const { db } = opts;
  const runId = startRun(db, { startedAt: now, asOf: asOfText, actor: opts.actor ?? 'kqlite', ruleIds: opts.rules.map((r) => r.id) });
  opts.onStart?.(runId);
  try {
    const ran = runRules(opts, source, asOf, asOfText);
    return commitRun(opts, runId, now, asOfText, ran, started);
  } catch (e) {
    failRun(db, runId, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

interface RuleRun {
  rule: HuntRule;
  outcome: RuleOutcome;
  observations: ReturnType<typeof observe>;
}

/** Where a rule's externaldata reads: rules synced from git sources never reach the network. */
function externalDataOf(opts: HuntOptions, rule: HuntRule): { externalData?: ExternalDataSource } {
  const x = rule.source?.kind === 'git' ? opts.sourcedExternalData : opts.externalData;
  return x ? { externalData: x } : {};
}

/** Every rule over the one snapshot; nothing is written yet. */
function runRules(opts: HuntOptions, source: HuntSource, asOf: bigint, asOfText: string): RuleRun[] {
  const present = new Set(source.tableNames().map((t) => t.toLowerCase()));
  const sharedScans = opts.fused === false ? undefined : new Map();
  return opts.rules.map((rule, i) => {
    opts.onRule?.(rule, i, opts.rules.length);
    const o: RuleOutcome = { ruleId: rule.id, ruleName: rule.name, severity: rule.severity, outcome: 'ran', rows: 0, rowsScanned: 0, durationMs: 0, findingsNew: 0, findingsUpdated: 0, findingsUnchanged: 0, findingsSuppressed: 0 };
    if (rule.tool) o.tool = rule.tool;
    const done = (observations: RuleRun['observations'] = []): RuleRun => ({ rule, outcome: o, observations });
    const missing = rule.tables.filter((t) => !present.has(t.toLowerCase()));
    if (rule.notRunnable !== undefined) {
      o.outcome = 'skipped';
      o.reason = `not runnable here: ${rule.notRunnable}`;
      return done();
    }
    if (rule.status === 'error') {
      o.outcome = 'skipped';
      o.reason = `validation error: ${rule.diagnostics?.[0]?.message ?? 'see kqlite rules show'}`;
      return done();
    }
    if (missing.length) {
      o.outcome = 'skipped';
      o.reason = `the workspace has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`;
      return done();
    }
    const r = opts.resultOf?.(rule) ?? runQuery(rule.query, { source, now: asOf, ...(sharedScans ? { sharedScans } : {}), ...(opts.library ? { library: opts.library } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}), ...externalDataOf(opts, rule) });
    o.durationMs = r.stats.durationMs;
    o.rowsScanned = r.stats.rowsScanned;
    if (!r.ok || !r.tables.length) {
      o.outcome = 'failed';
      o.reason = r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the query returned no table';
      return done();
    }
    const table = r.tables[0]!.table;
    o.rows = table.length;
    opts.onResult?.(rule, r.tables[0]!);
    return done(observe(rule.id, rule.query, table, asOfText));
  });
}

/** Writes every finding and the run's completion in one transaction (which waits its turn for the lock). */
function commitRun(opts: HuntOptions, runId: number, now: string, asOfText: string, ran: RuleRun[], started: number): HuntSummary {
  const { db } = opts;
  const sups = activeSuppressions(db, now);
  const findingIds: string[] = [];
  const newFindingIds: string[] = [];
  const deviceCounts = new Map<string, number>();
  const outcomes = ran.map((r) => r.outcome);
  const completed = new Map<number, boolean>();
  const completedRun = (id: number) => {
    let c = completed.get(id);
    if (c === undefined) {
      const outcome = (db.prepare('SELECT outcome FROM runs WHERE id = ?').get(id) as { outcome: string } | undefined)?.outcome;
      completed.set(id, (c = outcome !== undefined && outcome.startsWith('completed')));
    }
    return c;
  };
  let summary!: HuntSummary;
  db.transaction(() => {
    for (const { rule, outcome: o, observations } of ran) {
      for (const ob of observations) {
        const { id, effect } = upsertObservation(db, rule, ob, runId, now, completedRun);
        findingIds.push(id);
        if (effect === 'new') newFindingIds.push(id);
        const suppressed = !!suppressionFor({ ruleId: rule.id, ruleName: rule.name, tool: rule.tool, device: ob.device, user: ob.user, signer: ob.signer }, sups);
        if (suppressed) o.findingsSuppressed++;
        else o[EFFECT_COUNT[effect]]++;
        if (!suppressed && ob.device) deviceCounts.set(ob.device, (deviceCounts.get(ob.device) ?? 0) + 1);
      }
    }
    summary = summarise(runId, asOfText, opts.asOf === undefined ? 'latest-event' : 'flag', outcomes, findingIds, newFindingIds, deviceCounts, Date.now() - started);
    if (opts.remote) summary.remote = opts.remote;
    db.prepare('UPDATE runs SET finished_at = ?, outcome = ?, summary = ? WHERE id = ?').run(new Date().toISOString(), summary.rulesFailed ? 'completed with failures' : 'completed', JSON.stringify(summary), runId);
    opts.beforeCommit?.(summary);
  }).immediate();
  return summary;
}

const EFFECT_COUNT: Record<ObservationEffect, 'findingsNew' | 'findingsUpdated' | 'findingsUnchanged'> = { new: 'findingsNew', updated: 'findingsUpdated', unchanged: 'findingsUnchanged' };

function summarise(runId: number, asOf: string, asOfSource: HuntSummary['asOfSource'], rules: RuleOutcome[], findingIds: string[], newFindingIds: string[], devices: Map<string, number>, durationMs: number): HuntSummary {
  const byTool: HuntSummary['byTool'] = {};
  const bySeverity: HuntSummary['bySeverity'] = {};
  const add = (m: HuntSummary['byTool'], k: string, o: RuleOutcome) => {
    const e = (m[k] ??= { new: 0, updated: 0, unchanged: 0, suppressed: 0 });
    e.new += o.findingsNew;
    e.updated += o.findingsUpdated;
    e.unchanged += o.findingsUnchanged;
    e.suppressed += o.findingsSuppressed;
  };
  for (const o of rules) {
    if (o.outcome !== 'ran' || o.findingsNew + o.findingsUpdated + o.findingsUnchanged + o.findingsSuppressed === 0) continue;
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
    findingsUnchanged: rules.reduce((s, o) => s + o.findingsUnchanged, 0),
    findingsSuppressed: rules.reduce((s, o) => s + o.findingsSuppressed, 0),
    findingIds, newFindingIds, rules, byTool, bySeverity,
    topDevices: [...devices].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0])).slice(0, 10).map(([device, findings]) => ({ device, findings })),
  };
}
