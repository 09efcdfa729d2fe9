/** `union`: rows of every input, columns aligned by name like Kusto (missing columns are null; `kind=inner` keeps common ones; `withsource` names the origin). */
import type { TableSchema } from '../../kql/semantics/index.js';
import { buildColumn, readCell } from '../storage/builders.js';
import type { Value } from '../values/value.js';
import { physicalRows, type Relation } from '../compile/relation.js';

export function union(inputs: { name: string; rel: Relation }[], schema: TableSchema, withsource?: string): Relation {
  const columns = schema.columns.map((c) => {
    const values: Value[] = [];
    for (const { name, rel } of inputs) {
      const rows = physicalRows(rel);
      if (c.name === withsource) {
        for (let i = 0; i < rows.length; i++) values.push(name);
        continue;
      }
      const col = rel.columns.find((x) => x.name === c.name && (x.column.type === c.type || !schema.columns.some((s) => s.name === `${c.name}_${x.column.type}`)))?.column
        ?? rel.columns.find((x) => `${x.name}_${x.column.type}` === c.name)?.column;
      for (let i = 0; i < rows.length; i++) values.push(col ? readCell(col, rows[i]!) : null);
    }
    return { name: c.name, column: buildColumn(c.type, values) };
  });
  const length = inputs.reduce((n, x) => n + x.rel.length, 0);
  return { columns, length };
}
