/** Tabular operators, part 3: parse, parse-kv, make-series, top-nested, scan, partition, fork, facet. Graph operators: parse-graph.ts. */
import type { ColumnAssignment, ContextualSubquery, Expr, NameRef, Operator, ParsePatternPart, ScanStep, TopNestedLevel } from './ast.js';
import { parseAdditive, parseExpression } from './parse-expressions.js';
import { parseColumnAssignment, parseColumnAssignments, parseColumnDecl, parseColumnDecls, parseContextualSubquery, parsePipeline, parseTypeName } from './parse-pipeline.js';
import { parseSortKeys } from './parse-operators.js';
import { Parser } from './parser.js';

const atPipeEnd = (p: Parser) => p.atEnd() || p.isPunct('|') || p.isPunct(';') || p.isPunct(')') || p.isPunct('}');

export function parseParse(p: Parser, start: number, kind: 'ParseOp' | 'ParseWhereOp'): Operator {
  const parameters = p.parseOperatorParameters((n) => n === 'kind' || n === 'flags');
  const source = parseExpression(p);
  p.expectWord('with', `in ${kind === 'ParseOp' ? 'parse' : 'parse-where'} expr with pattern`);
  const pattern: ParsePatternPart[] = [];
  while (!atPipeEnd(p)) {
    const before = p.pos;
    const t = p.tok;
    if (t.kind === 'string') {
      let value = '';
      const s = t.span.start;
      while (p.tok.kind === 'string') value += p.advance().value ?? '';
      pattern.push({ kind: 'ParseLiteral', value, span: p.spanFrom(s) });
    } else if (p.isPunct('*')) {
      p.advance();
      pattern.push({ kind: 'ParseStar', span: t.span });
    } else if (p.isName()) {
      const s = p.start;
      const name = p.parseIdentifier();
      const type = p.eatPunct(':') ? parseTypeName(p) : undefined;
      pattern.push({ kind: 'ParseColumn', name, ...(type ? { type } : {}), span: p.spanFrom(s) });
    } else {
      p.errorHere('KQL1003', `expected a string, a column name or '*' in the parse pattern${p.foundText()}`);
      p.advance();
    }
    if (p.pos === before) break;
  }
  return { kind, parameters, source, pattern, span: p.spanFrom(start) };
}

export function parseParseKv(p: Parser, start: number): Operator {
  const source = parseExpression(p);
  p.expectWord('as', 'in parse-kv expr as (columns)');
  const columns = parseColumnDecls(p);
  const properties = p.eatWord('with') ? p.parseWithProperties() : [];
  return { kind: 'ParseKvOp', source, columns, properties, span: p.spanFrom(start) };
}

export function parseMakeSeries(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters((n) => n === 'kind' || n.startsWith('hint.'));
  const aggregates = [];
  do {
    const s = p.start;
    const assignment = parseColumnAssignment(p);
    let def: Expr | undefined;
    if (p.isWord('default') && p.isPunct('=', 1)) {
      p.skip(2);
      def = parseExpression(p);
    }
    aggregates.push({ assignment, ...(def ? { default: def } : {}), span: p.spanFrom(s) });
  } while (p.eatPunct(','));
  p.expectWord('on', 'in make-series ... on axis');
  const on = parseAdditive(p);
  let from: Expr | undefined;
  let to: Expr | undefined;
  let step: Expr;
  let inclusiveEnd = false;
  if (p.isWord('in') && p.isWord('range', 1)) {
    inclusiveEnd = true;
    // legacy: in range(start, stop, step)
    p.skip(2);
    p.expectPunct('(');
    from = parseExpression(p);
    p.expectPunct(',');
    to = parseExpression(p);
    p.expectPunct(',');
    step = parseExpression(p);
    p.expectPunct(')');
  } else {
    if (p.eatWord('from')) from = parseExpression(p);
    if (p.eatWord('to')) to = parseExpression(p);
    p.expectWord('step', 'in make-series');
    step = parseExpression(p);
  }
  const by = p.eatWord('by') ? parseColumnAssignments(p) : [];
  return { kind: 'MakeSeriesOp', parameters, aggregates, on, ...(from ? { from } : {}), ...(to ? { to } : {}), step, ...(inclusiveEnd ? { inclusiveEnd } : {}), by, span: p.spanFrom(start) };
}

export function parseTopNested(p: Parser, start: number): Operator {
  const levels: TopNestedLevel[] = [];
  let first = true;
  do {
    const s = p.start;
    if (!first) {
      const w = p.peekHyphenatedWord();
      if (w?.word === 'top-nested') p.skip(w.count);
      else p.expectWord('top-nested', 'after the comma');
    }
    first = false;
    const count = p.isWord('of') ? undefined : parseExpression(p);
    p.expectWord('of', 'in top-nested [N] of expr');
    const of: ColumnAssignment = parseColumnAssignment(p);
    let withOthers: Expr | undefined;
    if (p.isWord('with') && p.isWord('others', 1)) {
      p.skip(2);
      p.expectPunct('=');
      withOthers = parseExpression(p);
    }
    p.expectWord('by', 'in top-nested ... by aggregate');
    const by = parseColumnAssignment(p);
    const order = p.isWord('asc') || p.isWord('desc') ? (p.advance().text as 'asc' | 'desc') : undefined;
    levels.push({ kind: 'TopNestedLevel', ...(count ? { count } : {}), of, ...(withOthers ? { withOthers } : {}), by, ...(order ? { order } : {}), span: p.spanFrom(s) });
  } while (p.eatPunct(','));
  return { kind: 'TopNestedOp', levels, span: p.spanFrom(start) };
}

export function parseScan(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters((n) => n === 'with_match_id' || n.startsWith('hint.'));
  const orderBy = p.isWord('order') && p.isWord('by', 1) ? (p.skip(2), parseSortKeys(p)) : [];
  const partitionBy: Expr[] = [];
  if (p.isWord('partition') && p.isWord('by', 1)) {
    p.skip(2);
    do partitionBy.push(parseExpression(p));
    while (p.eatPunct(','));
  }
  const declare = [];
  const declareDefaults: (Expr | undefined)[] = [];
  if (p.eatWord('declare')) {
    p.expectPunct('(');
    do {
      declare.push(parseColumnDecl(p));
      declareDefaults.push(p.eatPunct('=') ? parseExpression(p) : undefined);
    } while (p.eatPunct(','));
    p.expectPunct(')');
  }
  p.expectWord('with', 'in scan ... with (steps)');
  p.expectPunct('(');
  const steps: ScanStep[] = [];
  while (p.isWord('step')) {
    const s = p.start;
    p.advance();
    const name = p.parseIdentifier('a step name');
    const optional = p.eatWord('optional');
    let output: ScanStep['output'];
    if (p.isWord('output') && p.isPunct('=', 1)) {
      p.skip(2);
      output = p.advance().text as ScanStep['output'];
    }
    p.expectPunct(':', 'after the step name');
    const predicate = parseExpression(p);
    const assignments: ColumnAssignment[] = p.eatPunct('=>') ? parseColumnAssignments(p) : [];
    steps.push({ kind: 'ScanStep', name, optional, ...(output ? { output } : {}), predicate, assignments, span: p.spanFrom(s) });
    if (!p.eatPunct(';')) break;
  }
  p.expectPunct(')', 'to close the scan steps');
  return { kind: 'ScanOp', parameters, orderBy, partitionBy, declare, declareDefaults, steps, span: p.spanFrom(start) };
}

function parseBracedSubquery(p: Parser): ContextualSubquery {
  const close = p.isPunct('{') ? '}' : ')';
  p.expectPunct(close === '}' ? '{' : '(', 'before the subquery');
  // `{ ... }` holds an ordinary query (it names the partition with `as`/toscalar); `( ... )` continues the input.
  const sub: ContextualSubquery = close === '}'
    ? (() => { const s = p.start; const body = parsePipeline(p); return { kind: 'ContextualSubquery', body, span: p.spanFrom(s) } as ContextualSubquery; })()
    : parseContextualSubquery(p, close);
  p.expectPunct(close, 'to close the subquery');
  return sub;
}

export function parsePartition(p: Parser, start: number): Operator {
  const parameters = p.parseOperatorParameters((n) => n.startsWith('hint.'));
  p.expectWord('by', 'in partition by column');
  const byId = p.parseIdentifier('the partition column');
  const by: Expr = { kind: 'NameRef', name: byId.name, span: byId.span };
  parameters.push(...p.parseOperatorParameters((n) => n.startsWith('hint.')));
  return { kind: 'PartitionOp', parameters, by, subquery: parseBracedSubquery(p), span: p.spanFrom(start) };
}

export function parseFork(p: Parser, start: number): Operator {
  const branches = [];
  while (p.isPunct('(') || (p.isName() && p.isPunct('=', 1))) {
    const s = p.start;
    let name;
    if (!p.isPunct('(')) {
      name = p.parseIdentifier();
      p.advance();
    }
    branches.push({ ...(name ? { name } : {}), subquery: parseBracedSubquery(p), span: p.spanFrom(s) });
  }
  if (!branches.length) p.expectPunct('(', 'in fork (subquery) ...');
  return { kind: 'ForkOp', branches, span: p.spanFrom(start) };
}

export function parseFacet(p: Parser, start: number): Operator {
  p.expectWord('by', 'in facet by columns');
  const columns: NameRef[] = [];
  do {
    const id = p.parseIdentifier('a column name');
    columns.push({ kind: 'NameRef', name: id.name, span: id.span });
  } while (p.eatPunct(','));
  let withQ: ContextualSubquery | undefined;
  if (p.eatWord('with')) withQ = parseBracedSubquery(p);
  return { kind: 'FacetOp', columns, ...(withQ ? { with: withQ } : {}), span: p.spanFrom(start) };
}
