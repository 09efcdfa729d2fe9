/**
 * Impact analysis: the old and new version of changed rules run over the same telemetry with the same now(),
 * and their findings compared. A finding is what a hunt would record (src/hunts/grouping.ts: one per group of
 * the rule's last summarize, or per device), identified as the findings store identifies it (the group key),
 * so "gained" and "lost" are exactly the findings the change would add to or stop adding to the store.
 * Nothing is written: no run is recorded and no finding stored.
 */
import { runQuery, type ExternalDataSource } from '../engine/index.js';
import { formatDatetime } from '../engine/values/ticks.js';
import type { FunctionLibrary } from '../kql/semantics/index.js';
import { findingId } from './findings-store.js';
import { observe } from './grouping.js';
import type { HuntRule, HuntSource, Observation } from './types.js';

export interface VersionChange {
  file: string;
  change: 'modified' | 'added' | 'removed';
  old?: HuntRule;
  new?: HuntRule;
}

/** What one version did: ran (rows and findings), or why it could not run. */
export interface VersionRun {
  outcome: 'ran' | 'skipped' | 'failed';
  reason?: string;
  rows: number;
  findings: number;
}

export interface FindingDelta {
  /** The finding's id as the store would have it (rule id + group key). */
  id: string;
  key: Record<string, unknown>;
  device?: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Result rows of the group, at most `examples`. */
  rows: Record<string, unknown>[];
}

export interface RuleImpact {
  file: string;
  change: VersionChange['change'];
  id: string;
  name: string;
  old?: VersionRun;
  new?: VersionRun;
  /** Findings only the new version makes. */
  gained: FindingDelta[];
  /** Findings only the old version made. */
  lost: FindingDelta[];
  /** Findings both make; of them, how many with different evidence (event count or time span). */
  kept: number;
  changed: number;
}

export interface CompareOptions {
  source: HuntSource;
  asOf?: bigint;
  library?: FunctionLibrary;
  externalData?: ExternalDataSource;
  /** Example rows per gained or lost finding (default 1). */
  examples?: number;
}

export interface ImpactReport {
  asOf: string;
  rules: RuleImpact[];
}

function runVersion(rule: HuntRule, source: HuntSource, asOf: bigint, opts: CompareOptions, present: Set<string>): { run: VersionRun; observations: Observation[] } {
  const none = (outcome: VersionRun['outcome'], reason: string) => ({ run: { outcome, reason, rows: 0, findings: 0 }, observations: [] });
  if (rule.notRunnable !== undefined) return none('skipped', rule.notRunnable);
  if (rule.status === 'error') return none('skipped', `validation error: ${rule.diagnostics?.[0]?.message ?? 'see kqlite check'}`);
  const missing = rule.tables.filter((t) => !present.has(t.toLowerCase()));
  if (missing.length) return none('skipped', `the workspace has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`);
  const r = runQuery(rule.query, { source, now: asOf, ...(opts.library ? { library: opts.library } : {}), ...(opts.externalData ? { externalData: opts.externalData } : {}) });
  if (!r.ok || !r.tables.length) return none('failed', r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the query returned no table');
  const table = r.tables[0]!.table;
  const observations = observe(rule.id, rule.query, table, formatDatetime(asOf));
  return { run: { outcome: 'ran', rows: table.length, findings: observations.length }, observations };
}

const delta = (ruleId: string, o: Observation, examples: number): FindingDelta => ({
  id: findingId(ruleId, o.groupKey), key: o.key, ...(o.device !== undefined ? { device: o.device } : {}), count: o.count, firstSeen: o.firstSeen, lastSeen: o.lastSeen, rows: o.rows.slice(0, examples),
});

/** Runs both versions of every change over one snapshot of the source, with one now() for all. */
export function compareRuleVersions(changes: readonly VersionChange[], opts: CompareOptions): ImpactReport {
  const source = opts.source.snapshot?.() ?? opts.source;
  const asOf = opts.asOf ?? source.maxTimestamp();
  if (asOf === undefined) throw new Error('the workspace holds no events: ingest telemetry (kqlite ingest) or create the demo (kqlite demo) first');
  const present = new Set(source.tableNames().map((t) => t.toLowerCase()));
  const examples = opts.examples ?? 1;
  const rules = changes.map((c): RuleImpact => {
    const rule = (c.new ?? c.old)!;
    const before = c.old ? runVersion(c.old, source, asOf, opts, present) : undefined;
    const after = c.new ? runVersion(c.new, source, asOf, opts, present) : undefined;
    const oldBy = new Map((before?.observations ?? []).map((o) => [o.groupKey, o]));
    const newBy = new Map((after?.observations ?? []).map((o) => [o.groupKey, o]));
    const impact: RuleImpact = { file: c.file, change: c.change, id: rule.id, name: rule.name, gained: [], lost: [], kept: 0, changed: 0 };
    if (before) impact.old = before.run;
    if (after) impact.new = after.run;
    for (const [k, o] of newBy) {
      const was = oldBy.get(k);
      if (!was) impact.gained.push(delta(c.new!.id, o, examples));
      else {
        impact.kept++;
        if (was.count !== o.count || was.firstSeen !== o.firstSeen || was.lastSeen !== o.lastSeen) impact.changed++;
      }
    }
    for (const [k, o] of oldBy) if (!newBy.has(k)) impact.lost.push(delta(c.old!.id, o, examples));
    return impact;
  });
  return { asOf: formatDatetime(asOf), rules };
}
