/** One rule's (or bare query's) lint: every check, then the codes turned off by option or by comment. */
import type { RuleDiagnostic } from '../rule.js';
import { LintContext, type LintInput } from './context.js';
import { disabledIn, isDisabled } from './disable.js';
import { checkGroupPerEvent } from './group-per-event.js';
import { checkMetadata } from './metadata.js';
import { checkOutputColumns } from './output-columns.js';
import { checkStringMatches } from './string-match.js';
import { checkTimeWindow } from './time-window.js';

export interface LintOptions {
  /** Codes turned off (`--disable`); `ALL` turns every lint code off. */
  disable?: ReadonlySet<string>;
}

/**
 * The lint findings of one rule (fields set) or bare query: spans into the query, or into the rule file for
 * findings about a field (`field` set). Codes turned off by option or by `kqlite-disable:` comments in the
 * file or the query are left out.
 */
export function lintRule(input: LintInput, opts: LintOptions = {}): RuleDiagnostic[] {
  const ctx = new LintContext(input);
  checkTimeWindow(ctx);
  checkStringMatches(ctx);
  checkMetadata(ctx);
  checkOutputColumns(ctx);
  checkGroupPerEvent(ctx);
  const off = [opts.disable ?? new Set<string>(), disabledIn(input.yaml ?? ''), disabledIn(input.query)];
  return ctx.diagnostics.filter((d) => !isDisabled(d.code, ...off));
}
