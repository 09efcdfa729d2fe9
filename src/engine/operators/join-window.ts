/**
 * A time window over a join's pairs: `L | join kind=inner R on DeviceId | where NetTime between (ProcTime .. 5m)`
 * (a process, then a connection within five minutes) makes every pair of a device's processes and
 * connections and keeps a few. When a conjunct of the `where` right after an inner join is `x between
 * (y .. c)` with x a datetime/timespan column of one side, y one of the other, and c a constant, the join
 * tests it on each candidate pair before adding it, on the two sides' columns read once by logical row, so
 * the pairs the `where` would drop are never made or gathered. The `where` still runs after the join
 * (run.ts), so this only leaves out rows it would drop: a null time fails the test as it fails the where.
 */
import type { Expr } from '../../kql/syntax/ast.js';
import { conjuncts } from '../../kql/syntax/index.js';
import type { Relation } from '../compile/relation.js';
import { compileExpr } from '../compile/expr.js';
import { tickWindow } from '../compile/tick-between.js';
import { identityRows } from '../compile/value-ids.js';
import { isValid, type TicksColumn } from '../storage/column.js';
import { gatherParts } from '../storage/parts.js';
import { splitTicks } from '../values/ticks.js';
import { QueryError } from '../values/value.js';
import type { OpContext } from './context.js';

/** An output column of the join: which input it comes from (0 left, 1 right) and that input's entry. */
export interface JoinSource {
  side: number;
  c: Relation['columns'][number];
}

/** Pair test (left row, right row, as the join's pairs hold them) => kept, or undefined when no conjunct is such a window. */
export type PairTest = (l: number, r: number) => boolean;

/**
 * The side's column as the join's pair indices address it: the column itself (pairs hold physical rows of
 * a relation with a selection), or the concatenation of its parts, read once for the whole join.
 */
function pairTicks(rel: Relation, entry: Relation['columns'][number]): TicksColumn {
  return (entry.parts ? gatherParts(entry.parts, identityRows(rel.length)) : entry.column) as TicksColumn;
}

/** A constant timespan/datetime bound, or undefined (it reads a column, or is not ticks). */
function constantBound(e: Expr, cx: OpContext): { ticks: bigint; type: string } | undefined {
  try {
    const c = compileExpr(e, { rt: cx.rt, env: cx.env, rel: { columns: [], length: 1 } });
    if (!c.constant) return undefined;
    const v = c.eval(0);
    return typeof v === 'bigint' ? { ticks: v, type: c.type } : undefined;
  } catch (err) {
    if (err instanceof QueryError) return undefined; // it names a column
    throw err;
  }
}

export function pairWindow(predicate: Expr, sources: JoinSource[], names: { name: string }[], left: Relation, right: Relation, cx: OpContext): PairTest | undefined {
  const tests: PairTest[] = [];
  const typeOf = (s: JoinSource) => s.c.parts?.type ?? s.c.column.type;
  for (const p of conjuncts(predicate)) {
    if (p.kind !== 'BetweenExpr' || p.negated || p.left.kind !== 'NameRef' || p.low.kind !== 'NameRef') continue;
    const ix = names.findIndex((n) => n.name === (p.left as { name: string }).name);
    const iy = names.findIndex((n) => n.name === (p.low as { name: string }).name);
    if (ix < 0 || iy < 0) continue;
    const sx = sources[ix]!;
    const sy = sources[iy]!;
    const type = typeOf(sx);
    if (sx.side === sy.side || (type !== 'datetime' && type !== 'timespan') || typeOf(sy) !== type) continue;
    const high = constantBound(p.high, cx);
    if (!high) continue;
    // datetime .. timespan: y + span (as compileBetween); a bound of x's own type is taken as it is
    const plusLow = type === 'datetime' && high.type === 'timespan';
    if (!plusLow && high.type !== type) continue;
    const within = tickWindow(splitTicks(high.ticks), plusLow);
    const x = pairTicks(sx.side === 0 ? left : right, sx.c);
    const y = pairTicks(sy.side === 0 ? left : right, sy.c);
    const { hi: xh, lo: xl, validity: xv } = x;
    const { hi: yh, lo: yl, validity: yv } = y;
    const xLeft = sx.side === 0;
    tests.push((l, r) => {
      const a = xLeft ? l : r;
      const b = xLeft ? r : l;
      // null between anything is null, which the where drops
      if ((xv && !isValid(xv, a)) || (yv && !isValid(yv, b))) return false;
      return within(xh[a]!, xl[a]!, yh[b]!, yl[b]!);
    });
  }
  if (!tests.length) return undefined;
  if (tests.length === 1) return tests[0];
  return (l, r) => tests.every((t) => t(l, r));
}
