/**
 * Scalar functions over the sketches hll() and tdigest() build (aggregates/hll.ts, aggregates/digest.ts):
 * hll_merge, dcount_hll, merge_tdigest, percentile_tdigest, percentiles_array_tdigest, rank_tdigest,
 * percentrank_tdigest.
 */
import { Digest } from '../aggregates/digest.js';
import { Hll } from '../aggregates/hll.js';
import { valueToDynamic } from '../values/format.js';
import type { DynamicValue, ScalarTypeName, Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

function mergedDigest(args: Value[]): Digest | null {
  let out: Digest | null = null;
  for (const v of args) {
    const d = Digest.fromDynamic(v);
    if (!d) continue;
    if (out) out.merge(d);
    else out = d;
  }
  return out;
}

/** A percentile as the call's type: typeof(T) when given, else the digest's own value type inside a dynamic. */
function percentileAs(d: Digest, p: number, resultType: ScalarTypeName): Value {
  const v = d.percentile(p);
  if (v === null) return null;
  if (resultType === 'dynamic') return valueToDynamic(v, d.type);
  if (resultType === 'datetime' || resultType === 'timespan') return typeof v === 'bigint' ? v : BigInt(Math.round(v as number));
  const n = typeof v === 'bigint' ? Number(v) : (v as number);
  return resultType === 'long' || resultType === 'int' ? Math.round(n) : n;
}

export const SKETCH_FUNCTIONS: ScalarFunction[] = [
  fn('hll_merge', 1, 64, (args) => {
    let out: Hll | null = null;
    for (const v of args) {
      const h = Hll.fromDynamic(v);
      if (h) out = out ? out.merge(h) : h;
    }
    return out ? out.toDynamic() : null;
  }),
  fn('dcount_hll', 1, 1, ([v]) => Hll.fromDynamic(v!)?.estimate() ?? null),
  fn('tdigest_merge', 1, 64, (args) => mergedDigest(args)?.toDynamic() ?? null),
  fn('percentile_tdigest', 2, 3, ([d, p], _types, _ctx, resultType) => {
    const digest = Digest.fromDynamic(d!);
    return digest && typeof p === 'number' ? percentileAs(digest, p, resultType) : null;
  }),
  fn('percentiles_array_tdigest', 2, 64, ([d, ...ps]) => {
    const digest = Digest.fromDynamic(d!);
    if (!digest) return null;
    const list = ps.length === 1 && Array.isArray(ps[0]) ? (ps[0] as DynamicValue[]) : ps;
    return list.map((p) => (typeof p === 'number' ? (percentileAs(digest, p, 'dynamic') as DynamicValue) : null));
  }),
  fn('rank_tdigest', 2, 2, ([d, v]) => Digest.fromDynamic(d!)?.rank(v!) ?? null),
  // the rank as a percentage of the digest's count: the inverse of percentile_tdigest
  fn('percentrank_tdigest', 2, 2, ([d, v]) => {
    const digest = Digest.fromDynamic(d!);
    const rank = digest?.rank(v!);
    return digest && rank !== null && rank !== undefined && digest.count > 0 ? (rank / digest.count) * 100 : null;
  }),
];
