/** Scripts and statements: `let`, `declare query_parameters`, `set`, query statements, separated by `;`. */
import type { ColumnDecl, Expr, FunctionBody, FunctionDecl, Parameter, ParameterType, Script, Statement } from './ast.js';
import { parseExpression } from './parse-expressions.js';
import { parseColumnDecl, parsePipeline, parseTypeName } from './parse-pipeline.js';
import { parsePatternStatement } from './parse-pattern.js';
import { Parser } from './parser.js';
import { SYNTAX } from './syntax-codes.js';

export function parseScript(p: Parser): Script {
  const statements: Statement[] = [];
  while (!p.atEnd()) {
    if (p.eatPunct(';')) continue;
    const before = p.pos;
    statements.push(parseStatement(p));
    if (!p.atEnd() && !p.isPunct(';')) {
      if (p.tok.kind === 'bad') p.errorHere(p.tok.code ?? SYNTAX.badCharacter, p.tok.error ?? 'unexpected character');
      else p.errorHere(SYNTAX.unexpectedToken, `unexpected '${p.tok.text}': expected ';' or the end of the query`);
      // Skip to the next statement boundary so one mistake does not hide the rest.
      while (!p.atEnd() && !p.isPunct(';')) p.advance();
    }
    if (p.pos === before) p.advance();
  }
  return { kind: 'Script', ...(p.directives.length ? { directives: p.directives } : {}), statements, span: { start: 0, end: p.text.length } };
}

function parseStatement(p: Parser): Statement {
  const start = p.start;
  if (p.isWord('let') && p.isName(1)) {
    p.advance();
    const name = p.parseIdentifier();
    p.expectPunct('=', `after 'let ${name.name}'`);
    const value = isFunctionDeclStart(p) ? parseFunctionDecl(p) : parsePipeline(p);
    return { kind: 'LetStatement', name, value, span: p.spanFrom(start) };
  }
  if (p.isWord('declare') && p.isWord('query_parameters', 1)) {
    p.skip(2);
    return { kind: 'DeclareQueryParametersStatement', parameters: parseParameters(p), span: p.spanFrom(start) };
  }
  if (p.isWord('declare') && p.isWord('pattern', 1)) {
    p.skip(2);
    return parsePatternStatement(p, start);
  }
  if (p.isWord('set') && p.isName(1) && (p.isPunct('=', 2) || p.isPunct(';', 2) || p.peek(2).kind === 'eof')) {
    p.advance();
    const name = p.parseIdentifier();
    const value = p.eatPunct('=') ? parseExpression(p) : undefined;
    return { kind: 'SetStatement', name, ...(value ? { value } : {}), span: p.spanFrom(start) };
  }
  const expr = parsePipeline(p);
  return { kind: 'QueryStatement', expr, span: p.spanFrom(start) };
}

/** `(params) {` or `view (params) {`: a function, not a parenthesised expression. */
function isFunctionDeclStart(p: Parser): boolean {
  let k = 0;
  if (p.isWord('view') && p.isPunct('(', 1)) return true;
  if (!p.isPunct('(')) return false;
  let depth = 0;
  for (;;) {
    const t = p.peek(k);
    if (t.kind === 'eof') return false;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') {
      depth--;
      if (depth === 0) return p.isPunct('{', k + 1);
    }
    k++;
  }
}

export function parseFunctionDecl(p: Parser): FunctionDecl {
  const start = p.start;
  const isView = p.eatWord('view');
  const parameters = parseParameters(p);
  const body = parseFunctionBody(p);
  return { kind: 'FunctionDecl', isView, parameters, body, span: p.spanFrom(start) };
}

export function parseFunctionBody(p: Parser): FunctionBody {
  const start = p.start;
  p.expectPunct('{', 'to start the function body');
  const statements: Statement[] = [];
  let result: Expr | undefined;
  while (!p.isPunct('}') && !p.atEnd()) {
    if (p.eatPunct(';')) continue;
    const before = p.pos;
    const st = parseStatement(p);
    if (st.kind === 'QueryStatement') result = st.expr;
    else statements.push(st);
    if (!p.atEnd() && !p.isPunct(';') && !p.isPunct('}')) {
      p.errorHere(SYNTAX.unexpectedToken, `unexpected '${p.tok.text}' in the function body`);
      while (!p.atEnd() && !p.isPunct(';') && !p.isPunct('}')) p.advance();
    }
    if (p.pos === before) p.advance();
  }
  p.expectPunct('}', 'to close the function body');
  if (!result) {
    p.error(SYNTAX.expectedExpression, 'a function body must end with an expression', p.spanFrom(start));
    result = { kind: 'ErrorExpr', span: { start: p.lastEnd, end: p.lastEnd } };
  }
  return { kind: 'FunctionBody', statements, result, span: p.spanFrom(start) };
}

/** `(name:type [= default], T:(col:type, *), ...)` */
export function parseParameters(p: Parser): Parameter[] {
  const params: Parameter[] = [];
  if (!p.expectPunct('(', 'before the parameter list')) return params;
  while (!p.isPunct(')') && !p.atEnd()) {
    const before = p.pos;
    const start = p.start;
    const name = p.parseIdentifier('a parameter name');
    p.expectPunct(':', 'between the parameter name and its type');
    const type = parseParameterType(p);
    const def = p.eatPunct('=') ? parseExpression(p) : undefined;
    params.push({ kind: 'Parameter', name, type, ...(def ? { default: def } : {}), span: p.spanFrom(start) });
    if (!p.eatPunct(',') || p.pos === before) break;
  }
  p.expectPunct(')', 'to close the parameter list');
  return params;
}

function parseParameterType(p: Parser): ParameterType {
  const start = p.start;
  if (p.eatPunct('(')) {
    const columns: ColumnDecl[] = [];
    let open = false;
    while (!p.isPunct(')') && !p.atEnd()) {
      const before = p.pos;
      if (p.eatPunct('*')) open = true;
      else columns.push(parseColumnDecl(p));
      if (!p.eatPunct(',') || p.pos === before) break;
    }
    p.expectPunct(')', 'to close the tabular parameter schema');
    return { kind: 'TabularParamType', columns, open, span: p.spanFrom(start) };
  }
  return { kind: 'ScalarParamType', type: parseTypeName(p), span: p.spanFrom(start) };
}
