/**
 * Binding the graph operators. `make-graph` (and `graph()`) give a schema with `graph` set: node and edge
 * property columns, no table columns. Only graph operators take such an input, and graph operators take
 * nothing else. Inside graph-match / graph-shortest-paths, `v.prop` reads a property of a pattern
 * variable, and all/any/map/inner_nodes/node_degree_in/node_degree_out/node_id are graph functions.
 */
import type { CallExpr, Expr, GraphOp, MemberExpr, ScalarTypeName } from '../syntax/ast.js';
import { Binder, findColumn, OPEN_SCHEMA, Scope, type Row } from './binder.js';
import { bindExpr, reportUnknownColumn } from './bind-expressions.js';
import { bindTabular } from './bind-tabular.js';
import { SEMANTIC } from './codes.js';
import { analyzePattern, type PatternPlan } from './graph-pattern.js';
import { implicitName, uniqueName, upsertColumn } from './naming.js';
import type { ColumnSchema, GraphSchema, TableSchema } from './types.js';

/** What expressions inside graph-match / graph-shortest-paths see, carried on the Row. */
export interface GraphRow {
  plan: PatternPlan;
  graph: GraphSchema;
  /** Inside all/any/map: names are properties of each edge (or inner node) of a variable length edge. */
  element?: 'edge' | 'node';
}

export const GRAPH_OPERATORS = new Set(['graph-match', 'graph-shortest-paths', 'graph-to-table', 'graph-mark-components', 'graph-merge']);
export const GRAPH_FUNCTIONS = new Set(['all', 'any', 'map', 'inner_nodes', 'node_degree_in', 'node_degree_out', 'node_id', 'labels']);
const OPEN_GRAPH: GraphSchema = { nodes: OPEN_SCHEMA, edges: OPEN_SCHEMA };

/** A graph met where a table belongs (join/lookup's right side, a union leg): reported, read as an open table. */
export function refuseGraph(b: Binder, s: TableSchema, span: { start: number; end: number }, where: string): TableSchema {
  if (!s.graph) return s;
  b.error(SEMANTIC.graphMisuse, `${where} needs a table, but this is a graph; turn it into one with graph-match, graph-shortest-paths or graph-to-table`, span);
  return OPEN_SCHEMA;
}

/** Called for every operator: a graph flows only into graph operators. */
export function checkGraphFlow(b: Binder, word: string, input: TableSchema, span: { start: number; end: number }): TableSchema {
  if (input.graph && !GRAPH_OPERATORS.has(word)) {
    b.error(SEMANTIC.graphMisuse, `'${word}' needs a table, but its input is a graph; follow make-graph with graph-match, graph-shortest-paths, graph-to-table or graph-mark-components`, span);
    return OPEN_SCHEMA;
  }
  return input;
}

export function bindGraphOp(b: Binder, op: GraphOp, input: TableSchema, scope: Scope): TableSchema {
  const word = { start: op.span.start, end: op.span.start + op.operator.length };
  if (op.operator === 'make-graph') {
    if (input.graph) b.error(SEMANTIC.graphMisuse, 'make-graph needs a table of edges, but its input is already a graph', word);
    const edges: TableSchema = input.graph ? OPEN_SCHEMA : { columns: input.columns, ...(input.open ? { open: true } : {}) };
    for (const c of [op.source, op.target]) if (!edges.open && !findColumn(edges, c.name)) reportUnknownColumn(b, c.name, c.span, edges.columns.map((x) => x.name));
    let nodes: TableSchema = { columns: [] };
    if (op.withNodeId) {
      nodes = { columns: [{ name: op.withNodeId.name, type: findColumn(edges, op.source.name)?.type ?? 'string' }] };
    } else if (op.nodes.length) {
      const cols: ColumnSchema[] = [];
      let open = false;
      for (const n of op.nodes) {
        const s = bindTabular(b, n.table, scope);
        if (s.graph) b.error(SEMANTIC.graphMisuse, 'the nodes of make-graph must be a table, not a graph', n.table.span);
        else if (!s.open && !findColumn(s, n.key.name)) reportUnknownColumn(b, n.key.name, n.key.span, s.columns.map((x) => x.name));
        for (const c of s.columns) if (!findColumn({ columns: cols }, c.name)) cols.push(c);
        open ||= !!s.open;
      }
      nodes = { columns: cols, ...(open ? { open } : {}) };
    }
    const graph: GraphSchema = { nodes, edges };
    if (op.partitionedBy) {
      const { column, body } = op.partitionedBy;
      if (!edges.open && !findColumn(edges, column.name)) reportUnknownColumn(b, column.name, column.span, edges.columns.map((x) => x.name));
      b.implicit.push({ columns: [], graph });
      try {
        const out = bindTabular(b, body, new Scope(scope));
        if (out.graph) b.error(SEMANTIC.graphMisuse, 'the operator inside partitioned-by must turn each graph into a table (graph-match, graph-shortest-paths or graph-to-table)', body.span);
        return out;
      } finally {
        b.implicit.pop();
      }
    }
    return { columns: [], graph };
  }
  const g = requireGraph(b, op.operator, input, word);
  switch (op.operator) {
    case 'graph-match':
    case 'graph-shortest-paths':
      return bindMatch(b, op, g, scope);
    case 'graph-to-table': {
      let first: TableSchema | undefined;
      for (const part of op.parts) {
        const idName = (n: string) => { const v = part.parameters.find((x) => x.name.name === n)?.value; return v?.kind === 'NameRef' ? v.name : undefined; };
        const cols: ColumnSchema[] = [];
        const ids = part.what === 'nodes' ? [idName('with_node_id')] : [idName('with_source_id'), idName('with_target_id')];
        for (const id of ids) if (id) cols.push({ name: id, type: 'long' });
        const props = part.what === 'nodes' ? g.nodes : g.edges;
        for (const c of props.columns) cols.push({ name: uniqueName(cols, c.name), type: c.type });
        const s: TableSchema = { columns: cols, ...(props.open ? { open: true } : {}) };
        if (part.as) scope.symbols.set(part.as.name, { kind: 'tabular', schema: s });
        first ??= s;
      }
      return first ?? OPEN_SCHEMA;
    }
    case 'graph-mark-components': {
      const kind = op.parameters.find((x) => x.name.name === 'kind')?.value;
      if (kind && !(kind.kind === 'NameRef' && (kind.name === 'weak' || kind.name === 'strong'))) b.error(SEMANTIC.graphPattern, "graph-mark-components kind must be 'weak' or 'strong'", kind.span);
      const id = op.parameters.find((x) => x.name.name === 'with_component_id')?.value;
      const nodes = [...g.nodes.columns];
      upsertColumn(nodes, { name: id?.kind === 'NameRef' ? id.name : 'ComponentId', type: 'long' });
      return { columns: [], graph: { nodes: { ...g.nodes, columns: nodes }, edges: g.edges } };
    }
    case 'graph-merge':
      return { columns: [], graph: OPEN_GRAPH };
  }
}

function requireGraph(b: Binder, word: string, input: TableSchema, span: { start: number; end: number }): GraphSchema {
  if (input.graph) return input.graph;
  if (!input.open || input.columns.length) b.error(SEMANTIC.graphMisuse, `'${word}' needs a graph input (make-graph or graph()), but its input is a table`, span);
  return OPEN_GRAPH;
}

function bindMatch(b: Binder, op: Extract<GraphOp, { operator: 'graph-match' | 'graph-shortest-paths' }>, g: GraphSchema, scope: Scope): TableSchema {
  const plan = analyzePattern(op.paths);
  for (const p of plan.problems) b.error(SEMANTIC.graphPattern, p.message, p.span);
  for (const prm of op.parameters) {
    const v = prm.value.kind === 'NameRef' ? prm.value.name : '';
    const allowed = prm.name.name === 'cycles' ? ['all', 'none', 'unique_edges'] : ['any', 'all'];
    if (!allowed.includes(v)) b.error(SEMANTIC.graphPattern, `${prm.name.name} must be one of ${allowed.join(', ')}`, prm.value.span);
  }
  if (op.operator === 'graph-shortest-paths') {
    if (op.paths.length !== 1) b.error(SEMANTIC.graphPattern, 'graph-shortest-paths takes a single path pattern (no comma-separated sequences)', op.paths[1]?.span ?? op.span);
    if (!plan.edges.some((e) => e.variable)) b.error(SEMANTIC.graphPattern, 'graph-shortest-paths needs a variable length edge in its pattern (-[e*1..n]->)', op.paths[0]?.span ?? op.span);
  }
  for (const path of op.paths) {
    for (const e of path.edges) {
      for (const n of [e.range?.minName, e.range?.maxName]) {
        if (!n) continue;
        const t = bindExpr(b, n, scope, undefined);
        if (t !== 'int' && t !== 'long' && t !== 'dynamic') b.error(SEMANTIC.typeMismatch, `a variable length edge's length must be an integer, but '${n.name}' is ${t}`, n.span);
      }
    }
  }
  const row: Row = { schema: { columns: [] }, graph: { plan, graph: g } };
  if (op.where) {
    const t = bindExpr(b, op.where, scope, row);
    if (t !== 'bool' && t !== 'dynamic') b.error(SEMANTIC.typeMismatch, `the where clause of ${op.operator} must be a boolean, not ${t}`, op.where.span);
  }
  const out: ColumnSchema[] = [];
  let n = 0;
  for (const a of op.project) {
    const type = bindExpr(b, a.expr, scope, row);
    const name = a.names[0]?.name ?? graphColumnName(a.expr) ?? `Column${++n}`;
    out.push({ name: uniqueName(out, name), type });
  }
  return { columns: out };
}

/** `n.name` → n_name (like any member access); an unnamed graph function call is named by the function. */
export function graphColumnName(e: Expr): string | undefined {
  if (e.kind === 'CallExpr' && GRAPH_FUNCTIONS.has(e.name.name)) return e.name.name;
  return implicitName(e);
}

/** `v.prop` on a pattern variable; undefined when the target is not one (an ordinary member access). */
export function bindGraphMember(b: Binder, e: MemberExpr, row: Row): ScalarTypeName | undefined {
  const gr = row.graph;
  if (!gr || e.target.kind !== 'NameRef') return undefined;
  const v = gr.plan.vars.get(e.target.name);
  if (!v) return undefined;
  if (gr.element) {
    b.error(SEMANTIC.graphPattern, `inside all(), any() and map() name the ${gr.element === 'edge' ? 'edge' : 'inner node'}'s properties directly ('${e.name.name}'), not through the variable '${e.target.name}'`, e.span);
    return 'dynamic';
  }
  const props = v.kind === 'node' ? gr.graph.nodes : gr.graph.edges;
  const col = findColumn(props, e.name.name);
  if (!col && !props.open) reportUnknownColumn(b, e.name.name, e.name.span, props.columns.map((c) => c.name));
  // each occurrence of a variable length edge contributes one value: an array
  if (v.kind === 'edge' && v.variable) return 'dynamic';
  return col?.type ?? 'dynamic';
}

/** A graph function call inside graph-match/graph-shortest-paths; undefined when `e` is not one. */
export function bindGraphCall(b: Binder, e: CallExpr, scope: Scope, row: Row): ScalarTypeName | undefined {
  const gr = row.graph;
  const name = e.name.name;
  if (!gr || !GRAPH_FUNCTIONS.has(name)) return undefined;
  const args = e.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
  switch (name) {
    case 'all':
    case 'any':
    case 'map': {
      if (gr.element) b.error(SEMANTIC.graphPattern, `${name}() cannot be nested inside another all(), any() or map()`, e.name.span);
      if (args.length !== 2) b.error(SEMANTIC.wrongArity, `function '${name}' expects 2 arguments (a variable length edge, or inner_nodes(edge), and an expression), got ${args.length}`, e.span);
      const element = elementOf(b, args[0], gr, name);
      if (args[1]) {
        const props = element === 'node' ? gr.graph.nodes : gr.graph.edges;
        bindExpr(b, args[1], scope, { schema: props, graph: { ...gr, element } });
      }
      return name === 'map' ? 'dynamic' : 'bool';
    }
    case 'inner_nodes':
      b.error(SEMANTIC.graphPattern, 'inner_nodes() can only be the first argument of all(), any() or map()', e.span);
      return 'dynamic';
    default: {
      // node_degree_in / node_degree_out / node_id / labels: (node) outside, () over inner nodes;
      // labels also takes an edge, and () over a variable edge's edges
      const edgesToo = name === 'labels';
      if (args.length === 0) {
        if (gr.element !== 'node' && !(edgesToo && gr.element === 'edge')) b.error(SEMANTIC.graphPattern, `${name}() without an argument is only allowed inside all(), any() or map() over inner_nodes(...)`, e.span);
      } else {
        const a = args[0]!;
        const v = a.kind === 'NameRef' ? gr.plan.vars.get(a.name) : undefined;
        if (args.length > 1 || !v || (v.kind !== 'node' && !edgesToo)) b.error(SEMANTIC.graphPattern, `${name}() takes a ${edgesToo ? 'node or edge' : 'node'} variable of the pattern`, a.span);
        else if (gr.element) b.error(SEMANTIC.graphPattern, `inside all(), any() and map() call ${name}() without an argument`, a.span);
        b.types.set(a, 'dynamic');
      }
      return name === 'node_id' ? 'string' : name === 'labels' ? 'dynamic' : 'long';
    }
  }
}

/** The first argument of all/any/map: a variable length edge (its edges) or inner_nodes(edge) (its inner nodes). */
function elementOf(b: Binder, a: Expr | undefined, gr: GraphRow, fn: string): 'edge' | 'node' {
  let inner = false;
  let x = a;
  if (x?.kind === 'CallExpr' && x.name.name === 'inner_nodes') {
    inner = true;
    x = x.args[0]?.kind === 'NamedArg' ? undefined : x.args[0];
  }
  const v = x?.kind === 'NameRef' ? gr.plan.vars.get(x.name) : undefined;
  if (v?.kind !== 'edge' || !v.variable) {
    b.error(SEMANTIC.graphPattern, `the first argument of ${fn}() must be a variable length edge of the pattern (-[e*1..3]->) or inner_nodes() of one`, a?.span ?? { start: 0, end: 0 });
  }
  if (x) b.types.set(x, 'dynamic');
  if (a && a !== x) b.types.set(a, 'dynamic');
  return inner ? 'node' : 'edge';
}

/**
 * A pattern variable used as a value (`project n, e`): a property bag of the node or edge, an array of
 * bags for a variable length edge. Inside all/any/map only the element's own properties are in scope.
 */
export function bindGraphVariable(b: Binder, name: string, span: { start: number; end: number }, row: Row | undefined): ScalarTypeName | undefined {
  const v = row?.graph?.plan.vars.get(name);
  if (!v) return undefined;
  if (row!.graph!.element) b.error(SEMANTIC.graphPattern, `inside all(), any() and map() only the ${row!.graph!.element === 'edge' ? 'edge' : 'inner node'}'s own properties can be used, not the pattern variable '${name}'`, span);
  return 'dynamic';
}
