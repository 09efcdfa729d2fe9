/**
 * `where`: narrows the selection vector; columns are not copied. When a column index can name the only
 * rows that may pass (indexed-where.ts), the predicate runs on those alone; a filter that only bounds a
 * datetime column by constants selects in one loop over its tick arrays (time-range-where.ts).
 */
import type { WhereOp } from '../../kql/syntax/ast.js';
import { physicalRows, sameRows, type Relation } from '../compile/relation.js';
import { checkLimits, LIMIT_CHECK_MASK } from '../compile/env.js';
import { compileExpr } from '../compile/expr.js';
import type { OpContext } from './context.js';
import { indexedRows } from './indexed-where.js';
import { timeRangeRows } from './time-range-where.js';
import { windowScope } from './window.js';

// (a module-level copy: under tsx, how the benchmarks and tests run, every read of an imported binding is a
// getter call, and this one was read twice per row: a sixth of a where over 5M rows)
const MASK = LIMIT_CHECK_MASK;

export function where(op: WhereOp, rel: Relation, cx: OpContext, candidates?: Int32Array): Relation {
  // Window calls (prev, row_number ...) are computed over every row first, so narrowing the rows the
  // predicate runs on through an index does not change their values.
  const scope = windowScope(cx, rel, op.predicate);
  const ranged = timeRangeRows(op.predicate, rel, scope);
  if (ranged) return { columns: rel.columns, length: ranged.length, sel: ranged, ...sameRows(rel) };
  const pred = compileExpr(op.predicate, scope).eval;
  // `candidates`: the caller already looked the rows up (timeThenIndexed below)
  const rows = candidates ?? indexedRows(op.predicate, rel, cx) ?? physicalRows(rel);
  const out = new Int32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (pred(r) === true) out[n++] = r;
    if ((i & MASK) === MASK) checkLimits(cx.rt);
  }
  return { columns: rel.columns, length: n, sel: out.subarray(0, n), ...sameRows(rel) };
}

/**
 * `where <time bounds> | where <indexed test>` as one step: when the second where's index names the few rows
 * that may pass, the time filter runs on those alone instead of on every row of the extent, then the second
 * predicate on the rows left. Same rows, same order as the two wheres in turn (filters commute). Undefined
 * when the first is not a time-bounds filter or no index helps the second.
 */
export function timeThenIndexed(time: WhereOp, next: WhereOp, rel: Relation, cx: OpContext): Relation | undefined {
  if (!isTimeBounds(time.predicate, rel, cx)) return undefined;
  const cand = indexedRows(next.predicate, rel, cx);
  if (!cand) return undefined;
  const narrowed = where(time, { columns: rel.columns, length: cand.length, sel: cand }, cx);
  return where(next, narrowed, cx, narrowed.sel ?? physicalRows(narrowed));
}

function isTimeBounds(predicate: WhereOp['predicate'], rel: Relation, cx: OpContext): boolean {
  return timeRangeRows(predicate, { columns: rel.columns, length: 0, sel: new Int32Array(0) }, windowScope(cx, rel, predicate)) !== undefined;
}
