/**
 * `Timestamp between (a .. b)` with constant bounds straight on the hi/lo tick arrays: no BigInt per row.
 * Hunting rules open with this filter, so it runs over every scanned row; the general path in binary.ts
 * builds two BigInts and compares Values per row.
 */
import type { BetweenExpr } from '../../kql/syntax/ast.js';
import { isValid } from '../storage/column.js';
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
