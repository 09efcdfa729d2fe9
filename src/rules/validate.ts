/**
 * Rule validation: required fields, tactic and technique names against ATT&CK, and the query parsed and
 * bound against the tables the rule declares (so a query reading an undeclared table, or a column its table
 * lacks, is an error with a did-you-mean). Status: error > warning > valid.
 */
import { diag, type Diagnostic, type Severity as DiagnosticSeverity } from '../common/diagnostics.js';
import { checkQuery, DEFENDER_TABLES, SEMANTIC, type BoundScript, type FunctionLibrary } from '../kql/semantics/index.js';
import { walk, type NameRef, type Script } from '../kql/syntax/index.js';
import { findTactic, findTechnique, sentinelTacticName } from './attack.js';
import { fieldSpan } from './rule-diagnostics.js';
import type { Rule, RuleDiagnostic } from './rule.js';

export const RULE_CODES = {
  missingField: 'RULE001',
  emptyQuery: 'RULE002',
  unknownTactic: 'RULE003',
  unknownTechnique: 'RULE004',
  noTables: 'RULE005',
  techniqueWithoutTactic: 'RULE006',
  unknownSeverity: 'RULE007',
  undeclaredTable: 'RULE008',
} as const;

/**
 * A diagnostic about a field of the rule's definition, placed on the field's value (or its key, or the top of
 * the file when the field is not written), so the CLI and the rule page point at the line to fix.
 */
export function fieldDiagnostic(yaml: string, code: string, severity: DiagnosticSeverity, message: string, field: string, value?: string): RuleDiagnostic {
  return { ...diag(code, severity, message, fieldSpan(yaml, field, value) ?? { start: 0, end: 0 }), field };
}
const KNOWN_TABLES = new Set(DEFENDER_TABLES.map((t) => (t.name ?? '').toLowerCase()));

/** Normalises tactic spellings to Sentinel's enum names; unknown ones are returned separately. */
export function normaliseTactics(raw: unknown): { tactics: string[]; unknown: string[] } {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,;]/) : [];
  const tactics: string[] = [];
  const unknown: string[] = [];
  for (const x of list) {
    if (typeof x !== 'string' || !x.trim()) continue;
    const t = findTactic(x.trim());
    if (t) {
      const n = sentinelTacticName(t);
      if (!tactics.includes(n)) tactics.push(n);
    } else unknown.push(x.trim());
  }
  return { tactics, unknown };
}

export function normaliseTechniques(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,;\s]+/) : [];
  return [...new Set(list.filter((x): x is string => typeof x === 'string' && !!x.trim()).map((x) => x.trim().toUpperCase()))];
}

/**
 * Tables the query reads that the rule does not declare (requiredDataConnectors): a defect of the rule's
 * metadata, not of its query, so a warning per table; the query itself is bound against every known table.
 */
function undeclaredTables(script: Script, bound: BoundScript, declared: readonly string[]): Diagnostic[] {
  const want = new Set(declared.map((t) => t.toLowerCase()));
  const seen = new Map<string, Diagnostic>();
  walk(script, (n) => {
    if ((n as { kind: string }).kind !== 'NameRef') return;
    const ref = bound.refOf(n as NameRef);
    if (ref?.kind !== 'table' || want.has(ref.name.toLowerCase()) || seen.has(ref.name)) return;
    seen.set(ref.name, diag(RULE_CODES.undeclaredTable, 'warning', `table '${ref.name}' is read by the query but not declared by the rule (requiredDataConnectors dataTypes: ${declared.join(', ')}); add it there`, (n as NameRef).span));
  });
  return [...seen.values()];
}

/** The same unknown name used again and again is one problem: its first use, with how many more there are. */
function oncePerName(ds: Diagnostic[]): Diagnostic[] {
  const first = new Map<string, { d: Diagnostic; more: number }>();
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const m = d.code === SEMANTIC.unknownColumn || d.code === SEMANTIC.unknownTable || d.code === SEMANTIC.unknownFunction ? /'([^']+)'/.exec(d.message) : null;
    if (!m) { out.push(d); continue; }
    const key = `${d.code}:${m[1]}`;
    const hit = first.get(key);
    if (hit) { hit.more++; continue; }
    const entry = { d: { ...d }, more: 0 };
    first.set(key, entry);
    out.push(entry.d);
  }
  for (const { d, more } of first.values()) if (more) d.message += ` (and ${more} more use${more === 1 ? '' : 's'})`;
  return out;
}

export interface ValidateOptions {
  /** Stored functions (ASIM parsers, watchlists) the query may call. */
  library?: FunctionLibrary;
}

/** Validates a rule in place (status and diagnostics) and returns it. */
export function validateRule(rule: Rule, extra: RuleDiagnostic[] = [], opts: ValidateOptions = {}): Rule {
  const ds: RuleDiagnostic[] = [...extra];
  const field = (code: string, severity: DiagnosticSeverity, message: string, name: string, value?: string) => ds.push(fieldDiagnostic(rule.yaml, code, severity, message, name, value));
  if (!rule.id) field(RULE_CODES.missingField, 'error', "the rule has no 'id'", 'id');
  if (!rule.name) field(RULE_CODES.missingField, 'error', "the rule has no 'name'", 'name');
  if (!rule.query.trim()) field(RULE_CODES.emptyQuery, 'error', "the rule's 'query' is empty", 'query');
  for (const id of rule.techniques) {
    const t = findTechnique(id);
    if (!t) field(RULE_CODES.unknownTechnique, 'warning', `'${id}' is not an ATT&CK Enterprise technique id`, 'relevantTechniques', id);
  }
  if (rule.techniques.length && !rule.tactics.length) {
    field(RULE_CODES.techniqueWithoutTactic, 'warning', 'the rule names techniques but no tactics', 'relevantTechniques');
  }
  if (rule.query.trim()) {
    // Bind against every known table; a known table read but not declared is the rule's metadata defect.
    const declared = rule.tables.filter((t) => KNOWN_TABLES.has(t.toLowerCase()));
    if (!rule.tables.length) field(RULE_CODES.noTables, 'warning', 'the rule declares no tables (requiredDataConnectors[].dataTypes)', 'requiredDataConnectors');
    const check = checkQuery(rule.query, opts.library ? { library: opts.library } : {});
    ds.push(...oncePerName(check.diagnostics));
    if (declared.length && declared.length === rule.tables.length) ds.push(...undeclaredTables(check.script, check.bound, declared));
  }
  rule.diagnostics = ds;
  rule.status = ds.some((d) => d.severity === 'error') ? 'error' : ds.some((d) => d.severity === 'warning') ? 'warning' : 'valid';
  return rule;
}
