/**
 * `evaluate new_activity_metrics(Id, Timeline, Start, End, Window [, Cohort] [, dim ...] [, Lookback])`:
 * retention of cohorts of new users, as documented. Windows are aligned to Start and run to End's window;
 * the cohort of a window is the ids first seen in it (not in an earlier window, nor in the Lookback
 * table's ids). For each cohort window `from` (only Cohort's, when given) and each window `to` from it on:
 * dcount_new_values (ids in `to` not seen up to `from`; the cohort itself when to = from),
 * dcount_retained_values / dcount_churn_values (cohort ids seen / not seen in `to`), and their shares of
 * the cohort as retention_rate / churn_rate (null for an empty cohort). Per dimension combination.
 * Window as 'week'/'month'/'year' is not supported and fails by name.
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { implicitName } from '../../../kql/semantics/naming.js';
import { physicalRows, type Relation } from '../../compile/relation.js';
import { buildColumn, readCell } from '../../storage/builders.js';
import { valueKey } from '../../values/compare.js';
import { QueryError, type Value } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';
import { binAt, constantTicks } from './activity.js';

const WORD = 'new_activity_metrics';

export function newActivityMetrics(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const args = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  if (args.length < 5) throw new QueryError(`${WORD} takes (Id, Timeline, Start, End, Window [, Cohort] [, dim ...] [, Lookback])`);
  const isColumn = (e: Expr) => e.kind === 'NameRef' && input.columns.some((c) => c.name === e.name);
  const extra = args.slice(5);
  let lookbackArg: Expr | undefined;
  if (extra.length && cx.rt.bound.schemaOf(extra[extra.length - 1]!) !== undefined) lookbackArg = extra.pop();
  else if (extra.length && extra[extra.length - 1]!.kind === 'NameRef' && cx.env.lookup((extra[extra.length - 1] as { name: string }).name)?.kind === 'tabular') lookbackArg = extra.pop();
  const cohortArg = extra.length && !isColumn(extra[0]!) ? extra.shift() : undefined;
  for (const d of extra) if (!isColumn(d)) throw new QueryError(`${WORD}: the dimensions must be columns of the input`);
  const windowValue = compileOn(cx, { columns: [], length: 1 }, args[4]!).eval(0);
  if (typeof windowValue === 'string') throw new QueryError(`${WORD}: calendar windows ('${windowValue}') are not supported by kqlite's engine yet`, 'KQL4010');
  const start = constantTicks(WORD, cx, args[2]!, 'Start');
  const end = constantTicks(WORD, cx, args[3]!, 'End');
  const window = constantTicks(WORD, cx, args[4]!, 'Window');
  if (window <= 0n) throw new QueryError(`${WORD}: Window must be positive`);
  const cohort = cohortArg ? binAt(constantTicks(WORD, cx, cohortArg, 'Cohort'), window, start) : undefined;
  const windows: bigint[] = [];
  for (let w = start; w <= binAt(end, window, start); w += window) windows.push(w);

  const idExpr = args[0]!;
  const id = compileOn(cx, input, idExpr);
  const time = compileOn(cx, input, args[1]!);
  const dims = extra.map((d) => compileOn(cx, input, d));
  const known = new Set<string>();
  if (lookbackArg) {
    const lookback = cx.rt.evalTabular(lookbackArg, cx.env);
    const idName = implicitName(idExpr);
    const col = lookback.columns.find((c) => c.name === idName)?.column;
    if (!col) throw new QueryError(`${WORD}: the lookback table has no column '${idName}'`);
    for (const r of physicalRows(lookback)) known.add(valueKey(readCell(col, r)));
  }
  // ids per window, per dimension combination
  const groups = new Map<string, { dims: Value[]; ids: Map<bigint, Set<string>> }>();
  for (const r of physicalRows(input)) {
    const t = time.eval(r);
    if (typeof t !== 'bigint' || t < start || t > end) continue;
    const dv = dims.map((d) => d.eval(r));
    const k = dv.map(valueKey).join('\u0001');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { dims: dv, ids: new Map() }));
    const w = binAt(t, window, start);
    (g.ids.get(w) ?? g.ids.set(w, new Set()).get(w)!).add(valueKey(id.eval(r)));
  }
  const out: Value[][] = [];
  for (const g of groups.values()) {
    const seen = new Set(known);
    windows.forEach((from, i) => {
      const fromIds = g.ids.get(from) ?? new Set<string>();
      const cohortIds = [...fromIds].filter((x) => !seen.has(x));
      for (const x of fromIds) seen.add(x);
      if (cohort !== undefined && from !== cohort) return;
      for (const to of windows.slice(i)) {
        const toIds = g.ids.get(to) ?? new Set<string>();
        const fresh = to === from ? cohortIds.length : [...toIds].filter((x) => !seen.has(x)).length;
        const retained = cohortIds.filter((x) => toIds.has(x)).length;
        const churned = cohortIds.length - retained;
        const n = cohortIds.length;
        out.push([from, to, ...g.dims, fresh, retained, churned, n ? retained / n : null, n ? churned / n : null]);
      }
    });
  }
  const timeName = implicitName(args[1]!) ?? 'Timestamp';
  // the dimensions follow the two window columns, as in the other activity plugins (Kusto.Language's schema)
  const spec: [string, string][] = [
    [`from_${timeName}`, 'datetime'], [`to_${timeName}`, 'datetime'], ...extra.map((d, i): [string, string] => [implicitName(d) ?? `dim${i + 1}`, dims[i]!.type]),
    ['dcount_new_values', 'long'], ['dcount_retained_values', 'long'], ['dcount_churn_values', 'long'], ['retention_rate', 'real'], ['churn_rate', 'real'],
  ];
  return { columns: spec.map(([name, type], c) => ({ name, column: buildColumn(type as 'long', out.map((r) => r[c]!)) })), length: out.length };
}
