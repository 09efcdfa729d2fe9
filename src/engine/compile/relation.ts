/**
 * A relation is the engine's intermediate result: columns plus an optional selection vector. `where`
 * narrows the selection instead of copying columns; operators that build new columns materialise first.
 * Compiled expressions take a PHYSICAL row index (the index into the columns), so a selection is applied
 * by iterating `sel` and calling the closure with `sel[i]`.
 */
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import { gatherColumn } from '../storage/builders.js';
import type { Column, Table } from '../storage/column.js';

export interface Relation {
  columns: { name: string; column: Column }[];
  /** Logical number of rows. */
  length: number;
  /** Logical row i is physical row sel[i]; absent = identity. */
  sel?: Int32Array;
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

/**
 * Copies selected rows into dense columns (no selection left). Each column is gathered when first read:
 * operators that materialise (extend, mv-expand, join) over a wide table touch a few of its columns, and an
 * unread column is never copied (nor, for a table of several extents, merged).
 */
export function materialize(rel: Relation): Relation {
  if (!rel.sel) return rel;
  const sel = rel.sel;
  return { columns: rel.columns.map((c) => deferredColumn(c.name, () => gatherColumn(c.column, sel))), length: sel.length };
}

/** A `{ name, column }` entry whose column is made on first read, then kept. */
export function deferredColumn(name: string, make: () => Column): { name: string; column: Column } {
  let column: Column | undefined;
  return {
    name,
    get column() {
      return (column ??= make());
    },
  };
}

export function toTable(rel: Relation): Table {
  const m = materialize(rel);
  return { columns: m.columns, length: m.length };
}

export function columnOf(rel: Relation, name: string): Column | undefined {
  return rel.columns.find((c) => c.name === name)?.column;
}

export function schemaOf(rel: Relation): { name: string; type: ScalarTypeName }[] {
  return rel.columns.map((c) => ({ name: c.name, type: c.column.type }));
}
