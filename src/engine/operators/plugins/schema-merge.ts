/**
 * `evaluate schema_merge([PreserveOrder])` over rows in getschema's shape (ColumnName, ColumnOrdinal,
 * DataType, ColumnType), several schemas one after another (each starts at ordinal 0). Columns are merged
 * in order: a column new to the merged list goes right after the column that precedes it in its schema.
 * With PreserveOrder (the default), a column whose merged position differs from its ordinal in the first
 * schema that has it is reported in place, as the reference shows: ordinal -1 and
 * `ERROR(columns are out of order)`. The reference does not say how differing types of one column are
 * reduced, so a type conflict fails the query, naming the column.
 */
import type { EvaluateOp } from '../../../kql/syntax/ast.js';
import { materialize, type Relation } from '../../compile/relation.js';
import { buildColumn, readCell } from '../../storage/builders.js';
import { QueryError, type Value } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';

interface Merged {
  name: string;
  firstOrdinal: number;
  dataType: string;
  columnType: string;
}

export function schemaMerge(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const arg = op.call.args[0];
  const preserve = arg ? compileOn(cx, { columns: [], length: 1 }, arg.kind === 'NamedArg' ? arg.value : arg).eval(0) !== false : true;
  const rel = materialize(input);
  const col = (name: string) => {
    const c = rel.columns.find((x) => x.name === name)?.column;
    if (!c) throw new QueryError(`schema_merge needs getschema's columns; '${name}' is missing`);
    return c;
  };
  const [names, ordinals, dataTypes, columnTypes] = ['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType'].map(col) as [ReturnType<typeof col>, ReturnType<typeof col>, ReturnType<typeof col>, ReturnType<typeof col>];
  const merged: Merged[] = [];
  let cursor = -1;
  for (let i = 0; i < rel.length; i++) {
    const name = String(readCell(names, i));
    const ordinal = Number(readCell(ordinals, i));
    const columnType = String(readCell(columnTypes, i));
    if (ordinal === 0) cursor = -1; // a new schema
    const at = merged.findIndex((m) => m.name === name);
    if (at >= 0) {
      if (merged[at]!.columnType !== columnType) throw new QueryError(`schema_merge: column '${name}' has types ${merged[at]!.columnType} and ${columnType}`);
      cursor = at;
      continue;
    }
    merged.splice(cursor + 1, 0, { name, firstOrdinal: ordinal, dataType: String(readCell(dataTypes, i)), columnType });
    cursor++;
  }
  const rows: Value[][] = merged.map((m, position) =>
    preserve && m.firstOrdinal !== position
      ? [m.name, -1, 'ERROR(unknown CSL type:ERROR(columns are out of order))', 'ERROR(columns are out of order)']
      : [m.name, position, m.dataType, m.columnType],
  );
  const spec: [string, 'string' | 'int'][] = [['ColumnName', 'string'], ['ColumnOrdinal', 'int'], ['DataType', 'string'], ['ColumnType', 'string']];
  return { columns: spec.map(([name, type], c) => ({ name, column: buildColumn(type, rows.map((r) => r[c]!)) })), length: rows.length };
}
