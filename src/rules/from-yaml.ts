/**
 * A Sentinel rule file's fields → a kqlite Rule: severity declared or derived (and marked so), tactics and
 * techniques normalised, the RMM tool the rule is about found from its name, then validated.
 */
import { toolFromRuleName } from './catalog.js';
import type { Rule, RuleDiagnostic, RuleSource, Severity } from './rule.js';
import type { RawRule } from './sentinel-yaml.js';
import { fieldDiagnostic, normaliseTactics, normaliseTechniques, RULE_CODES, validateRule, type ValidateOptions } from './validate.js';

const SEVERITIES: Severity[] = ['informational', 'low', 'medium', 'high'];

/** Tables a query reads when the file declares none: the leading identifiers of its pipelines. */
function tablesInQuery(query: string): string[] {
  const out = new Set<string>();
  for (const m of query.matchAll(/(?:^|\n|\(|;)\s*(Device[A-Za-z]+|Email[A-Za-z]+|Identity[A-Za-z]+|Alert[A-Za-z]+|CloudAppEvents|AADSignInEventsBeta)\b/g)) out.add(m[1]!);
  return [...out];
}

function tagsOf(raw: unknown): string[] {
  if (!Array.isArray(raw)) return typeof raw === 'string' ? [raw] : [];
  return raw.flatMap((t) => (typeof t === 'string' ? [t] : t && typeof t === 'object' ? Object.values(t).filter((v): v is string => typeof v === 'string') : []));
}

export function ruleFromYaml(raw: RawRule, text: string, source: RuleSource, opts: ValidateOptions = {}): Rule {
  const f = raw.fields;
  const extra: RuleDiagnostic[] = [];
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : f[k] === undefined || f[k] === null ? '' : String(f[k]));
  const declared = str('severity').toLowerCase() as Severity;
  // A severity kqlite does not know is not dropped quietly: the rule runs at medium and says why.
  if (declared && !SEVERITIES.includes(declared)) {
    extra.push(fieldDiagnostic(text, RULE_CODES.unknownSeverity, 'warning', `'${str('severity')}' is not a severity (Informational, Low, Medium or High): kqlite uses Medium`, 'severity', str('severity')));
  }
  const { tactics, unknown } = normaliseTactics(f['tactics']);
  for (const u of unknown) extra.push(fieldDiagnostic(text, RULE_CODES.unknownTactic, 'warning', `'${u}' is not an ATT&CK tactic (expected e.g. CommandAndControl)`, 'tactics', u));
  const name = str('name');
  const tool = toolFromRuleName(name);
  const query = typeof raw.query === 'string' ? raw.query.replace(/\s+$/, '') : '';
  const tables = raw.tables.length ? raw.tables : tablesInQuery(query);
  const detects = /network connection/i.test(name) ? 'netconn' : /create process|process creation/i.test(name) ? 'createproc' : /file signature/i.test(name) ? 'filesig' : undefined;
  const rule: Rule = {
    id: str('id'),
    name,
    description: str('description'),
    severity: SEVERITIES.includes(declared) ? declared : 'medium',
    severityDerived: !SEVERITIES.includes(declared),
    kind: f['queryFrequency'] !== undefined || f['kind'] !== undefined ? 'analytic' : 'hunting',
    query,
    tables,
    tactics,
    techniques: normaliseTechniques(f['relevantTechniques']),
    tags: tagsOf(f['tags']),
    status: 'valid',
    diagnostics: [],
    repairs: raw.repairs.map((r) => r.reason),
    source,
    yaml: text,
    version: 1,
  };
  if (tool) rule.tool = tool.name;
  if (raw.queryPosition) rule.queryPosition = raw.queryPosition;
  if (detects) rule.detects = detects;
  return validateRule(rule, extra, opts);
}
