/**
 * Lint of a Sigma rule: what applies to Sigma's own fields. ATT&CK technique tags (`attack.t1059.001`:
 * LINT020-022) and the level (LINT024: Sigma's informational, low, medium, high, critical). The query-level
 * checks do not apply: the KQL is generated (its operators are the converter's choice, and a Sigma rule has
 * no time window by design; its schedule is whoever runs it), so findings there could not be fixed in the rule.
 */
import type { CheckResult } from '../../kql/semantics/index.js';
import type { RuleDiagnostic } from '../rule.js';
import type { SigmaRule } from '../sigma/parse.js';
import { LINT } from './codes.js';
import { LintContext } from './context.js';
import { disabledIn, isDisabled } from './disable.js';
import { checkTechnique } from './metadata.js';

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];

export function lintSigma(rule: SigmaRule, text: string, check: CheckResult, disable: ReadonlySet<string> = new Set()): RuleDiagnostic[] {
  const ctx = new LintContext({ yaml: text, query: '', check });
  const tactics = rule.tags.filter((t) => /^attack\.[a-z][a-z_-]+$/i.test(t) && !/^attack\.(g|s|ta)\d+$/i.test(t)).map((t) => t.slice('attack.'.length));
  for (const tag of rule.tags) {
    const m = /^attack\.(t\d+(?:\.\d+)?)$/i.exec(tag);
    if (m) checkTechnique(ctx, m[1]!.toUpperCase(), 'tags', tag, tactics);
  }
  if (rule.level === undefined || rule.level.trim() === '') ctx.field({ ...LINT.severityMissingOrInvalid, severity: 'info' }, "the Sigma rule has no level: its findings are ranked medium; add level: informational, low, medium, high or critical", 'level');
  else if (!LEVELS.includes(rule.level.trim().toLowerCase())) ctx.field(LINT.severityMissingOrInvalid, `'${rule.level}' is not a Sigma level (informational, low, medium, high, critical)`, 'level', rule.level);
  const off = disabledIn(text);
  return ctx.diagnostics.filter((d) => !isDisabled(d.code, disable, off));
}
