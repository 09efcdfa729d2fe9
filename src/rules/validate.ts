/**
 * Rule validation: required fields, tactic and technique names against ATT&CK, and the query parsed and
 * bound against the tables the rule declares (so a query reading an undeclared table, or a column its table
 * lacks, is an error with a did-you-mean). Status: error > warning > valid.
 */
import { diag, type Diagnostic } from '../common/diagnostics.js';
import { checkQuery, DEFENDER_TABLES, SEMANTIC, type BoundScript, type FunctionLibrary } from '../kql/semantics/index.js';
import { walk, type NameRef, type Script } from '../kql/syntax/index.js';
import { findTactic, findTechnique, sentinelTacticName } from './attack.js';
import type { Rule } from './rule.js';

export const RULE_CODES = {
  missingField: 'RULE001',
  emptyQuery: 'RULE002',
  unknownTactic: 'RULE003',
  unknownTechnique: 'RULE004',
  noTables: 'RULE005',
  techniqueWithoutTactic: 'RULE006',
  undeclaredTable: 'RULE007',
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
    // Bind against every known table; a known table read but not declared is the rule's metadata defect.
    const declared = rule.tables.filter((t) => KNOWN_TABLES.has(t.toLowerCase()));
    if (!rule.tables.length) ds.push(diag(RULE_CODES.noTables, 'warning', 'the rule declares no tables (requiredDataConnectors[].dataTypes)', AT_START));
    const check = checkQuery(rule.query, opts.library ? { library: opts.library } : {});
    ds.push(...oncePerName(check.diagnostics));
    if (declared.length && declared.length === rule.tables.length) ds.push(...undeclaredTables(check.script, check.bound, declared));
  }
  rule.diagnostics = ds;
  rule.status = ds.some((d) => d.severity === 'error') ? 'error' : ds.some((d) => d.severity === 'warning') ? 'warning' : 'valid';
  return rule;
}
