/** Tabular operators, part 2: union, join, lookup, mv-expand, mv-apply. */
import type { Expr, MvItem, Operator } from './ast.js';
import { parseExpression } from './parse-expressions.js';
import { isUnionParam, parseContextualSubquery, parseTableList, parseTypeName } from './parse-pipeline.js';
import { Parser } from './parser.js';

export function parseUnionOp(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters(isUnionParam);
  return { kind: 'UnionOp', parameters, tables: parseTableList(p), span: p.spanFrom(start) };
}

const isJoinParam = (n: string) => n === 'kind' || n.startsWith('hint.');

export function parseJoin(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters(isJoinParam);
  const right = parseExpression(p);
  parameters.push(...p.parseOperatorParameters(isJoinParam));
  const on = parseOnClause(p, 'join');
  return { kind: 'JoinOp', parameters, right, on, span: p.spanFrom(start) };
}

export function parseLookup(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters(isJoinParam);
  const right = parseExpression(p);
  const on = parseOnClause(p, 'lookup');
  return { kind: 'LookupOp', parameters, right, on, span: p.spanFrom(start) };
}

function parseOnClause(p: Parser, op: string): Expr[] {
  const on: Expr[] = [];
  if (!p.eatWord('on')) {
    // `join (T)` without `on` is allowed by Kusto only in the `where` form; report the common mistake.
    if (p.isWord('where')) {
      p.advance();
      on.push(parseExpression(p));
      return on;
    }
    // Microsoft's parser accepts a join without `on` syntactically; the binder reports the missing keys.
    return on;
  }
  do on.push(parseExpression(p));
  while (p.eatPunct(','));
  return on;
}

const isMvParam = (n: string) => n === 'bagexpansion' || n === 'with_itemindex' || n === 'kind' || n.startsWith('hint.');

function parseMvItems(p: Parser): MvItem[] {
  const items: MvItem[] = [];
  do {
    const s = p.start;
    let name;
    if (p.isName() && p.isPunct('=', p.tok.kind === 'ident' ? 1 : 3) && !p.isPunct('=', p.tok.kind === 'ident' ? 2 : 4)) {
      name = p.parseIdentifier();
      p.advance();
    }
    const expr = parseExpression(p);
    const item: MvItem = { kind: 'MvItem', expr, span: expr.span, ...(name ? { name } : {}) };
    if (p.isWord('to') && p.isWord('typeof', 1)) {
      p.skip(2);
      p.expectPunct('(');
      item.toType = parseTypeName(p);
      p.expectPunct(')');
    }
    item.span = p.spanFrom(s);
    items.push(item);
  } while (p.eatPunct(','));
  return items;
}

export function parseMvExpand(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters(isMvParam);
  const items = parseMvItems(p);
  const limit = p.eatWord('limit') ? parseExpression(p) : undefined;
  return { kind: 'MvExpandOp', parameters, items, ...(limit ? { limit } : {}), span: p.spanFrom(start) };
}

export function parseMvApply(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters(isMvParam);
  const items = parseMvItems(p);
  const limit = p.eatWord('limit') ? parseExpression(p) : undefined;
  parameters.push(...p.parseOperatorParameters((n) => n === 'id_column' || n.startsWith('hint.')));
  p.expectWord('on', 'in mv-apply ... on (subquery)');
  p.expectPunct('(', 'before the mv-apply subquery');
  const subquery = parseContextualSubquery(p);
  p.expectPunct(')', 'to close the mv-apply subquery');
  return { kind: 'MvApplyOp', parameters, items, ...(limit ? { limit } : {}), subquery, span: p.spanFrom(start) };
}
