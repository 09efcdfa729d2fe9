/**
 * `evaluate rolling_percentile(ValueColumn, Percentile, IndexColumn, BinSize, BinsPerWindow [, dim ...])`:
 * for each bin of IndexColumn (bin(IndexColumn, BinSize)) that holds rows, per combination of the
 * dimensions, the percentile of ValueColumn over the window of BinsPerWindow bins ending at that bin
 * (inclusive). The percentile is the nearest-rank value (the value at rank ceil(P/100 * n) of the window's
 * sorted values), which is what Kusto's estimate gives on small populations.
 * Output: IndexColumn (the bin), the dimensions, `rolling_<BinsPerWindow>_percentile_<ValueColumn>_<P>`.
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { implicitName } from '../../../kql/semantics/naming.js';
import { physicalRows, type Relation } from '../../compile/relation.js';
import { buildColumn } from '../../storage/builders.js';
import { binTicks } from '../../values/ticks.js';
import { compareValues, valueKey } from '../../values/compare.js';
import { QueryError, type Value } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';
import { constantInt } from '../util.js';

export function rollingPercentile(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const args = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  if (args.length < 5) throw new QueryError('rolling_percentile takes (ValueColumn, Percentile, IndexColumn, BinSize, BinsPerWindow [, dim ...])');
  const [valueArg, pctArg, indexArg, binArg, countArg, ...dimArgs] = args as [Expr, Expr, Expr, Expr, Expr, ...Expr[]];
  const constant = (e: Expr) => compileOn(cx, { columns: [], length: 1 }, e).eval(0);
  const pct = constant(pctArg);
  if (typeof pct !== 'number' || pct < 0 || pct > 100) throw new QueryError('rolling_percentile: the percentile must be a number from 0 to 100');
  const binsPerWindow = constantInt(countArg, input, cx, 'rolling_percentile');
  if (binsPerWindow < 1) throw new QueryError('rolling_percentile: BinsPerWindow must be at least 1');
  const binSize = constant(binArg);
  const value = compileOn(cx, input, valueArg);
  const index = compileOn(cx, input, indexArg);
  const dims = dimArgs.map((d) => compileOn(cx, input, d));
  // bin number of an index value, and the bin's start value
  let binOf: (v: Value) => number | undefined;
  let binStart: (n: number) => Value;
  if (typeof binSize === 'bigint') {
    if (binSize <= 0n) throw new QueryError('rolling_percentile: BinSize must be positive');
    binOf = (v) => (typeof v === 'bigint' ? Number(binTicks(v, binSize) / binSize) : undefined);
    binStart = (n) => BigInt(n) * binSize;
  } else if (typeof binSize === 'number' && binSize > 0) {
    binOf = (v) => (typeof v === 'number' ? Math.floor(v / binSize) : undefined);
    binStart = (n) => n * binSize;
  } else throw new QueryError('rolling_percentile: BinSize must be a positive number or timespan');

  // values per (dimensions, bin)
  const series = new Map<string, { dims: Value[]; bins: Map<number, Value[]> }>();
  const rows = physicalRows(input);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const bin = binOf(index.eval(r));
    const v = value.eval(r);
    if (bin === undefined || v === null) continue;
    const dv = dims.map((d) => d.eval(r));
    const key = dv.map(valueKey).join('\u0001');
    let s = series.get(key);
    if (!s) series.set(key, (s = { dims: dv, bins: new Map() }));
    (s.bins.get(bin) ?? s.bins.set(bin, []).get(bin)!).push(v);
  }
  const out: Value[][] = [];
  for (const s of series.values()) {
    const bins = [...s.bins.keys()].sort((a, b) => a - b);
    for (const bin of bins) {
      const window: Value[] = [];
      for (let b = bin - binsPerWindow + 1; b <= bin; b++) window.push(...(s.bins.get(b) ?? []));
      window.sort(compareValues);
      const rank = Math.max(1, Math.ceil((pct / 100) * window.length));
      out.push([binStart(bin), ...s.dims, window[rank - 1]!]);
    }
  }
  const names = [implicitName(indexArg) ?? 'Index', ...dimArgs.map((d, i) => implicitName(d) ?? `dim${i + 1}`), `rolling_${binsPerWindow}_percentile_${implicitName(valueArg) ?? 'value'}_${pct}`];
  const types = [index.type, ...dims.map((d) => d.type), value.type];
  return { columns: names.map((name, c) => ({ name, column: buildColumn(types[c]!, out.map((row) => row[c]!)) })), length: out.length };
}
