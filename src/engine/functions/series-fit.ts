/**
 * Two-segment line fits and forecasting over series (dynamic arrays of numbers):
 * - series_fit_2lines(s) / series_fit_2lines_dynamic(s): every split of the series into a left part
 *   [0, k) and a right part [k, n), each with at least one point, gets a least-squares line per part (over
 *   the series' own indices, so line_fit reads interception + slope * i on each side); the split with the
 *   highest total R² (1 - both parts' residual sum of squares / the series' total sum of squares) wins,
 *   the first one on ties. split_idx is k, the first index of the right part; variance and rvariance are
 *   the series' variance and the residual variance of the two lines; right_* / left_* are each part's own
 *   fit (series_fit_line's measures over that part). The _dynamic form nests them as right.* / left.*.
 * - series_fit_line_dynamic(s): series_fit_line's bag.
 * - series_decompose_forecast(s, points, seasonality=-1, trend='linefit', seasonality_threshold=0.6): the
 *   baseline of series_decompose with the last `points` points left out of the learning, so they hold the
 *   extrapolated seasonal + trend: the forecast.
 * Nulls (and non-numbers) in a series are left out of the fits.
 */
import type { DynamicValue, Value } from '../values/value.js';
import { decompose, num, numbers, text, type Num } from './series-decompose.js';
import { fn, type ScalarFunction } from './types.js';

interface Fit {
  rsquare: number;
  slope: number;
  interception: number;
  variance: number;
  rvariance: number;
  /** Residual sum of squares over the part's points. */
  ssRes: number;
}

/** The least-squares line over the points of s in [from, to), x being the series index. */
function fitRange(s: Num[], from: number, to: number): Fit {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = from; i < to; i++) {
    const y = s[i];
    if (y === null || y === undefined) continue;
    n++; sx += i; sy += y; sxx += i * i; sxy += i * y;
  }
  if (n === 0) return { rsquare: 0, slope: 0, interception: 0, variance: 0, rvariance: 0, ssRes: 0 };
  const den = n * sxx - sx * sx;
  const slope = den === 0 ? 0 : (n * sxy - sx * sy) / den;
  const interception = (sy - slope * sx) / n;
  const mean = sy / n;
  let ssTot = 0, ssRes = 0;
  for (let i = from; i < to; i++) {
    const y = s[i];
    if (y === null || y === undefined) continue;
    ssTot += (y - mean) ** 2;
    ssRes += (y - (interception + slope * i)) ** 2;
  }
  return { rsquare: ssTot === 0 ? 1 : 1 - ssRes / ssTot, slope, interception, variance: ssTot / n, rvariance: ssRes / n, ssRes };
}

interface TwoLines {
  rsquare: number;
  split_idx: number;
  variance: number;
  rvariance: number;
  line_fit: number[];
  right: Omit<Fit, 'ssRes'>;
  left: Omit<Fit, 'ssRes'>;
}

function twoLines(s: Num[]): TwoLines {
  const n = s.length;
  const whole = fitRange(s, 0, n);
  const points = s.filter((x) => x !== null).length;
  const ssTot = whole.variance * points;
  let best: { k: number; left: Fit; right: Fit; rsquare: number } | undefined;
  for (let k = 1; k < n; k++) {
    const left = fitRange(s, 0, k);
    const right = fitRange(s, k, n);
    const rsquare = ssTot === 0 ? 1 : 1 - (left.ssRes + right.ssRes) / ssTot;
    if (!best || rsquare > best.rsquare) best = { k, left, right, rsquare };
  }
  const part = ({ ssRes: _, ...f }: Fit) => f;
  if (!best) return { rsquare: whole.rsquare, split_idx: 0, variance: whole.variance, rvariance: whole.rvariance, line_fit: s.map((_, i) => whole.interception + whole.slope * i), right: part(whole), left: part(whole) };
  const { k, left, right } = best;
  return {
    rsquare: best.rsquare,
    split_idx: k,
    variance: whole.variance,
    rvariance: points ? (left.ssRes + right.ssRes) / points : 0,
    line_fit: s.map((_, i) => (i < k ? left.interception + left.slope * i : right.interception + right.slope * i)),
    right: part(right),
    left: part(left),
  };
}

/** series_fit_2lines' flat parts, in the reference's column order (kql/semantics/multi-column.ts). */
function flat(t: TwoLines): DynamicValue {
  const out: Record<string, DynamicValue> = { rsquare: t.rsquare, split_idx: t.split_idx, variance: t.variance, rvariance: t.rvariance, line_fit: t.line_fit };
  for (const side of ['right', 'left'] as const) {
    for (const k of ['rsquare', 'slope', 'interception', 'variance', 'rvariance'] as const) out[`${side}_${k}`] = t[side][k];
  }
  return out;
}

export const SERIES_FIT_FUNCTIONS: ScalarFunction[] = [
  fn('series_fit_2lines', 1, 1, ([a]) => flat(twoLines(numbers(a ?? null, 'series_fit_2lines')))),
  fn('series_fit_2lines_dynamic', 1, 1, ([a]) => twoLines(numbers(a ?? null, 'series_fit_2lines_dynamic')) as unknown as DynamicValue),
  fn('series_fit_line_dynamic', 1, 1, ([a]) => {
    const s = numbers(a ?? null, 'series_fit_line_dynamic');
    const { ssRes: _, ...f } = fitRange(s, 0, s.length);
    return { ...f, line_fit: s.map((_, i) => f.interception + f.slope * i) };
  }),
  fn('series_decompose_forecast', 2, 5, ([a, points, seasonality, trend, threshold]: Value[]) => {
    const s = numbers(a ?? null, 'series_decompose_forecast');
    return decompose(s, num(seasonality, -1), text(trend, 'linefit'), num(points, 0), num(threshold, 0.6)).baseline;
  }),
];
