/**
 * Pipelines (`source | op | op`) and the tabular sources that can start one: `datatable`, `print`, `range`,
 * `union`, `search`, `find`, `externaldata`, `evaluate`. Operators after `|` are dispatched by their word
 * to parse-operators-*.ts.
 */
import { parseSearchPredicate, searchIsCaseSensitive } from './parse-search.js';
import type { ColumnAssignment, ColumnDecl, ContextualSubquery, Expr, Operator, OutputSchema, PipeExpr } from './ast.js';
import { OPERATOR_WORDS } from './ast.js';
import { parseCallArgs, parseExpression, TYPE_KEYWORDS } from './parse-expressions.js';
import { parseOperatorByWord } from './parse-operators.js';
import { Parser } from './parser.js';
import { SYNTAX } from './syntax-codes.js';
import { normaliseTypeName } from './type-names.js';

/** An expression optionally followed by `| operator` steps. */
export function parsePipeline(p: Parser): Expr {
  let e: Expr;
  if (p.isPunct('|')) {
    // Kusto has no leading pipe anywhere (a query, a sub-query, `mv-apply ... on (| top 1 by x)`): say so,
    // then read on from an implicit input so the rest is still checked.
    p.errorHere(SYNTAX.expectedExpression, "expected a table or expression before '|'");
    e = { kind: 'ImplicitInput', span: { start: p.start, end: p.start } };
  } else {
    e = parseExpression(p);
  }
  while (p.isPunct('|')) {
    p.advance();
    const op = parseOperator(p);
    if (!op) break;
    e = { kind: 'PipeExpr', source: e, op, span: { start: e.span.start, end: op.span.end } } satisfies PipeExpr;
  }
  return e;
}

/** A sub-pipeline that starts from the implicit input: `( top 1 by x | project y )` or `{ ... }`. */
export function parseContextualSubquery(p: Parser, close = ')'): ContextualSubquery {
  const start = p.start;
  const input: Expr = { kind: 'ImplicitInput', span: { start: p.start, end: p.start } };
  let e: Expr = input;
  if (p.isPunct('|')) p.errorHere(SYNTAX.unknownOperator, "expected a tabular operator, found '|' (a sub-query starts with its first operator)");
  p.eatPunct('|');
  let first = true;
  while (first || p.isPunct('|')) {
    if (!first) p.advance();
    first = false;
    if (p.isPunct(close)) break;
    const op = parseOperator(p);
    if (!op) break;
    e = { kind: 'PipeExpr', source: e, op, span: { start, end: op.span.end } };
  }
  return { kind: 'ContextualSubquery', body: e, span: p.spanFrom(start) };
}

export function parseOperator(p: Parser): Operator | undefined {
  const w = p.peekHyphenatedWord();
  if (!w) {
    p.errorHere(SYNTAX.unknownOperator, `expected a tabular operator after '|'${p.foundText()}`);
    return undefined;
  }
  // Longest hyphenated form that is a known operator word (`project-away` vs `project`).
  let word = w.word;
  let count = w.count;
  while (!(word in OPERATOR_WORDS) && count > 1) {
    word = word.slice(0, word.lastIndexOf('-'));
    count -= 2;
  }
  if (!(word in OPERATOR_WORDS)) {
    p.errorHere(SYNTAX.unknownOperator, `unknown tabular operator '${w.word}'`);
    return undefined;
  }
  const start = p.start;
  p.skip(count);
  return parseOperatorByWord(p, word, start);
}

export function isTabularSourceStart(p: Parser): boolean {
  const t = p.tok;
  if (t.kind !== 'ident') return false;
  switch (t.text) {
    case 'datatable':
    case 'externaldata':
    case 'external_data':
      return true;
    case 'print':
      return true;
    case 'range':
      return p.peek(1).kind === 'ident' && p.isWord('from', 2);
    case 'union':
    case 'search':
    case 'find':
    case 'evaluate':
      return !p.isPunct('=', 1) && !p.isPunct('.', 1);
    default:
      return false;
  }
}

export function parseTabularSource(p: Parser): Expr {
  const start = p.start;
  const word = p.advance().text;
  switch (word) {
    case 'datatable':
      return parseDatatable(p, start);
    case 'externaldata':
    case 'external_data': {
      p.parseOperatorParameters(() => true);
      const columns = parseColumnDecls(p);
      p.expectPunct('[', 'before the external data URIs');
      const uris: Expr[] = [];
      while (!p.isPunct(']') && !p.atEnd()) {
        const before = p.pos;
        uris.push(parseExpression(p));
        if (!p.eatPunct(',') || p.pos === before) break;
      }
      p.expectPunct(']', 'to close the URI list');
      const properties = p.eatWord('with') ? p.parseWithProperties() : [];
      return { kind: 'ExternaldataExpr', columns, uris, properties, span: p.spanFrom(start) };
    }
    case 'print': {
      const columns = parseColumnAssignments(p);
      if (!columns.length) p.errorHere(SYNTAX.expectedExpression, `expected an expression after print${p.foundText()}`);
      return { kind: 'PrintExpr', columns, span: p.spanFrom(start) };
    }
    case 'range': {
      const name = p.parseIdentifier('the range column name');
      p.expectWord('from', 'in range');
      const from = parseExpression(p);
      p.expectWord('to', 'in range');
      const to = parseExpression(p);
      p.expectWord('step', 'in range');
      const step = parseExpression(p);
      return { kind: 'RangeExpr', name, from, to, step, span: p.spanFrom(start) };
    }
    case 'union': {
      const parameters = p.parseOperatorParameters(isUnionParam);
      return { kind: 'UnionExpr', parameters, tables: parseTableList(p), span: p.spanFrom(start) };
    }
    case 'search': {
      const parameters = p.parseOperatorParameters((n) => n === 'kind' || n.startsWith('hint.'));
      const tables = parseInTables(p);
      const predicate = parseSearchPredicate(p, searchIsCaseSensitive(parameters));
      return { kind: 'SearchExpr', parameters, tables, predicate, span: p.spanFrom(start) };
    }
    case 'find': {
      const parameters = p.parseOperatorParameters((n) => n === 'withsource' || n === 'datascope' || n.startsWith('hint.'));
      const tables = parseInTables(p);
      // `find "term"` (no in, no where) is the abbreviated form
      if (tables.length || p.isWord('where')) p.expectWord('where', 'in find');
      const predicate = parseSearchPredicate(p, false);
      let project: Expr[] | undefined;
      let projectSmart = false;
      const w = p.peekHyphenatedWord();
      if (w && (w.word === 'project' || w.word === 'project-smart')) {
        p.skip(w.count);
        if (w.word === 'project-smart') projectSmart = true;
        else {
          project = [parseExpression(p)];
          while (p.eatPunct(',')) project.push(parseExpression(p));
        }
      }
      return { kind: 'FindExpr', parameters, tables, predicate, ...(project ? { project } : {}), ...(projectSmart ? { projectSmart } : {}), span: p.spanFrom(start) };
    }
    default: {
      // evaluate as a source
      const parameters = p.parseOperatorParameters((n) => n.startsWith('hint.'));
      const name = p.parseIdentifier('a plugin name');
      const call = parseCallArgs(p, name);
      return { kind: 'EvaluateExpr', parameters, call, span: p.spanFrom(start) };
    }
  }
}

export function isUnionParam(n: string): boolean {
  return n === 'kind' || n === 'withsource' || n === 'isfuzzy' || n.startsWith('hint.');
}

/** `in (T1, T2)` of search/find. */
function parseInTables(p: Parser): Expr[] {
  if (!p.isWord('in') || !p.isPunct('(', 1)) return [];
  p.skip(2);
  const tables = parseTableList(p);
  p.expectPunct(')', 'to close the table list');
  return tables;
}

/** Comma-separated table references for union: names (with wildcards), `(subquery)`, calls. */
export function parseTableList(p: Parser): Expr[] {
  const tables: Expr[] = [];
  for (;;) {
    const before = p.pos;
    if (p.isPunct('*')) {
      // `union *`: every table (a wildcard with no prefix), not a scalar `*`
      const s = p.start;
      p.advance();
      tables.push({ kind: 'NameRef', name: '*', span: p.spanFrom(s) });
    } else if (p.tok.kind === 'ident' && (p.isPunct('*', 1) && !p.peek(1).spaced)) {
      // wildcard table names: Device*
      const s = p.start;
      let name = '';
      while ((p.tok.kind === 'ident' || p.isPunct('*')) && (name === '' || !p.tok.spaced)) name += p.advance().text;
      tables.push({ kind: 'NameRef', name, span: p.spanFrom(s) });
    } else {
      tables.push(parsePipelineNoPipe(p));
    }
    if (!p.eatPunct(',') || p.pos === before) break;
  }
  return tables;
}

/** An expression that may not continue with `|` at this level (union's table list ends at a pipe). */
function parsePipelineNoPipe(p: Parser): Expr {
  return parseExpression(p);
}

function parseDatatable(p: Parser, start: number): Expr {
  p.parseOperatorParameters(() => true);
  const columns = parseColumnDecls(p);
  p.expectPunct('[', 'before the datatable values');
  const values: Expr[] = [];
  while (!p.isPunct(']') && !p.atEnd()) {
    const before = p.pos;
    values.push(parseExpression(p));
    if (!p.eatPunct(',') || p.pos === before) break;
  }
  p.expectPunct(']', 'to close the datatable values');
  return { kind: 'DatatableExpr', columns, values, span: p.spanFrom(start) };
}

/** `(name:type, ...)` */
export function parseColumnDecls(p: Parser): ColumnDecl[] {
  const cols: ColumnDecl[] = [];
  if (!p.expectPunct('(', 'before the column list')) return cols;
  while (!p.isPunct(')') && !p.atEnd()) {
    const before = p.pos;
    cols.push(parseColumnDecl(p));
    if (!p.eatPunct(',') || p.pos === before) break;
  }
  p.expectPunct(')', 'to close the column list');
  return cols;
}

export function parseColumnDecl(p: Parser): ColumnDecl {
  const start = p.start;
  const name = p.parseIdentifier('a column name');
  p.expectPunct(':', 'between the column name and its type');
  const type = parseTypeName(p);
  return { kind: 'ColumnDecl', name, type, span: p.spanFrom(start) };
}

export function parseTypeName(p: Parser): ColumnDecl['type'] {
  const t = p.tok;
  const type = t.kind === 'ident' ? normaliseTypeName(t.text) : undefined;
  if (!type) {
    p.errorHere(SYNTAX.badType, `expected a type name (bool, int, long, real, decimal, string, datetime, timespan, guid, dynamic)${p.foundText()}`);
    if (t.kind === 'ident') p.advance();
    return 'dynamic';
  }
  p.advance();
  return type;
}

/** `[name =] expr` or `(a, b) = expr`, comma separated (project, extend, print, summarize aggregates). */
export function parseColumnAssignments(p: Parser, stopWords: string[] = []): ColumnAssignment[] {
  const out: ColumnAssignment[] = [];
  if (p.atEnd() || p.isPunct('|') || p.isPunct(';') || p.isPunct(')')) return out;
  for (;;) {
    const before = p.pos;
    if (stopWords.some((w) => p.isWord(w))) break;
    out.push(parseColumnAssignment(p));
    if (!p.eatPunct(',') || p.pos === before) break;
  }
  return out;
}

export function parseColumnAssignment(p: Parser): ColumnAssignment {
  const start = p.start;
  // (a, b) = expr
  if (p.isPunct('(')) {
    let k = 1;
    const names: number[] = [];
    while (p.isName(k)) {
      names.push(k);
      k += p.peek(k).kind === 'ident' ? 1 : 3;
      if (p.isPunct(',', k)) k++;
      else break;
    }
    if (names.length && p.isPunct(')', k) && p.isPunct('=', k + 1) && !p.isPunct('=', k + 2)) {
      p.advance();
      const ids = [p.parseIdentifier()];
      while (p.eatPunct(',')) ids.push(p.parseIdentifier());
      p.expectPunct(')');
      p.expectPunct('=');
      const expr = parseExpression(p);
      return { kind: 'ColumnAssignment', names: ids, expr, span: p.spanFrom(start) };
    }
  }
  if (p.isName() && p.isPunct('=', p.tok.kind === 'ident' ? 1 : 3) && !p.isPunct('=', p.tok.kind === 'ident' ? 2 : 4)) {
    if (p.tok.kind === 'ident' && TYPE_KEYWORDS.has(p.tok.text)) p.errorHere(SYNTAX.expectedName, `the name '${p.tok.text}' is a type keyword: write ['${p.tok.text}'] to use it as a column name`);
    const id = p.parseIdentifier();
    p.advance();
    const expr = parseExpression(p);
    return { kind: 'ColumnAssignment', names: [id], expr, span: p.spanFrom(start) };
  }
  const expr = parseExpression(p);
  return { kind: 'ColumnAssignment', names: [], expr, span: p.spanFrom(start) };
}

/** `(*, name:type, ...)` after `evaluate plugin(...) :` and inside `typeof(...)`. */
export function parseOutputSchema(p: Parser): OutputSchema {
  const start = p.start;
  const columns: ColumnDecl[] = [];
  let open = false;
  p.expectPunct('(', 'before the output schema');
  while (!p.isPunct(')') && !p.atEnd()) {
    const before = p.pos;
    if (p.eatPunct('*')) open = true;
    else columns.push(parseColumnDecl(p));
    if (!p.eatPunct(',') || p.pos === before) break;
  }
  p.expectPunct(')', 'to close the output schema');
  return { kind: 'OutputSchema', columns, open, span: p.spanFrom(start) };
}
