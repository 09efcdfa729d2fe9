/**
 * series_* functions over dynamic numeric arrays: element-wise math and comparisons (a scalar argument is
 * used for every element), reductions (sum, product, magnitude, dot product, cosine similarity, Pearson
 * correlation), missing-value filling and the FIR and IIR filters. Elements that are not numbers are null in and out.
 */
import { isIntegerArray, markIntegerArray } from '../../common/integer-arrays.js';
import { QueryError, type DynamicValue, type Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

type Num = number | null;

const toNum = (x: DynamicValue | undefined): Num => (typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : null);
const series = (v: Value): Num[] | null => (Array.isArray(v) ? (v as DynamicValue[]).map(toNum) : null);
/** A series argument or a scalar used at every position. */
const operand = (v: Value): ((i: number) => Num) | null => {
  if (Array.isArray(v)) { const s = series(v)!; return (i) => s[i] ?? null; }
  if (typeof v === 'number') return () => v;
  return null;
};
const lengthOf = (...vs: Value[]) => Math.max(0, ...vs.filter(Array.isArray).map((a) => (a as DynamicValue[]).length));

function unary(name: string, f: (x: number) => number): ScalarFunction {
  return fn(name, 1, 1, ([a]) => { const s = series(a); return s ? s.map((x) => (x === null ? null : f(x))) : null; });
}

function binary(name: string, f: (x: number, y: number) => number | boolean): ScalarFunction {
  return fn(name, 2, 2, ([a, b]) => {
    const x = operand(a);
    const y = operand(b);
    if (!x || !y) return null;
    return Array.from({ length: lengthOf(a, b) }, (_, i) => { const p = x(i); const q = y(i); return p === null || q === null ? null : f(p, q); });
  });
}

function pairs(a: Value, b: Value): [number, number][] | null {
  const x = operand(a);
  const y = operand(b);
  if (!x || !y) return null;
  const out: [number, number][] = [];
  for (let i = 0, n = lengthOf(a, b); i < n; i++) { const p = x(i); const q = y(i); if (p !== null && q !== null) out.push([p, q]); }
  return out;
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const v = xs.slice().sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/**
 * Linear interpolation between the known neighbours. An integer series (Kusto's int/long elements) stays
 * integer: "rounded interpolated values", which the reference's example shows cut towards zero (73.5 → 73,
 * 32.67 → 32, 24.33 → 24), as a cast of the real value to long does.
 */
function fillLinear(s: Num[], missing: Num, edges: boolean, integers: boolean): Num[] {
  const isMissing = (v: Num) => v === missing || (v !== null && missing !== null && Number.isNaN(missing) && Number.isNaN(v));
  const out = s.slice();
  const known = s.map((v, i) => (isMissing(v) ? -1 : i)).filter((i) => i >= 0);
  if (!known.length) return out;
  for (let k = 0; k + 1 < known.length; k++) {
    const i = known[k]!, j = known[k + 1]!;
    for (let m = i + 1; m < j; m++) {
      const x = s[i]! + ((s[j]! - s[i]!) * (m - i)) / (j - i);
      out[m] = integers ? Math.trunc(x) : x;
    }
  }
  if (edges) {
    for (let m = 0; m < known[0]!; m++) out[m] = s[known[0]!]!;
    for (let m = known[known.length - 1]! + 1; m < s.length; m++) out[m] = s[known[known.length - 1]!]!;
  }
  return out;
}

/**
 * series_stats_dynamic(x, ignore_nonfinite = false): min/max (first index), mean, sample stdev and variance,
 * sum and length. A null, NaN or infinite element makes every statistic null unless ignore_nonfinite is true,
 * in which case such elements are skipped.
 */
function seriesStats(v: Value, ignoreNonFinite: Value): Value {
  if (!Array.isArray(v)) return null;
  const xs: [number, number][] = [];
  let bad = false;
  (v as DynamicValue[]).forEach((e, i) => {
    const x = toNum(e);
    if (x === null || !Number.isFinite(x)) bad = true;
    else xs.push([x, i]);
  });
  const keys = ['min', 'min_idx', 'max', 'max_idx', 'avg', 'stdev', 'variance', 'sum', 'len'];
  if ((bad && ignoreNonFinite !== true) || !xs.length) return Object.fromEntries(keys.map((k) => [k, null]));
  let min = xs[0]!, max = xs[0]!, sum = 0, mean = 0, m2 = 0;
  xs.forEach(([x], k) => {
    if (x < min[0]) min = xs[k]!;
    if (x > max[0]) max = xs[k]!;
    sum += x;
    const d = x - mean;
    mean += d / (k + 1);
    m2 += d * (x - mean);
  });
  const variance = xs.length > 1 ? m2 / (xs.length - 1) : 0;
  return { min: min[0], min_idx: min[1], max: max[0], max_idx: max[1], avg: sum / xs.length, stdev: Math.sqrt(variance), variance, sum, len: xs.length };
}

export const SERIES_FUNCTIONS: ScalarFunction[] = [
  fn('series_stats_dynamic', 1, 2, ([v, ignore]) => seriesStats(v, ignore ?? false)),
  // series_seasonal(s, period): per phase of the period, the median of the values at that phase (the
  // reference's rule); the default (-1) detects the period with series_periods_detect, whose scoring the
  // reference does not specify, so kqlite asks for the period instead of guessing one
  fn('series_seasonal', 1, 2, ([a, p]) => {
    const s = series(a);
    if (!s) return null;
    const period = p === undefined || p === null ? -1 : Number(p);
    if (period === -1) throw new QueryError("series_seasonal() without a period needs period detection, which kqlite's engine does not support yet: pass the period (series_seasonal(s, 24))", 'KQL4010');
    if (!Number.isInteger(period) || period <= 0) return s.map(() => 0);
    const medians = Array.from({ length: period }, (_, phase) => median(s.filter((x, i) => i % period === phase && x !== null) as number[]));
    return s.map((_, i) => medians[i % period]!);
  }),
  // the same statistics; as a whole column expression it becomes one column each (kql/semantics/multi-column.ts)
  fn('series_stats', 1, 2, ([v, ignore]) => seriesStats(v, ignore ?? false)),
  unary('series_abs', Math.abs),
  unary('series_acos', Math.acos),
  unary('series_asin', Math.asin),
  unary('series_atan', Math.atan),
  unary('series_ceiling', Math.ceil),
  unary('series_cos', Math.cos),
  unary('series_exp', Math.exp),
  unary('series_floor', Math.floor),
  unary('series_log', Math.log),
  unary('series_sign', Math.sign),
  unary('series_sin', Math.sin),
  unary('series_tan', Math.tan),
  binary('series_add', (x, y) => x + y),
  binary('series_subtract', (x, y) => x - y),
  binary('series_multiply', (x, y) => x * y),
  binary('series_divide', (x, y) => x / y),
  binary('series_pow', (x, y) => x ** y),
  binary('series_equals', (x, y) => x === y),
  binary('series_not_equals', (x, y) => x !== y),
  binary('series_greater', (x, y) => x > y),
  binary('series_greater_equals', (x, y) => x >= y),
  binary('series_less', (x, y) => x < y),
  binary('series_less_equals', (x, y) => x <= y),
  fn('series_sum', 1, 1, ([a]) => { const s = series(a); return s ? s.reduce<number>((t, x) => t + (x ?? 0), 0) : null; }),
  fn('series_product', 1, 1, ([a]) => { const s = series(a); return s ? s.reduce<number>((t, x) => t * (x ?? 1), 1) : null; }),
  fn('series_magnitude', 1, 1, ([a]) => { const s = series(a); return s ? Math.sqrt(s.reduce<number>((t, x) => t + (x ?? 0) ** 2, 0)) : null; }),
  fn('series_dot_product', 2, 2, ([a, b]) => { const p = pairs(a, b); return p ? p.reduce((t, [x, y]) => t + x * y, 0) : null; }),
  fn('series_cosine_similarity', 2, 2, ([a, b]) => {
    const p = pairs(a, b);
    if (!p) return null;
    const dot = p.reduce((t, [x, y]) => t + x * y, 0);
    return dot / (Math.sqrt(p.reduce((t, [x]) => t + x * x, 0)) * Math.sqrt(p.reduce((t, [, y]) => t + y * y, 0)));
  }),
  fn('series_pearson_correlation', 2, 2, ([a, b]) => {
    const p = pairs(a, b);
    if (!p || !p.length) return null;
    const mx = p.reduce((t, [x]) => t + x, 0) / p.length;
    const my = p.reduce((t, [, y]) => t + y, 0) / p.length;
    let sxy = 0, sxx = 0, syy = 0;
    for (const [x, y] of p) { sxy += (x - mx) * (y - my); sxx += (x - mx) ** 2; syy += (y - my) ** 2; }
    return sxy / Math.sqrt(sxx * syy);
  }),
  fn('series_fill_const', 1, 3, ([a, c, missing]) => {
    const s = series(a);
    if (!s) return null;
    const m = missing === undefined ? null : toNum(missing as DynamicValue);
    const value = toNum((c ?? 0) as DynamicValue);
    return s.map((x) => (x === m || (m !== null && Number.isNaN(m) && x !== null && Number.isNaN(x)) ? value : x));
  }),
  fn('series_fill_forward', 1, 2, ([a, missing]) => {
    const s = series(a);
    if (!s) return null;
    const m = missing === undefined ? null : toNum(missing as DynamicValue);
    let last: Num = null;
    return s.map((x) => { if (x === m) return last; last = x; return x; });
  }),
  fn('series_fill_backward', 1, 2, ([a, missing]) => {
    const s = series(a);
    if (!s) return null;
    const m = missing === undefined ? null : toNum(missing as DynamicValue);
    let next: Num = null;
    return s.reverse().map((x) => { if (x === m) return next; next = x; return x; }).reverse();
  }),
  fn('series_fill_linear', 1, 4, ([a, missing, edges, constant]) => {
    const s = series(a);
    if (!s) return null;
    const m = missing === undefined ? null : toNum(missing as DynamicValue);
    // a series with no known value at all is filled with the constant (0 by default)
    if (s.every((x) => x === m)) return s.map(() => toNum((constant ?? 0) as DynamicValue));
    const integers = isIntegerArray(a);
    const out = fillLinear(s, m, edges === undefined || edges === null ? true : edges === true, integers);
    return integers ? markIntegerArray(out) : out;
  }),
  // series_fir(x, filter, normalize, center): y[n] = sum_k f[k] x[n - k + shift], samples outside the series
  // counting as 0 (the reference's finite impulse response on the current and older points); center shifts
  // the window by (len - 1) / 2 so it sits on the point. normalize divides by the coefficients' sum; it
  // defaults to true unless a coefficient is negative, and normalizing a filter with one gives null.
  fn('series_fir', 2, 4, ([a, filter, normalize, center]) => {
    const x = series(a);
    const f = series(filter);
    if (!x || !f || !f.length || f.some((c) => c === null)) return null;
    const coeffs = f as number[];
    const negative = coeffs.some((c) => c < 0);
    const norm = normalize === undefined || normalize === null ? !negative : normalize === true;
    if (norm && negative) return null;
    const scale = norm ? coeffs.reduce((p, c) => p + c, 0) : 1;
    if (norm && scale === 0) return null;
    if (center === true && coeffs.length % 2 === 0) {
      throw new QueryError('series_fir(..., center=true) with an even number of coefficients: the reference does not say on which side of the point the extra one goes, so kqlite does not guess; use an odd-length filter', 'KQL4010');
    }
    const shift = center === true ? (coeffs.length - 1) / 2 : 0;
    return x.map((_, n) => {
      let acc = 0;
      for (let k = 0; k < coeffs.length; k++) {
        const i = n - k + shift;
        if (i >= 0 && i < x.length) {
          const v = x[i];
          if (v === null) return null;
          acc += coeffs[k]! * v;
        }
      }
      return acc / scale;
    });
  }),
  fn('series_iir', 3, 3, ([a, num, den]) => {
    // y[n] = (sum b[k] x[n-k] - sum_{k>=1} a[k] y[n-k]) / a[0]
    const x = series(a);
    const b = series(num);
    const d = series(den);
    if (!x || !b || !d || !d.length || !d[0]) return null;
    const y: number[] = [];
    for (let n = 0; n < x.length; n++) {
      let acc = 0;
      for (let k = 0; k < b.length; k++) if (n - k >= 0) acc += (b[k] ?? 0) * (x[n - k] ?? 0);
      for (let k = 1; k < d.length; k++) if (n - k >= 0) acc -= (d[k] ?? 0) * y[n - k]!;
      y.push(acc / d[0]);
    }
    return y;
  }),
];
