/**
 * Window functions over a serialized row set: row_number, row_cumsum, row_rank_min, row_rank_dense (row_rank),
 * row_window_session, prev, next. They depend on row order, so they are not per-row closures: before an
 * operator (extend, project, where, serialize) evaluates an expression, each window call in it is computed
 * over the relation's rows in order into a hidden column, and the expression reads that column instead.
 * Calls nested in a window call's arguments (`row_number(1, prev(A) != A)`) are computed first.
 */
import { addLong } from '../values/long.js';
import type { CallExpr, Expr } from '../../kql/syntax/ast.js';
import { walk } from '../../kql/syntax/index.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import { physicalRows, type Relation } from '../compile/relation.js';
import { buildColumn } from '../storage/builders.js';
import { valuesEqual } from '../values/compare.js';
import { QueryError, type Value } from '../values/value.js';
import { scope, type OpContext } from './context.js';

// row_rank: the deprecated name of row_rank_dense (Kusto.Language lists it so)
export const WINDOW_FUNCTIONS: ReadonlySet<string> = new Set(['row_number', 'row_cumsum', 'row_rank_min', 'row_rank_dense', 'row_rank', 'row_window_session', 'prev', 'next']);

const RESTART_ARG: Record<string, number> = { row_number: 1, row_cumsum: 1, row_rank_min: 1, row_rank_dense: 1, row_rank: 1, row_window_session: 3 };

/** The window calls in `e`, innermost first. */
function windowCalls(cx: OpContext, e: Expr): CallExpr[] {
  const out: CallExpr[] = [];
  const visit = (n: Expr) => {
    walk(n, (x) => {
      if (x !== n && x.kind === 'CallExpr' && isWindowCall(cx, x as CallExpr)) {
        visit(x as Expr);
        return false;
      }
      return true;
    });
    if (n.kind === 'CallExpr' && isWindowCall(cx, n)) out.push(n);
  };
  visit(e);
  return out;
}

function isWindowCall(cx: OpContext, c: CallExpr): boolean {
  return WINDOW_FUNCTIONS.has(c.name.name) && cx.rt.bound.callOf(c)?.kind === 'scalar';
}

/**
 * A compile scope for `e` over `rel` in which every window call of `e` reads a precomputed column.
 * Without window calls this is the plain scope (no copying).
 */
export function windowScope(cx: OpContext, rel: Relation, e: Expr): CompileScope {
  const calls = windowCalls(cx, e);
  if (calls.length === 0) return scope(cx, rel);
  const rows = physicalRows(rel);
  const physical = rel.columns[0]?.column.length ?? rel.length;
  const substitute = new Map<Expr, string>();
  let current: Relation = rel;
  calls.forEach((call, k) => {
    const sc: CompileScope = { ...scope(cx, current), substitute };
    const { type, values } = computeWindow(call, sc, rows, physical);
    const name = `__window${k}`;
    current = { ...current, columns: [...current.columns, { name, column: buildColumn(type, values) }] };
    substitute.set(call, name);
  });
  return { ...scope(cx, current), substitute };
}

function computeWindow(call: CallExpr, sc: CompileScope, rows: Int32Array, physical: number): { type: import('../../kql/syntax/ast.js').ScalarTypeName; values: Value[] } {
  const args = call.args.map((a) => compileExpr(a.kind === 'NamedArg' ? a.value : a, sc));
  const values: Value[] = new Array(physical).fill(null);
  const n = rows.length;
  // the optional restart predicate: true starts the count (sum, rank, session) over at that row
  const restart = RESTART_ARG[call.name.name] !== undefined ? args[RESTART_ARG[call.name.name]!]?.eval : undefined;
  const restarts = (i: number) => restart !== undefined && restart(rows[i]!) === true;
  switch (call.name.name) {
    case 'row_number': {
      const start = args[0] ? Number(args[0].eval(rows[0] ?? 0) ?? 1) : 1;
      let k = start;
      for (let i = 0; i < n; i++) {
        if (i > 0 && restarts(i)) k = start;
        values[rows[i]!] = k++;
      }
      return { type: 'long', values };
    }
    case 'row_cumsum': {
      const term = args[0]!;
      let sum: number | bigint = term.type === 'timespan' ? 0n : 0;
      for (let i = 0; i < n; i++) {
        if (restarts(i)) sum = term.type === 'timespan' ? 0n : 0;
        const v = term.eval(rows[i]!);
        if (term.type === 'timespan') {
          if (typeof v === 'bigint') sum = (sum as bigint) + v;
        } else if (term.type === 'long' || term.type === 'int') {
          // exact int64, past 2^53 too
          if (typeof v === 'number' || typeof v === 'bigint') sum = addLong(sum, v);
        } else if (typeof v === 'number' && typeof sum === 'number') sum += v;
        values[rows[i]!] = sum;
      }
      return { type: term.type, values };
    }
    case 'row_rank_min':
    case 'row_rank_dense':
    case 'row_rank': {
      const term = args[0]!;
      const dense = call.name.name !== 'row_rank_min';
      let rank = 0;
      let position = 0;
      let previous: Value = null;
      for (let i = 0; i < n; i++) {
        const v = term.eval(rows[i]!);
        if (i === 0 || restarts(i)) {
          rank = 1;
          position = 1;
        } else {
          position++;
          if (!valuesEqual(v, previous)) rank = dense ? rank + 1 : position;
        }
        previous = v;
        values[rows[i]!] = rank;
      }
      return { type: 'long', values };
    }
    case 'row_window_session': {
      const value = args[0]!;
      const fromFirst = args[1]!.eval(rows[0] ?? 0);
      const between = args[2]!.eval(rows[0] ?? 0);
      if (typeof fromFirst !== 'bigint' || typeof between !== 'bigint') throw new QueryError('row_window_session needs timespan distances');
      let start: bigint | null = null;
      let last: bigint | null = null;
      for (let i = 0; i < n; i++) {
        const v = value.eval(rows[i]!);
        if (typeof v !== 'bigint') {
          values[rows[i]!] = null;
          continue;
        }
        if (start === null || last === null || restarts(i) || v - start > fromFirst || v - last > between) start = v;
        last = v;
        values[rows[i]!] = start;
      }
      return { type: value.type, values };
    }
    case 'prev':
    case 'next': {
      const column = args[0]!;
      const offset = args[1] ? Number(args[1].eval(rows[0] ?? 0)) : 1;
      if (!Number.isInteger(offset) || offset < 0) throw new QueryError(`${call.name.name}: the offset must be a non-negative whole number`);
      const fallback = args[2];
      const step = call.name.name === 'prev' ? -offset : offset;
      for (let i = 0; i < n; i++) {
        const j = i + step;
        values[rows[i]!] = j >= 0 && j < n ? column.eval(rows[j]!) : fallback ? fallback.eval(rows[i]!) : null;
      }
      return { type: column.type, values };
    }
    default:
      throw new QueryError(`the window function '${call.name.name}' is not supported by kqlite's engine yet`, 'KQL4010');
  }
}
