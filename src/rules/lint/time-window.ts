/**
 * LINT001-003: the query's time window. Every stored table the query reads is followed up its pipeline
 * (through `where`s, unions, joins and the `let`s it is bound to) to the lower bounds put on a datetime
 * column (`Timestamp > ago(1d)`, `TimeGenerated between (start .. end)`). A table with none is scanned whole
 * (LINT001); a rule with a schedule (`queryFrequency`/`queryPeriod`) is compared with the windows it reads.
 */
import type { Span } from '../../common/span.js';
import { unparen, conjuncts, walk, type Expr, type LetStatement, type NameRef } from '../../kql/syntax/index.js';
import type { AnyTreeNode } from '../../kql/syntax/walk.js';
import { DEFENDER_TABLES } from '../../kql/semantics/index.js';
import { LINT } from './codes.js';
import type { LintContext } from './context.js';
import { formatSpan, scheduleDuration, timePointOf, type TimePoint } from './time-values.js';

/** A lower bound on a time column: where it is written and the point it stands for (when readable). */
export interface TimeBound { span: Span; point?: TimePoint; /** An upper bound only (`Timestamp < ago(3d)`): it does not bound the scan. */ upper?: boolean }

/** One read of a stored table and the lower time bounds on every path its rows take (undefined: not used). */
export interface TableRead { ref: NameRef; table: string; timeColumn: string; paths: TimeBound[][] }

const COMPARISONS = new Set(['>', '>=', '<', '<=']);
/** Defender tables without a time column (TVM inventories: one row per current state), which no filter can bound. */
const UNTIMED_DEFENDER = new Set(DEFENDER_TABLES.filter((t) => !t.columns.some((c) => c.name === 'Timestamp')).map((t) => t.name));

/** Whether `e` reads a column of the row (so it is not a constant bound). */
function readsRow(ctx: LintContext, e: Expr): boolean {
  let found = false;
  walk(e, (n) => {
    if (found) return false;
    if (n.kind === 'NameRef' && ctx.bound.refOf(n as NameRef)?.kind === 'column') found = true;
    else if (n.kind === 'CallExpr' && (n as Expr & { kind: 'CallExpr' }).name.name.toLowerCase() === 'ingestion_time') found = true;
    return !found;
  });
  return found;
}

/** A datetime expression over the row: `Timestamp`, `bin(TimeGenerated, 1h)`, `ingestion_time()`. */
function isRowTime(ctx: LintContext, e: Expr): boolean {
  return ctx.bound.typeOf(e) === 'datetime' && readsRow(ctx, e);
}

/** The lower time bounds a `where` predicate puts on the rows (top-level `and` terms only). */
export function lowerBounds(ctx: LintContext, predicate: Expr): TimeBound[] {
  const out: TimeBound[] = [];
  for (const c0 of conjuncts(predicate)) {
    const c = unparen(c0);
    if (c.kind === 'BetweenExpr' && !c.negated && isRowTime(ctx, c.left) && !readsRow(ctx, c.low)) {
      const point = timePointOf(ctx.bound, c.low);
      out.push({ span: c.span, ...(point ? { point } : {}) });
    } else if (c.kind === 'BinaryExpr' && COMPARISONS.has(c.op)) {
      // `T > x` / `T >= x` bound from below, and so do `x < T` / `x <= T`
      const left = isRowTime(ctx, c.left) && !readsRow(ctx, c.right);
      const right = isRowTime(ctx, c.right) && !readsRow(ctx, c.left);
      const bound = left && (c.op === '>' || c.op === '>=') ? c.right : right && (c.op === '<' || c.op === '<=') ? c.left : undefined;
      if (bound) {
        const point = timePointOf(ctx.bound, bound);
        out.push({ span: c.span, ...(point ? { point } : {}) });
      } else if (left || right) {
        out.push({ span: c.span, upper: true });
      }
    }
  }
  return out;
}

/** The bounds met going up from `node` to the end of its statement; one list per path (a let used twice is two). */
function pathsUp(ctx: LintContext, node: AnyTreeNode, seen: Set<LetStatement>): TimeBound[][] {
  const bounds: TimeBound[] = [];
  let cur: AnyTreeNode = node;
  for (;;) {
    const p = ctx.parentOf(cur);
    if (!p) return [bounds];
    if (p.kind === 'PipeExpr') {
      const pipe = p as Expr & { kind: 'PipeExpr' };
      if (pipe.source === cur && pipe.op.kind === 'WhereOp') bounds.push(...lowerBounds(ctx, pipe.op.predicate));
      cur = p;
    } else if (p.kind === 'ParenExpr' || p.kind === 'UnionExpr' || p.kind === 'CallExpr' || p.kind === 'ContextualSubquery') {
      cur = p;
    } else if (p.kind === 'UnionOp' || p.kind === 'JoinOp' || p.kind === 'LookupOp') {
      // the rows join the pipeline the operator sits in
      cur = p;
    } else if (p.kind === 'LetStatement') {
      const stmt = p as LetStatement;
      if (seen.has(stmt)) return [bounds];
      const uses: NameRef[] = [];
      walk(ctx.script, (n) => {
        if (n.kind === 'NameRef') {
          const r = ctx.bound.refOf(n as NameRef);
          if (r?.kind === 'let' && r.statement === stmt) uses.push(n as NameRef);
        }
      });
      const next = new Set(seen).add(stmt);
      return uses.flatMap((u) => pathsUp(ctx, u, next).map((rest) => [...bounds, ...rest]));
    } else {
      // a query statement's end, a function body (its callers decide), anything else: the path ends here
      return p.kind === 'FunctionBody' ? [[...bounds, { span: node.span }]] : [bounds];
    }
  }
}

/** Every read of a stored table with a time column, with the bounds on each path of its rows. */
export function tableReads(ctx: LintContext): TableRead[] {
  const out: TableRead[] = [];
  walk(ctx.script, (n) => {
    if (n.kind !== 'NameRef') return;
    const ref = ctx.bound.refOf(n as NameRef);
    if (ref?.kind !== 'table') return;
    const time = ref.schema.columns.find((c) => c.type === 'datetime' && (c.name === 'Timestamp' || c.name === 'TimeGenerated'));
    if (!time || UNTIMED_DEFENDER.has(ref.name)) return;
    out.push({ ref: n as NameRef, table: ref.name, timeColumn: time.name, paths: pathsUp(ctx, n, new Set()) });
  });
  return out;
}

/** The window a path reads: its tightest readable relative bound (ticks back from now), if any. */
function lookback(path: TimeBound[]): { ticks: bigint; bound: TimeBound } | undefined {
  let best: { ticks: bigint; bound: TimeBound } | undefined;
  for (const b of path) if (!b.upper && b.point?.kind === 'relative' && (!best || -b.point.ticks < best.ticks)) best = { ticks: -b.point.ticks, bound: b };
  return best;
}

export function checkTimeWindow(ctx: LintContext): void {
  const fields = ctx.fields;
  if (!fields) return;
  const reads = tableReads(ctx);
  const hasPeriod = fields['queryPeriod'] !== undefined;
  if (!hasPeriod) {
    // a hunting query is run over whatever the workspace (or the portal's time picker) holds
    const reported = new Set<string>();
    for (const r of reads) {
      const open = r.paths.find((p) => !p.some((b) => !b.upper));
      if (!open || reported.has(r.table)) continue;
      reported.add(r.table);
      const upper = open.find((b) => b.upper);
      if (upper) {
        ctx.query(LINT.noTimeFilter, `'${r.table}' has an upper time bound but no lower one: every event older than it is scanned and reported; did you mean '>'? (bound it from below: | where ${r.timeColumn} > ago(7d))`, upper.span);
        continue;
      }
      ctx.query(LINT.noTimeFilter, `'${r.table}' is read with no time filter: every event the workspace holds is scanned, and an event from months ago is a finding today; bound it right after the table (| where ${r.timeColumn} > ago(7d))`, r.ref.span);
    }
  }
  checkSchedule(ctx, reads);
}

function checkSchedule(ctx: LintContext, reads: TableRead[]): void {
  const fields = ctx.fields!;
  const rawPeriod = fields['queryPeriod'];
  const rawFrequency = fields['queryFrequency'];
  const period = scheduleDuration(rawPeriod);
  const frequency = scheduleDuration(rawFrequency);
  if (rawPeriod !== undefined && period === undefined) ctx.field(LINT.windowInconsistent, `queryPeriod '${String(rawPeriod)}' is not a duration (write e.g. 1h, 14d or PT1H)`, 'queryPeriod');
  if (rawFrequency !== undefined && frequency === undefined) ctx.field(LINT.windowInconsistent, `queryFrequency '${String(rawFrequency)}' is not a duration (write e.g. 5m, 1h or PT1H)`, 'queryFrequency');
  if (period !== undefined && frequency !== undefined && period < frequency) {
    ctx.field(LINT.windowInconsistent, `queryPeriod ${formatSpan(period)} is shorter than queryFrequency ${formatSpan(frequency)}: the events between one run's window and the next run are never looked at; make queryPeriod at least ${formatSpan(frequency)}`, 'queryPeriod');
  }
  if (period === undefined && frequency === undefined) return;
  let longest: bigint | undefined;
  for (const r of reads) {
    for (const path of r.paths) {
      for (const b of path) {
        if (!b.upper && b.point?.kind === 'absolute') ctx.query(LINT.windowInconsistent, `a scheduled rule filters '${r.table}' from a fixed date: each run reads the same old window (or, once the date is older than queryPeriod, nothing); bound it relative to now (ago(...))`, b.span);
      }
      const w = lookback(path);
      if (!w) continue;
      if (longest === undefined || w.ticks > longest) longest = w.ticks;
      if (frequency !== undefined && w.ticks < frequency) {
        ctx.query(LINT.windowShorterThanSchedule, `'${r.table}' is read ${formatSpan(w.ticks)} back but the rule runs every ${formatSpan(frequency)} (queryFrequency): events between ${formatSpan(w.ticks)} and ${formatSpan(frequency)} old are never seen; make the window at least ${formatSpan(frequency)}`, w.bound.span);
      } else if (period !== undefined && w.ticks > period) {
        ctx.query(LINT.windowInconsistent, `'${r.table}' is read ${formatSpan(w.ticks)} back but Sentinel gives the rule only queryPeriod ${formatSpan(period)} of data: the rest of the window is empty; raise queryPeriod to ${formatSpan(w.ticks)} or shorten the window`, w.bound.span);
      }
    }
  }
  if (period !== undefined && longest !== undefined && longest < period && (frequency === undefined || longest >= frequency)) {
    ctx.field(LINT.windowShorterThanSchedule, `queryPeriod is ${formatSpan(period)} but no part of the query reads further back than ${formatSpan(longest)}: lower queryPeriod to ${formatSpan(longest)} (or widen the window you meant to be ${formatSpan(period)})`, 'queryPeriod');
  }
}
