/**
 * `summarize aggs by keys`: each key becomes a dense value id per row (compile/value-ids.ts, from the
 * typed arrays: no string key per row), the keys are combined into one group id per row in first-seen
 * order, and each aggregate runs over the group ids column-at-a-time: typed per-group state
 * (aggregates/grouped.ts) for the common ones, else one init/add/result state per group. Expressions
 * around aggregates (`count() * 2`, `dcount(a) / count()`) are evaluated after grouping over the
 * per-group results. Output columns and types follow the binder's
 * result schema, so names agree with what `check` reports (count_, max_Timestamp, arg_max's `*`, ...).
 */
import type { CallExpr, Expr, SummarizeOp } from '../../kql/syntax/ast.js';
import { walk } from '../../kql/syntax/index.js';
import type { ScalarTypeName, TableSchema } from '../../kql/semantics/index.js';
import { implicitName, keyColumnsOf, uniqueName } from '../../kql/semantics/naming.js';
import { AGGREGATES } from '../aggregates/registry.js';
import { lookupAggregate } from '../../kql/semantics/index.js';
import type { AggState } from '../aggregates/types.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import { entryOf, type Relation } from '../compile/relation.js';
import { combineIds, identityRows, ValueIds } from '../compile/value-ids.js';
import { encodeKey, evaluateVector } from '../compile/vector.js';
import { distinctCounterOf, GROUPED_AGGREGATES, groupedAggregate } from '../aggregates/grouped.js';
import { takeAnyRow } from '../aggregates/core.js';
import { buildColumn } from '../storage/builders.js';
import type { Column } from '../storage/column.js';
import { lazyColumn, type ColumnParts } from '../storage/merge.js';
import { giveRows, takeRows } from '../storage/scratch.js';
import { partsCellReader } from '../storage/parts.js';
import { QueryError, type Value } from '../values/value.js';
import { scope, type OpContext } from './context.js';

/** A module-level copy: under tsx (benchmarks, tests) each read of an imported binding is a getter call, and
 * the row loops read it per row. */
const CHECK_MASK = LIMIT_CHECK_MASK;

export interface AggSlot {
  call: CallExpr;
  /** The implementation's name (aliases resolved). */
  name: string;
  /** The argument expressions (`*` expanded) and their values when constant (else null). */
  argExprs: Expr[];
  consts: Value[];
  create: () => AggState;
  args: ((r: number) => Value)[];
  multi: boolean;
  /** Output columns of a multi-output aggregate. */
  width: number;
  /** The arguments' types, and how many arguments were written out (the rest came from `*`). */
  types: ScalarTypeName[];
  written: number;
}

function aggregateCalls(cx: OpContext, e: Expr): CallExpr[] {
  const out: CallExpr[] = [];
  walk(e, (n) => {
    if (n.kind === 'CallExpr' && cx.rt.bound.callOf(n as CallExpr)?.kind === 'aggregate') {
      out.push(n as CallExpr);
      return false;
    }
    return true;
  });
  return out;
}

/**
 * Compiles every aggregate call inside `exprs` once: its implementation, argument closures and constant
 * arguments. `keyColumns` are the input columns the group keys are (excluded from arg_max's `*`: keyColumnsOf).
 */
export function compileAggregates(cx: OpContext, rel: Relation, exprs: Expr[], keyColumns: ReadonlySet<string>): { slots: AggSlot[]; slotOf: Map<CallExpr, number> } {
  const sc = scope(cx, rel);
  const slots: AggSlot[] = [];
  const slotOf = new Map<CallExpr, number>();
  for (const e of exprs) {
    for (const call of aggregateCalls(cx, e)) {
      // a deprecated name (anyif, makeset ...) runs its replacement
      const impl = AGGREGATES.get(call.name.name.toLowerCase()) ?? AGGREGATES.get(lookupAggregate(call.name.name)?.name.toLowerCase() ?? '');
      if (!impl) throw new QueryError(`the aggregate '${call.name.name}' is not supported by kqlite's engine yet`, 'KQL4010');
      const argExprs: Expr[] = [];
      const plain = call.args.map((x) => (x.kind === 'NamedArg' ? x.value : x));
      // `*` in arg_max/arg_min: every input column except the by-columns and the call's other arguments,
      // in input order (the same rule the binder uses to name the outputs).
      const taken = new Set([...keyColumns, ...plain.filter((v) => v.kind === 'NameRef').map((v) => (v as { name: string }).name)]);
      // arg_max/arg_min's `*` columns are read only at each group's winning row (grouped.ts argExtreme, for
      // the typed first arguments below): a column that concatenates parts is read from its part there
      // (compiling it would copy every row of it first)
      const extreme = (impl.name === 'arg_max' || impl.name === 'arg_min') && plain.length > 0 && EXTREME_TYPES.has(compileExpr(plain[0]!, sc).type);
      const starred = new Map<Expr, ColumnParts>();
      for (const v of plain) {
        if (v.kind !== 'StarExpr') {
          argExprs.push(v);
          continue;
        }
        for (const c of rel.columns.filter((c) => !taken.has(c.name))) {
          const ref: Expr = { kind: 'NameRef', name: c.name, span: v.span };
          if (c.parts && extreme) starred.set(ref, c.parts);
          argExprs.push(ref);
        }
      }
      const compiled = argExprs.map((x) => {
        const parts = starred.get(x);
        if (parts) return { type: parts.type, eval: partsCellReader(parts) };
        // a where chain's column: compiled when a row is first read (the per-row path), since compiling reads
        // the concatenated copy, which the typed path (dcount's part-by-part encoding) never needs
        const entry = x.kind === 'NameRef' && !sc.override && !sc.substitute ? entryOf(rel, x.name) : undefined;
        if (entry?.parts) {
          let read: ((r: number) => Value) | undefined;
          return { type: entry.parts.type, eval: (r: number) => (read ??= compileExpr(x, sc).eval)(r) };
        }
        return compileExpr(x, sc);
      });
      const types = compiled.map((c) => c.type);
      const consts = compiled.map((c) => (c.constant ? c.eval(0) : null));
      slotOf.set(call, slots.length);
      const written = plain.filter((v) => v.kind !== 'StarExpr').length;
      // take_any(a, b) and take_any(*) give one column per argument, all from one row
      const anyRow = impl.name === 'take_any' && (argExprs.length > 1 || plain.some((v) => v.kind === 'StarExpr'));
      const create = anyRow ? takeAnyRow : () => impl.create(types, consts);
      slots.push({ call, name: impl.name, argExprs, consts, create, args: compiled.map((c) => c.eval), multi: Boolean(impl.multi) || anyRow, width: impl.width ? impl.width(argExprs.length) : argExprs.length, types, written });
    }
  }
  return { slots, slotOf };
}

/** First-argument types arg_max/arg_min run typed (aggregates/grouped.ts argExtreme), reading the rest per group. */
const EXTREME_TYPES = new Set(['int', 'long', 'real', 'decimal', 'datetime', 'timespan', 'string']);

/** Feeds physical row `r` to one group's aggregate states (`bufs`: one reusable argument array per slot). */
export function addRow(slots: AggSlot[], states: AggState[], bufs: Value[][], r: number): void {
  for (let s = 0; s < slots.length; s++) {
    const buf = bufs[s]!;
    const args = slots[s]!.args;
    for (let a = 0; a < args.length; a++) buf[a] = args[a]!(r);
    states[s]!.add(buf);
  }
}

export function summarize(op: SummarizeOp, rel: Relation, cx: OpContext, outSchema: TableSchema | undefined): Relation {
  const sc = scope(cx, rel);
  const keyColumns = keyColumnsOf(op.by, (n) => rel.columns.find((c) => c.name === n)?.column.type);
  const { slots, slotOf } = compileAggregates(cx, rel, op.aggregates.map((a) => a.expr), keyColumns);
  const rows = rel.sel ?? identityRows(rel.length);
  const all = !rel.sel;
  const n = rows.length;
  // group: one dense id per key value (ValueIds), keys combined pairwise, ids in first-seen order. The
  // per-row arrays are reused buffers (storage/scratch.ts), read only within this call and given back.
  const keyIds: ValueIds[] = [];
  const keyRowIds: Int32Array[] = [];
  const taken: Int32Array[] = [];
  const buffer = () => {
    const b = takeRows(n);
    taken.push(b);
    return b.subarray(0, n);
  };
  try {
    // no by-clause: every row in group 0
    let gids: Int32Array = op.by.length ? new Int32Array(0) : buffer().fill(0);
    let groups = n > 0 ? 1 : 0;
    for (let j = 0; j < op.by.length; j++) {
      const ids = new ValueIds();
      const out = buffer();
      encodeKey(op.by[j]!.expr, sc, rows, all, ids, out);
      checkLimits(cx.rt);
      keyIds.push(ids);
      keyRowIds.push(out);
      if (j === 0) {
        gids = out;
        groups = ids.size;
      } else ({ ids: gids, size: groups } = combineIds(gids, groups, out, ids.size, buffer()));
    }
    const firstRow = new Int32Array(groups).fill(-1);
    for (let i = 0; i < n; i++) if (firstRow[gids[i]!]! < 0) firstRow[gids[i]!] = i;
    // no by-clause on empty input: one row of empty aggregates
    if (op.by.length === 0 && groups === 0) groups = 1;
    const keyValues = keyIds.map((ids, j) => {
      const of = keyRowIds[j]!;
      return perGroup(groups, (g) => ids.values[of[firstRow[g]!]!]!);
    });
    const slotResults = slots.map((slot) => {
      const values = aggregateSlot(slot, sc, rows, all, gids, groups, cx);
      checkLimits(cx.rt);
      return values;
    });
    return buildOutput(op, cx, rel, outSchema, keyValues, groups, slotResults, slots, slotOf);
  } finally {
    for (const b of taken) giveRows(b);
  }
}

/**
 * One aggregate's value per group: typed column-at-a-time state (aggregates/grouped.ts) when there is one
 * for its argument types, else an init/add/result state per group fed row by row.
 */
export function aggregateSlot(slot: AggSlot, sc: CompileScope, rows: Int32Array, all: boolean, gids: Int32Array, groups: number, cx: OpContext): (Value | Value[])[] {
  const needed = new Set<number>(slot.name === 'count' ? [] : slot.name === 'countif' ? [0] : /if$/.test(slot.name) ? [0, 1] : [0]);
  const canVector = GROUPED_AGGREGATES.has(slot.name) && [...needed].every((k) => k < slot.argExprs.length && slot.consts[k] === null);
  // dcount encodes its argument as a group key is encoded (a where chain's column read part by part, no copy)
  const fast = canVector && slot.name === 'dcount'
    ? distinctCounterOf((ids, vids, isNull) => encodeKey(slot.argExprs[0]!, sc, rows, all, ids, vids, isNull), undefined)
    : canVector
    ? groupedAggregate(slot.name, slot.argExprs.map((e, k) => (needed.has(k) ? evaluateVector(e, sc, rows, all) : EMPTY)), slot.consts, (i) => slot.args.map((f) => f(rows[i]!)))
    : undefined;
  if (fast) {
    fast.run(gids, groups);
    checkLimits(cx.rt);
    // make_list/make_set results are built here, one array per group: limits every 1,024 groups
    return perGroup(groups, (g) => {
      if ((g & CHECK_MASK) === CHECK_MASK) checkLimits(cx.rt);
      return fast.result(g);
    });
  }
  const states: (AggState | undefined)[] = new Array(groups);
  const buf = new Array<Value>(slot.args.length);
  const args = slot.args;
  for (let i = 0; i < rows.length; i++) {
    if ((i & CHECK_MASK) === CHECK_MASK) checkLimits(cx.rt);
    const g = gids[i]!;
    const st = (states[g] ??= slot.create());
    const r = rows[i]!;
    for (let a = 0; a < args.length; a++) buf[a] = args[a]!(r);
    st.add(buf);
  }
  return perGroup(groups, (g) => {
    if ((g & CHECK_MASK) === CHECK_MASK) checkLimits(cx.rt);
    return (states[g] ?? slot.create()).result();
  });
}

/** f(g) for each group, in an array made at its size (Array.from with a callback takes its generic path: several times slower over 120k groups). */
function perGroup<T>(groups: number, f: (g: number) => T): T[] {
  const out = new Array<T>(groups);
  for (let g = 0; g < groups; g++) out[g] = f(g);
  return out;
}

const EMPTY: Column = { type: 'dynamic', length: 0, values: [], validity: undefined };

function buildOutput(
  op: SummarizeOp,
  cx: OpContext,
  rel: Relation,
  outSchema: TableSchema | undefined,
  keyValues: Value[][],
  n: number,
  slotResults: (Value | Value[])[][],
  slots: AggSlot[],
  slotOf: Map<CallExpr, number>,
): Relation {
  // names and types of the columns as the engine found them: what an open schema (arg_max(x, *) over a
  // table the binder could not know, e.g. table(name) of a function's parameter) is completed with
  const columns: { name: string; values: Value[]; type?: string }[] = [];
  op.by.forEach((_, j) => columns.push({ name: outSchema?.columns[j]?.name ?? '', values: keyValues[j]!, type: outSchema?.columns[j]?.type }));
  // Per-group aggregate results as columns, so outer expressions can read them.
  const aggCols = slots.map((_, i) => ({ name: `__agg${i}`, values: slotResults[i]! as Value[] }));
  for (const a of op.aggregates) {
    const call = a.expr.kind === 'CallExpr' ? a.expr : undefined;
    const slot = call ? slotOf.get(call) : undefined;
    if (slot !== undefined && slots[slot]!.multi) {
      // arg_max/arg_min: one output column per argument (with `*` expanded like the binder does)
      const sl = slots[slot]!;
      for (let w = 0; w < sl.width; w++) {
        const arg = sl.argExprs[w];
        // (the deprecated any(a, *) names them any_a, any_b ...)
        const own = w < sl.written ? (arg && implicitName(arg)) : arg?.kind === 'NameRef' ? arg.name : undefined;
        const name = a.names[w]?.name ?? (own !== undefined && call!.name.name.toLowerCase() === 'any' ? `any_${own}` : own) ?? '';
        columns.push({ name, type: sl.types[w], values: aggCols[slot]!.values.map((v) => (Array.isArray(v) ? (v as Value[])[w] ?? null : null)) });
      }
      continue;
    }
    if (slot !== undefined) {
      columns.push({ name: a.names[0]?.name ?? implicitName(a.expr) ?? '', type: cx.rt.bound.typeOf(slots[slot]!.call), values: aggCols[slot]!.values });
      continue;
    }
    // an expression over aggregates: evaluate it per group over the aggregate columns
    const temp: Relation = { columns: aggCols.map((c, i) => ({ name: c.name, column: buildColumn(cx.rt.bound.typeOf(slots[i]!.call) ?? 'dynamic', c.values) })), length: n };
    const sc: CompileScope = { ...scope(cx, temp), substitute: new Map([...slotOf].map(([call, i]) => [call as Expr, `__agg${i}`])) };
    const c = compileExpr(a.expr, sc);
    const values: Value[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = c.eval(i);
    columns.push({ name: a.names[0]?.name ?? implicitName(a.expr) ?? '', values, type: c.type });
  }
  let schema: { name: string; type: ScalarTypeName }[] = outSchema?.columns ?? [];
  if (outSchema?.open && schema.length !== columns.length) {
    // `*` met columns the binder did not know: the columns as found, de-duplicated as Kusto does
    const named: { name: string; type: ScalarTypeName }[] = [];
    const sc = scope(cx, rel);
    op.by.forEach((b, j) => (columns[j]!.type = compileExpr(b.expr, sc).type));
    for (const [i, c] of columns.entries()) named.push({ name: uniqueName(named, c.name || `Column${i + 1}`), type: (c.type ?? 'dynamic') as ScalarTypeName });
    schema = named;
  }
  if (schema.length !== columns.length) throw new QueryError(`summarize produced ${columns.length} columns where ${schema.length} were expected`, 'KQL4099');
  return groupColumns(schema, columns.map((c) => c.values), n);
}

/**
 * The output's columns built from the per-group values when first read, for the groups `pick` (all when
 * absent). `narrow` picks some groups, so a `where` on an aggregate (`| where Failures >= 2` over 119k
 * device × 10-minute groups keeping 6k) builds the key and other columns for the groups it keeps only.
 */
function groupColumns(schema: { name: string; type: ScalarTypeName }[], values: Value[][], n: number, pick?: Int32Array): Relation {
  const columns = schema.map((col, i) => lazyColumn(col.name, () => buildColumn(col.type, pick ? perGroup(pick.length, (k) => values[i]![pick[k]!]!) : values[i]!)));
  const length = pick ? pick.length : n;
  const rows = (keep: Int32Array): Relation => groupColumns(schema, values, n, pick ? keep.map((i) => pick[i]!) : keep.slice());
  return { columns, length, narrow: { columns, length, rows } };
}

/**
 * One aggregate expression (`sum(x)`, `count() * 2`, `dcount(a) / count()`) over groups of physical rows:
 * its value per group, and its type.
 */
export function aggregateOverGroups(cx: OpContext, rel: Relation, expr: Expr, groups: ArrayLike<number>[]): { values: Value[]; type: string } {
  const { slots, slotOf } = compileAggregates(cx, rel, [expr], new Set());
  // the groups' rows back to back with a group id each: summarize's per-slot path (typed state per group
  // for the common aggregates, else a state per group), rows in each group's order
  let total = 0;
  for (const g of groups) total += g.length;
  const rows = new Int32Array(total);
  const gids = new Int32Array(total);
  let at = 0;
  groups.forEach((g, k) => {
    for (let i = 0; i < g.length; i++, at++) {
      rows[at] = g[i]!;
      gids[at] = k;
    }
  });
  const rsc = scope(cx, rel);
  const results = slots.map((slot) => aggregateSlot(slot, rsc, rows, false, gids, groups.length, cx) as Value[]);
  const temp: Relation = { columns: slots.map((s, i) => ({ name: `__agg${i}`, column: buildColumn(cx.rt.bound.typeOf(s.call) ?? 'dynamic', results[i]!) })), length: groups.length };
  const sc: CompileScope = { ...scope(cx, temp), substitute: new Map([...slotOf].map(([call, i]) => [call as Expr, `__agg${i}`])) };
  const c = compileExpr(expr, sc);
  return { values: groups.map((_, g) => c.eval(g)), type: c.type };
}
