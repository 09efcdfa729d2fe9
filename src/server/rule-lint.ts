/**
 * The rule page's lint section: `kqlite check`'s lint (src/rules/lint) on the rule kqlite holds, with the codes
 * the workspace's config.json turns off, each finding placed as `check` places it (rule file line and column)
 * and shown as its line with the span marked, what the code means and where docs/LINT.md explains it.
 */
import { excerpt } from '../common/diagnostics.js';
import { LineMap } from '../common/span.js';
import type { FunctionLibrary } from '../kql/semantics/index.js';
import { locateRuleDiagnostic, type Rule, type RuleDiagnostic } from '../rules/index.js';
import { lintCode, lintDocsUrl, lintStoredRule, type WorkspaceLintSettings } from '../rules/lint/index.js';
import type { LintFinding, RuleLint } from './api.js';
import { ruleApiDiagnostic } from './errors.js';

export function ruleLint(rule: Rule, settings: WorkspaceLintSettings, library?: FunctionLibrary): RuleLint {
  const { findings, disabledInRule } = lintStoredRule(rule, { disable: settings.disable, ...(library ? { library } : {}) });
  const file = rule.source.path ?? `${rule.id}.yaml`;
  return {
    version: rule.version,
    // in file order, as `kqlite check` lists them
    findings: findings.map((d) => lintFinding(rule, d, file)).sort((a, b) => a.line - b.line || a.column - b.column),
    disabled: { config: [...settings.disable].sort(), rule: disabledInRule },
    configProblems: settings.problems,
  };
}

function lintFinding(rule: Rule, d: RuleDiagnostic, file: string): LintFinding {
  const code = lintCode(d.code);
  const at = locateRuleDiagnostic(rule, d, file);
  // the line as the rendering shows it: the file's where the file holds the query line for line, else the query's
  const src = new LineMap(at.inFile ? rule.yaml : rule.query).lineText(at.line);
  const width = at.endLine === at.line ? Math.max(1, at.endColumn - at.column) : Math.max(1, src.length - at.column + 1);
  const shown = excerpt(src, Math.max(1, at.column), width);
  return {
    ...ruleApiDiagnostic(rule, d, file),
    name: code?.name ?? d.code,
    summary: code?.summary ?? '',
    docsUrl: lintDocsUrl(d.code),
    excerpt: { in: at.inFile ? 'file' : 'query', line: at.line, text: shown.text, start: shown.start, end: shown.end },
  };
}
