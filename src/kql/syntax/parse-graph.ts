/**
 * Graph operators after `|`: make-graph, graph-match, graph-shortest-paths, graph-to-table,
 * graph-mark-components (and graph-merge, kept as text). Patterns are read token by token:
 * `(a)-[e*1..3]->(b)<--(c), (c)--()`.
 */
import type { Expr, GraphEdgePattern, GraphNodePattern, GraphOp, GraphPath, Identifier, NameRef, Operator } from './ast.js';
import type { ColumnAssignment } from './ast-operators.js';
import { parseExpression } from './parse-expressions.js';
import { parseColumnAssignment, parseContextualSubquery, parsePipeline } from './parse-pipeline.js';
import { Parser } from './parser.js';
import { SYNTAX } from './syntax-codes.js';

export function parseGraph(p: Parser, start: number, word: string): Operator {
  switch (word) {
    case 'make-graph':
      return parseMakeGraph(p, start);
    case 'graph-match':
    case 'graph-shortest-paths':
      return parseGraphMatch(p, start, word);
    case 'graph-to-table':
      return parseGraphToTable(p, start);
    case 'graph-mark-components': {
      const parameters = p.parseOperatorParameters((n) => n === 'kind' || n === 'with_component_id');
      return { kind: 'GraphOp', operator: 'graph-mark-components', parameters, span: p.spanFrom(start) };
    }
    default: {
      // graph-merge: skip to the end of the operator so the rest of the query still parses
      const s = p.start;
      let depth = 0;
      while (!p.atEnd() && !(depth === 0 && (p.isPunct('|') || p.isPunct(';') || p.isPunct(')')))) {
        if (p.isPunct('(') || p.isPunct('[') || p.isPunct('{')) depth++;
        else if (p.isPunct(')') || p.isPunct(']') || p.isPunct('}')) depth--;
        p.advance();
      }
      return { kind: 'GraphOp', operator: 'graph-merge', text: p.text.slice(s, Math.max(s, p.lastEnd)), span: p.spanFrom(start) };
    }
  }
}

function nameRef(id: Identifier): NameRef {
  return { kind: 'NameRef', name: id.name, span: id.span };
}

/** `-->` as three tokens `-` `-` `>` (the scanner has no arrow token). */
function expectArrow(p: Parser): void {
  if (p.isPunct('-') && p.isPunct('-', 1) && p.isPunct('>', 2)) p.skip(3);
  else p.errorHere(SYNTAX.expected, `expected '-->' between the source and target columns of make-graph${p.foundText()}`);
}

function parseMakeGraph(p: Parser, start: number): GraphOp {
  const source = nameRef(p.parseIdentifier('the source node id column'));
  expectArrow(p);
  const target = nameRef(p.parseIdentifier('the target node id column'));
  const nodes: { table: Expr; key: NameRef; span: { start: number; end: number } }[] = [];
  let withNodeId: Identifier | undefined;
  if (p.isWord('with_node_id') && p.isPunct('=', 1)) {
    p.skip(2);
    withNodeId = p.parseIdentifier('the node id property name');
  } else if (p.eatWord('with')) {
    do {
      const s = p.start;
      const table = parseNodesTable(p);
      p.expectWord('on', 'after the nodes table of make-graph');
      nodes.push({ table, key: nameRef(p.parseIdentifier('the node id column')), span: p.spanFrom(s) });
    } while (p.eatPunct(','));
  }
  let partitionedBy: { column: NameRef; body: import('./ast.js').ContextualSubquery } | undefined;
  if (p.isWord('partitioned') && p.isPunct('-', 1) && p.isWord('by', 2)) {
    p.skip(3);
    const column = nameRef(p.parseIdentifier('the partition column'));
    p.expectPunct('(', 'before the graph operator of partitioned-by');
    const body = parseContextualSubquery(p, ')');
    p.expectPunct(')', 'after the graph operator of partitioned-by');
    partitionedBy = { column, body };
  }
  return { kind: 'GraphOp', operator: 'make-graph', source, target, nodes, ...(withNodeId ? { withNodeId } : {}), ...(partitionedBy ? { partitionedBy } : {}), span: p.spanFrom(start) };
}

/** A nodes table: a name, or a parenthesised tabular expression. */
function parseNodesTable(p: Parser): Expr {
  if (p.isPunct('(')) {
    const s = p.start;
    p.advance();
    const inner = parsePipeline(p);
    p.expectPunct(')', 'to close the nodes table');
    return { kind: 'ParenExpr', expr: inner, span: p.spanFrom(s) } as Expr;
  }
  return nameRef(p.parseIdentifier('a nodes table'));
}

function parseGraphMatch(p: Parser, start: number, word: 'graph-match' | 'graph-shortest-paths'): GraphOp {
  const parameters = p.parseOperatorParameters((n) => n === 'cycles' || (word === 'graph-shortest-paths' && n === 'output'));
  const paths: GraphPath[] = [];
  do paths.push(parsePath(p));
  while (p.eatPunct(','));
  let where: Expr | undefined;
  if (p.eatWord('where')) where = parseExpression(p);
  const project: ColumnAssignment[] = [];
  if (p.eatWord('project')) {
    do project.push(parseColumnAssignment(p));
    while (p.eatPunct(','));
  } else {
    p.errorHere(SYNTAX.expected, `expected 'project' in ${word}${p.foundText()}`);
  }
  return { kind: 'GraphOp', operator: word, parameters, paths, ...(where ? { where } : {}), project, span: p.spanFrom(start) };
}

function parsePath(p: Parser): GraphPath {
  const start = p.start;
  const nodes: GraphNodePattern[] = [parseNodePattern(p)];
  const edges: GraphEdgePattern[] = [];
  while (p.isPunct('-') || (p.isPunct('<') && p.isPunct('-', 1))) {
    edges.push(parseEdgePattern(p));
    nodes.push(parseNodePattern(p));
  }
  return { kind: 'GraphPath', nodes, edges, span: p.spanFrom(start) };
}

function parseNodePattern(p: Parser): GraphNodePattern {
  const start = p.start;
  p.expectPunct('(', 'to start a graph node pattern');
  const name = p.isName() ? p.parseIdentifier() : undefined;
  p.expectPunct(')', 'to close a graph node pattern');
  return { kind: 'GraphNodePattern', ...(name ? { name } : {}), span: p.spanFrom(start) };
}

/** `-[e*1..3]->`, `<-[e]-`, `-[e]-`, `-->`, `<--`, `--`. */
function parseEdgePattern(p: Parser): GraphEdgePattern {
  const start = p.start;
  const backward = p.eatPunct('<');
  p.expectPunct('-', 'in a graph edge pattern');
  let name: Identifier | undefined;
  let range: { min: number; max: number } | undefined;
  if (p.eatPunct('[')) {
    if (p.isName()) name = p.parseIdentifier();
    if (p.eatPunct('*')) range = parseRange(p);
    p.expectPunct(']', 'to close a graph edge pattern');
  }
  p.expectPunct('-', 'in a graph edge pattern');
  const forward = p.eatPunct('>');
  if (backward && forward) p.error(SYNTAX.expected, "a graph edge cannot point both ways ('<-...->'); use '-...-' for either direction", p.spanFrom(start));
  const direction = forward ? 'forward' : backward ? 'backward' : 'any';
  return { kind: 'GraphEdgePattern', ...(name ? { name } : {}), direction, ...(range ? { range } : {}), span: p.spanFrom(start) };
}

function parseRange(p: Parser): NonNullable<GraphEdgePattern['range']> {
  const min = parseCount(p);
  if (!p.eatPunct('..')) return { min: min.value, max: min.value, ...(min.name ? { minName: min.name, maxName: min.name } : {}) };
  const max = parseCount(p);
  if (!min.name && !max.name && max.value < min.value) p.errorHere(SYNTAX.badLiteral, `the variable length edge range ${min.value}..${max.value} is empty`);
  return { min: min.value, max: max.value, ...(min.name ? { minName: min.name } : {}), ...(max.name ? { maxName: max.name } : {}) };
}

/** A length: an integer literal, or the name of an integer scalar (a let or a function parameter). */
function parseCount(p: Parser): { value: number; name?: NameRef } {
  const t = p.tok;
  if (t.kind === 'number' && /^\d+$/.test(t.text)) {
    p.advance();
    return { value: Number(t.text) };
  }
  if (t.kind === 'ident') {
    p.advance();
    return { value: 1, name: { kind: 'NameRef', name: t.text, span: t.span } };
  }
  p.errorHere(SYNTAX.expected, `expected an integer length in a variable length edge (*min..max)${p.foundText()}`);
  return { value: 1 };
}

function parseGraphToTable(p: Parser, start: number): GraphOp {
  const parts: { what: 'nodes' | 'edges'; as?: Identifier; parameters: import('./ast.js').NamedArg[]; span: { start: number; end: number } }[] = [];
  do {
    const s = p.start;
    const what = p.isWord('nodes') ? 'nodes' : p.isWord('edges') ? 'edges' : undefined;
    if (!what) {
      p.errorHere(SYNTAX.expected, `expected 'nodes' or 'edges' in graph-to-table${p.foundText()}`);
      break;
    }
    p.advance();
    const allowed = (n: string) => (what === 'nodes' ? n === 'with_node_id' : n === 'with_source_id' || n === 'with_target_id');
    const parameters = p.parseOperatorParameters(allowed);
    const as = p.eatWord('as') ? p.parseIdentifier('a table name') : undefined;
    parameters.push(...p.parseOperatorParameters(allowed));
    parts.push({ what, ...(as ? { as } : {}), parameters, span: p.spanFrom(s) });
  } while (p.eatPunct(','));
  return { kind: 'GraphOp', operator: 'graph-to-table', parts, span: p.spanFrom(start) };
}
