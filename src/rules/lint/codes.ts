/**
 * The lint codes: stable identifiers (never renumbered or reused), a short name, and the severity each is
 * reported at. docs/LINT.md explains every one (why it matters, how to fix it, how to silence it); a test
 * keeps that page and this table in step.
 */
import type { Severity } from '../../common/diagnostics.js';

export interface LintCode {
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  /** One line for `--format sarif` rule metadata, and for the rule page's explanation of the code. */
  readonly summary: string;
}

/** One code: the table below reads as code, name, severity, summary. */
const row = (code: string, name: string, severity: Severity, summary: string): LintCode => ({ code, name, severity, summary });

export const LINT = {
  noTimeFilter:              row('LINT001', 'no-time-filter', 'warning', 'A table is read with no lower bound on its time column.'),
  windowShorterThanSchedule: row('LINT002', 'window-shorter-than-schedule', 'warning', "The query's time window is shorter than queryFrequency or queryPeriod."),
  windowInconsistent:        row('LINT003', 'window-inconsistent-with-schedule', 'warning', "The query's time window, queryPeriod and queryFrequency disagree."),
  containsWhereHasWouldDo:   row('LINT010', 'contains-where-has-would-do', 'warning', '`contains` whose needle makes `has` give the same rows through the term index.'),
  caseSensitiveEquality:     row('LINT011', 'case-sensitive-equality', 'warning', '`==`/`in` on a column Defender stores with varying case.'),
  unknownTechnique:          row('LINT020', 'unknown-attack-technique', 'warning', 'A technique id that is not in ATT&CK Enterprise v18.1.'),
  retiredTechnique:          row('LINT021', 'retired-attack-technique', 'warning', 'A deprecated or revoked ATT&CK technique id.'),
  techniqueOutsideTactics:   row('LINT022', 'technique-outside-tactics', 'info', 'A technique that belongs to none of the tactics the rule names.'),
  tacticsMissingOrInvalid:   row('LINT023', 'tactics-missing-or-invalid', 'warning', 'No tactics, or a tactic ATT&CK does not have.'),
  severityMissingOrInvalid:  row('LINT024', 'severity-missing-or-invalid', 'warning', 'No severity, or one Sentinel does not take.'),
  entityColumnNotInOutput:   row('LINT030', 'entity-column-not-in-output', 'error', 'An entity mapping names a column the query does not output.'),
  detailColumnNotInOutput:   row('LINT031', 'detail-column-not-in-output', 'warning', 'customDetails or alertDetailsOverride name a column the query does not output.'),
  groupPerEvent:             row('LINT040', 'summarize-group-per-event', 'warning', 'The final summarize groups by a per-event column: one finding per event.'),
} satisfies Record<string, LintCode>;

export const LINT_CODES: readonly LintCode[] = Object.values(LINT);

export function lintCode(code: string): LintCode | undefined {
  return LINT_CODES.find((c) => c.code === code.toUpperCase());
}

/** Where a code is explained (why it matters, how to fix it, how to silence it): its section of docs/LINT.md. */
export function lintDocsUrl(code: string): string {
  return `https://github.com/kqlite/kqlite/blob/main/docs/LINT.md#${code.toLowerCase()}`;
}
