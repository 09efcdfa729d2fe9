/**
 * `graph-shortest-paths [output=any|all] Pattern where P project ...`: for each (first node, last node)
 * pair of the pattern, the matches of minimal total length (edges counted along the whole path) among
 * those satisfying P; `any` (default) keeps one per pair, the first the walk found, `all` keeps every
 * one of that length. The walk is graph-match's, over simple paths (a shortest path never repeats a
 * node), with P's per-node/per-edge conjuncts applied as it goes.
 */
import { analyzePattern } from '../../kql/semantics/graph-pattern.js';
import type { Relation } from '../compile/relation.js';
import type { OpContext } from './context.js';
import { compileGraphExpr, type GraphCompile } from './graph-expr.js';
import { enumerate, matchView, paramName, projectMatches, requireGraph, splitWhere, type MatchOp } from './graph-match.js';

export function graphShortestPaths(op: MatchOp, input: Relation, cx: OpContext, columnNames: string[]): Relation {
  const graph = requireGraph(input, op.operator);
  const plan = analyzePattern(op.paths);
  const g: GraphCompile = { rt: cx.rt, env: cx.env, graph, plan };
  const masks = splitWhere(op.where, g);
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
  const all = paramName(op, 'output') === 'all';
  const keep: number[] = [];
  for (const b of best.values()) {
    if (all) keep.push(...b.rows);
    else keep.push(b.rows[0]!);
  }
  keep.sort((a, b) => a - b);
  return projectMatches(op, g, m, [], columnNames, Int32Array.from(keep));
}
