/**
 * `evaluate pivot(pivotColumn [, aggregate] [, column1, column2 ...])`: one row per distinct combination of
 * the columns (default: every column but the pivot column and those the aggregate reads), one column per
 * distinct value of the pivot column (in the order first seen), each cell the aggregate (default count())
 * over the rows of that combination and value; a combination without rows for a value gets the aggregate
 * of no rows (0 for count and sum).
 */
import type { CallExpr, EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { walk } from '../../../kql/syntax/index.js';
import { materialize, type Relation } from '../../compile/relation.js';
import { buildColumn, readCell } from '../../storage/builders.js';
import { valueKey } from '../../values/compare.js';
import { valueToString } from '../../values/format.js';
import { QueryError, type Value } from '../../values/value.js';
import type { OpContext } from '../context.js';
import { aggregateOverGroups } from '../summarize.js';

export function pivot(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const args = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  const pivotArg = args[0];
  if (!pivotArg || pivotArg.kind !== 'NameRef') throw new QueryError('pivot: the first argument must be the column to rotate', 'KQL4005');
  const rel = materialize(input);
  const pivotCol = rel.columns.find((c) => c.name === pivotArg.name)?.column;
  if (!pivotCol) throw new QueryError(`pivot: the input has no column '${pivotArg.name}'`, 'KQL4005');
  const second = args[1];
  const hasAggregate = second !== undefined && second.kind === 'CallExpr' && cx.rt.bound.callOf(second)?.kind === 'aggregate';
  const aggregate: CallExpr | undefined = hasAggregate ? second : undefined;
  const named = args.slice(hasAggregate ? 2 : 1);
  for (const n of named) if (n.kind !== 'NameRef') throw new QueryError('pivot: the grouping arguments must be column names', 'KQL4005');
  const aggregated = new Set<string>();
  if (aggregate) walk(aggregate, (n) => {
    const x = n as Expr;
    if (x.kind === 'NameRef') aggregated.add(x.name);
    return true;
  });
  const groupNames = named.length ? named.map((n) => (n as { name: string }).name) : rel.columns.map((c) => c.name).filter((n) => n !== pivotArg.name && !aggregated.has(n));
  const groupCols = groupNames.map((n) => {
    const c = rel.columns.find((x) => x.name === n);
    if (!c) throw new QueryError(`pivot: the input has no column '${n}'`, 'KQL4005');
    return c;
  });
  // groups and pivot values in the order first seen; each cell's rows
  const groups = new Map<string, number>();
  const groupRow: number[] = [];
  const values = new Map<string, number>();
  const valueNames: string[] = [];
  const cells: number[][][] = [];
  for (let r = 0; r < rel.length; r++) {
    const gk = groupCols.map((c) => valueKey(readCell(c.column, r))).join('\u0000');
    let g = groups.get(gk);
    if (g === undefined) {
      groups.set(gk, (g = groupRow.length));
      groupRow.push(r);
      cells.push([]);
    }
    const pv = readCell(pivotCol, r);
    const vk = valueKey(pv);
    let v = values.get(vk);
    if (v === undefined) {
      values.set(vk, (v = valueNames.length));
      valueNames.push(pv === null ? '' : valueToString(pv, pivotCol.type));
    }
    ((cells[g]![v] ??= [])).push(r);
  }
  const lists: number[][] = [];
  for (let g = 0; g < groupRow.length; g++) for (let v = 0; v < valueNames.length; v++) lists.push(cells[g]![v] ?? []);
  // the default aggregate, count(), is the size of each cell
  const { values: results, type } = aggregate ? aggregateOverGroups(cx, rel, aggregate, lists) : { values: lists.map((l) => l.length), type: 'long' };
  const columns: Relation['columns'] = groupCols.map((c) => ({ name: c.name, column: buildColumn(c.column.type, groupRow.map((r) => readCell(c.column, r))) }));
  valueNames.forEach((name, v) => {
    const col: Value[] = groupRow.map((_, g) => results[g * valueNames.length + v]!);
    columns.push({ name, column: buildColumn(type as Parameters<typeof buildColumn>[0], col) });
  });
  return { columns, length: groupRow.length };
}
