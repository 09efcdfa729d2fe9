/**
 * Series decomposition and anomaly scoring, following the reference's recipe:
 * - series_fit_line(s): least-squares line over the indices: rsquare, slope, variance, rvariance (of the
 *   residuals), interception, line_fit.
 * - series_periods_detect(s, min, max, count): kqlite's own detector (the reference's is not published): the
 *   series' autocorrelation at each lag in [min, max] (at most half the series), the lags that are local
 *   peaks best first, their autocorrelation (0..1) as the score.
 * - series_decompose(s, seasonality=-1, trend='avg', test_points=0, threshold=0.6): seasonal = the median of
 *   the points in the same phase (period given, or detected when -1 and its score reaches the threshold;
 *   0 = none), trend = the average or least-squares line of the deseasonalised points (or none), baseline =
 *   seasonal + trend, residual = s - baseline; the last test_points points are left out of the learning
 *   and get the extrapolated baseline.
 * - series_outliers(s, kind='ctukey', ignore, min_pct=10, max_pct=90): Tukey's fences: with the percentiles
 *   Q1, Q3 (25/75 for 'tukey'), a point above Q3 scores (x - Q3) / (Q3 - Q1), below Q1 (x - Q1) / (Q3 - Q1),
 *   else 0; nulls score 0.
 * - series_decompose_anomalies(s, threshold=1.5, seasonality=-1, trend='linefit', test_points=0,
 *   method='ctukey', seasonality_threshold=0.6): series_outliers of the decomposition's residual as ad_score,
 *   ad_flag +1/-1 where the score passes ±threshold, and the baseline.
 * Results are bags keyed by component, which `extend series_decompose(x)` or `extend (a, b, c) = ...`
 * split into columns (kql/semantics/multi-column.ts).
 */
import type { DynamicValue, Value } from '../values/value.js';
import { QueryError } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

export type Num = number | null;

export const numbers = (v: Value, fnName: string): Num[] => {
  if (!Array.isArray(v)) throw new QueryError(`${fnName}: the series must be a dynamic array of numbers`, 'KQL4005');
  return (v as DynamicValue[]).map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : typeof x === 'boolean' ? Number(x) : null));
};

function lineFit(s: Num[], upto = s.length): { slope: number; interception: number; rsquare: number; variance: number; rvariance: number } {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < upto; i++) {
    const y = s[i];
    if (y === null || y === undefined) continue;
    n++; sx += i; sy += y; sxx += i * i; sxy += i * y;
  }
  if (n === 0) return { slope: 0, interception: 0, rsquare: 0, variance: 0, rvariance: 0 };
  const den = n * sxx - sx * sx;
  const slope = den === 0 ? 0 : (n * sxy - sx * sy) / den;
  const interception = (sy - slope * sx) / n;
  const mean = sy / n;
  let ssTot = 0, ssRes = 0;
  for (let i = 0; i < upto; i++) {
    const y = s[i];
    if (y === null || y === undefined) continue;
    ssTot += (y - mean) ** 2;
    ssRes += (y - (interception + slope * i)) ** 2;
  }
  return { slope, interception, rsquare: ssTot === 0 ? 1 : 1 - ssRes / ssTot, variance: ssTot / n, rvariance: ssRes / n };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const at = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

/** Lags in [min, max] whose autocorrelation is a local peak, best first, with that autocorrelation. */
export function detectPeriods(s: Num[], min: number, max: number): { period: number; score: number }[] {
  const xs = s.map((x) => x ?? 0);
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / (n || 1);
  const d = xs.map((x) => x - mean);
  const energy = d.reduce((a, b) => a + b * b, 0) / (n || 1);
  if (energy === 0) return [];
  const hi = Math.min(Math.floor(max), Math.floor(n / 2));
  const lo = Math.max(2, Math.ceil(min));
  const acf = (lag: number) => {
    let t = 0;
    for (let i = 0; i + lag < n; i++) t += d[i]! * d[i + lag]!;
    return t / (n - lag) / energy;
  };
  const r = new Map<number, number>();
  for (let lag = Math.max(1, lo - 1); lag <= Math.min(hi + 1, n - 1); lag++) r.set(lag, acf(lag));
  const peaks: { period: number; score: number }[] = [];
  for (let lag = lo; lag <= hi; lag++) {
    const v = r.get(lag)!;
    if (v > 0 && v >= (r.get(lag - 1) ?? -Infinity) && v >= (r.get(lag + 1) ?? -Infinity)) peaks.push({ period: lag, score: Math.min(1, v) });
  }
  return peaks.sort((a, b) => b.score - a.score || a.period - b.period);
}

interface Decomposition {
  baseline: Num[];
  seasonal: Num[];
  trend: Num[];
  residual: Num[];
}

export function decompose(s: Num[], seasonality: number, trendKind: string, testPoints: number, threshold: number): Decomposition {
  const n = s.length;
  const learn = Math.max(0, n - Math.max(0, Math.trunc(testPoints)));
  let period = Math.trunc(seasonality);
  if (period < 0) {
    const best = detectPeriods(s.slice(0, learn), 4, learn / 2)[0];
    period = best && best.score >= threshold ? best.period : 0;
  }
  const seasonal = new Array<number>(n).fill(0);
  if (period > 1) {
    for (let phase = 0; phase < period; phase++) {
      const xs: number[] = [];
      for (let i = phase; i < learn; i += period) if (s[i] !== null) xs.push(s[i]!);
      const m = xs.length ? median(xs) : 0;
      for (let i = phase; i < n; i += period) seasonal[i] = m;
    }
  }
  const deseasonal: Num[] = s.map((x, i) => (x === null ? null : x - seasonal[i]!));
  let trend: number[];
  if (trendKind === 'linefit') {
    const f = lineFit(deseasonal, learn);
    trend = Array.from({ length: n }, (_, i) => f.interception + f.slope * i);
  } else if (trendKind === 'avg') {
    const xs = deseasonal.slice(0, learn).filter((x): x is number => x !== null);
    const avg = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    trend = new Array<number>(n).fill(avg);
  } else if (trendKind === 'none') trend = new Array<number>(n).fill(0);
  else throw new QueryError(`series_decompose: the trend must be 'avg', 'linefit' or 'none', not '${trendKind}'`, 'KQL4005');
  const baseline = seasonal.map((x, i) => x + trend[i]!);
  return { baseline, seasonal, trend, residual: s.map((x, i) => (x === null ? null : x - baseline[i]!)) };
}

function outliers(s: Num[], kind: string, minPct: number, maxPct: number): number[] {
  if (kind !== 'tukey' && kind !== 'ctukey') throw new QueryError(`series_outliers: the kind must be 'tukey' or 'ctukey', not '${kind}'`, 'KQL4005');
  const [plo, phi] = kind === 'tukey' ? [25, 75] : [minPct, maxPct];
  if (plo < 2 || phi > 98 || plo >= phi) throw new QueryError('series_outliers: the percentiles must lie in [2, 98], the minimum below the maximum', 'KQL4005');
  const sorted = s.filter((x): x is number => x !== null).sort((a, b) => a - b);
  const q1 = percentile(sorted, plo);
  const q3 = percentile(sorted, phi);
  // a flat interquartile range leaves the distance itself as the score
  const iqr = q3 - q1 > 0 ? q3 - q1 : 1;
  return s.map((x) => (x === null ? 0 : x > q3 ? (x - q3) / iqr : x < q1 ? (x - q1) / iqr : 0));
}

export const num = (v: Value | undefined, d: number): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : d);
export const text = (v: Value | undefined, d: string): string => (typeof v === 'string' && v !== '' ? v.toLowerCase() : d);

export const SERIES_DECOMPOSE_FUNCTIONS: ScalarFunction[] = [
  fn('series_fit_line', 1, 1, ([a]) => {
    const s = numbers(a ?? null, 'series_fit_line');
    const f = lineFit(s);
    return { rsquare: f.rsquare, slope: f.slope, variance: f.variance, rvariance: f.rvariance, interception: f.interception, line_fit: s.map((_, i) => f.interception + f.slope * i) };
  }),
  fn('series_periods_detect', 4, 4, ([a, min, max, count]) => {
    const found = detectPeriods(numbers(a ?? null, 'series_periods_detect'), num(min, 2), num(max, Infinity)).slice(0, Math.max(0, Math.trunc(num(count, 1))));
    return { periods: found.map((p) => p.period), scores: found.map((p) => p.score) };
  }),
  fn('series_decompose', 1, 5, ([a, seasonality, trend, test, threshold]) => {
    const d = decompose(numbers(a ?? null, 'series_decompose'), num(seasonality, -1), text(trend, 'avg'), num(test, 0), num(threshold, 0.6));
    return d as unknown as DynamicValue;
  }),
  fn('series_outliers', 1, 5, ([a, kind, ignore, minPct, maxPct]) => {
    const s = numbers(a ?? null, 'series_outliers');
    const ig = typeof ignore === 'number' ? ignore : null;
    return outliers(s.map((x) => (ig !== null && x === ig ? null : x)), text(kind, 'ctukey'), num(minPct, 10), num(maxPct, 90));
  }),
  fn('series_decompose_anomalies', 1, 7, ([a, threshold, seasonality, trend, test, method, seasonalityThreshold]) => {
    const d = decompose(numbers(a ?? null, 'series_decompose_anomalies'), num(seasonality, -1), text(trend, 'linefit'), num(test, 0), num(seasonalityThreshold, 0.6));
    const k = num(threshold, 1.5);
    const score = outliers(d.residual, text(method, 'ctukey'), 10, 90);
    return { ad_flag: score.map((x) => (x > k ? 1 : x < -k ? -1 : 0)), ad_score: score, baseline: d.baseline };
  }),
];
