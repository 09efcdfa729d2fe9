/**
 * `graph-mark-components [kind=weak|strong] [with_component_id=C]`: adds a long property C (default
 * ComponentId) to every node, the zero-based index of its connected component. Weak components ignore
 * edge direction (union-find over the edges); strong ones follow it (Tarjan's algorithm, iterative).
 * Components are numbered in the order of their first node.
 */
import type { GraphOp } from '../../kql/syntax/ast.js';
import type { Relation } from '../compile/relation.js';
import { buildColumn } from '../storage/builders.js';
import type { GraphValue } from '../storage/graph.js';
import { QueryError } from '../values/value.js';
import { requireGraph } from './graph-match.js';

export function graphMarkComponents(op: Extract<GraphOp, { operator: 'graph-mark-components' }>, input: Relation): Relation {
  const graph = requireGraph(input, 'graph-mark-components');
  const param = (n: string) => { const v = op.parameters.find((x) => x.name.name === n)?.value; return v?.kind === 'NameRef' ? v.name : undefined; };
  const kind = param('kind') ?? 'weak';
  if (kind !== 'weak' && kind !== 'strong') throw new QueryError("graph-mark-components kind must be 'weak' or 'strong'");
  const name = param('with_component_id') ?? 'ComponentId';
  const root = kind === 'weak' ? weakComponents(graph) : strongComponents(graph);
  // renumber by first node: 0, 1, 2, ...
  const n = graph.nodes.length;
  const number = new Map<number, number>();
  const ids: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let c = number.get(root[i]!);
    if (c === undefined) number.set(root[i]!, (c = number.size));
    ids[i] = c;
  }
  const columns = graph.nodes.columns.filter((c) => c.name !== name);
  columns.push({ name, column: buildColumn('long', ids) });
  return { columns: [], length: 0, graph: { ...graph, nodes: { columns, length: n } } };
}

function weakComponents(g: GraphValue): Int32Array {
  const parent = Int32Array.from({ length: g.nodes.length }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (let e = 0; e < g.src.length; e++) {
    const a = find(g.src[e]!);
    const b = find(g.dst[e]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  for (let i = 0; i < parent.length; i++) parent[i] = find(i);
  return parent;
}

/** Tarjan's strongly connected components without recursion (deep graphs would overflow the stack). */
function strongComponents(g: GraphValue): Int32Array {
  const n = g.nodes.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const work: { v: number; k: number }[] = [];
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    work.push({ v: s, k: g.outStart[s]! });
    index[s] = low[s] = next++;
    stack.push(s);
    onStack[s] = 1;
    while (work.length) {
      const top = work[work.length - 1]!;
      const v = top.v;
      if (top.k < g.outStart[v + 1]!) {
        const w = g.dst[g.outEdges[top.k++]!]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, k: g.outStart[w]! });
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length) { const u = work[work.length - 1]!.v; low[u] = Math.min(low[u]!, low[v]!); }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = v;
        } while (w !== v);
      }
    }
  }
  return comp;
}
