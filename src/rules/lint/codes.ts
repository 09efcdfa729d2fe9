/**
 * The lint codes: stable identifiers (never renumbered or reused), a short name, and the severity each is
 * reported at. docs/LINT.md explains every one (why it matters, how to fix it, how to silence it); a test
 * keeps that page and this table in step.
 */
import type { Severity } from '../../common/diagnostics.js';

export interface LintCode {
  code: string;
  name: string;
  severity: Severity;
  /** One line for `--format sarif` rule metadata and `kqlite check --list-lint`. */
  summary: string;
}

export const LINT = {
  noTimeFilter: { code: 'LINT001', name: 'no-time-filter', severity: 'warning', summary: 'A table is read with no lower bound on its time column.' },
  windowShorterThanSchedule: { code: 'LINT002', name: 'window-shorter-than-schedule', severity: 'warning', summary: "The query's time window is shorter than queryFrequency or queryPeriod." },
  windowInconsistent: { code: 'LINT003', name: 'window-inconsistent-with-schedule', severity: 'warning', summary: "The query's time window, queryPeriod and queryFrequency disagree." },
  containsWhereHasWouldDo: { code: 'LINT010', name: 'contains-where-has-would-do', severity: 'warning', summary: '`contains` whose needle makes `has` give the same rows through the term index.' },
  caseSensitiveEquality: { code: 'LINT011', name: 'case-sensitive-equality', severity: 'warning', summary: '`==`/`in` on a column Defender stores with varying case.' },
  unknownTechnique: { code: 'LINT020', name: 'unknown-attack-technique', severity: 'warning', summary: 'A technique id that is not in ATT&CK Enterprise v18.1.' },
  retiredTechnique: { code: 'LINT021', name: 'retired-attack-technique', severity: 'warning', summary: 'A deprecated or revoked ATT&CK technique id.' },
  techniqueOutsideTactics: { code: 'LINT022', name: 'technique-outside-tactics', severity: 'info', summary: 'A technique that belongs to none of the tactics the rule names.' },
  tacticsMissingOrInvalid: { code: 'LINT023', name: 'tactics-missing-or-invalid', severity: 'warning', summary: 'No tactics, or a tactic ATT&CK does not have.' },
  severityMissingOrInvalid: { code: 'LINT024', name: 'severity-missing-or-invalid', severity: 'warning', summary: 'No severity, or one Sentinel does not take.' },
  entityColumnNotInOutput: { code: 'LINT030', name: 'entity-column-not-in-output', severity: 'error', summary: 'An entity mapping names a column the query does not output.' },
  detailColumnNotInOutput: { code: 'LINT031', name: 'detail-column-not-in-output', severity: 'warning', summary: 'customDetails or alertDetailsOverride name a column the query does not output.' },
  groupPerEvent: { code: 'LINT040', name: 'summarize-group-per-event', severity: 'warning', summary: 'The final summarize groups by a per-event column: one finding per event.' },
} as const satisfies Record<string, LintCode>;

export const LINT_CODES: readonly LintCode[] = Object.values(LINT);

export function lintCode(code: string): LintCode | undefined {
  return LINT_CODES.find((c) => c.code === code.toUpperCase());
}

/** Where a code is explained (why it matters, how to fix it, how to silence it): its section of docs/LINT.md. */
export function lintDocsUrl(code: string): string {
  return `https://github.com/kqlite/kqlite/blob/main/docs/LINT.md#${code.toLowerCase()}`;
}
