/** `distinct *` / `distinct a, b`: the first row of each distinct key, in input order. */
import type { DistinctOp } from '../../kql/syntax/ast.js';
import { valueKey } from '../values/compare.js';
import { materialize, physicalRows, type Relation } from '../compile/relation.js';
import { compileOn, type OpContext } from './context.js';
import { evaluateColumn } from './extend.js';
import { assignmentName, uniqueName } from '../../kql/semantics/naming.js';

/** The binder's naming: the assignment's name, made unique among the earlier columns. */
function addName(names: { name: string }[], name: string): string {
  const u = uniqueName(names, name);
  names.push({ name: u });
  return u;
}

export function distinct(op: DistinctOp, rel: Relation, cx: OpContext): Relation {
  let n = 0;
  const names: { name: string }[] = [];
  const base = op.star
    ? rel
    : { columns: op.columns.map((a) => ({ name: addName(names, assignmentName(a, () => `Column${++n}`)), column: evaluateColumn(cx, rel, a.expr) })), length: rel.length };
  const dense = materialize(base);
  const readers = dense.columns.map((c) => compileOn(cx, dense, { kind: 'NameRef', name: c.name, span: { start: 0, end: 0 } }).eval);
  const seen = new Set<string>();
  const keep: number[] = [];
  const rows = physicalRows(dense);
  for (const r of rows) {
    let k = '';
    for (const f of readers) k += valueKey(f(r)) + '\u0001';
    if (!seen.has(k)) {
      seen.add(k);
      keep.push(r);
    }
  }
  return { columns: dense.columns, length: keep.length, sel: Int32Array.from(keep) };
}
