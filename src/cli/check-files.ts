/**
 * What `kqlite check` finds in one file: syntax and binding diagnostics of .kql/.csl queries, Sentinel rule
 * YAML (the query bound against the tables the rule declares) and Sigma rules (converted, then bound), plus
 * the rule lint (src/rules/lint, LINTxxx codes) unless it is turned off. Every diagnostic is placed at its
 * line and column in the file: a query's through the `query:` block's position, a field's at the field.
 */
import { LineMap } from '../common/span.js';
import { locate, type LocatedDiagnostic } from '../common/diagnostics.js';
import { checkQuery, type Catalog } from '../kql/semantics/index.js';
import { queryToFile, readRuleYaml } from '../rules/sentinel-yaml.js';
import { convertSigma, looksLikeSigma, parseSigma } from '../rules/index.js';
import { lintRule, lintSigma } from '../rules/lint/index.js';
import type { RuleDiagnostic } from '../rules/rule.js';

export const QUERY_FILE = /\.(kql|csl)$/i;
export const RULE_FILE = /\.ya?ml$/i;

export interface CheckFileOptions {
  /** Run the rule lint (default true). */
  lint?: boolean;
  /** Lint codes turned off (`--disable`). */
  disable?: ReadonlySet<string>;
}

/**
 * A Sigma rule: converted, and its KQL bound. What keeps it from running here (a logsource or a field with no
 * table) is a warning at the rule's line; a rule that is itself wrong, or KQL that does not bind, an error.
 */
function checkSigma(file: string, text: string, catalog: Catalog, opts: CheckFileOptions): LocatedDiagnostic[] {
  const at = (line: number, code: string, severity: 'error' | 'warning', message: string): LocatedDiagnostic => ({ file, line, column: 1, endLine: line, endColumn: 2, code, severity, message });
  const parsed = parseSigma(text);
  if (!parsed.ok) return [at(parsed.line, 'KQL3001', 'error', `cannot read the Sigma rule: ${parsed.message}`)];
  const conv = convertSigma(parsed.rule);
  const lint = (check: ReturnType<typeof checkQuery>) => (opts.lint === false ? [] : inFile(file, text, lintSigma(parsed.rule, text, check, opts.disable)));
  if (conv.notRunnable !== undefined) {
    const n = conv.notes.find((x) => x.severity === 'error')!;
    return [at(Number(/line (\d+)/.exec(n.message)?.[1] ?? 1), n.code, conv.invalid ? 'error' : 'warning', n.message), ...lint(checkQuery(''))];
  }
  const check = checkQuery(conv.query, { catalog, tables: [conv.target!.table] });
  // KQL1012 (template placeholders in literals) does not apply: such text comes from the rule's own values
  const own = check.diagnostics.filter((d) => d.code !== 'KQL1012').map((d) => at(1, d.code, d.severity === 'error' ? 'error' : 'warning', `the KQL converted from this rule: ${d.message}`));
  return [...own, ...lint(check)];
}

/** Field diagnostics (spans into the file text) at their line and column. */
function inFile(file: string, text: string, ds: readonly RuleDiagnostic[]): LocatedDiagnostic[] {
  return locate(file, text, ds.map(({ field: _f, ...d }) => d));
}

export function checkText(file: string, text: string, catalog: Catalog, opts: CheckFileOptions = {}): LocatedDiagnostic[] {
  const lintOn = opts.lint !== false;
  const lintOpts = opts.disable ? { disable: opts.disable } : {};
  if (!RULE_FILE.test(file)) {
    const check = checkQuery(text, { catalog });
    const lint = lintOn ? lintRule({ query: text, check }, lintOpts) : [];
    return locate(file, text, [...check.diagnostics, ...lint].sort((a, b) => a.span.start - b.span.start));
  }
  if (looksLikeSigma(text)) return checkSigma(file, text, catalog, opts);
  const read = readRuleYaml(text);
  if (!read.ok) {
    const p = read.problem;
    return [{ file, line: p.line, column: p.column, endLine: p.line, endColumn: p.column + 1, code: 'KQL3001', severity: 'error', message: `cannot read the rule YAML: ${p.message}` }];
  }
  const { rule } = read;
  if (rule.query === undefined || rule.query.trim() === '') {
    return [{ file, line: 1, column: 1, endLine: 1, endColumn: 2, code: 'KQL3002', severity: 'error', message: 'the rule has no query' }];
  }
  const result = checkQuery(rule.query, { catalog, tables: rule.tables });
  const map = new LineMap(rule.query);
  const pos = rule.queryPosition ?? { line: 1, indent: 0 };
  const inQuery = (d: RuleDiagnostic): LocatedDiagnostic => {
    const a = queryToFile(pos, map.lineCol(d.span.start));
    const z = queryToFile(pos, map.lineCol(d.span.end));
    const out: LocatedDiagnostic = { file, line: a.line, column: a.column, endLine: z.line, endColumn: z.column, code: d.code, severity: d.severity, message: d.message };
    if (d.suggestion !== undefined) out.suggestion = d.suggestion;
    return out;
  };
  const out = result.diagnostics.map(inQuery);
  if (!lintOn) return out;
  const lint = lintRule({ fields: rule.fields, yaml: text, query: rule.query, check: result }, lintOpts);
  out.push(...lint.filter((d) => d.field === undefined).map(inQuery), ...inFile(file, text, lint.filter((d) => d.field !== undefined)));
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
