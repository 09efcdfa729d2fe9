/**
 * The predicate of `search` and `find`: an ordinary boolean expression in which a bare string is a term
 * looked for in every column (`"err"` is `* has "err"`; `"err*"` hasprefix, `"*err"` hassuffix, `"*err*"`
 * contains, `"a*b"` a regex on whole terms), `Col:"err"` looks in one column, and `*` alone is true.
 * Terms are rewritten here into BinaryExprs whose left side is `*` (StarExpr) or the column, so the binder
 * and the engine see plain string operators. `kind=case_sensitive` picks the `_cs` operators.
 */
import type { Expr } from './ast.js';
import { parseComparison } from './parse-expressions.js';
import type { Parser } from './parser.js';

export function parseSearchPredicate(p: Parser, caseSensitive: boolean): Expr {
  let left = parseAndTerms(p, caseSensitive);
  while (p.isWord('or')) {
    const s = p.start;
    p.advance();
    const right = parseAndTerms(p, caseSensitive);
    left = { kind: 'BinaryExpr', op: 'or', opSpan: { start: s, end: s + 2 }, left, right, span: { start: left.span.start, end: right.span.end } };
  }
  return left;
}

function parseAndTerms(p: Parser, cs: boolean): Expr {
  let left = parseTerm(p, cs);
  while (p.isWord('and')) {
    const s = p.start;
    p.advance();
    const right = parseTerm(p, cs);
    left = { kind: 'BinaryExpr', op: 'and', opSpan: { start: s, end: s + 3 }, left, right, span: { start: left.span.start, end: right.span.end } };
  }
  return left;
}

function parseTerm(p: Parser, cs: boolean): Expr {
  const start = p.start;
  if (p.isPunct('(')) {
    p.advance();
    const inner = parseSearchPredicate(p, cs);
    p.expectPunct(')', 'to close the search term group');
    return { kind: 'ParenExpr', expr: inner, span: p.spanFrom(start) };
  }
  // `*` alone is true; `* has "x"` (an operator after it) is a comparison on every column
  const next = p.peek(1);
  if (p.isPunct('*') && (next.kind !== 'ident' || next.text === 'and' || next.text === 'or') && !(next.kind === 'punct' && ['==', '!=', '=~', '!~', '!'].includes(next.text))) {
    p.advance();
    return { kind: 'Literal', type: 'bool', value: true, text: 'true', span: p.spanFrom(start) };
  }
  if (p.tok.kind === 'ident' && p.isPunct(':', 1)) {
    const column = { kind: 'NameRef' as const, name: p.advance().text, span: p.spanFrom(start) };
    p.advance();
    const value = parseComparison(p);
    return value.kind === 'Literal' && value.type === 'string' ? termOn(column, value, cs, p.spanFrom(start)) : value;
  }
  const e = parseComparison(p);
  if (e.kind === 'Literal' && e.type === 'string') return termOn({ kind: 'StarExpr', span: e.span }, e, cs, e.span);
  return e;
}

/** `target <op> literal` for a search term, the operator chosen by where the term's `*` wildcards are. */
export function termOn(target: Expr, literal: Extract<Expr, { kind: 'Literal' }>, cs: boolean, span: Expr['span']): Expr {
  const text = String(literal.value);
  const suffix = cs ? '_cs' : '';
  let op: string;
  let needle = text;
  const lead = text.startsWith('*');
  const trail = text.endsWith('*') && text.length > 1;
  const inner = text.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (inner.includes('*')) {
    op = 'matches regex';
    const body = inner.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    needle = `${cs ? '' : '(?i)'}${lead ? '' : '\\b'}${body}${trail ? '' : '\\b'}`;
  } else if (lead && trail) [op, needle] = [`contains${suffix}`, inner];
  else if (lead) [op, needle] = [`hassuffix${suffix}`, inner];
  else if (trail) [op, needle] = [`hasprefix${suffix}`, inner];
  else op = `has${suffix}`;
  const right = { ...literal, value: needle, text: JSON.stringify(needle) };
  return { kind: 'BinaryExpr', op, opSpan: literal.span, left: target, right, span };
}

/** `kind=case_sensitive` among search's parameters. */
export function searchIsCaseSensitive(parameters: { name: { name: string }; value: Expr }[]): boolean {
  const kind = parameters.find((x) => x.name.name === 'kind')?.value;
  return kind?.kind === 'NameRef' && kind.name === 'case_sensitive';
}
