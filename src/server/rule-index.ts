/**
 * The feed's search and facets over tens of thousands of rules: each rule list (ServerContext keeps one
 * until the rules change) is indexed once (sorted by name, search text with the query and facet values, lower-cased too);
 * a request is then one pass that marks which filters each rule passes (a bit each) and one pass per facet
 * counting the values of the rules that pass every other filter.
 */
import type { Rule } from '../rules/index.js';
import { RULE_FACETS, type FacetCount, type RuleFacet, type RulesResponse } from './api.js';

interface RuleIndex {
  rules: Rule[];
  text: string[];
  /** Per facet: its distinct values, and each rule's values as indexes into them (counting is array increments). */
  dict: Record<RuleFacet, string[]>;
  ids: Record<RuleFacet, Int32Array[]>;
  lower: Record<RuleFacet, string[][]>;
}

/** The values a rule has for a facet (a rule may have several tactics, techniques, tables or tags). */
export function facetValues(r: Rule, f: RuleFacet): string[] {
  switch (f) {
    case 'tactic': return r.tactics;
    case 'technique': return r.techniques;
    case 'table': return r.tables;
    case 'tool': return r.tool ? [r.tool] : [];
    case 'severity': return [r.severity];
    case 'source': return [r.source.name];
    case 'status': return [r.status];
    case 'language': return [r.language === 'sigma' ? 'Sigma' : 'KQL'];
  }
}

const indexes = new WeakMap<readonly Rule[], RuleIndex>();

function indexOf(all: readonly Rule[]): RuleIndex {
  let ix = indexes.get(all);
  if (ix) return ix;
  const collator = new Intl.Collator();
  const rules = all.slice().sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const dict = {} as RuleIndex['dict'];
  const ids = {} as RuleIndex['ids'];
  const lower = {} as RuleIndex['lower'];
  for (const f of RULE_FACETS) {
    const seen = new Map<string, number>();
    dict[f] = [];
    const values = rules.map((r) => facetValues(r, f).filter((v) => v !== ''));
    ids[f] = values.map((vs) => Int32Array.from(vs, (v) => {
      let id = seen.get(v);
      if (id === undefined) { seen.set(v, (id = dict[f].length)); dict[f].push(v); }
      return id;
    }));
    lower[f] = values.map((vs) => vs.map((v) => v.toLowerCase()));
  }
  // the query text too: a detection engineer searches for a domain, a field or an operator the rule uses
  // (the feed's search box says so)
  const text = rules.map((r) => [r.id, r.name, r.description, r.tool ?? '', r.tags.join(' '), r.techniques.join(' '), r.tactics.join(' '), r.tables.join(' '), r.source.name, r.sigma?.author ?? '', ...(r.alsoFrom ?? []).map((s) => s.name), r.query].join('\n').toLowerCase());
  indexes.set(all, (ix = { rules, text, dict, ids, lower }));
  return ix;
}

/** A technique filter T1219 also matches its sub-techniques (T1219.002), as ATT&CK's hierarchy implies. */
function matches(have: readonly string[], wanted: readonly string[], technique: boolean): boolean {
  for (const x of wanted) for (const h of have) if (h === x || (technique && h.startsWith(x + '.'))) return true;
  return false;
}

function counted(dict: readonly string[], counts: Int32Array): FacetCount[] {
  const out: FacetCount[] = [];
  for (let id = 0; id < counts.length; id++) if (counts[id]) out.push({ value: dict[id]!, count: counts[id]! });
  return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** The rules matching every search word and facet filter, sorted by name, and per facet the counts among the rules matching the others. */
export function selectIndexed(all: readonly Rule[], words: readonly string[], filters: ReadonlyMap<RuleFacet, readonly string[]>): { rules: Rule[]; facets: RulesResponse['facets'] } {
  const ix = indexOf(all);
  const n = ix.rules.length;
  const active = [...filters].map(([f, v]) => ({ f, wanted: v.map((x) => x.toLowerCase()) }));
  const full = (1 << active.length) - 1;
  const mask = new Int32Array(n).fill(-1);
  const rules: Rule[] = [];
  for (let i = 0; i < n; i++) {
    if (words.length) {
      const t = ix.text[i]!;
      let ok = true;
      for (const w of words) if (!t.includes(w)) { ok = false; break; }
      if (!ok) continue;
    }
    let m = 0;
    for (let k = 0; k < active.length; k++) if (matches(ix.lower[active[k]!.f][i]!, active[k]!.wanted, active[k]!.f === 'technique')) m |= 1 << k;
    mask[i] = m;
    if (m === full) rules.push(ix.rules[i]!);
  }
  const facets = {} as RulesResponse['facets'];
  for (const f of RULE_FACETS) {
    const k = active.findIndex((a) => a.f === f);
    const need = k < 0 ? full : full & ~(1 << k);
    const counts = new Int32Array(ix.dict[f].length);
    const vals = ix.ids[f];
    for (let i = 0; i < n; i++) {
      const m = mask[i]!;
      if (m < 0 || (m & need) !== need) continue;
      const v = vals[i]!;
      for (let j = 0; j < v.length; j++) counts[v[j]!]!++;
    }
    facets[f] = counted(ix.dict[f], counts);
  }
  return { rules, facets };
}
