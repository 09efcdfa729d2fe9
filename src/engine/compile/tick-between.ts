/**
 * `Timestamp between (a .. b)` with constant bounds straight on the hi/lo tick arrays: no BigInt per row.
 * Hunting rules open with this filter, so it runs over every scanned row; the general path in binary.ts
 * builds two BigInts and compares Values per row.
 */
import type { BetweenExpr } from '../../kql/syntax/ast.js';
import { isValid, type TicksColumn } from '../storage/column.js';
import { splitTicks } from '../values/ticks.js';
import type { Compiled } from './env.js';
import { compileExpr, type CompileScope } from './expr.js';
import { columnOf } from './relation.js';

export function tickBetween(e: BetweenExpr, s: CompileScope): Compiled | undefined {
  if (e.left.kind !== 'NameRef') return undefined;
  const col = columnOf(s.rel, e.left.name);
  if (!col || (col.type !== 'datetime' && col.type !== 'timespan')) return undefined;
  const low = compileExpr(e.low, s);
  const high = compileExpr(e.high, s);
  if (!low.constant && high.constant) return columnLowBetween(e, col, low, high, s);
  if (!low.constant || !high.constant) return undefined;
  const a = low.eval(0);
  let b = high.eval(0);
  if (typeof a !== 'bigint' || typeof b !== 'bigint') return undefined;
  // a datetime range may end with a timespan: `between (t .. 1h)` means t .. t + 1h
  if (col.type === 'datetime' && low.type === 'datetime' && high.type === 'timespan') b = a + b;
  const lo = splitTicks(a);
  const hiB = splitTicks(b);
  const { hi, lo: los, validity } = col;
  const neg = e.negated;
  const inside = (r: number) => {
    const h = hi[r]!;
    if (h < lo.hi || h > hiB.hi) return false;
    const l = los[r]!;
    if (h === lo.hi && l < lo.lo) return false;
    if (h === hiB.hi && l > hiB.lo) return false;
    return true;
  };
  if (!validity) return { type: 'bool', eval: neg ? (r) => !inside(r) : inside };
  return { type: 'bool', eval: (r) => (isValid(validity, r) ? (neg ? !inside(r) : inside(r)) : null) };
}

/**
 * `x between (y .. span)` with x and y tick columns of one type and a constant upper bound: the time-window
 * join's `NetTime between (ProcTime .. 5m)` over every joined pair. The bound y + span is added on the hi/lo
 * halves with a carry (hi whole milliseconds, lo 0..9999 ticks; exact in float64), where the general path
 * builds three BigInts per row. A null x or y gives null, as there.
 */
function columnLowBetween(e: BetweenExpr, col: TicksColumn, low: Compiled, high: Compiled, s: CompileScope): Compiled | undefined {
  if (e.low.kind !== 'NameRef') return undefined;
  const y = columnOf(s.rel, e.low.name);
  if (!y || y.type !== col.type) return undefined;
  const b = high.eval(0);
  if (typeof b !== 'bigint') return undefined;
  // datetime .. timespan: y + span; a bound of x's own type is taken as it is
  const plusLow = col.type === 'datetime' && low.type === 'datetime' && high.type === 'timespan';
  if (!plusLow && high.type !== col.type) return undefined;
  const within = tickWindow(splitTicks(b), plusLow);
  const { hi: xh, lo: xl, validity: xv } = col;
  const { hi: yh, lo: yl, validity: yv } = y as TicksColumn;
  const neg = e.negated;
  const inside = (r: number): boolean => within(xh[r]!, xl[r]!, yh[r]!, yl[r]!);
  if (!xv && !yv) return { type: 'bool', eval: neg ? (r) => !inside(r) : inside };
  return { type: 'bool', eval: (r) => ((xv && !isValid(xv, r)) || (yv && !isValid(yv, r)) ? null : neg ? !inside(r) : inside(r)) };
}

/**
 * Whether ticks (h, l) lie within [a, a + span] (plusLow) or [a, span], each as hi/lo halves (hi whole
 * milliseconds, lo 0..9999 ticks): the upper bound is added with a carry, exact in float64.
 */
export function tickWindow(span: { hi: number; lo: number }, plusLow: boolean): (h: number, l: number, ah: number, al: number) => boolean {
  const sh = span.hi;
  const sl = span.lo;
  return (h, l, ah, al) => {
    if (h < ah || (h === ah && l < al)) return false;
    let bh = sh;
    let bl = sl;
    if (plusLow) {
      bl += al;
      bh += ah;
      if (bl >= 10_000) {
        bl -= 10_000;
        bh += 1;
      }
    }
    return h < bh || (h === bh && l <= bl);
  };
}
