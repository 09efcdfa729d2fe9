/**
 * A graph value (what make-graph yields and graph operators take): node and edge properties as columns,
 * and adjacency in compressed sparse rows (CSR) so traversals walk typed arrays: the edges leaving node n
 * are outEdges[outStart[n] .. outStart[n+1]), those arriving are inEdges[inStart[n] .. inStart[n+1]).
 */
import type { ScalarTypeName, Value } from '../values/value.js';
import type { Table } from './column.js';

export interface GraphValue {
  /** One row per node (the node tables' columns, or the with_node_id column). */
  nodes: Table;
  /** One row per edge (the edge rows' columns). */
  edges: Table;
  /** The node id of each node (the value the edges' source/target columns hold). */
  nodeKeys: Value[];
  /** The KQL type of the node ids (the edges' source column type). */
  keyType: ScalarTypeName;
  /** Source and target node of each edge. */
  src: Int32Array;
  dst: Int32Array;
  outStart: Int32Array;
  outEdges: Int32Array;
  inStart: Int32Array;
  inEdges: Int32Array;
}

/** Builds CSR adjacency from the edges' endpoints; edges keep their row order within each node. */
export function buildAdjacency(nodeCount: number, src: Int32Array, dst: Int32Array): Pick<GraphValue, 'outStart' | 'outEdges' | 'inStart' | 'inEdges'> {
  const csr = (ends: Int32Array) => {
    const start = new Int32Array(nodeCount + 1);
    for (let e = 0; e < ends.length; e++) start[ends[e]! + 1]!++;
    for (let n = 0; n < nodeCount; n++) start[n + 1]! += start[n]!;
    const fill = start.slice(0, nodeCount);
    const list = new Int32Array(ends.length);
    for (let e = 0; e < ends.length; e++) list[fill[ends[e]!]!++] = e;
    return { start, list };
  };
  const out = csr(src);
  const inn = csr(dst);
  return { outStart: out.start, outEdges: out.list, inStart: inn.start, inEdges: inn.list };
}
