/**
 * `graph-to-table nodes [with_node_id=C]` / `edges [with_source_id=S] [with_target_id=T]`: the graph's
 * node or edge properties as a table. Ids are Kusto's node hash: hash() (XXH64) of the node id, a long.
 * With two parts (`nodes as N, edges as E`) both tables are named for the statements after it and the
 * operator's own result is the first.
 */
import type { GraphOp } from '../../kql/syntax/ast.js';
import type { Relation } from '../compile/relation.js';
import { SCALAR_FUNCTIONS } from '../functions/registry.js';
import { buildColumn, gatherColumn } from '../storage/builders.js';
import type { GraphValue } from '../storage/graph.js';
import type { Value } from '../values/value.js';
import type { OpContext } from './context.js';
import { requireGraph } from './graph-match.js';

export function graphToTable(op: Extract<GraphOp, { operator: 'graph-to-table' }>, input: Relation, cx: OpContext): Relation {
  const graph = requireGraph(input, 'graph-to-table');
  let first: Relation | undefined;
  let hashColumn: ReturnType<typeof buildColumn> | undefined;
  const hashes = () => (hashColumn ??= buildColumn('long', nodeHashes(graph, cx)));
  for (const part of op.parts) {
    const name = (n: string) => { const v = part.parameters.find((x) => x.name.name === n)?.value; return v?.kind === 'NameRef' ? v.name : undefined; };
    const columns: Relation['columns'] = [];
    let props = graph.nodes;
    if (part.what === 'nodes') {
      const id = name('with_node_id');
      if (id) columns.push({ name: id, column: hashes() });
    } else {
      props = graph.edges;
      const s = name('with_source_id');
      const t = name('with_target_id');
      if (s) columns.push({ name: s, column: gatherColumn(hashes(), graph.src) });
      if (t) columns.push({ name: t, column: gatherColumn(hashes(), graph.dst) });
    }
    for (const c of props.columns) {
      let n = c.name;
      for (let k = 1; columns.some((x) => x.name === n); k++) n = `${c.name}${k}`;
      columns.push({ name: n, column: c.column });
    }
    const rel: Relation = { columns, length: props.length };
    if (part.as) cx.env.vars.set(part.as.name, { kind: 'tabular', get: () => rel });
    first ??= rel;
  }
  return first ?? { columns: [], length: 0 };
}

/** hash(node id) per node, as graph-to-table's ids. */
function nodeHashes(graph: GraphValue, cx: OpContext): Value[] {
  const hash = SCALAR_FUNCTIONS.get('hash')!.impl;
  return graph.nodeKeys.map((k) => hash([k], [graph.keyType], cx.rt.ctx, 'long'));
}
