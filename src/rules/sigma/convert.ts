/**
 * A Sigma rule → one KQL query. The logsource gives the candidate tables (logsources.ts: the Defender table
 * first, then the Sysmon events in WindowsEvent); the first candidate every field and value can be written
 * for wins, and why an earlier one could not is kept as a note. Each search becomes a predicate (a map's items
 * AND-ed, a list of maps OR-ed), the condition combines them. The query is `Table | where <what every event
 * of the logsource meets> | where <the rule>`: rules of one logsource share their first `where`, so a fused
 * hunt reads each table once for all of them. Sigma rules have no time window and none is added.
 */
import { parseCondition, type Cond } from './condition.js';
import { DROPPED, resolveField, type FieldRef } from './fields.js';
import { fieldPredicate, Refusal, registryGuard } from './kql.js';
import { targetsOf, type Target } from './logsources.js';
import type { SigmaItem, SigmaRule } from './parse.js';
import { valueSpec } from './values.js';

export const SIGMA_CODES = {
  logsource: 'SIGMA001',
  field: 'SIGMA002',
  value: 'SIGMA003',
  condition: 'SIGMA004',
  regex: 'SIGMA005',
  keywords: 'SIGMA006',
  correlation: 'SIGMA007',
  target: 'SIGMA010',
  dropped: 'SIGMA011',
} as const;

export interface SigmaNote {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface Conversion {
  /** The KQL, or '' when the rule cannot run here. */
  query: string;
  target?: Target;
  notes: SigmaNote[];
  /** Why the rule cannot run here (set exactly when query is ''). */
  notRunnable?: string;
  /** The rule itself is wrong (its condition or a modifier), not merely without a table here. */
  invalid?: boolean;
}

/** A problem with the rule itself (not with a table): no other table can help. */
class Invalid extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

class CodedRefusal extends Refusal {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** What building one query collects: notes, the columns it must compute first, and cheap guards of items. */
interface Build { notes: SigmaNote[]; extends: Map<string, string>; guards: Map<SigmaItem, string> }

function itemPredicate(item: SigmaItem, target: Target, b: Build): string | undefined {
  const notes = b.notes;
  if (item.field === null) throw new CodedRefusal(SIGMA_CODES.keywords, `line ${item.line}: keyword search (values in any field) has no exact KQL form over ${target.table}`);
  if (target.kind === 'defender' && DROPPED.includes(item.field)) {
    notes.push({ code: SIGMA_CODES.dropped, severity: 'info', message: `line ${item.line}: ${item.field} is left out for ${target.table}, which holds one kind of event (as pySigma's pipeline does)` });
    return undefined;
  }
  const spec = valueSpec(item.values, item.modifiers);
  if (typeof spec === 'string') throw new Invalid(SIGMA_CODES.value, `line ${item.line}: ${item.field}${item.modifiers.map((m) => `|${m}`).join('')}: ${spec}`);
  const resolve = (field: string): FieldRef => {
    const f = resolveField(target, field);
    if (typeof f === 'string') throw new CodedRefusal(SIGMA_CODES.field, `line ${item.line}: ${f}`);
    if (f.extend) b.extends.set(f.extend.name, f.extend.expr);
    return f;
  };
  const f = resolve(item.field);
  try {
    if (f.kind === 'registryPath') {
      const g = registryGuard(spec);
      if (g) b.guards.set(item, g);
    }
    return fieldPredicate(f, spec, resolve);
  } catch (e) {
    if (e instanceof CodedRefusal) throw e;
    if (e instanceof Refusal) throw new CodedRefusal(/regular expression/.test(e.message) ? SIGMA_CODES.regex : SIGMA_CODES.field, `line ${item.line}: ${item.field}: ${e.message}`);
    throw e;
  }
}

const or = (xs: string[]) => (xs.length === 1 ? xs[0]! : `(${xs.join(' or ')})`);
const and = (xs: string[]) => (xs.length === 1 ? xs[0]! : `(${xs.join(' and ')})`);

function searchPredicate(rule: SigmaRule, name: string, target: Target, b: Build): string {
  const s = rule.searches.get(name)!;
  const groups = s.groups.map((items) => {
    const parts = items.map((it) => itemPredicate(it, target, b)).filter((p): p is string => p !== undefined);
    return parts.length ? and(parts) : 'true';
  });
  return or(groups);
}

/**
 * A condition the rule's matches all meet, from its items' guards (an `and` needs one of its parts', an `or`
 * all of them, a `not` gives none): applied before the columns the rule computes, it is exact (it only drops
 * rows the rule cannot match) and cheap. Undefined when none can be said.
 */
function guardOf(rule: SigmaRule, c: Cond, b: Build): string | undefined {
  const search = (name: string) => {
    const groups = rule.searches.get(name)!.groups.map((items) => {
      const gs = items.map((it) => b.guards.get(it)).filter((g): g is string => g !== undefined);
      return gs.length ? and([...new Set(gs)]) : undefined;
    });
    return groups.every((g) => g !== undefined) ? or([...new Set(groups as string[])]) : undefined;
  };
  const some = (xs: (string | undefined)[]) => {
    const gs = xs.filter((g): g is string => g !== undefined);
    return gs.length ? and([...new Set(gs)]) : undefined;
  };
  const every = (xs: (string | undefined)[]) => (xs.every((g) => g !== undefined) ? or([...new Set(xs as string[])]) : undefined);
  switch (c.op) {
    case 'ref': return search(c.name);
    case 'not': return undefined;
    case 'and': return some(c.args.map((a) => guardOf(rule, a, b)));
    case 'or': return every(c.args.map((a) => guardOf(rule, a, b)));
    case 'of': return c.count === 'all' ? some(c.names.map(search)) : every(c.names.map(search));
  }
}

function condPredicate(c: Cond, preds: Map<string, string>, top: boolean): string {
  switch (c.op) {
    case 'ref': return preds.get(c.name)!;
    case 'not': return `not(${condPredicate(c.arg, preds, false)})`;
    case 'and': return top ? c.args.map((a) => condPredicate(a, preds, false)).join('\n    and ') : and(c.args.map((a) => condPredicate(a, preds, false)));
    case 'or': return or(c.args.map((a) => condPredicate(a, preds, false)));
    case 'of': {
      const ps = c.names.map((n) => preds.get(n)!);
      if (c.count === 'all' || c.count >= ps.length) return c.count === 'all' || c.count === ps.length ? and(ps) : 'false';
      if (c.count <= 1) return or(ps);
      return `(${ps.map((p) => `toint(${p})`).join(' + ')}) >= ${c.count}`;
    }
  }
}

/** The query for one target, or a Refusal saying why this table cannot hold the rule. */
function build(rule: SigmaRule, conds: Cond[], target: Target, notes: SigmaNote[]): string {
  const b: Build = { notes, extends: new Map(), guards: new Map() };
  const preds = new Map<string, string>();
  for (const name of rule.searches.keys()) preds.set(name, searchPredicate(rule, name, target, b));
  const body = conds.length === 1 ? condPredicate(conds[0]!, preds, true) : or(conds.map((c) => condPredicate(c, preds, false)));
  const lines = [target.table];
  if (target.prefilter.length) lines.push(`| where ${target.prefilter.join(' and ')}`);
  if (b.extends.size) {
    // before computing columns row by row, drop the rows the rule cannot match (cheap tests on stored columns)
    const guards = conds.map((c) => guardOf(rule, c, b));
    if (guards.every((g) => g !== undefined)) lines.push(`| where ${or(guards as string[])}`);
  }
  for (const [name, expr] of b.extends) lines.push(`| extend ${name} = ${expr}`);
  lines.push(`| where ${body}`);
  return lines.join('\n');
}

export function convertSigma(rule: SigmaRule): Conversion {
  const notes: SigmaNote[] = [];
  const refuse = (code: string, message: string, invalid = false): Conversion => {
    notes.push({ code, severity: 'error', message: `${invalid ? 'invalid rule' : 'not runnable here'}: ${message}` });
    return { query: '', notes, notRunnable: message, ...(invalid ? { invalid } : {}) };
  };
  if (rule.kind !== 'rule') return refuse(SIGMA_CODES.correlation, `a Sigma ${rule.kind} rule (it combines other rules' matches over time); kqlite converts detection rules`);
  const targets = targetsOf(rule.logsource);
  if (typeof targets === 'string') return refuse(SIGMA_CODES.logsource, targets);
  const conds: Cond[] = [];
  for (const text of rule.conditions) {
    const c = parseCondition(text, [...rule.searches.keys()]);
    if (!c.ok) return /aggregation/.test(c.message) ? refuse(SIGMA_CODES.correlation, `line ${rule.conditionLine}: ${c.message}`) : refuse(SIGMA_CODES.condition, `line ${rule.conditionLine}: ${c.message}`, true);
    conds.push(c.cond);
  }
  const refusals: { target: Target; code: string; message: string }[] = [];
  for (const target of targets) {
    const attempt: SigmaNote[] = [];
    try {
      const query = build(rule, conds, target, attempt);
      for (const r of refusals) notes.push({ code: SIGMA_CODES.target, severity: 'info', message: `runs on ${target.label}, not ${r.target.label}: ${r.message}` });
      notes.push(...attempt);
      return { query, target, notes };
    } catch (e) {
      // 'expand' is valid Sigma that needs values kqlite does not have; other value problems are the rule's
      if (e instanceof Invalid) return refuse(e.code, e.message, !/'expand'/.test(e.message));
      if (!(e instanceof CodedRefusal)) throw e;
      refusals.push({ target, code: e.code, message: e.message });
    }
  }
  const last = refusals[refusals.length - 1]!;
  return refuse(last.code, refusals.map((r) => `${r.target.label}: ${r.message}`).join('; '));
}
