/**
 * `make-graph Src --> Dst [with Nodes on Key, ... | with_node_id=Name] [partitioned-by C (graph-op)]`:
 * each edge row becomes an edge; each node-table row a node keyed by Key. Nodes only the edges mention
 * get empty properties (or just their id, with with_node_id). Node order: node-table rows first, then
 * new ids as the edges meet them (source before target) — graph-to-table and component ids follow it.
 */
import type { Expr, GraphOp } from '../../kql/syntax/ast.js';
import { columnReader } from '../compile/expr.js';
import { materialize, physicalRows, type Relation } from '../compile/relation.js';
import { buildColumn, gatherColumn } from '../storage/builders.js';
import type { Column, Table } from '../storage/column.js';
import { buildAdjacency, type GraphValue } from '../storage/graph.js';
import { valueKey } from '../values/compare.js';
import { QueryError, type Value } from '../values/value.js';
import type { OpContext } from './context.js';
import { union } from './union.js';

type MakeGraphOp = Extract<GraphOp, { operator: 'make-graph' }>;

export function makeGraph(op: MakeGraphOp, input: Relation, cx: OpContext): Relation {
  if (input.graph) throw new QueryError('make-graph needs a table of edges, but its input is already a graph');
  const nodeTables = op.nodes.map((n) => ({ rel: cx.rt.evalTabular(n.table, cx.env), key: n.key.name }));
  if (op.partitionedBy) return partitioned(op, input, nodeTables, cx);
  return { columns: [], length: 0, graph: buildGraph(op, input, nodeTables) };
}

export function buildGraph(op: MakeGraphOp, input: Relation, nodeTables: { rel: Relation; key: string }[]): GraphValue {
  const edges = materialize({ columns: input.columns, length: input.length, ...(input.sel ? { sel: input.sel } : {}) });
  /** Node index of the id in a column's row: string columns look each distinct dictionary entry up once. */
  const endpoint = (col: Column | undefined, what: string): ((row: number) => number) => {
    if (!col) throw new QueryError(`make-graph: the ${what} lack an id column`);
    if (col.type === 'string') {
      const { dict, codes } = col;
      const byCode = new Int32Array(dict.length).fill(-1);
      return (r) => {
        const c = codes[r]!;
        let n = byCode[c]!;
        if (n < 0) n = byCode[c] = nodeOf(dict[c]!);
        return n;
      };
    }
    const read = columnReader(col);
    return (r) => nodeOf(read(r));
  };
  const index = new Map<string, number>();
  // ids that are all strings (the usual case) key the map as they are; mixed types need a typed key
  const idColumns = [op.source.name, op.target.name].map((n) => edges.columns.find((c) => c.name === n)?.column.type);
  const allStrings = idColumns.every((t) => t === 'string') && nodeTables.every((t) => t.rel.columns.find((c) => c.name === t.key)?.column.type === 'string');
  const nodeKeys: Value[] = [];
  const nodeOf = (v: Value): number => {
    const k = allStrings ? (v as string) : valueKey(v);
    let i = index.get(k);
    if (i === undefined) {
      i = nodeKeys.length;
      index.set(k, i);
      nodeKeys.push(v);
    }
    return i;
  };
  // Node-table rows first, so their order is the nodes' order.
  const owners: { rel: Relation; rows: Int32Array; nodes: Int32Array; key: string }[] = [];
  for (const t of nodeTables) {
    const keyCol = t.rel.columns.find((c) => c.name === t.key)?.column;
    if (!keyCol) throw new QueryError(`make-graph: the nodes table has no column '${t.key}'`);
    const at = endpoint(keyCol, 'nodes');
    const rows = physicalRows(t.rel);
    const nodes = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) nodes[i] = at(rows[i]!);
    owners.push({ rel: t.rel, rows, nodes, key: t.key });
  }
  const column = (name: string) => {
    const col = edges.columns.find((c) => c.name === name)?.column;
    if (!col) throw new QueryError(`make-graph: the edges have no column '${name}'`);
    return col;
  };
  const srcAt = endpoint(column(op.source.name), 'edges');
  const dstAt = endpoint(column(op.target.name), 'edges');
  const src = new Int32Array(edges.length);
  const dst = new Int32Array(edges.length);
  for (let e = 0; e < edges.length; e++) {
    src[e] = srcAt(e);
    dst[e] = dstAt(e);
  }
  const n = nodeKeys.length;
  const keyType = edges.columns.find((c) => c.name === op.source.name)?.column.type ?? 'string';
  return { keyType, nodes: nodeProperties(op, edges, owners, nodeKeys), edges: { columns: edges.columns, length: edges.length }, nodeKeys, src, dst, ...buildAdjacency(n, src, dst) };
}

/** Node property columns: the with_node_id column, or the node tables' columns (the first table holding a node wins). */
function nodeProperties(op: MakeGraphOp, edges: Relation, owners: { rel: Relation; rows: Int32Array; nodes: Int32Array; key: string }[], keys: Value[]): Table {
  const n = keys.length;
  if (op.withNodeId) {
    const type = edges.columns.find((c) => c.name === op.source.name)?.column.type ?? 'string';
    return { columns: [{ name: op.withNodeId.name, column: buildColumn(type, keys) }], length: n };
  }
  const columns: Table['columns'] = [];
  const seen = new Set<string>();
  const owned = new Uint8Array(n);
  for (const o of owners) for (const i of o.nodes) owned[i] = 1;
  for (const o of owners) {
    for (const c of o.rel.columns) {
      if (seen.has(c.name)) continue;
      seen.add(c.name);
      // which physical row of which table gives each node this column
      const pick = new Int32Array(n).fill(-1);
      const from = owners.filter((x) => x.rel.columns.some((y) => y.name === c.name));
      // a node only the edges mention still has its id in the key column
      const keyed = nodeTablesKeyedBy(owners, c.name);
      if (from.length === 1 && !keyed) {
        for (let i = 0; i < o.rows.length; i++) if (pick[o.nodes[i]!] === -1) pick[o.nodes[i]!] = o.rows[i]!;
        columns.push({ name: c.name, column: gatherWithNulls(c.column, pick) });
      } else {
        const values: Value[] = new Array(n).fill(null);
        const has = new Uint8Array(n);
        for (const x of from) {
          const read = columnReader(x.rel.columns.find((y) => y.name === c.name)!.column);
          for (let i = 0; i < x.rows.length; i++) if (!has[x.nodes[i]!]) { has[x.nodes[i]!] = 1; values[x.nodes[i]!] = read(x.rows[i]!); }
        }
        if (keyed) for (let i = 0; i < n; i++) if (!owned[i]) values[i] = keys[i]!;
        columns.push({ name: c.name, column: buildColumn(c.column.type, values) });
      }
    }
  }
  return { columns, length: n };
}

function nodeTablesKeyedBy(owners: { key?: string }[], name: string): boolean {
  return owners.some((o) => o.key === name);
}

/** gather, where -1 means "no row": a null (an empty string for strings). */
function gatherWithNulls(col: Relation['columns'][number]['column'], pick: Int32Array) {
  if (!pick.includes(-1)) return gatherColumn(col, pick);
  const read = columnReader(col);
  const values: Value[] = new Array(pick.length);
  for (let i = 0; i < pick.length; i++) values[i] = pick[i]! < 0 ? null : read(pick[i]!);
  return buildColumn(col.type, values);
}

/** partitioned-by C: one graph per value of C (edges and node rows alike), the graph operator on each, results unioned. */
function partitioned(op: MakeGraphOp, input: Relation, nodeTables: { rel: Relation; key: string }[], cx: OpContext): Relation {
  const { column, body } = op.partitionedBy!;
  const split = (rel: Relation, what: string) => {
    const col = rel.columns.find((c) => c.name === column.name)?.column;
    if (!col) throw new QueryError(`make-graph partitioned-by: the ${what} have no column '${column.name}'`);
    const read = columnReader(col);
    const groups = new Map<string, number[]>();
    for (const r of physicalRows(rel)) {
      const k = valueKey(read(r));
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(r);
    }
    return groups;
  };
  const edgeGroups = split(input, 'edges');
  const nodeGroups = nodeTables.map((t) => split(t.rel, 'nodes'));
  const results: { name: string; rel: Relation }[] = [];
  const keys = new Set([...edgeGroups.keys(), ...nodeGroups.flatMap((g) => [...g.keys()])]);
  for (const k of keys) {
    const part = (rel: Relation, rows: number[] | undefined): Relation => ({ columns: rel.columns, length: rows?.length ?? 0, sel: Int32Array.from(rows ?? []) });
    const graph = buildGraph(op, part(input, edgeGroups.get(k)), nodeTables.map((t, i) => ({ rel: part(t.rel, nodeGroups[i]!.get(k)), key: t.key })));
    results.push({ name: '', rel: cx.rt.evalTabular(body.body as Expr, cx.env, { columns: [], length: 0, graph }) });
  }
  if (!results.length) {
    const graph = buildGraph(op, { columns: input.columns, length: 0, sel: new Int32Array(0) }, []);
    return cx.rt.evalTabular(body.body, cx.env, { columns: [], length: 0, graph });
  }
  return union(results, false);
}
