/** Dispatches the graph operators (make-graph and the operators that read a graph) to their modules. */
import type { GraphOp } from '../../kql/syntax/ast.js';
import type { Relation } from '../compile/relation.js';
import { QueryError } from '../values/value.js';
import type { OpContext } from './context.js';
import { makeGraph } from './make-graph.js';
import { graphMarkComponents } from './graph-mark-components.js';
import { graphMatch } from './graph-match.js';
import { graphShortestPaths } from './graph-shortest-paths.js';
import { graphToTable } from './graph-to-table.js';

export function runGraphOp(op: GraphOp, input: Relation, cx: OpContext, columnNames: string[]): Relation {
  switch (op.operator) {
    case 'make-graph':
      return makeGraph(op, input, cx);
    case 'graph-match':
      return graphMatch(op, input, cx, columnNames);
    case 'graph-shortest-paths':
      return graphShortestPaths(op, input, cx, columnNames);
    case 'graph-to-table':
      return graphToTable(op, input, cx);
    case 'graph-mark-components':
      return graphMarkComponents(op, input);
    case 'graph-merge':
      throw new QueryError("the 'graph-merge' operator is not supported by kqlite's engine", 'KQL4010');
  }
}
