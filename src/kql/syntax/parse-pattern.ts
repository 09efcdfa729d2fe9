/**
 * `declare pattern` statements: a named table-valued mapping from argument values (and an optional path)
 * to a query body, invoked as `name("a")` or `name("a").path`. A bare `declare pattern name;` declares a
 * pattern whose bodies the host would supply; it parses with no rules.
 */
import type { Expr, Parameter, PatternRule, PatternStatement } from './ast.js';
import { parseExpression } from './parse-expressions.js';
import { parseTypeName } from './parse-pipeline.js';
import { parseFunctionBody, parseParameters } from './parse-statements.js';
import type { Parser } from './parser.js';

export function parsePatternStatement(p: Parser, start: number): PatternStatement {
  const name = p.parseIdentifier();
  const textStart = p.start;
  const out: PatternStatement = { kind: 'PatternStatement', name, text: '', parameters: [], rules: [], span: p.spanFrom(start) };
  if (p.eatPunct('=')) {
    out.parameters = parseParameters(p);
    if (p.isPunct('[')) {
      const ps = p.start;
      p.advance();
      const pname = p.parseIdentifier('a path parameter name');
      p.expectPunct(':', 'between the path parameter name and its type');
      const ts = p.start;
      const type = parseTypeName(p);
      p.expectPunct(']', 'to close the path parameter');
      out.pathParameter = { kind: 'Parameter', name: pname, type: { kind: 'ScalarParamType', type, span: p.spanFrom(ts) }, span: p.spanFrom(ps) } as Parameter;
    }
    if (p.expectPunct('{', 'to start the pattern body')) {
      while (!p.isPunct('}') && !p.atEnd()) {
        if (p.eatPunct(';')) continue;
        const before = p.pos;
        out.rules.push(parseRule(p));
        if (p.pos === before) p.advance();
      }
      p.expectPunct('}', 'to close the pattern body');
    }
  }
  out.text = p.text.slice(textStart, p.lastEnd);
  out.span = p.spanFrom(start);
  return out;
}

/** `(v1, v2, ...)[.[path]] = { query }` */
function parseRule(p: Parser): PatternRule {
  const start = p.start;
  const args: Expr[] = [];
  if (p.expectPunct('(', 'before the pattern arguments')) {
    while (!p.isPunct(')') && !p.atEnd()) {
      const before = p.pos;
      args.push(parseValue(p));
      if (!p.eatPunct(',') || p.pos === before) break;
    }
    p.expectPunct(')', 'to close the pattern arguments');
  }
  let path: Expr | undefined;
  if (p.eatPunct('.')) {
    p.expectPunct('[', 'before the pattern path');
    path = parseValue(p);
    p.expectPunct(']', 'to close the pattern path');
  }
  p.expectPunct('=', 'before the pattern body');
  const body = parseFunctionBody(p);
  return { kind: 'PatternRule', args, ...(path ? { path } : {}), body, span: p.spanFrom(start) };
}

/** A literal value, or `*` (any value). */
function parseValue(p: Parser): Expr {
  if (p.isPunct('*')) {
    const s = p.start;
    p.advance();
    return { kind: 'StarExpr', span: p.spanFrom(s) };
  }
  return parseExpression(p);
}
