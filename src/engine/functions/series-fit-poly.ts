/**
 * series_fit_poly(y [, x [, degree]]): the least-squares polynomial of the given degree (default 1) through
 * the points (x[i], y[i]), x being 1, 2, ..., n when not given, as the reference says. Its parts, in the
 * reference's column order (kql/semantics/multi-column.ts): rsquare, coefficients (the highest power first),
 * variance (of y), rvariance (of the residuals; both over the points, as series_fit_line's), poly_fit (the
 * polynomial at each x). With degree 1 it is series_fit_line's line. Points whose x or y is not a number are
 * left out of the fit; poly_fit still gives the polynomial at their x. Solved by Householder QR of the
 * Vandermonde matrix (no normal equations, which square its condition number).
 */
import type { DynamicValue, Value } from '../values/value.js';
import { QueryError } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

const asNumber = (x: DynamicValue | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Least squares: the c minimising |A c - b| for A of m rows and k columns (m >= k), by Householder QR. */
function leastSquares(a: number[][], b: number[]): number[] | null {
  const m = a.length;
  const k = a[0]!.length;
  const r = a.map((row) => row.slice());
  const y = b.slice();
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += r[i]![j]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return null;
    const alpha = r[j]![j]! > 0 ? -norm : norm;
    const v = new Array<number>(m).fill(0);
    for (let i = j; i < m; i++) v[i] = r[i]![j]!;
    v[j] = v[j]! - alpha;
    let vv = 0;
    for (let i = j; i < m; i++) vv += v[i]! ** 2;
    if (vv === 0) continue;
    for (let c = j; c < k; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i]! * r[i]![c]!;
      const f = (2 * dot) / vv;
      for (let i = j; i < m; i++) r[i]![c] = r[i]![c]! - f * v[i]!;
    }
    let dot = 0;
    for (let i = j; i < m; i++) dot += v[i]! * y[i]!;
    const f = (2 * dot) / vv;
    for (let i = j; i < m; i++) y[i] = y[i]! - f * v[i]!;
  }
  const c = new Array<number>(k).fill(0);
  for (let j = k - 1; j >= 0; j--) {
    let s = y[j]!;
    for (let t = j + 1; t < k; t++) s -= r[j]![t]! * c[t]!;
    if (r[j]![j] === 0) return null;
    c[j] = s / r[j]![j]!;
  }
  return c;
}

/** The polynomial with coefficients highest power first at x (Horner). */
const evaluate = (coefficients: number[], x: number) => coefficients.reduce((acc, c) => acc * x + c, 0);

function fitPoly([ys, xs, deg]: Value[]): DynamicValue {
  if (!Array.isArray(ys)) throw new QueryError('series_fit_poly: the y series must be a dynamic array of numbers', 'KQL4005');
  const y = (ys as DynamicValue[]).map(asNumber);
  const given = xs === undefined || xs === null ? undefined : xs;
  if (given !== undefined && !Array.isArray(given)) throw new QueryError('series_fit_poly: the x series must be a dynamic array of numbers', 'KQL4005');
  const x = given ? y.map((_, i) => asNumber((given as DynamicValue[])[i])) : y.map((_, i) => i + 1);
  const degree = deg === undefined || deg === null ? 1 : Number(deg);
  if (!Number.isInteger(degree) || degree < 1) throw new QueryError(`series_fit_poly: the degree must be a whole number of at least 1, not ${String(deg)}`, 'KQL4005');
  const points: [number, number][] = [];
  y.forEach((v, i) => { if (v !== null && x[i] !== null) points.push([x[i]!, v]); });
  if (points.length <= degree) return null;
  const coefficients = leastSquares(points.map(([px]) => Array.from({ length: degree + 1 }, (_, p) => px ** (degree - p))), points.map(([, py]) => py));
  if (!coefficients) return null;
  const mean = points.reduce((s, [, py]) => s + py, 0) / points.length;
  let ssTot = 0, ssRes = 0;
  for (const [px, py] of points) {
    ssTot += (py - mean) ** 2;
    ssRes += (py - evaluate(coefficients, px)) ** 2;
  }
  return {
    rsquare: ssTot === 0 ? 1 : 1 - ssRes / ssTot,
    coefficients,
    variance: ssTot / points.length,
    rvariance: ssRes / points.length,
    poly_fit: x.map((px) => (px === null ? null : evaluate(coefficients, px))),
  };
}

export const SERIES_FIT_POLY_FUNCTIONS: ScalarFunction[] = [fn('series_fit_poly', 1, 3, fitPoly)];
