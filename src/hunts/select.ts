/**
 * Rule selectors for `kqlite hunt --rules ...`: a rule id, a name glob, or `tool:`, `technique:`, `table:`,
 * `tag:`, `severity:`, `language:` (kql or sigma) prefixes (a bare word also matches a tool name). A selector that matches nothing is an
 * error, never an empty hunt that looks clean.
 */
import { globMatch } from './suppressions.js';
import type { HuntRule } from './types.js';

export function selectRules<R extends HuntRule>(rules: readonly R[], selectors: readonly string[]): { selected: R[]; unknown: string[] } {
  if (!selectors.length) return { selected: [...rules], unknown: [] };
  const chosen = new Set<R>();
  const unknown: string[] = [];
  for (const sel of selectors) {
    const matches = rules.filter((r) => matchesSelector(r, sel));
    if (!matches.length) unknown.push(sel);
    for (const m of matches) chosen.add(m);
  }
  return { selected: rules.filter((r) => chosen.has(r)), unknown };
}

export function matchesSelector(r: HuntRule, sel: string): boolean {
  const m = /^(tool|technique|table|tag|severity|id|name|language):(.*)$/i.exec(sel);
  const eq = (a: string | undefined, b: string) => !!a && a.toLowerCase() === b.toLowerCase();
  if (m) {
    const v = m[2]!;
    switch (m[1]!.toLowerCase()) {
      case 'tool': return !!r.tool && globMatch(v, r.tool);
      case 'technique': return (r.techniques ?? []).some((t) => eq(t, v) || t.toLowerCase().startsWith(v.toLowerCase() + '.'));
      case 'table': return r.tables.some((t) => eq(t, v));
      case 'tag': return (r.tags ?? []).some((t) => eq(t, v));
      case 'severity': return eq(r.severity, v);
      case 'id': return r.id === v;
      case 'name': return globMatch(v, r.name);
      case 'language': return eq(r.language ?? 'kql', v);
    }
  }
  return r.id === sel || globMatch(sel, r.name) || eq(r.tool, sel);
}
