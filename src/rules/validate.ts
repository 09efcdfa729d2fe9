/**
 * Rule validation: required fields, tactic and technique names against ATT&CK, and the query parsed and
 * bound against the tables the rule declares (so a query reading an undeclared table, or a column its table
 * lacks, is an error with a did-you-mean). Status: error > warning > valid.
 */
import { diag, type Diagnostic } from '../common/diagnostics.js';
import { checkQuery, DEFENDER_TABLES, type FunctionLibrary } from '../kql/semantics/index.js';
import { findTactic, findTechnique, sentinelTacticName } from './attack.js';
import type { Rule } from './rule.js';

export const RULE_CODES = {
  missingField: 'RULE001',
  emptyQuery: 'RULE002',
  unknownTactic: 'RULE003',
  unknownTechnique: 'RULE004',
  noTables: 'RULE005',
  techniqueWithoutTactic: 'RULE006',
} as const;

const AT_START = { start: 0, end: 0 };
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
 * The binder only knows the declared tables, so a Defender table the query reads but the file does not
 * declare comes back as "unknown table": say what is really wrong and how to fix it.
 */
function undeclaredTable(d: Diagnostic, declared: readonly string[]): Diagnostic {
  const m = /^unknown table '([^']+)'/.exec(d.message);
  if (!m || !declared.length || !KNOWN_TABLES.has(m[1]!.toLowerCase())) return d;
  const { suggestion: _unused, ...rest } = d;
  return { ...rest, message: `table '${m[1]}' is read by the query but not declared by the rule (requiredDataConnectors dataTypes: ${declared.join(', ')}); add it there` };
}

export interface ValidateOptions {
  /** Stored functions (ASIM parsers, watchlists) the query may call. */
  library?: FunctionLibrary;
}

/** Validates a rule in place (status and diagnostics) and returns it. */
export function validateRule(rule: Rule, extra: Diagnostic[] = [], opts: ValidateOptions = {}): Rule {
  const ds: Diagnostic[] = [...extra];
  if (!rule.id) ds.push(diag(RULE_CODES.missingField, 'error', "the rule has no 'id'", AT_START));
  if (!rule.name) ds.push(diag(RULE_CODES.missingField, 'error', "the rule has no 'name'", AT_START));
  if (!rule.query.trim()) ds.push(diag(RULE_CODES.emptyQuery, 'error', "the rule's 'query' is empty", AT_START));
  for (const id of rule.techniques) {
    const t = findTechnique(id);
    if (!t) ds.push(diag(RULE_CODES.unknownTechnique, 'warning', `'${id}' is not an ATT&CK Enterprise technique id`, AT_START));
  }
  if (rule.techniques.length && !rule.tactics.length) {
    ds.push(diag(RULE_CODES.techniqueWithoutTactic, 'warning', 'the rule names techniques but no tactics', AT_START));
  }
  if (rule.query.trim()) {
    // Bind against the declared tables when they are known Defender tables; otherwise the whole catalog.
    const declared = rule.tables.filter((t) => KNOWN_TABLES.has(t.toLowerCase()));
    if (!rule.tables.length) ds.push(diag(RULE_CODES.noTables, 'warning', 'the rule declares no tables (requiredDataConnectors[].dataTypes)', AT_START));
    const check = checkQuery(rule.query, { ...(declared.length === rule.tables.length && declared.length ? { tables: declared } : {}), ...(opts.library ? { library: opts.library } : {}) });
    ds.push(...check.diagnostics.map((d) => undeclaredTable(d, declared)));
  }
  rule.diagnostics = ds;
  rule.status = ds.some((d) => d.severity === 'error') ? 'error' : ds.some((d) => d.severity === 'warning') ? 'warning' : 'valid';
  return rule;
}
