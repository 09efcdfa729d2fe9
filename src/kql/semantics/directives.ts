/**
 * Client directives (`#connect cluster('x').database('y')`, `#crp name=value`): lines before a query that a
 * Kusto client reads and the query never sees. kqlite skips the ones Kusto.Language knows; the others are
 * errors there (KS250 unknown directive), so they are here, and so is one that would move the query to
 * another cluster or database: a local workspace is the only database kqlite has.
 */
import type { Directive } from '../syntax/ast.js';
import type { Binder } from './binder.js';
import { SEMANTIC } from './codes.js';

/** The directive names Kusto.Language knows (probed on it; the name is case-sensitive there). */
const KNOWN = new Set(['connect', 'database', 'crp', 'qp', 'run', 'save']);
const SWITCHES_DATABASE = new Set(['connect', 'database']);

export function checkDirectives(b: Binder, directives: readonly Directive[]): void {
  for (const d of directives) {
    if (!KNOWN.has(d.name)) {
      b.error(SEMANTIC.badDirective, `unknown client directive '#${d.name}' (Kusto knows #${[...KNOWN].join(', #')}); a Markdown heading or note before a query is not KQL: make it a // comment`, d.span);
    } else if (SWITCHES_DATABASE.has(d.name) && d.argument) {
      b.error(SEMANTIC.badDirective, `#${d.name} ${d.argument}: kqlite queries its local workspace only, not another cluster or database`, d.span);
    }
  }
}
