/**
 * Compiling graph-match / graph-shortest-paths expressions. A "row" is a match (or, for the filters the
 * matcher applies while it walks, a node or an edge); `MatchView` says which node/edge each pattern
 * variable is bound to at a row. `v.prop` reads the property column at that node/edge; all/any/map over a
 * variable length edge compile their inner expression ONCE over the edge (or node) property columns and
 * run it for each element of the row's path.
 */
import type { CallExpr, Expr, GraphPath, ScalarTypeName } from '../../kql/syntax/ast.js';
import { analyzePattern, type PatternPlan } from '../../kql/semantics/graph-pattern.js';
import { GRAPH_FUNCTIONS } from '../../kql/semantics/bind-graph.js';
import { columnReader, compileExpr, toDynamic, type CompileScope } from '../compile/expr.js';
import type { Compiled, Env, Runtime } from '../compile/env.js';
import type { GraphValue } from '../storage/graph.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { setOwn } from '../../common/own-keys.js';

/** A variable length edge's path at each row: edges[start[r] .. +len[r]), inner nodes inner[innerStart[r] .. +max(len-1, 0)). */
export interface PathColumn {
  start: Int32Array;
  len: Int32Array;
  innerStart: Int32Array;
  edges: Int32Array;
  inner: Int32Array;
}

export interface MatchView {
  /** Node index of node variable `id` at row r (absent: not available in this view). */
  node(id: number): ((r: number) => number) | undefined;
  /** Edge index of fixed edge `index` at row r. */
  edge(index: number): ((r: number) => number) | undefined;
  path(index: number): PathColumn | undefined;
}

/** The pattern of a graph-match/graph-shortest-paths, with lengths written as names (`*1..maxHops`) evaluated. */
export function patternOf(paths: GraphPath[], rt: Runtime, env: Env): PatternPlan {
  const plan = analyzePattern(paths, (n) => {
    const v = compileExpr(n, { rt, env, rel: { columns: [], length: 1 } }).eval(0);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new QueryError(`a variable length edge's length must be a non-negative integer, but '${n.name}' is ${String(v)}`);
    return v;
  });
  for (const e of plan.edges) if (e.max < e.min) throw new QueryError(`the variable length edge range ${e.min}..${e.max} of '${e.name}' is empty`);
  return plan;
}

export interface GraphCompile {
  rt: Runtime;
  env: Env;
  graph: GraphValue;
  plan: PatternPlan;
}

/** Compiles `e` over `length` rows of `view`. */
export function compileGraphExpr(e: Expr, g: GraphCompile, view: MatchView, length: number): Compiled {
  const s: CompileScope = { rt: g.rt, env: g.env, rel: { columns: [], length }, override: (x, sc) => overrideMatch(x, sc, g, view) };
  return compileExpr(e, s);
}

function propertyReader(table: GraphValue['nodes'], name: string): { type: Compiled['type']; read: (i: number) => Value } {
  const col = table.columns.find((c) => c.name === name)?.column;
  if (!col) return { type: 'dynamic', read: () => null };
  return { type: col.type, read: columnReader(col) };
}

/** A pattern variable as a value: its properties as a bag (an array of bags for a variable length edge). */
function bagOf(table: GraphValue['nodes']): (i: number) => DynamicValue {
  const readers = table.columns.map((c) => [c.name, columnReader(c.column), c.column.type] as const);
  return (i) => {
    const bag: Record<string, DynamicValue> = {};
    for (const [name, read, type] of readers) setOwn(bag, name, toDynamic(read(i), type));
    return bag;
  };
}

function overrideMatch(e: Expr, s: CompileScope, g: GraphCompile, view: MatchView): Compiled | undefined {
  if (e.kind === 'NameRef') {
    const v = g.plan.vars.get(e.name);
    if (!v) return undefined;
    if (v.kind === 'node') {
      const at = need(view.node(v.id), e.name);
      const bag = bagOf(g.graph.nodes);
      return { type: 'dynamic', eval: (r) => bag(at(r)) };
    }
    const bag = bagOf(g.graph.edges);
    if (!v.variable) {
      const at = need(view.edge(v.index), e.name);
      return { type: 'dynamic', eval: (r) => bag(at(r)) };
    }
    const path = need(view.path(v.index), e.name);
    return { type: 'dynamic', eval: (r) => collect(path.edges, path.start[r]!, path.len[r]!, bag, 'dynamic') };
  }
  if (e.kind === 'MemberExpr' && e.target.kind === 'NameRef') {
    const v = g.plan.vars.get(e.target.name);
    if (!v) return undefined;
    if (v.kind === 'node') {
      const at = need(view.node(v.id), e.target.name);
      const p = propertyReader(g.graph.nodes, e.name.name);
      return { type: p.type, eval: (r) => p.read(at(r)) };
    }
    const p = propertyReader(g.graph.edges, e.name.name);
    if (!v.variable) {
      const at = need(view.edge(v.index), e.target.name);
      return { type: p.type, eval: (r) => p.read(at(r)) };
    }
    const path = need(view.path(v.index), e.target.name);
    return { type: 'dynamic', eval: (r) => collect(path.edges, path.start[r]!, path.len[r]!, p.read, p.type) };
  }
  if (e.kind !== 'CallExpr' || !GRAPH_FUNCTIONS.has(e.name.name)) return undefined;
  const name = e.name.name;
  const args = e.args.map((a) => (a.kind === 'NamedArg' ? a.value : a));
  if (name === 'all' || name === 'any' || name === 'map') {
    const { index, inner } = pathArgument(args[0], g.plan);
    const path = need(view.path(index), name);
    const element = compileElementExpr(args[1]!, g, inner ? 'node' : 'edge', s);
    const f = element.eval;
    const list = inner ? path.inner : path.edges;
    const start = inner ? path.innerStart : path.start;
    const count = inner ? (r: number) => Math.max(path.len[r]! - 1, 0) : (r: number) => path.len[r]!;
    if (name === 'map') return { type: 'dynamic', eval: (r) => collect(list, start[r]!, count(r), f, element.type) };
    const want = name === 'all';
    return {
      type: 'bool',
      eval: (r) => {
        const o = start[r]!;
        const n = count(r);
        for (let k = 0; k < n; k++) if ((f(list[o + k]!) === true) !== want) return !want;
        return want;
      },
    };
  }
  // graphs made by make-graph carry no labels (only graph models do): an empty array for every element
  if (name === 'labels') return { type: 'dynamic', eval: () => [] };
  const a = args[0];
  const v = a?.kind === 'NameRef' ? g.plan.vars.get(a.name) : undefined;
  if (!v || v.kind !== 'node') throw new QueryError(`${name}() needs a node variable of the pattern here`);
  const at = need(view.node(v.id), a!.kind === 'NameRef' ? a!.name : name);
  const fn = nodeFunction(name, g.graph);
  return { type: fn.type, eval: (r) => fn.eval(at(r)) };
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new QueryError(`internal: graph variable '${what}' is not bound at this point`);
  return x;
}

function collect(list: Int32Array, start: number, n: number, f: (i: number) => Value | DynamicValue, type: ScalarTypeName): DynamicValue[] {
  const out: DynamicValue[] = new Array(n);
  for (let k = 0; k < n; k++) out[k] = toDynamic(f(list[start + k]!) as Value, type);
  return out;
}

/** The first argument of all/any/map: a variable length edge, or inner_nodes(edge). */
export function pathArgument(a: Expr | undefined, plan: PatternPlan): { index: number; inner: boolean } {
  let x = a;
  let inner = false;
  if (x?.kind === 'CallExpr' && x.name.name === 'inner_nodes') {
    inner = true;
    const y = x.args[0];
    x = y && y.kind !== 'NamedArg' ? y : undefined;
  }
  const v = x?.kind === 'NameRef' ? plan.vars.get(x.name) : undefined;
  if (v?.kind !== 'edge' || !v.variable) throw new QueryError('all(), any() and map() need a variable length edge of the pattern');
  return { index: v.index, inner };
}

/** node_degree_in/out, node_id of node i. */
function nodeFunction(name: string, graph: GraphValue): Compiled {
  switch (name) {
    case 'node_degree_in':
      return { type: 'long', eval: (i) => graph.inStart[i + 1]! - graph.inStart[i]! };
    case 'node_degree_out':
      return { type: 'long', eval: (i) => graph.outStart[i + 1]! - graph.outStart[i]! };
    case 'node_id':
      return { type: 'string', eval: (i) => nodeIdText(graph.nodeKeys[i]!) };
    default:
      throw new QueryError(`the graph function ${name}() is not supported by kqlite's engine`, 'KQL4010');
  }
}

function nodeIdText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * An expression evaluated per element (edge or inner node): compiled once over the element property
 * columns, row = edge/node index. Argument-less node functions read the element node.
 */
export function compileElementExpr(e: Expr, g: GraphCompile, element: 'edge' | 'node', outer?: CompileScope): Compiled {
  const table = element === 'edge' ? g.graph.edges : g.graph.nodes;
  const s: CompileScope = {
    rt: g.rt,
    env: outer?.env ?? g.env,
    rel: { columns: table.columns, length: table.length },
    override: (x) => {
      if (x.kind !== 'CallExpr' || !GRAPH_FUNCTIONS.has(x.name.name) || (x as CallExpr).args.length) return undefined;
      if (x.name.name === 'labels') return { type: 'dynamic', eval: () => [] };
      if (element !== 'node') throw new QueryError(`${x.name.name}() without an argument needs inner_nodes(...)`);
      return nodeFunction(x.name.name, g.graph);
    },
  };
  return compileExpr(e, s);
}

