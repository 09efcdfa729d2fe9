/**
 * Activity plugins over (id, timeline) rows, optionally sliced by dimension columns. Time windows are
 * aligned to Start (bin_at(t, Window, Start)); a window appears in the output only when it holds rows.
 * - `activity_counts_metrics(Id, Timeline, Start, End, Window [, dim ...])`: per window, the rows
 *   (`count`), distinct ids (`dcount`), ids not seen in earlier windows (`new_dcount`) and distinct ids
 *   from the first window to this one (`aggregated_dcount`).
 * - `sliding_window_counts(Id, Timeline, Start, End, LookbackWindow, Bin [, dim ...])`: per bin from Start
 *   to End, the rows and distinct ids in the lookback window that ends with the bin (earlier rows count
 *   in lookbacks); here a bin appears whenever its window holds rows, as the reference's example shows.
 * - `active_users_count(Id, Timeline, Start, End, LookbackWindow, Period, ActivePeriods, Bin [, dim ...])`:
 *   an appearance is active when its id appears in at least ActivePeriods distinct Periods within the
 *   LookbackWindow before it (the window's start excluded, the appearance included); per bin, the
 *   distinct ids with an active appearance (`dcount`).
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { implicitName } from '../../../kql/semantics/naming.js';
import { physicalRows, type Relation } from '../../compile/relation.js';
import { buildColumn } from '../../storage/builders.js';
import { binTicks } from '../../values/ticks.js';
import { valueKey } from '../../values/compare.js';
import { QueryError, type Value } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';

interface Activity {
  id: string;
  t: bigint;
}

/** The rows' (id, time) per dimension combination, in time order. */
function readActivity(word: string, args: Expr[], fixed: number, input: Relation, cx: OpContext) {
  if (args.length < fixed) throw new QueryError(`${word} takes at least ${fixed} arguments`);
  const dimArgs = args.slice(fixed);
  for (const d of dimArgs) if (d.kind !== 'NameRef' || !input.columns.some((c) => c.name === d.name)) throw new QueryError(`${word}: the arguments after the first ${fixed} must be dimension columns`);
  const id = compileOn(cx, input, args[0]!);
  const time = compileOn(cx, input, args[1]!);
  if (time.type !== 'datetime') throw new QueryError(`${word}: the timeline column must be a datetime`);
  const dims = dimArgs.map((d) => compileOn(cx, input, d));
  const groups = new Map<string, { dims: Value[]; rows: Activity[] }>();
  const rows = physicalRows(input);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const t = time.eval(r);
    if (typeof t !== 'bigint') continue;
    const dv = dims.map((d) => d.eval(r));
    const k = dv.map(valueKey).join('\u0001');
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { dims: dv, rows: [] }));
    g.rows.push({ id: valueKey(id.eval(r)), t });
  }
  for (const g of groups.values()) g.rows.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const dimColumns = dimArgs.map((d, i) => ({ name: implicitName(d) ?? `dim${i + 1}`, type: dims[i]!.type }));
  return { groups: [...groups.values()], dimColumns, timeName: implicitName(args[1]!) ?? 'Timestamp' };
}

export function constantTicks(word: string, cx: OpContext, e: Expr, what: string): bigint {
  const v = compileOn(cx, { columns: [], length: 1 }, e).eval(0);
  if (typeof v !== 'bigint') throw new QueryError(`${word}: ${what} must be a datetime or timespan constant`);
  return v;
}

export const binAt = (t: bigint, size: bigint, start: bigint) => binTicks(t - start, size) + start;

function output(timeName: string, dimColumns: { name: string; type: string }[], counters: { name: string }[], rows: Value[][]): Relation {
  const cols = [{ name: timeName, type: 'datetime' }, ...dimColumns, ...counters.map((c) => ({ name: c.name, type: 'long' }))];
  return { columns: cols.map((c, i) => ({ name: c.name, column: buildColumn(c.type as 'long', rows.map((r) => r[i]!)) })), length: rows.length };
}

function positional(op: EvaluateOp): Expr[] {
  return op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
}

export function activityCountsMetrics(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const word = 'activity_counts_metrics';
  const args = positional(op);
  const { groups, dimColumns, timeName } = readActivity(word, args, 5, input, cx);
  const start = constantTicks(word, cx, args[2]!, 'Start');
  const end = constantTicks(word, cx, args[3]!, 'End');
  const window = constantTicks(word, cx, args[4]!, 'Window');
  if (window <= 0n) throw new QueryError(`${word}: Window must be positive`);
  const last = binAt(end, window, start);
  const out: Value[][] = [];
  for (const g of groups) {
    const seen = new Set<string>();
    let i = 0;
    const rows = g.rows.filter((a) => a.t >= start && binAt(a.t, window, start) <= last);
    while (i < rows.length) {
      const w = binAt(rows[i]!.t, window, start);
      const ids = new Set<string>();
      let count = 0;
      for (; i < rows.length && binAt(rows[i]!.t, window, start) === w; i++, count++) ids.add(rows[i]!.id);
      let fresh = 0;
      for (const id of ids) if (!seen.has(id)) fresh++;
      for (const id of ids) seen.add(id);
      out.push([w, ...g.dims, count, ids.size, fresh, seen.size]);
    }
  }
  return output(timeName, dimColumns, [{ name: 'count' }, { name: 'dcount' }, { name: 'new_dcount' }, { name: 'aggregated_dcount' }], out);
}

export function slidingWindowCounts(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const word = 'sliding_window_counts';
  const args = positional(op);
  const { groups, dimColumns, timeName } = readActivity(word, args, 6, input, cx);
  const start = constantTicks(word, cx, args[2]!, 'Start');
  const end = constantTicks(word, cx, args[3]!, 'End');
  const lookback = constantTicks(word, cx, args[4]!, 'LookbackWindow');
  const bin = constantTicks(word, cx, args[5]!, 'Bin');
  if (bin <= 0n || lookback <= 0n) throw new QueryError(`${word}: LookbackWindow and Bin must be positive`);
  const last = binAt(end, bin, start);
  const out: Value[][] = [];
  for (const g of groups) {
    for (let b = start; b <= last; b += bin) {
      const to = b + bin;
      const from = to - lookback;
      const inWindow = g.rows.filter((a) => a.t >= from && a.t < to);
      if (inWindow.length) out.push([b, ...g.dims, inWindow.length, new Set(inWindow.map((a) => a.id)).size]);
    }
  }
  return output(timeName, dimColumns, [{ name: 'Count' }, { name: 'Dcount' }], out);
}

export function activeUsersCount(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const word = 'active_users_count';
  const args = positional(op);
  const { groups, dimColumns, timeName } = readActivity(word, args, 8, input, cx);
  const start = constantTicks(word, cx, args[2]!, 'Start');
  const end = constantTicks(word, cx, args[3]!, 'End');
  const lookback = constantTicks(word, cx, args[4]!, 'LookbackWindow');
  const period = constantTicks(word, cx, args[5]!, 'Period');
  const needed = Number(compileOn(cx, { columns: [], length: 1 }, args[6]!).eval(0));
  const bin = constantTicks(word, cx, args[7]!, 'Bin');
  if (period <= 0n || bin <= 0n || !Number.isFinite(needed)) throw new QueryError(`${word}: Period, ActivePeriods and Bin must be positive constants`);
  const out: Value[][] = [];
  for (const g of groups) {
    const byId = new Map<string, bigint[]>();
    for (const a of g.rows) (byId.get(a.id) ?? byId.set(a.id, []).get(a.id)!).push(a.t);
    const activeIn = new Map<bigint, Set<string>>();
    for (const [id, times] of byId) {
      for (const t of times) {
        if (t < start || t > end) continue;
        const periods = new Set<bigint>();
        for (const u of times) if (u > t - lookback && u <= t) periods.add(binTicks(u, period));
        if (periods.size < needed) continue;
        const b = binAt(t, bin, start);
        (activeIn.get(b) ?? activeIn.set(b, new Set()).get(b)!).add(id);
      }
    }
    for (const b of [...activeIn.keys()].sort((x, y) => (x < y ? -1 : 1))) out.push([b, ...g.dims, activeIn.get(b)!.size]);
  }
  return output(timeName, dimColumns, [{ name: 'dcount' }], out);
}
