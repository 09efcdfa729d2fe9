/** Result schemas of the reshaping operators: summarize, join, lookup, mv-expand, mv-apply, make-series, top-nested. */
import type { Expr, JoinOp, LookupOp, MakeSeriesOp, MvApplyOp, MvExpandOp, MvItem, ScalarTypeName, ScanOp, SummarizeOp, TopNestedOp } from '../syntax/ast.js';
import { Binder, OPEN_SCHEMA, Scope, findColumn, type Row } from './binder.js';
import { bindExpr, reportUnknownColumn } from './bind-expressions.js';
import { bindAssignments, bindTabular } from './bind-tabular.js';
import { refuseGraph } from './bind-graph.js';
import { SEMANTIC } from './codes.js';
import { implicitName, joinRightNames, keyColumnsOf, mvApplyInPlace, mvItemNames, upsertColumn, uniqueName } from './naming.js';
import type { ColumnSchema, TableSchema } from './types.js';

/** Aggregates whose result is several columns: arg_max/arg_min (and their deprecated names), take_any of several. */
const ARG_EXTREMES = new Set(['arg_max', 'arg_min', 'argmax', 'argmin']);
const TAKE_ANY = new Set(['take_any', 'any']);

export function bindSummarize(b: Binder, op: SummarizeOp, input: TableSchema, scope: Scope): TableSchema {
  const row: Row = { schema: input };
  // an unnamed column is Column1, Column2, ...: the first such name that no input column has (as Kusto)
  let n = 0;
  const fallback = () => {
    let name: string;
    do name = `Column${++n}`;
    while (input.columns.some((c) => c.name === name));
    return name;
  };
  const byCols = bindAssignments(b, op.by, scope, row, fallback, false);
  const out: ColumnSchema[] = [];
  for (const c of byCols) out.push({ ...c, name: uniqueName(out, c.name) });
  const keyColumns = keyColumnsOf(op.by, (n) => input.columns.find((c) => c.name === n)?.type);
  const aggRow: Row = { schema: input, aggregates: true };
  // arg_max(x, *) over an input with unknown columns passes those unknown columns through
  let passesUnknown = false;
  for (const a of op.aggregates) {
    const type = bindExpr(b, a.expr, scope, aggRow);
    const call = a.expr.kind === 'CallExpr' ? a.expr : undefined;
    const fn = call?.name.name.toLowerCase();
    const args = call ? call.args.filter((x): x is Expr => x.kind !== 'NamedArg') : [];
    if (call && fn && (ARG_EXTREMES.has(fn) || (TAKE_ANY.has(fn) && (args.length > 1 || args.some((x) => x.kind === 'StarExpr'))))) {
      // arg_max(by, cols...) returns the by-expression plus the listed (or all, with *) columns; take_any(a, b)
      // and take_any(*) return their arguments' columns, all from one row
      const names = a.names.map((x) => x.name);
      const produced: ColumnSchema[] = [];
      // the deprecated argmax(x, cols...) names its columns max_x, max_x_col, ... (argmin: min_); the
      // deprecated any(a, *) names them any_a, any_b, ... (Kusto.Language)
      const legacy = fn === 'argmax' || fn === 'argmin' ? `${fn.slice(3)}_${(args[0] && implicitName(args[0])) ?? ''}` : fn === 'any' ? 'any' : undefined;
      args.forEach((arg, i) => {
        if (arg.kind === 'StarExpr') {
          if (input.open) passesUnknown = true;
          // every input column but the columns the keys are and the columns the call names itself (as the engine
          // expands it; a column named like a computed key is kept, suffixed: `by bin(T, 1h)` → T, ..., T1)
          // (a second arg_max(x, *) repeats the columns, suffixed: x1, y1, ...; so does a column named like
          // the call's own output: `LastSeen = arg_max(Timestamp, *)` over a LastSeen column gives LastSeen1)
          const named = new Set(args.filter((x) => x.kind === 'NameRef').map((x) => (x as { name: string }).name));
          // (names written before `=` name the first columns, the expanded ones too: `x = take_any(*)`)
          for (const c of input.columns) {
            if (named.has(c.name) || keyColumns.has(c.name)) continue;
            produced.push({ ...c, name: names[produced.length] ?? (legacy ? `${legacy}_${c.name}` : c.name) });
          }
          return;
        }
        const own = implicitName(arg);
        const name = names[i] ?? (legacy ? (i === 0 && fn !== 'any' ? legacy : `${legacy}_${own ?? i}`) : own) ?? fallback();
        produced.push({ name, type: b.types.get(arg) ?? 'dynamic' });
      });
      for (const c of produced) out.push({ ...c, name: uniqueName(out, c.name) });
      continue;
    }
    if (call && (fn === 'percentiles' || fn === 'percentilesw') && a.names.length <= 1) {
      const base = implicitName(call.args[0] as Expr) ?? '';
      for (const p of call.args.slice(fn === 'percentiles' ? 1 : 2)) {
        const pv = p.kind === 'Literal' ? String(p.value).replace('.', '_') : '';
        out.push({ name: uniqueName(out, `percentile_${base}_${pv}`), type });
      }
      continue;
    }
    if (a.names.length > 1) {
      // (p50, p90) = percentiles(x, 50, 90): each a percentile of x, typed as one
      const each = fn === 'percentiles' || fn === 'percentilesw' ? type : 'dynamic';
      for (const x of a.names) out.push({ name: uniqueName(out, x.name), type: each });
      continue;
    }
    const name = a.names[0]?.name ?? implicitName(a.expr) ?? fallback();
    out.push({ name: uniqueName(out, name), type });
  }
  return { columns: out, open: passesUnknown };
}

function param(op: { parameters: { name: { name: string }; value: Expr }[] }, name: string): string | undefined {
  const v = op.parameters.find((p) => p.name.name === name)?.value;
  return v?.kind === 'NameRef' ? v.name : v?.kind === 'Literal' ? String(v.value) : undefined;
}

/** Binds `on` keys: bare names must exist on both sides; `$left.a == $right.b` each on its side. */
function bindOn(b: Binder, on: Expr[], left: TableSchema, right: TableSchema, scope: Scope, what: string, span: { start: number; end: number }): string[] {
  const keys: string[] = [];
  if (!on.length) b.error(SEMANTIC.joinWithoutKeys, `${what} needs 'on' with the key columns`, span);
  const row: Row = { schema: { columns: [], open: true }, left, right };
  for (const k of on) {
    if (k.kind === 'NameRef') {
      for (const side of [left, right]) {
        if (!findColumn(side, k.name) && !side.open) reportUnknownColumn(b, k.name, k.span, side.columns.map((c) => c.name));
      }
      keys.push(k.name);
      b.types.set(k, findColumn(left, k.name)?.type ?? 'dynamic');
    } else {
      bindExpr(b, k, scope, row);
      checkKeySides(b, k);
    }
  }
  return keys;
}

const sideOf = (e: Expr): string | undefined => (e.kind === 'MemberExpr' && e.target.kind === 'NameRef' && (e.target.name === '$left' || e.target.name === '$right') ? e.target.name : undefined);

/**
 * `$left.a == $right.b`: the left operand names the left side and the right one the right side, in that order
 * (Kusto.Language rejects `$right.b == $left.a` and `$left.a == $left.b`), in every `and` of the condition.
 */
function checkKeySides(b: Binder, e: Expr): void {
  if (e.kind === 'ParenExpr') return checkKeySides(b, e.expr);
  if (e.kind !== 'BinaryExpr') return;
  if (e.op === 'and') {
    checkKeySides(b, e.left);
    checkKeySides(b, e.right);
    return;
  }
  if (e.op !== '==' || (sideOf(e.left) === undefined && sideOf(e.right) === undefined)) return;
  if (sideOf(e.left) !== '$left') b.error(SEMANTIC.joinKeySide, 'the left operand of a join condition must be $left.<column>', e.left.span);
  if (sideOf(e.right) !== '$right') b.error(SEMANTIC.joinKeySide, 'the right operand of a join condition must be $right.<column>', e.right.span);
}

export function bindJoin(b: Binder, op: JoinOp, left: TableSchema, scope: Scope): TableSchema {
  const right = refuseGraph(b, bindTabular(b, op.right, scope), op.right.span, 'join');
  bindOn(b, op.on, left, right, scope, 'join', op.span);
  const kind = (param(op, 'kind') ?? 'innerunique').toLowerCase();
  if (kind === 'leftsemi' || kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi') return left;
  if (kind === 'rightsemi' || kind === 'rightanti' || kind === 'rightantisemi') return right;
  const names = joinRightNames(left.columns.map((c) => c.name), right.columns.map((c) => c.name));
  return { columns: [...left.columns, ...right.columns.map((c, i) => ({ ...c, name: names[i]! }))], open: left.open || right.open };
}

export function bindLookup(b: Binder, op: LookupOp, left: TableSchema, scope: Scope): TableSchema {
  const right = refuseGraph(b, bindTabular(b, op.right, scope), op.right.span, 'lookup');
  bindOn(b, op.on, left, right, scope, 'lookup', op.span);
  // the right side's key columns are not repeated: `on a` and `on $left.x == $right.a` both drop a
  const keys = new Set(op.on.flatMap(rightKeyNames));
  const kept = right.columns.filter((c) => !keys.has(c.name));
  const names = joinRightNames(left.columns.map((c) => c.name), kept.map((c) => c.name));
  return { columns: [...left.columns, ...kept.map((c, i) => ({ ...c, name: names[i]! }))], open: left.open || right.open };
}

/** The right-side column names an `on` condition keys on: `a`, `$right.a == $left.x`, and `and` of those. */
function rightKeyNames(e: Expr): string[] {
  if (e.kind === 'NameRef') return [e.name];
  if (e.kind === 'ParenExpr') return rightKeyNames(e.expr);
  if (e.kind !== 'BinaryExpr') return [];
  if (e.op === 'and') return [...rightKeyNames(e.left), ...rightKeyNames(e.right)];
  if (e.op !== '==') return [];
  return [e.left, e.right].flatMap((x) => (x.kind === 'MemberExpr' && x.target.kind === 'NameRef' && x.target.name === '$right' ? [x.name.name] : []));
}

export function bindMvExpand(b: Binder, op: MvExpandOp, input: TableSchema, scope: Scope): TableSchema {
  const row: Row = { schema: input };
  const out = [...input.columns];
  const names = mvItemNames(op.items, input.columns.map((c) => c.name));
  op.items.forEach((item, i) => {
    checkExpandable(b, 'mv-expand', item, bindExpr(b, item.expr, scope, row));
    upsertColumn(out, { name: names[i]!, type: item.toType ?? 'dynamic' });
  });
  if (op.limit) bindExpr(b, op.limit, scope, undefined);
  const index = param(op, 'with_itemindex');
  if (index) upsertColumn(out, { name: index, type: 'long' });
  return { columns: out, open: input.open };
}

/** mv-expand / mv-apply take dynamic arrays or bags; a string (even one holding JSON) is an error in Kusto. */
function checkExpandable(b: Binder, word: string, item: MvItem, type: ScalarTypeName): void {
  if (type === 'dynamic' || b.guessed.has(item.expr)) return;
  b.error(SEMANTIC.typeMismatch, `${word} expands a dynamic array or property bag, but this is ${type}${type === 'string' ? ' (parse it with parse_json() or split() first)' : ''}`, item.span);
}

export function bindMvApply(b: Binder, op: MvApplyOp, input: TableSchema, scope: Scope): TableSchema {
  const row: Row = { schema: input };
  const inner = [...input.columns];
  const names = mvItemNames(op.items, input.columns.map((c) => c.name));
  const expanded = mvApplyInPlace(op.items);
  op.items.forEach((item, i) => {
    checkExpandable(b, 'mv-apply', item, bindExpr(b, item.expr, scope, row));
    upsertColumn(inner, { name: names[i]!, type: item.toType ?? 'dynamic' });
  });
  const index = param(op, 'with_itemindex');
  if (index) upsertColumn(inner, { name: index, type: 'long' });
  b.implicit.push({ columns: inner, open: input.open });
  try {
    const sub = bindTabular(b, op.subquery, new Scope(scope));
    // the input's columns that were not expanded in place, then the subquery's
    const out = input.columns.filter((c) => !expanded.has(c.name));
    for (const c of sub.columns) upsertColumn(out, c);
    return { columns: out, open: input.open || sub.open };
  } finally {
    b.implicit.pop();
  }
}

export function bindMakeSeries(b: Binder, op: MakeSeriesOp, input: TableSchema, scope: Scope): TableSchema {
  const row: Row = { schema: input };
  let n = 0;
  const by = bindAssignments(b, op.by, scope, row, () => `Column${++n}`, false);
  const axisType = bindExpr(b, op.on, scope, row);
  void axisType;
  for (const x of [op.from, op.to, op.step]) if (x) bindExpr(b, x, scope, undefined);
  const out: ColumnSchema[] = [...by];
  const axisName = implicitName(op.on) ?? 'Column1';
  const aggRow: Row = { schema: input, aggregates: true };
  // arg_max(x, *) over an input with unknown columns passes those unknown columns through
  let passesUnknown = false;
  for (const a of op.aggregates) {
    bindExpr(b, a.assignment.expr, scope, aggRow);
    if (a.default) bindExpr(b, a.default, scope, undefined);
    const name = a.assignment.names[0]?.name ?? implicitName(a.assignment.expr) ?? `Column${++n}`;
    out.push({ name: uniqueName(out, name), type: 'dynamic' });
  }
  // the keys, the aggregate arrays, then the axis array
  out.push({ name: uniqueName(out, axisName), type: 'dynamic' });
  return { columns: out };
}

export function bindTopNested(b: Binder, op: TopNestedOp, input: TableSchema, scope: Scope): TableSchema {
  const row: Row = { schema: input };
  const aggRow: Row = { schema: input, aggregates: true };
  const out: ColumnSchema[] = [];
  for (const level of op.levels) {
    if (level.count) bindExpr(b, level.count, scope, undefined);
    const t = bindExpr(b, level.of.expr, scope, row);
    const ofName = level.of.names[0]?.name ?? implicitName(level.of.expr) ?? `Column${out.length + 1}`;
    out.push({ name: uniqueName(out, ofName), type: t });
    if (level.withOthers) bindExpr(b, level.withOthers, scope, undefined);
    const at = bindExpr(b, level.by.expr, scope, aggRow);
    const aggName = level.by.names[0]?.name ?? `aggregated_${ofName}`;
    out.push({ name: uniqueName(out, aggName), type: at });
  }
  return { columns: out, open: input.open };
}

/**
 * scan: the output is the input extended with the declared columns (and the match id column when
 * `with_match_id` is given); step conditions and assignments see the record's columns and, as
 * `step.Column`, the columns of each step's state.
 */
export function bindScan(b: Binder, op: ScanOp, input: TableSchema, scope: Scope): TableSchema {
  const out = [...input.columns];
  op.declare.forEach((d, i) => {
    upsertColumn(out, { name: d.name.name, type: d.type });
    const dflt = op.declareDefaults[i];
    if (dflt) bindExpr(b, dflt, scope, undefined);
  });
  const extended: TableSchema = { columns: out, open: input.open };
  for (const k of op.orderBy) bindExpr(b, k.expr, scope, { schema: input });
  for (const e of op.partitionBy) bindExpr(b, e, scope, { schema: input });
  const row: Row = { schema: extended, steps: new Map(op.steps.map((s) => [s.name.name, extended])) };
  for (const step of op.steps) {
    bindExpr(b, step.predicate, scope, row);
    for (const a of step.assignments) {
      const name = a.names[0]?.name;
      if (name && !op.declare.some((d) => d.name.name === name)) b.error(SEMANTIC.unknownColumn, `scan can assign only declared columns; '${name}' is not declared`, a.span);
      bindExpr(b, a.expr, scope, row);
    }
  }
  const matchId = param(op, 'with_match_id');
  return { columns: matchId ? [...out, { name: matchId, type: 'long' }] : out, open: input.open };
}

export { OPEN_SCHEMA };
