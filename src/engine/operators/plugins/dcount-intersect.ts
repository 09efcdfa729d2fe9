/**
 * `evaluate dcount_intersect(hll_1, hll_2, ..., hll_N)` (2 ≤ N ≤ 16): per row, s0 = dcount(set1),
 * s1 = dcount(set1 ∩ set2), ..., s{N-1} = dcount(set1 ∩ ... ∩ setN), computed from the hll sketches by
 * inclusion–exclusion over the dcounts of merged (union) sketches. The input columns are kept.
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { Hll } from '../../aggregates/hll.js';
import { materialize, type Relation } from '../../compile/relation.js';
import { buildColumn } from '../../storage/builders.js';
import { QueryError, type Value } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';

/** |A1 ∩ ... ∩ Ak| = Σ over non-empty subsets S of (-1)^(|S|+1) |∪S|. */
function intersectionCount(sketches: (Value | null)[], k: number): number | null {
  let total = 0;
  for (let mask = 1; mask < 1 << k; mask++) {
    let union: Hll | null = null;
    let size = 0;
    for (let i = 0; i < k; i++) {
      if (!(mask & (1 << i))) continue;
      const h = Hll.fromDynamic(sketches[i]!);
      if (!h) return null;
      union = union ? union.merge(h) : h;
      size++;
    }
    total += (size % 2 ? 1 : -1) * union!.estimate();
  }
  return Math.max(0, Math.round(total));
}

export function dcountIntersect(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const args = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  if (args.length < 2 || args.length > 16) throw new QueryError('dcount_intersect takes 2 to 16 hll values');
  const rel = materialize(input);
  const evals = args.map((a) => compileOn(cx, rel, a).eval);
  const out: Value[][] = args.map(() => new Array<Value>(rel.length));
  for (let r = 0; r < rel.length; r++) {
    const sketches = evals.map((f) => f(r));
    for (let k = 1; k <= args.length; k++) out[k - 1]![r] = intersectionCount(sketches, k);
  }
  return { columns: [...rel.columns, ...out.map((values, i) => ({ name: `s${i}`, column: buildColumn('long', values) }))], length: rel.length };
}
