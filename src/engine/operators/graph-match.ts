/**
 * `graph-match [cycles=unique_edges|none|all] Pattern [where P] project ...`: every binding of the
 * pattern's variables to nodes and edges that satisfies P, one output row each.
 *
 * How: P is split at `and`. Conjuncts about one node or one fixed edge become masks over the nodes/edges,
 * and `all(e, c)` / `all(inner_nodes(e), c)` masks over the edges/nodes a variable length edge may use;
 * the walk only steps where the masks allow. The walk is a depth-first search over the CSR adjacency,
 * bindings kept in typed arrays; each match is appended to Int32 columns. The remaining conjuncts and
 * the project run over those columns. Limits (time, memory, cancel) are checked every 65,536 steps.
 */
import type { Expr, GraphOp } from '../../kql/syntax/ast.js';
import type { PatternPlan } from '../../kql/semantics/graph-pattern.js';
import { conjuncts, walk } from '../../kql/syntax/index.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import type { Relation } from '../compile/relation.js';
import { buildColumn } from '../storage/builders.js';
import type { GraphValue } from '../storage/graph.js';
import { QueryError, type Value } from '../values/value.js';
import type { OpContext } from './context.js';
import { compileElementExpr, compileGraphExpr, pathArgument, patternOf, type GraphCompile, type MatchView, type PathColumn } from './graph-expr.js';

export type MatchOp = Extract<GraphOp, { operator: 'graph-match' | 'graph-shortest-paths' }>;

/** A growable Int32 column. */
export class IntList {
  a = new Int32Array(64);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): Int32Array {
    return this.a.subarray(0, this.n);
  }
}

/** The matches found: one entry per match in each column. */
export interface Matches {
  count: number;
  nodes: Int32Array[];
  edges: Int32Array[];
  paths: (PathColumn | undefined)[];
}

export interface Masks {
  node: (Uint8Array | undefined)[];
  edge: (Uint8Array | undefined)[];
  inner: (Uint8Array | undefined)[];
  residual: Expr[];
}

export function graphMatch(op: MatchOp, input: Relation, cx: OpContext, columnNames: string[]): Relation {
  const graph = requireGraph(input, op.operator);
  const plan = patternOf(op.paths, cx.rt, cx.env);
  const g: GraphCompile = { rt: cx.rt, env: cx.env, graph, plan };
  const masks = splitWhere(op.where, g);
  const cycles = paramName(op, 'cycles') ?? 'unique_edges';
  const m = enumerate(g, masks, cycles === 'none' ? 'none' : cycles === 'all' ? 'all' : 'unique_edges');
  return projectMatches(op, g, m, masks.residual, columnNames);
}

export function requireGraph(input: Relation, word: string): GraphValue {
  if (!input.graph) throw new QueryError(`'${word}' needs a graph input (make-graph), but its input is a table`);
  return input.graph;
}

export function paramName(op: MatchOp, name: string): string | undefined {
  const v = op.parameters.find((p) => p.name.name === name)?.value;
  return v?.kind === 'NameRef' ? v.name : undefined;
}

/** The view of the match columns: variable bound at match r. */
export function matchView(m: Matches): MatchView {
  return {
    node: (id) => { const a = m.nodes[id]!; return (r) => a[r]!; },
    edge: (i) => { const a = m.edges[i]!; return (r) => a[r]!; },
    path: (i) => m.paths[i],
  };
}

/** Residual where (vectorised over the matches), then the project columns over the surviving rows. */
export function projectMatches(op: MatchOp, g: GraphCompile, m: Matches, residual: Expr[], columnNames: string[], keep?: Int32Array): Relation {
  const view = matchView(m);
  let rows: Int32Array = keep ?? Int32Array.from({ length: m.count }, (_, i) => i);
  if (residual.length) {
    const preds = residual.map((e) => compileGraphExpr(e, g, view, m.count).eval);
    rows = rows.filter((r) => preds.every((p) => p(r) === true));
  }
  const columns = op.project.map((a, i) => {
    const c = compileGraphExpr(a.expr, g, view, m.count);
    const values: Value[] = new Array(rows.length);
    for (let k = 0; k < rows.length; k++) values[k] = c.eval(rows[k]!);
    return { name: columnNames[i] ?? `Column${i + 1}`, column: buildColumn(c.type, values) };
  });
  return { columns, length: rows.length };
}

/**
 * Which pattern variables an expression mentions (`v.prop`, `v`, a graph function's argument). The
 * expression inside all/any/map names the element's properties, which may share a variable's name.
 */
function variablesOf(e: Expr, plan: PatternPlan, out = new Set<string>()): Set<string> {
  walk(e, (n) => {
    const x = n as Expr;
    if (x.kind === 'NameRef' && plan.vars.has(x.name)) out.add(x.name);
    if (x.kind === 'CallExpr' && /^(all|any|map)$/.test(x.name.name) && x.args[0]) {
      variablesOf(x.args[0] as Expr, plan, out);
      return false;
    }
    return true;
  });
  return out;
}

/** Conjuncts about one node / one fixed edge / each element of a variable edge become masks; the rest stay. */
export function splitWhere(where: Expr | undefined, g: GraphCompile): Masks {
  const { plan, graph } = g;
  const masks: Masks = { node: [], edge: [], inner: [], residual: [] };
  const and = (list: (Uint8Array | undefined)[], i: number, mask: Uint8Array) => {
    const old = list[i];
    if (old) for (let k = 0; k < mask.length; k++) old[k]! &= mask[k]!;
    else list[i] = mask;
  };
  for (const c of conjuncts(where)) {
    const vars = [...variablesOf(c, plan)];
    if (c.kind === 'CallExpr' && c.name.name === 'all' && c.args.length === 2 && vars.length === 1) {
      const { index, inner } = pathArgument(c.args[0] as Expr, plan);
      const f = compileElementExpr(c.args[1] as Expr, g, inner ? 'node' : 'edge').eval;
      const n = inner ? graph.nodes.length : graph.edges.length;
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) mask[i] = f(i) === true ? 1 : 0;
      and(inner ? masks.inner : masks.edge, index, mask);
      continue;
    }
    const v = vars.length === 1 ? plan.vars.get(vars[0]!) : undefined;
    if (v && (v.kind === 'node' || !v.variable)) {
      const n = v.kind === 'node' ? graph.nodes.length : graph.edges.length;
      const identity = (r: number) => r;
      const view: MatchView = {
        node: (id) => (v.kind === 'node' && id === v.id ? identity : undefined),
        edge: (i) => (v.kind === 'edge' && i === v.index ? identity : undefined),
        path: () => undefined,
      };
      const f = compileGraphExpr(c, g, view, n).eval;
      const mask = new Uint8Array(n);
      for (let i = 0; i < n; i++) mask[i] = f(i) === true ? 1 : 0;
      and(v.kind === 'node' ? masks.node : masks.edge, v.kind === 'node' ? v.id : v.index, mask);
      continue;
    }
    masks.residual.push(c);
  }
  return masks;
}

interface Step {
  edge: number;
  from: number;
  to: number;
  /** Which adjacency to walk from `from`: out, in, or both. */
  dir: 'out' | 'in' | 'both';
}

/**
 * The order the walk binds variables in: it starts at the node variable whose where-mask admits the
 * fewest nodes (else the pattern's first node), walks that node's path right then left, then each path
 * that shares a bound node, the same way.
 */
export function planSteps(plan: PatternPlan, masks: Masks): { start: number; steps: Step[] } {
  const steps: Step[] = [];
  const bound = new Set<number>();
  const stepOf = (edgeIndex: number, fromLeft: boolean): Step => {
    const e = plan.edges[edgeIndex]!;
    const from = fromLeft ? e.left : e.right;
    const to = fromLeft ? e.right : e.left;
    const dir = e.direction === 'any' ? 'both' : (e.direction === 'forward') === fromLeft ? 'out' : 'in';
    return { edge: edgeIndex, from, to, dir };
  };
  let start = plan.pathNodes[0]?.[0] ?? 0;
  let fewest = Infinity;
  masks.node.forEach((m, id) => {
    if (!m) return;
    let n = 0;
    for (let i = 0; i < m.length; i++) n += m[i]!;
    if (n < fewest) [fewest, start] = [n, id];
  });
  const edgeBase: number[] = [];
  let base = 0;
  for (const ids of plan.pathNodes) {
    edgeBase.push(base);
    base += ids.length - 1;
  }
  bound.add(start);
  const done = new Set<number>();
  while (done.size < plan.pathNodes.length) {
    const p = plan.pathNodes.findIndex((ids, i) => !done.has(i) && ids.some((id) => bound.has(id)));
    if (p < 0) throw new QueryError('the graph pattern is not connected: each comma-separated sequence must share a node with the others');
    done.add(p);
    const ids = plan.pathNodes[p]!;
    const k = ids.includes(start) ? ids.indexOf(start) : ids.findIndex((id) => bound.has(id));
    for (let i = k; i < ids.length - 1; i++) {
      steps.push(stepOf(edgeBase[p]! + i, true));
      bound.add(ids[i + 1]!);
    }
    for (let i = k - 1; i >= 0; i--) {
      steps.push(stepOf(edgeBase[p]! + i, false));
      bound.add(ids[i]!);
    }
  }
  return { start, steps };
}

export type CyclesMode = 'unique_edges' | 'none' | 'all';

/** Depth-first enumeration of every binding of the pattern's variables that the masks allow. */
export function enumerate(g: GraphCompile, masks: Masks, cycles: CyclesMode): Matches {
  const { plan, graph, rt } = g;
  const { start, steps } = planSteps(plan, masks);
  const nVars = plan.nodes.length;
  const nEdges = plan.edges.length;
  const nodeBind = new Int32Array(nVars).fill(-1);
  const edgeBind = new Int32Array(nEdges).fill(-1);
  const pathE = plan.edges.map((e) => new Int32Array(e.variable ? e.max : 0));
  const pathN = plan.edges.map((e) => new Int32Array(e.variable ? e.max + 1 : 0));
  const pathL = new Int32Array(nEdges);
  const edgeUse = new Uint8Array(graph.edges.length);
  const nodeUse = new Int32Array(graph.nodes.length);
  const uniqueEdges = cycles === 'unique_edges';
  const noCycles = cycles === 'none';
  const outN = plan.nodes.map(() => new IntList());
  const outE = plan.edges.map(() => new IntList());
  const outP = plan.edges.map((e) => (e.variable ? { start: new IntList(), len: new IntList(), innerStart: new IntList(), edges: new IntList(), inner: new IntList() } : undefined));
  let count = 0;
  let work = 0;
  const { src, dst, outStart, outEdges, inStart, inEdges } = graph;

  const backwards = plan.edges.map((e, i) => steps.some((s) => s.edge === i && s.from === e.right && e.left !== e.right));
  const emit = () => {
    for (let v = 0; v < nVars; v++) outN[v]!.push(nodeBind[v]!);
    for (let i = 0; i < nEdges; i++) {
      const p = outP[i];
      if (!p) {
        outE[i]!.push(edgeBind[i]!);
        continue;
      }
      const L = pathL[i]!;
      p.start.push(p.edges.n);
      p.len.push(L);
      p.innerStart.push(p.inner.n);
      // paths are stored in the pattern's left-to-right order, whichever way the walk went
      if (backwards[i]) {
        for (let k = L - 1; k >= 0; k--) p.edges.push(pathE[i]![k]!);
        for (let k = L - 1; k >= 1; k--) p.inner.push(pathN[i]![k]!);
      } else {
        for (let k = 0; k < L; k++) p.edges.push(pathE[i]![k]!);
        for (let k = 1; k < L; k++) p.inner.push(pathN[i]![k]!);
      }
    }
    count++;
  };
  const tick = () => {
    if ((++work & LIMIT_CHECK_MASK) === 0) checkLimits(rt);
  };
  /** Binds `to` to node x (or checks it), runs the rest, undoes. */
  const arrive = (s: Step, x: number, i: number) => {
    const already = nodeBind[s.to]!;
    if (already >= 0) {
      if (already === x) step(i + 1);
      return;
    }
    const nm = masks.node[s.to];
    if (nm && !nm[x]) return;
    if (noCycles && nodeUse[x]! > 0) return;
    nodeBind[s.to] = x;
    nodeUse[x]!++;
    step(i + 1);
    nodeUse[x]!--;
    nodeBind[s.to] = -1;
  };
  // The walk: step(i) extends from step i's bound `from` node; fixed edges go through viaFixed, variable
  // ones through grow/viaPath (one call per path length). Named functions with index arguments, so no
  // closure is allocated per step.
  const step = (i: number): void => {
    tick();
    if (i === steps.length) {
      emit();
      return;
    }
    const s = steps[i]!;
    const u = nodeBind[s.from]!;
    if (plan.edges[s.edge]!.variable) {
      pathN[s.edge]![0] = u;
      grow(i, 0, u);
      pathL[s.edge] = 0;
      return;
    }
    if (s.dir !== 'in') for (let k = outStart[u]!; k < outStart[u + 1]!; k++) viaFixed(i, outEdges[k]!, dst[outEdges[k]!]!);
    if (s.dir !== 'out') {
      for (let k = inStart[u]!; k < inStart[u + 1]!; k++) {
        const e = inEdges[k]!;
        if (s.dir === 'both' && src[e] === dst[e]) continue;
        viaFixed(i, e, src[e]!);
      }
    }
  };
  const viaFixed = (i: number, e: number, x: number): void => {
    const s = steps[i]!;
    const em = masks.edge[s.edge];
    if ((em && !em[e]) || (uniqueEdges && edgeUse[e])) return;
    edgeUse[e] = 1;
    edgeBind[s.edge] = e;
    arrive(s, x, i);
    edgeUse[e] = 0;
  };
  /** The variable edge of step i has length L so far and ends at `at`: offer `at`, then go one edge further. */
  const grow = (i: number, L: number, at: number): void => {
    tick();
    const s = steps[i]!;
    const pe = plan.edges[s.edge]!;
    pathL[s.edge] = L;
    if (L >= pe.min) arrive(s, at, i);
    if (L === pe.max) return;
    // `at` becomes an inner node if the path goes on
    const im = masks.inner[s.edge];
    if (L > 0 && ((im && !im[at]) || (noCycles && nodeUse[at]! > 0))) return;
    if (L > 0) nodeUse[at]!++;
    if (s.dir !== 'in') for (let k = outStart[at]!; k < outStart[at + 1]!; k++) viaPath(i, L, outEdges[k]!, dst[outEdges[k]!]!);
    if (s.dir !== 'out') {
      for (let k = inStart[at]!; k < inStart[at + 1]!; k++) {
        const e = inEdges[k]!;
        if (s.dir === 'both' && src[e] === dst[e]) continue;
        viaPath(i, L, e, src[e]!);
      }
    }
    if (L > 0) nodeUse[at]!--;
  };
  const viaPath = (i: number, L: number, e: number, x: number): void => {
    const s = steps[i]!;
    const em = masks.edge[s.edge];
    if ((em && !em[e]) || (uniqueEdges && edgeUse[e])) return;
    if (noCycles && nodeUse[x]! > 0 && x !== nodeBind[s.to]) return;
    edgeUse[e] = 1;
    pathE[s.edge]![L] = e;
    pathN[s.edge]![L + 1] = x;
    grow(i, L + 1, x);
    edgeUse[e] = 0;
  };

  const startMask = masks.node[start];
  for (let n = 0; n < graph.nodes.length; n++) {
    if (startMask && !startMask[n]) continue;
    nodeBind[start] = n;
    nodeUse[n]!++;
    step(0);
    nodeUse[n]!--;
    nodeBind[start] = -1;
  }
  return {
    count,
    nodes: outN.map((l) => l.done()),
    edges: outE.map((l) => l.done()),
    paths: outP.map((p) => (p ? { start: p.start.done(), len: p.len.done(), innerStart: p.innerStart.done(), edges: p.edges.done(), inner: p.inner.done() } : undefined)),
  };
}
