/**
 * `union`: rows of every input, one after another. Columns follow `planUnion` (the binder uses the same
 * plan): aligned by name, one column per type where a name arrives with several types, nulls where an
 * input lacks a column; `kind=inner` keeps the common ones; `withsource` names the origin of each row.
 */
import { planUnion } from '../../kql/semantics/index.js';
import { buildColumn, readCell } from '../storage/builders.js';
import type { Value } from '../values/value.js';
import { physicalRows, schemaOf, type Relation } from '../compile/relation.js';

export function union(inputs: { name: string; rel: Relation }[], inner: boolean, withsource?: string): Relation {
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
