/**
 * `where`: narrows the selection vector; columns are not copied. When a column index can name the only
 * rows that may pass (indexed-where.ts), the predicate runs on those alone; a filter that only bounds a
 * datetime column by constants selects in one loop over its tick arrays (time-range-where.ts), and one with
 * such a bound among other conjuncts selects by the bound first, then runs the others on the rows left. Over
 * a relation whose columns are gathered by row (a join's or summarize's output, `Relation.narrow`), keeping
 * few rows gives the relation of those rows, so columns read later are built for them alone.
 */
import type { Expr, WhereOp } from '../../kql/syntax/ast.js';
import { conjuncts } from '../../kql/syntax/index.js';
import type { CompileScope } from '../compile/expr.js';
import { narrowerOf, sameRows, type Relation } from '../compile/relation.js';
import { identityRows } from '../compile/value-ids.js';
import { giveRows, keepRows, takeRows } from '../storage/scratch.js';
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
  // `candidates`: the caller already looked the rows up (timeThenIndexed below)
  const looked = candidates ?? indexedRows(op.predicate, rel, cx);
  const split = looked ? undefined : splitConjuncts(op.predicate, rel, scope);
  // (no selection: the shared identity rows, only read here)
  const rows = looked ?? split?.rows ?? (rel.sel ? rel.sel : identityRows(rel.length));
  let out: Int32Array;
  let n = 0;
  if (split && !split.rest.length) {
    out = rows;
    n = rows.length;
  } else {
    // the rows that pass go to the reused scratch buffer, then a copy of their own size is kept
    const buf = takeRows(rows.length);
    // the conjuncts left after a time bound run one after another over the rows the previous ones kept
    const preds = split ? split.rest.map((p) => compileExpr(p, scope)) : [compileExpr(op.predicate, scope)];
    let from = rows;
    try {
      for (const c of preds) {
        n = 0;
        if (c.select) n = c.select(from, buf);
        else {
          const pred = c.eval;
          for (let i = 0; i < from.length; i++) {
            const r = from[i]!;
            if (pred(r) === true) buf[n++] = r;
            if ((i & MASK) === MASK) checkLimits(cx.rt);
          }
        }
        checkLimits(cx.rt);
        from = buf.subarray(0, n);
      }
    } catch (e) {
      giveRows(buf);
      throw e;
    }
    out = keepRows(buf, n);
  }
  // a join's output keeping under half its pairs: gather the columns read later for the kept pairs only
  const narrower = n * 2 < rel.length ? narrowerOf(rel) : undefined;
  if (narrower) return narrower(out.subarray(0, n));
  return { columns: rel.columns, length: n, sel: out.subarray(0, n), ...sameRows(rel) };
}

/**
 * `where <time bounds> and <tests>`: the rows within the time bounds in one loop over the tick arrays
 * (time-range-where.ts), and the other conjuncts to run on those alone, one after another (a row passes an
 * `and` exactly when it passes each conjunct: filters commute). Undefined when no conjunct is a time bound
 * or the predicate is one.
 */
function splitConjuncts(predicate: Expr, rel: Relation, s: CompileScope): { rows: Int32Array; rest: Expr[] } | undefined {
  const all = conjuncts(predicate);
  if (all.length < 2) return undefined;
  let cur = rel;
  let rows: Int32Array | undefined;
  const rest: Expr[] = [];
  for (const c of all) {
    const r = timeRangeRows(c, cur, s);
    if (!r) {
      rest.push(c);
      continue;
    }
    rows = r;
    cur = { columns: rel.columns, length: r.length, sel: r };
  }
  return rows ? { rows, rest } : undefined;
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
  const narrowed = where(time, { columns: rel.columns, length: cand.length, sel: cand, ...sameRows(rel) }, cx);
  return where(next, narrowed, cx, narrowed.sel ?? identityRows(narrowed.length));
}

function isTimeBounds(predicate: WhereOp['predicate'], rel: Relation, cx: OpContext): boolean {
  return timeRangeRows(predicate, { columns: rel.columns, length: 0, sel: new Int32Array(0) }, windowScope(cx, rel, predicate)) !== undefined;
}
