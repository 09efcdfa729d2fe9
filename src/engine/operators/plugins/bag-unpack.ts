/**
 * `evaluate bag_unpack(column [, prefix] [, columnsConflict=...] [, ignoredProperties=...])`: turns the
 * properties of a dynamic bag into columns (sorted by name, after the remaining input columns; a declared
 * output schema `: (*, Name:string)` fixes names and types).
 */
import type { EvaluateOp, Expr, ScalarTypeName } from '../../../kql/syntax/ast.js';
import { buildColumn, readCell } from '../../storage/builders.js';
import { QueryError, type DynamicValue, type Value } from '../../values/value.js';
import { materialize, type Relation } from '../../compile/relation.js';
import { compileOn, type OpContext } from '../context.js';

function inferType(values: DynamicValue[]): ScalarTypeName {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length && present.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'long';
  if (present.length && present.every((v) => typeof v === 'number')) return 'real';
  if (present.length && present.every((v) => typeof v === 'boolean')) return 'bool';
  if (present.length && present.every((v) => typeof v === 'string')) return 'string';
  return 'dynamic';
}

function convert(v: DynamicValue | undefined, type: ScalarTypeName): Value {
  if (v === undefined || v === null) return null;
  if (type === 'string') return typeof v === 'string' ? v : JSON.stringify(v);
  if ((type === 'long' || type === 'int' || type === 'real') && typeof v !== 'number') return null;
  return v;
}

export function bagUnpack(op: EvaluateOp, rel: Relation, cx: OpContext): Relation {
  const dense = materialize(rel);
  const positional = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  const named = new Map(op.call.args.filter((a) => a.kind === 'NamedArg').map((a) => [(a as { name: { name: string } }).name.name, (a as { value: Expr }).value]));
  const target = positional[0];
  if (!target || target.kind !== 'NameRef') throw new QueryError('bag_unpack needs the dynamic column to unpack');
  const constant = (e: Expr | undefined) => (e ? compileOn(cx, dense, e).eval(0) : null);
  const prefix = positional[1] ? String(constant(positional[1]) ?? '') : '';
  const conflict = String(constant(named.get('columnsConflict')) ?? 'error');
  const ignored = new Set(((constant(named.get('ignoredProperties')) as DynamicValue[] | null) ?? []).map(String));
  const col = dense.columns.find((c) => c.name === target.name)?.column;
  if (!col) throw new QueryError(`bag_unpack: no column '${target.name}'`);
  const bags: Record<string, DynamicValue>[] = [];
  for (let i = 0; i < dense.length; i++) {
    const v = readCell(col, i);
    bags.push(v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, DynamicValue>) : {});
  }
  const keys = [...new Set(bags.flatMap((b) => Object.keys(b)))].filter((k) => !ignored.has(k)).sort();
  const rest = dense.columns.filter((c) => c.name !== target.name);
  const declared = op.outputSchema;
  const out: Relation['columns'] = [];
  const newNames = keys.map((k) => prefix + k);
  for (const c of rest) {
    if (newNames.includes(c.name)) {
      if (conflict === 'error') throw new QueryError(`bag_unpack: property '${c.name}' collides with an existing column (use columnsConflict)`);
    }
    out.push(c);
  }
  keys.forEach((k, j) => {
    const name = newNames[j]!;
    const at = out.findIndex((c) => c.name === name);
    if (at >= 0 && conflict !== 'replace_source') return; // keep_source
    const values = bags.map((b) => b[k]);
    const type = declared?.columns.find((c) => c.name.name === name)?.type ?? inferType(values as DynamicValue[]);
    const column = { name, column: buildColumn(type, values.map((v) => convert(v, type))) };
    // replace_source: the property's column takes the place of the input column it replaces
    if (at >= 0) out[at] = column;
    else out.push(column);
  });
  if (declared) {
    // `: (*, A:type, ...)`: the declared columns come last, in the declared order
    const declaredNames = declared.columns.map((c) => c.name.name);
    const head = out.filter((c) => !declaredNames.includes(c.name));
    const tail = declaredNames.map((n) => out.find((c) => c.name === n) ?? { name: n, column: buildColumn(declared.columns.find((c) => c.name.name === n)!.type, new Array(dense.length).fill(null)) });
    // with a declared schema, undeclared bag properties are dropped; input columns stay when `*` is listed
    return { columns: declared.open ? [...head.filter((c) => rest.includes(c)), ...tail] : tail, length: dense.length };
  }
  return { columns: out, length: dense.length };
}
