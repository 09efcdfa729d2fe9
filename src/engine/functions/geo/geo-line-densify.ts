/**
 * geo_line_densify: GeoJSON edges are straight in [lng, lat] (plate carrée) while Kusto's are geodesics, so
 * each planar edge is split, by halving, until the geodesic chain stays within the tolerance of it. The
 * error estimate is S2EdgeTessellator's (evaluate both edges about 1/3 and 2/3 of the way along and scale
 * the larger gap; edges longer than 90° are always split), which Kusto uses.
 */
import { fn, type ScalarFunction } from '../types.js';
import { lineStringJson, multiLineStringJson } from './geojson.js';
import { finite, parseShape, type Line } from './shapes.js';
import { angle, dot, EARTH_RADIUS_M, interpolate, toVec, type LngLat } from './sphere.js';

/** Evaluate the two edges this fraction from either end (where the worst-case error models agree). */
const FRACTION = 0.31215691082248312;
/** The error model's value at FRACTION: tolerances are scaled by it rather than scaling the estimate. */
const SCALE = 0.83829992569888509;
/** Kusto's limit on the number of points of the densified line. */
const MAX_POINTS = 10_485_760;

const lerp = (a: LngLat, b: LngLat, t: number): LngLat => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

function maxError(pa: LngLat, pb: LngLat): number {
  const a = toVec(pa), b = toVec(pb);
  if (dot(a, b) < -1e-14) return Infinity;
  return Math.max(
    angle(interpolate(a, b, FRACTION), toVec(lerp(pa, pb, FRACTION))),
    angle(interpolate(a, b, 1 - FRACTION), toVec(lerp(pa, pb, 1 - FRACTION))),
  );
}

/** Appends the planar edge a→b, split as needed, without its first vertex. */
function appendEdge(pa: LngLat, pb: LngLat, tolerance: number, out: LngLat[]): void {
  if (out.length > MAX_POINTS) return;
  if (maxError(pa, pb) <= tolerance) { out.push(pb); return; }
  const mid = lerp(pa, pb, 0.5);
  appendEdge(pa, mid, tolerance, out);
  appendEdge(mid, pb, tolerance, out);
}

/** With preserveCrossing, an edge whose longitudes differ by more than 180° goes across the antimeridian. */
function wrap(a: LngLat, b: LngLat, preserveCrossing: boolean): LngLat {
  if (!preserveCrossing) return b;
  const d = b[0] - a[0];
  return d > 180 ? [b[0] - 360, b[1]] : d < -180 ? [b[0] + 360, b[1]] : b;
}

const normalizeLng = ([lng, lat]: LngLat): LngLat => [lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng, lat];

export function densifyLine(line: Line, toleranceM: number, preserveCrossing: boolean): Line | null {
  const tolerance = (SCALE * Math.max(toleranceM / EARTH_RADIUS_M, 1e-13));
  const out: LngLat[] = [line[0]!];
  for (let i = 1; i < line.length; i++) {
    const start = out[out.length - 1]!;
    const from = normalizeLng(start);
    const before = out.length;
    appendEdge(from, wrap(from, line[i]!, preserveCrossing), tolerance, out);
    for (let k = before; k < out.length; k++) out[k] = normalizeLng(out[k]!);
    if (out.length > MAX_POINTS) return null;
  }
  return out;
}

export const GEO_LINE_DENSIFY_FUNCTIONS: ScalarFunction[] = [
  fn('geo_line_densify', 1, 3, ([g, tol, preserve]) => {
    const shape = parseShape(g);
    const t = tol === undefined ? 10 : finite(tol);
    if (!shape || (shape.type !== 'LineString' && shape.type !== 'MultiLineString') || t === null || t < 0.1 || t > 10_000) return null;
    const out: Line[] = [];
    for (const l of shape.lines) {
      const d = densifyLine(l, t, preserve === true);
      if (!d) return null;
      out.push(d);
    }
    return shape.type === 'LineString' ? lineStringJson(out[0]!) : multiLineStringJson(out);
  }),
];
