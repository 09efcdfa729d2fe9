/**
 * `graph-shortest-paths [output=any|all] Pattern where P project ...`: for each (first node, last node)
 * pair of the pattern, the matches of minimal total length (edges counted along the whole path) among
 * those satisfying P; `any` (default) keeps one per pair, the first the walk found, `all` keeps every
 * one of that length. The walk is graph-match's, over simple paths (a shortest path never repeats a
 * node), with P's per-node/per-edge conjuncts applied as it goes. The common shape — one variable
 * length edge with min <= 1 and a where that is all masks — runs as a breadth-first search per source
 * instead (parents kept per node; every shortest path for output=all), which stays linear per source.
 */
import type { Relation } from '../compile/relation.js';
import type { OpContext } from './context.js';
import { compileGraphExpr, patternOf, type GraphCompile } from './graph-expr.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { enumerate, IntList, matchView, paramName, planSteps, projectMatches, requireGraph, splitWhere, type Masks, type Matches, type MatchOp } from './graph-match.js';

export function graphShortestPaths(op: MatchOp, input: Relation, cx: OpContext, columnNames: string[]): Relation {
  const graph = requireGraph(input, op.operator);
  const plan = patternOf(op.paths, cx.rt, cx.env);
  const g: GraphCompile = { rt: cx.rt, env: cx.env, graph, plan };
  const masks = splitWhere(op.where, g);
  const all = paramName(op, 'output') === 'all';
  const fast = breadthFirst(g, masks, all);
  if (fast) return projectMatches(op, g, fast, [], columnNames);
  const m = enumerate(g, masks, 'none');
  const view = matchView(m);
  const preds = masks.residual.map((e) => compileGraphExpr(e, g, view, m.count).eval);
  const ids = plan.pathNodes[0]!;
  const first = m.nodes[ids[0]!]!;
  const last = m.nodes[ids[ids.length - 1]!]!;
  const lengthOf = (r: number) => plan.edges.reduce((n, e, i) => n + (e.variable ? m.paths[i]!.len[r]! : 1), 0);
  // per pair: the shortest length seen and the matches of that length, in the order found
  const best = new Map<number, { length: number; rows: number[] }>();
  const nodeCount = graph.nodes.length;
  for (let r = 0; r < m.count; r++) {
    if (!preds.every((p) => p(r) === true)) continue;
    const key = first[r]! * nodeCount + last[r]!;
    const len = lengthOf(r);
    const b = best.get(key);
    if (!b || len < b.length) best.set(key, { length: len, rows: [r] });
    else if (len === b.length) b.rows.push(r);
  }
  const keep: number[] = [];
  for (const b of best.values()) {
    if (all) keep.push(...b.rows);
    else keep.push(b.rows[0]!);
  }
  keep.sort((a, b) => a - b);
  return projectMatches(op, g, m, [], columnNames, Int32Array.from(keep));
}

/** Shortest paths by BFS from each source; undefined when the pattern or the where needs the general walk. */
function breadthFirst(g: GraphCompile, masks: Masks, all: boolean): Matches | undefined {
  const { plan, graph, rt } = g;
  const pe = plan.edges[0];
  if (plan.edges.length !== 1 || !pe?.variable || pe.min > 1 || masks.residual.length || pe.left === pe.right) return undefined;
  const [step] = planSteps(plan, masks).steps;
  if (!step) return undefined;
  // the search starts on the side the walk would (the more selective one); from the right it runs against
  // the edges' direction and its paths come out already in left-to-right order
  const fromRight = step.from === pe.right;
  const n = graph.nodes.length;
  const { src, dst, outStart, outEdges, inStart, inEdges } = graph;
  const sm = masks.node[step.from];
  const tm = masks.node[step.to];
  const em = masks.edge[0];
  const im = masks.inner[0];
  const stamp = new Int32Array(n).fill(-1);
  const dist = new Int32Array(n);
  // predecessors of each node on shortest paths: linked lists in flat arrays (reset by the stamp)
  const predHead = new Int32Array(n);
  const predNext = new IntList();
  const predEdge = new IntList();
  const queue = new Int32Array(n);
  const out = { first: new IntList(), last: new IntList(), start: new IntList(), len: new IntList(), innerStart: new IntList(), edges: new IntList(), inner: new IntList() };
  const pathE: number[] = [];
  const pathN: number[] = [];
  let work = 0;
  const emit = (s: number, x: number) => {
    // pathE/pathN were collected from x back to s
    out.first.push(fromRight ? x : s);
    out.last.push(fromRight ? s : x);
    out.start.push(out.edges.n);
    out.len.push(pathE.length);
    out.innerStart.push(out.inner.n);
    if (fromRight) {
      for (let k = 0; k < pathE.length; k++) out.edges.push(pathE[k]!);
      for (let k = 0; k < pathN.length; k++) out.inner.push(pathN[k]!);
    } else {
      for (let k = pathE.length - 1; k >= 0; k--) out.edges.push(pathE[k]!);
      for (let k = pathN.length - 1; k >= 0; k--) out.inner.push(pathN[k]!);
    }
  };
  /** Walks predecessor lists from x back to s: the first list entry only (any), or every combination (all). */
  const back = (s: number, x: number, at: number) => {
    if ((++work & LIMIT_CHECK_MASK) === 0) checkLimits(rt);
    if (at === s) {
      emit(s, x);
      return;
    }
    for (let k = predHead[at]!; k >= 0; k = predNext.a[k]!) {
      const e = predEdge.a[k]!;
      const prev = src[e] === at ? dst[e]! : src[e]!;
      pathE.push(e);
      if (prev !== s) pathN.push(prev);
      back(s, x, prev);
      if (prev !== s) pathN.pop();
      pathE.pop();
      if (!all) return;
    }
  };
  for (let s = 0; s < n; s++) {
    if (sm && !sm[s]) continue;
    if (pe.min === 0 && (!tm || tm[s])) emit(s, s);
    stamp[s] = s;
    dist[s] = 0;
    predHead[s] = -1;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++]!;
      const du = dist[u]!;
      if (du === pe.max || (u !== s && im && !im[u])) continue;
      const visit = (e: number, x: number) => {
        if ((em && !em[e]) || x === s) return;
        if ((++work & LIMIT_CHECK_MASK) === 0) checkLimits(rt);
        if (stamp[x] !== s) {
          stamp[x] = s;
          dist[x] = du + 1;
          predHead[x] = -1;
          queue[tail++] = x;
        } else if (dist[x] !== du + 1) return;
        predNext.push(predHead[x]!);
        predEdge.push(e);
        predHead[x] = predNext.n - 1;
      };
      if (step.dir !== 'in') for (let k = outStart[u]!; k < outStart[u + 1]!; k++) visit(outEdges[k]!, dst[outEdges[k]!]!);
      if (step.dir !== 'out') for (let k = inStart[u]!; k < inStart[u + 1]!; k++) { const e = inEdges[k]!; if (step.dir === 'both' && src[e] === dst[e]) continue; visit(e, src[e]!); }
    }
    // queue order = order of discovery; predecessor lists were built newest first, so reverse them
    for (let q = 1; q < tail; q++) {
      const x = queue[q]!;
      predHead[x] = reverseList(predHead[x]!, predNext.a);
      if (!tm || tm[x]) back(s, x, x);
    }
    predNext.n = 0;
    predEdge.n = 0;
  }
  const nodes: Int32Array[] = plan.nodes.map(() => new Int32Array(0));
  nodes[pe.left] = out.first.done();
  nodes[pe.right] = out.last.done();
  return { count: out.first.n, nodes, edges: [new Int32Array(0)], paths: [{ start: out.start.done(), len: out.len.done(), innerStart: out.innerStart.done(), edges: out.edges.done(), inner: out.inner.done() }] };
}

function reverseList(head: number, next: Int32Array): number {
  let prev = -1;
  while (head >= 0) {
    const n = next[head]!;
    next[head] = prev;
    prev = head;
    head = n;
  }
  return prev;
}
