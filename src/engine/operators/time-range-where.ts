/**
 * A `where` that only bounds one datetime column by constants (`Timestamp between (a .. b)`,
 * `Timestamp > ago(5d) and Timestamp <= now()`) selects its rows in one tight loop over the column's tick
 * arrays, without a predicate call per row. Hunting rules open with exactly this filter, and where the query's
 * range cuts through an extent it runs over every row of that extent, so it is the hot loop of a hunt.
 * Anything else (another conjunct, a negation, a non-constant bound) returns undefined: the general path.
 */
import type { Expr } from '../../kql/syntax/ast.js';
import { conjuncts } from '../../kql/syntax/index.js';
import { columnOf, type Relation } from '../compile/relation.js';
import { compileExpr, type CompileScope } from '../compile/expr.js';
import { isValid, type TicksColumn } from '../storage/column.js';
import { keepRows, takeRows } from '../storage/scratch.js';
import { splitTicks } from '../values/ticks.js';

interface Bounds { column?: string; min?: bigint; max?: bigint }

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** A datetime constant of the query (now(), ago(), a let, a literal), else undefined. */
function constantTicks(e: Expr, s: CompileScope): { ticks: bigint; type: string } | undefined {
  const c = compileExpr(e, s);
  if (!c.constant) return undefined;
  const v = c.eval(0);
  return typeof v === 'bigint' ? { ticks: v, type: c.type } : undefined;
}

function boundsOf(predicate: Expr, s: CompileScope): Bounds | undefined {
  const b: Bounds = {};
  const sameColumn = (name: string) => (b.column ??= name) === name;
  const atLeast = (t: bigint) => { if (b.min === undefined || t > b.min) b.min = t; };
  const atMost = (t: bigint) => { if (b.max === undefined || t < b.max) b.max = t; };
  for (const p of conjuncts(predicate)) {
    if (p.kind === 'BetweenExpr' && !p.negated && p.left.kind === 'NameRef') {
      if (!sameColumn(p.left.name)) return undefined;
      const lo = constantTicks(p.low, s);
      const hi = constantTicks(p.high, s);
      if (lo?.type !== 'datetime' || !hi || (hi.type !== 'datetime' && hi.type !== 'timespan')) return undefined;
      atLeast(lo.ticks);
      atMost(hi.type === 'timespan' ? lo.ticks + hi.ticks : hi.ticks);
    } else if (p.kind === 'BinaryExpr' && p.op in FLIP) {
      const [op, name, other] = p.left.kind === 'NameRef' ? [p.op, p.left.name, p.right] : p.right.kind === 'NameRef' ? [FLIP[p.op]!, p.right.name, p.left] : [];
      if (!op || !name || !other || !sameColumn(name)) return undefined;
      const c = constantTicks(other, s);
      if (c?.type !== 'datetime') return undefined;
      if (op === '>') atLeast(c.ticks + 1n);
      else if (op === '>=') atLeast(c.ticks);
      else if (op === '<') atMost(c.ticks - 1n);
      else atMost(c.ticks);
    } else return undefined;
  }
  return b.column ? b : undefined;
}

/** The rows of `rel` (its selection, else all) whose column lies within the predicate's bounds; undefined when the predicate is not such a filter. */
export function timeRangeRows(predicate: Expr, rel: Relation, s: CompileScope): Int32Array | undefined {
  if (predicate.kind !== 'BetweenExpr' && predicate.kind !== 'BinaryExpr' && predicate.kind !== 'ParenExpr') return undefined;
  const b = boundsOf(predicate, s);
  if (!b) return undefined;
  const col = columnOf(rel, b.column!);
  if (!col || col.type !== 'datetime') return undefined;
  const { hi, lo, validity } = col as TicksColumn;
  const a = splitTicks(b.min ?? -(2n ** 62n));
  const z = splitTicks(b.max ?? 2n ** 62n);
  const sel = rel.sel;
  const n = sel ? sel.length : rel.length;
  // the rows within go to the reused scratch buffer, then a copy of their own size is kept
  const out = takeRows(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const r = sel ? sel[i]! : i;
    const h = hi[r]!;
    if (h < a.hi || h > z.hi) continue;
    if (h === a.hi && lo[r]! < a.lo) continue;
    if (h === z.hi && lo[r]! > z.lo) continue;
    if (validity && !isValid(validity, r)) continue;
    out[k++] = r;
  }
  return keepRows(out, k);
}
