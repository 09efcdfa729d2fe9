/**
 * Measurements along lines, following S2's S2Polyline model (geodesic edges on Kusto's sphere):
 * geo_line_length, geo_line_centroid, geo_line_interpolate_point, geo_line_locate_point and
 * geo_closest_point_on_line. Invalid lines, points or fractions give null.
 */
import type { Value } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { pointFromVec } from './geojson.js';
import { finite, linesOf, pointOf, vecsOf, type Line } from './shapes.js';
import { add, angle, closestOnEdge, EARTH_RADIUS_M, interpolate, normalize, scale, sub, dot, toVec, type Vec } from './sphere.js';

const vecs = (line: Line): Vec[] => vecsOf(line);

/** A single line (the functions that walk a line take no more than one), as unit vectors. */
function lineString(v: Value): Vec[] | null {
  const lines = linesOf(v);
  return lines && lines.length === 1 ? vecs(lines[0]!) : null;
}

const lineAngle = (line: Vec[]): number => {
  let sum = 0;
  for (let i = 1; i < line.length; i++) sum += angle(line[i - 1]!, line[i]!);
  return sum;
};

/**
 * The edge's true centroid times its length (S2's TrueCentroid of an edge): a vector towards the edge's
 * midpoint of length 2·sin(θ/2)·... summing these over edges and normalising gives the line's centroid.
 */
function edgeCentroid(a: Vec, b: Vec): Vec {
  const diff = sub(a, b), sum = add(a, b);
  const sin2 = dot(diff, diff), cos2 = dot(sum, sum);
  return cos2 === 0 ? [0, 0, 0] : scale(sum, Math.sqrt(sin2 / cos2));
}

/** The point of the line nearest to p, and the index of the edge's end vertex (S2Polyline::Project). */
export function projectOnLine(line: Vec[], p: Vec): { point: Vec; next: number; angle: number } {
  let best = { point: line[0]!, next: 1, angle: Infinity };
  for (let i = 1; i < line.length; i++) {
    const q = closestOnEdge(p, line[i - 1]!, line[i]!);
    const d = angle(p, q);
    if (d < best.angle) best = { point: q, next: i, angle: d };
  }
  return best;
}

/** The point a fraction of the way along the line's length (S2Polyline::Interpolate). */
export function interpolateLine(line: Vec[], fraction: number): Vec {
  if (fraction <= 0) return line[0]!;
  let target = fraction * lineAngle(line);
  for (let i = 1; i < line.length; i++) {
    const len = angle(line[i - 1]!, line[i]!);
    if (target < len) return interpolate(line[i - 1]!, line[i]!, target / len);
    target -= len;
  }
  return line[line.length - 1]!;
}

export const GEO_LINE_MEASURE_FUNCTIONS: ScalarFunction[] = [
  fn('geo_line_length', 1, 1, ([g]) => {
    const lines = linesOf(g);
    return lines ? lines.reduce((sum, l) => sum + lineAngle(vecs(l)), 0) * EARTH_RADIUS_M : null;
  }),
  fn('geo_line_centroid', 1, 1, ([g]) => {
    const lines = linesOf(g);
    if (!lines) return null;
    let c: Vec = [0, 0, 0];
    for (const l of lines) {
      const v = vecs(l);
      for (let i = 1; i < v.length; i++) c = add(c, edgeCentroid(v[i - 1]!, v[i]!));
    }
    // a line of zero length has no centroid direction: Kusto gives its first vertex
    return pointFromVec(dot(c, c) > 0 ? normalize(c) : toVec(lines[0]![0]!));
  }),
  fn('geo_line_interpolate_point', 2, 2, ([g, f]) => {
    const line = lineString(g), fraction = finite(f);
    return line && fraction !== null && fraction >= 0 && fraction <= 1 ? pointFromVec(interpolateLine(line, fraction)) : null;
  }),
  fn('geo_line_locate_point', 3, 3, ([g, lng, lat]) => {
    const line = lineString(g), p = pointOf(lng, lat);
    if (!line || !p) return null;
    const total = lineAngle(line);
    if (total === 0) return 0;
    const { point, next } = projectOnLine(line, toVec(p));
    const along = lineAngle(line.slice(0, next)) + angle(line[next - 1]!, point);
    return Math.min(1, along / total);
  }),
  fn('geo_closest_point_on_line', 3, 3, ([lng, lat, g]) => {
    const p = pointOf(lng, lat), lines = linesOf(g);
    if (!p || !lines) return null;
    const v = toVec(p);
    let best = { point: v, angle: Infinity };
    for (const l of lines) {
      const r = projectOnLine(vecs(l), v);
      if (r.angle < best.angle) best = r;
    }
    return pointFromVec(best.point);
  }),
];
