/**
 * `union`: rows of every input, one after another. Columns follow `planUnion` (the binder uses the same
 * plan): aligned by name, one column per type where a name arrives with several types, nulls where an
 * input lacks a column; `kind=inner` keeps the common ones; `withsource` names the origin of each row.
 *
 * Each output column is built when first read, on typed arrays: the inputs' columns (through their
 * selections) back to back with `concatSelected`, an all-null column standing in for an input that lacks
 * it. A summarize over a union of wide Device tables so copies only the columns it reads.
 * `unionByValues` is the general path (one Value per cell), kept for the tests that compare the two.
 */
import { planUnion } from '../../kql/semantics/index.js';
import { buildColumn, readCell } from '../storage/builders.js';
import { lazyColumn, concatSelected } from '../storage/merge.js';
import { newValidity, type Column } from '../storage/column.js';
import type { ScalarTypeName } from '../../kql/syntax/ast.js';
import type { Value } from '../values/value.js';
import { physicalRows, schemaOf, type Relation } from '../compile/relation.js';

export function union(inputs: { name: string; rel: Relation }[], inner: boolean, withsource?: string): Relation {
  const plan = planUnion(inputs.map((x) => schemaOf(x.rel)), inner);
  const length = inputs.reduce((n, x) => n + x.rel.length, 0);
  const columns = plan.columns.map((c, o) => lazyColumn(c.name, () => {
    const parts: Column[] = [];
    const sels: (Int32Array | undefined)[] = [];
    inputs.forEach(({ rel }, i) => {
      const j = plan.sources[i]!.indexOf(o);
      const col = j >= 0 ? rel.columns[j]!.column : undefined;
      if (col && col.type === c.type) {
        parts.push(col);
        sels.push(rel.sel);
      } else {
        parts.push(col ? castByValues(c.type, col, rel) : nullColumn(c.type, rel.length));
        sels.push(undefined);
      }
    });
    return parts.length ? concatSelected(parts, sels, length) : buildColumn(c.type, []);
  }));
  if (withsource !== undefined) columns.unshift(lazyColumn(withsource, () => originColumn(inputs, length)));
  return { columns, length };
}

/** One Value per cell: the path before the typed one, and the reference the tests compare it with. */
export function unionByValues(inputs: { name: string; rel: Relation }[], inner: boolean, withsource?: string): Relation {
  const plan = planUnion(inputs.map((x) => schemaOf(x.rel)), inner);
  const values: Value[][] = plan.columns.map(() => []);
  const origin: Value[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const { name, rel } = inputs[i]!;
    const rows = physicalRows(rel);
    const feeds = plan.sources[i]!;
    for (let o = 0; o < plan.columns.length; o++) {
      const j = feeds.indexOf(o);
      const col = j >= 0 ? rel.columns[j]!.column : undefined;
      const out = values[o]!;
      for (let r = 0; r < rows.length; r++) out.push(col ? readCell(col, rows[r]!) : null);
    }
    if (withsource !== undefined) for (let r = 0; r < rows.length; r++) origin.push(name);
  }
  const columns = plan.columns.map((c, o) => ({ name: c.name, column: buildColumn(c.type, values[o]!) }));
  if (withsource !== undefined) columns.unshift({ name: withsource, column: buildColumn('string', origin) });
  return { columns, length: origin.length || inputs.reduce((n, x) => n + x.rel.length, 0) };
}

/** A column of `length` nulls (empty strings for a string column: Kusto strings are never null). */
function nullColumn(type: ScalarTypeName, length: number): Column {
  switch (type) {
    case 'string': return { type, length, dict: [''], codes: new Int32Array(length) };
    case 'guid': return { type, length, dict: [''], codes: new Int32Array(length), validity: newValidity(length, false) };
    case 'datetime':
    case 'timespan': return { type, length, hi: new Float64Array(length), lo: new Uint16Array(length), validity: newValidity(length, false) };
    case 'dynamic': return { type, length, values: new Array(length).fill(null), validity: newValidity(length, false) };
    case 'bool': return { type, length, values: new Uint8Array(length), validity: newValidity(length, false) };
    default: return { type, length, values: new Float64Array(length), validity: newValidity(length, false) } as Column;
  }
}

/** An input column whose type differs from the planned one (the plan never does this; kept as a guard). */
function castByValues(type: ScalarTypeName, col: Column, rel: Relation): Column {
  const rows = physicalRows(rel);
  const values: Value[] = [];
  for (let r = 0; r < rows.length; r++) values.push(readCell(col, rows[r]!));
  return buildColumn(type, values);
}

function originColumn(inputs: { name: string; rel: Relation }[], length: number): Column {
  const dict: string[] = [];
  const codes = new Int32Array(length);
  let at = 0;
  for (const { name, rel } of inputs) {
    let k = dict.indexOf(name);
    if (k < 0) k = dict.push(name) - 1;
    codes.fill(k, at, at + rel.length);
    at += rel.length;
  }
  if (!dict.length) dict.push('');
  return { type: 'string', length, dict, codes };
}
