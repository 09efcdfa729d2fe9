/**
 * Graph operators: `make-graph` builds a graph value from edge rows (and node tables); `graph-match`,
 * `graph-shortest-paths`, `graph-to-table` and `graph-mark-components` consume one. All share the node
 * kind `GraphOp`, told apart by `operator`. Patterns (`(a)-[e*1..3]->(b)`) are parsed into paths of
 * alternating node and edge elements.
 */
import type { ContextualSubquery, Expr, Identifier, NamedArg, NameRef, Node } from './ast.js';
import type { ColumnAssignment } from './ast-operators.js';

/** `(name)` or `()` in a pattern. */
export interface GraphNodePattern extends Node {
  kind: 'GraphNodePattern';
  name?: Identifier;
}

/** `-[e]->`, `<-[e]-`, `-[e]-`, `-->`, `<--`, `--`, with an optional `*min..max` repetition. */
export interface GraphEdgePattern extends Node {
  kind: 'GraphEdgePattern';
  name?: Identifier;
  /** forward: left to right; backward: right to left; any: either way. */
  direction: 'forward' | 'backward' | 'any';
  /** Present on variable length edges (`*1..3`, `*2`). Bounds may name scalars (`*1..maxHops`): then
   * `minName`/`maxName` hold the names and min/max are placeholders until they are evaluated. */
  range?: { min: number; max: number; minName?: NameRef; maxName?: NameRef };
}

/** One comma-separated sequence: nodes[i] -edges[i]- nodes[i+1]. */
export interface GraphPath extends Node {
  kind: 'GraphPath';
  nodes: GraphNodePattern[];
  edges: GraphEdgePattern[];
}

/** `make-graph Src --> Dst [with T1 on k1, T2 on k2 | with_node_id=name] [partitioned-by C (graph-op)]` */
export interface MakeGraphOp extends Node {
  kind: 'GraphOp';
  operator: 'make-graph';
  source: NameRef;
  target: NameRef;
  nodes: { table: Expr; key: NameRef; span: Node['span'] }[];
  withNodeId?: Identifier;
  partitionedBy?: { column: NameRef; body: ContextualSubquery };
}

/** `graph-match [cycles=..] Pattern [where P] project ...` and `graph-shortest-paths [output=..] ...` */
export interface GraphMatchOp extends Node {
  kind: 'GraphOp';
  operator: 'graph-match' | 'graph-shortest-paths';
  parameters: NamedArg[];
  paths: GraphPath[];
  where?: Expr;
  project: ColumnAssignment[];
}

/** `graph-to-table nodes [as N] [with_node_id=C] [, edges [as E] [with_source_id=S] [with_target_id=T]]` */
export interface GraphToTableOp extends Node {
  kind: 'GraphOp';
  operator: 'graph-to-table';
  parts: { what: 'nodes' | 'edges'; as?: Identifier; parameters: NamedArg[]; span: Node['span'] }[];
}

/** `graph-mark-components [kind=weak|strong] [with_component_id=C]` */
export interface GraphMarkComponentsOp extends Node {
  kind: 'GraphOp';
  operator: 'graph-mark-components';
  parameters: NamedArg[];
}

/** `graph-merge` (deprecated in Kusto): kept as its text so it can be refused by name. */
export interface GraphMergeOp extends Node {
  kind: 'GraphOp';
  operator: 'graph-merge';
  text: string;
}

export type GraphOp = MakeGraphOp | GraphMatchOp | GraphToTableOp | GraphMarkComponentsOp | GraphMergeOp;
