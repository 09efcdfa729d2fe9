/** Shapes of the API built from the lower layers' values (the only place that maps one to the other). */
import type { Finding, RunRecord, Suppression as StoredSuppression } from '../hunts/index.js';
import { distinguishingKey, isActive } from '../hunts/index.js';
import { CATALOG_BUILT_AT, type Rule } from '../rules/index.js';
import type { FacetCount, FindingSummary, HuntRunInfo, RuleCard, Suppression } from './api.js';

export function ruleCard(r: Rule, findings: number): RuleCard {
  const card: RuleCard = {
    id: r.id, name: r.name, description: r.description, language: r.language === 'sigma' ? 'Sigma' : 'KQL', severity: r.severity, severityDerived: r.severityDerived,
    kind: r.kind, source: r.source.name, sourceKind: r.source.kind, tactics: r.tactics, techniques: r.techniques, tables: r.tables,
    tags: r.tags, status: r.status, findings,
  };
  if (r.tool) card.tool = r.tool;
  const updated = r.source.importedAt ?? (r.source.kind === 'builtin' && /^\d{4}-\d\d-\d\d/.test(CATALOG_BUILT_AT) ? CATALOG_BUILT_AT : undefined);
  if (updated) card.updated = updated;
  if (r.notRunnable !== undefined) card.notRunnable = r.notRunnable;
  return card;
}

export function findingSummary(f: Finding): FindingSummary {
  const out: FindingSummary = {
    id: f.id, ruleId: f.ruleId, ruleName: f.ruleName, severity: f.severity, status: f.status, key: f.key, what: distinguishingKey(f.key),
    firstSeen: f.firstSeen, lastSeen: f.lastSeen, count: f.count, suppressed: f.suppressedBy !== undefined,
  };
  for (const k of ['tool', 'assignee', 'device', 'user', 'signer', 'suppressedBy'] as const) if (f[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = f[k];
  return out;
}

export function runInfo(r: RunRecord): HuntRunInfo {
  const s = r.summary;
  return {
    id: r.id, startedAt: r.startedAt, ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}), asOf: r.asOf,
    rulesRun: s?.rulesRun ?? 0, rulesSkipped: s?.rulesSkipped ?? 0, rulesFailed: s?.rulesFailed ?? 0,
    findingsNew: s?.findingsNew ?? 0, findingsUpdated: s?.findingsUpdated ?? 0, findingsUnchanged: s?.findingsUnchanged ?? 0, findingsSuppressed: s?.findingsSuppressed ?? 0, by: r.actor,
    outcome: r.outcome, ...(r.error ? { error: r.error } : {}),
  };
}

export function suppressionView(s: StoredSuppression, now = new Date().toISOString()): Suppression {
  return { ...s, active: isActive(s, now) };
}

/** Value counts, most frequent first, ties by value. */
export function countValues(values: Iterable<string | undefined>): FacetCount[] {
  const m = new Map<string, number>();
  for (const v of values) if (v !== undefined && v !== '') m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
