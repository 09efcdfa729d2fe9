/**
 * A relation is the engine's intermediate result: columns plus an optional selection vector. `where`
 * narrows the selection instead of copying columns; operators that build new columns materialise first.
 * Compiled expressions take a PHYSICAL row index (the index into the columns), so a selection is applied
 * by iterating `sel` and calling the closure with `sel[i]`.
 */
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { buildColumn, gatherColumn } from '../storage/builders.js';
import { lazyColumn, type ColumnParts } from '../storage/merge.js';
import type { Column, Table } from '../storage/column.js';

export interface Relation {
  /** `parts`: the column concatenates these parts' rows (scan.ts), which operators may read directly;
   * `gathered`: it is another column gathered at some rows (merge.ts ColumnEntry). */
  columns: { name: string; column: Column; parts?: ColumnParts; gathered?: { readonly column: Column; readonly rows: Int32Array } }[];
  /** Logical number of rows. */
  length: number;
  /** Logical row i is physical row sel[i]; absent = identity. */
  sel?: Int32Array;
  /** Set when this is a graph (make-graph's result), not a table: only graph operators read it. */
  graph?: import('../storage/graph.js').GraphValue;
  /**
   * ingestion_time() of each physical row (made when first asked for): set on a stored table's rows and
   * kept by the operators that keep rows as they are (where, extend, project, sort, take); absent
   * elsewhere, where ingestion_time() is null as in Kusto outside a table's context.
   */
  ingestion?: () => Column;
  /** extent_id() of each physical row (a guid column, null where the table gave none), kept as `ingestion` is. */
  extents?: () => Column;
  /**
   * Set by an operator whose columns are gathered from its inputs by row indices (a join's pairs): the
   * relation of its logical rows `rows`, each column gathered from the inputs for those rows alone. A
   * `where` that keeps few rows of it returns this instead of a selection, so the columns read after the
   * filter are gathered for the survivors only (late materialization), not for every row. Valid only while
   * `columns` is the same array and there is no selection (an operator that rebuilds the relation drops it).
   */
  narrow?: { columns: Relation['columns']; length: number; rows: (rows: Int32Array) => Relation };
}

/** `rel.narrow` when it still describes `rel` (same columns, same length, no selection). */
export function narrowerOf(rel: Relation): ((rows: Int32Array) => Relation) | undefined {
  const n = rel.narrow;
  return n && !rel.sel && n.columns === rel.columns && n.length === rel.length ? n.rows : undefined;
}

/** The ingestion times and extents of `rel`, to spread into a relation built over the same physical rows. */
export function sameRows(rel: Relation): Pick<Relation, 'ingestion' | 'extents'> {
  return { ...(rel.ingestion ? { ingestion: rel.ingestion } : {}), ...(rel.extents ? { extents: rel.extents } : {}) };
}

/** The per-row columns of a stored table's extents (ingestion time, extent id), made when first read. */
export function extentFacts(parts: { length: number; ingestedAt?: bigint; extentId?: string }[]): Pick<Relation, 'ingestion' | 'extents'> {
  return {
    ingestion: () => ingestionColumn(parts.map((p) => ({ rows: p.length, at: p.ingestedAt }))),
    extents: () => buildColumn('guid', parts.flatMap((p) => new Array<string | null>(p.length).fill(p.extentId ?? null))),
  };
}

/** A datetime column: each part's rows (in order) at that part's ingestion time, null where unknown. */
export function ingestionColumn(parts: { rows: number; at: bigint | undefined }[]): Column {
  const values: (bigint | null)[] = [];
  for (const p of parts) for (let i = 0; i < p.rows; i++) values.push(p.at ?? null);
  return buildColumn('datetime', values);
}

export function fromTable(t: Table): Relation {
  return { columns: t.columns, length: t.length };
}

/** Physical row indices of a relation (a fresh array when there is no selection). */
export function physicalRows(rel: Relation): Int32Array {
  if (rel.sel) return rel.sel;
  const out = new Int32Array(rel.length);
  for (let i = 0; i < rel.length; i++) out[i] = i;
  return out;
}

/** Copies selected rows into dense columns (no selection left), each column when first read: an operator
 * that materialises its input then reads a few columns copies (and, over a workspace, loads) only those. */
export function materialize(rel: Relation): Relation {
  if (!rel.sel) return rel;
  const sel = rel.sel;
  const { ingestion, extents } = rel;
  return {
    columns: rel.columns.map((c) => lazyColumn(c.name, () => gatherColumn(c.column, sel))),
    length: sel.length,
    ...(ingestion ? { ingestion: () => gatherColumn(ingestion(), sel) } : {}),
    ...(extents ? { extents: () => gatherColumn(extents(), sel) } : {}),
  };
}

export function toTable(rel: Relation): Table {
  const m = materialize(rel);
  return { columns: m.columns, length: m.length };
}

export function columnOf(rel: Relation, name: string): Column | undefined {
  return rel.columns.find((c) => c.name === name)?.column;
}

/** The column entry named `name` (its column not read yet). */
export function entryOf(rel: Relation, name: string): Relation['columns'][number] | undefined {
  return rel.columns.find((c) => c.name === name);
}

export function schemaOf(rel: Relation): { name: string; type: ScalarTypeName }[] {
  return rel.columns.map((c) => ({ name: c.name, type: c.column.type }));
}
