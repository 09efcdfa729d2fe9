/**
 * geo_intersects_2lines and geo_intersection_2lines: where two (multi)lines with geodesic edges meet.
 * Crossing edges give points; edges along the same great circle give their shared stretch. The result
 * is a Point/MultiPoint, a LineString/MultiLineString, a GeometryCollection of both, or an empty
 * GeometryCollection when the lines do not meet.
 */
import type { DynamicValue } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { geometryCollectionJson } from './geojson.js';
import { linesOf, type Line } from './shapes.js';
import { angle, cross, dot, edgeCrossing, interpolate, norm, normalize, toLngLatExact, toVecExact, type LngLat, type Vec } from './sphere.js';

/** Angles below this (about 6 µm on Earth) count as the same point or the same great circle. */
const EPS = 1e-12;

type Segment = [Vec, Vec];

/** Signed angle of p along the great circle from a in the direction of unit normal n. */
const along = (a: Vec, n: Vec, p: Vec): number => Math.atan2(dot(cross(a, p), n), dot(a, p));

/** The shared stretch of two edges on one great circle (a point when they only touch), or null. */
function overlap(a: Vec, b: Vec, c: Vec, d: Vec): Segment | Vec | null {
  const n = normalize(cross(a, b));
  if (Math.abs(dot(c, n)) > EPS || Math.abs(dot(d, n)) > EPS) return null;
  const tb = along(a, n, b), tc = along(a, n, c), td = along(a, n, d);
  const lo = Math.max(0, Math.min(tc, td)), hi = Math.min(tb, Math.max(tc, td));
  if (hi < lo - EPS) return null;
  const at = (t: number): Vec => (t <= EPS ? a : Math.abs(t - tb) <= EPS ? b : Math.abs(t - tc) <= EPS ? c : Math.abs(t - td) <= EPS ? d : interpolate(a, b, t / tb));
  return hi - lo <= EPS ? at(lo) : [at(lo), at(hi)];
}

const same = (p: Vec, q: Vec) => angle(p, q) <= EPS;

/** Points and stretches where the two sets of lines meet, stretches ordered along the first lines. */
export function lineIntersections(lines1: Line[], lines2: Line[]): { points: Vec[]; segments: Segment[] } {
  const points: Vec[] = [], segments: Segment[] = [];
  const v2 = lines2.map((l) => l.map(toVecExact));
  for (const l1 of lines1) {
    const v1 = l1.map(toVecExact);
    for (let i = 1; i < v1.length; i++) {
      const a = v1[i - 1]!, b = v1[i]!;
      const found: Segment[] = [];
      for (const l2 of v2) {
        for (let j = 1; j < l2.length; j++) {
          const c = l2[j - 1]!, d = l2[j]!;
          const o = norm(cross(a, b)) > EPS ? overlap(a, b, c, d) : null;
          if (o && Array.isArray(o[0])) found.push(o as Segment);
          else if (o) points.push(o as Vec);
          else {
            const x = edgeCrossing(a, b, c, d);
            if (x) points.push(same(x, a) ? a : same(x, b) ? b : same(x, c) ? c : same(x, d) ? d : x);
          }
        }
      }
      // stretches of one edge in order along it, so touching ones chain into one line
      const n = normalize(cross(a, b));
      found.sort((s, t) => along(a, n, s[0]) - along(a, n, t[0]));
      segments.push(...found);
    }
  }
  return { points, segments };
}

/** Chains segments that continue one another into lines. */
function chain(segments: Segment[]): Vec[][] {
  const out: Vec[][] = [];
  for (const [p, q] of segments) {
    const last = out[out.length - 1];
    if (last && same(last[last.length - 1]!, p)) {
      if (!same(last[last.length - 1]!, q)) last.push(q);
    } else if (!out.some((l) => l.some((v, k) => k > 0 && same(l[k - 1]!, p) && same(v, q)))) out.push([p, q]);
  }
  return out;
}

const onSegment = (p: Vec, [a, b]: Segment) => Math.abs(angle(a, p) + angle(p, b) - angle(a, b)) <= EPS;

function intersectionJson(lines1: Line[], lines2: Line[]): DynamicValue {
  const { points, segments } = lineIntersections(lines1, lines2);
  const lines = chain(segments).map((l) => l.map(toLngLatExact));
  const pts: LngLat[] = [];
  const kept: Vec[] = [];
  for (const p of points) {
    if (segments.some((s) => onSegment(p, s)) || kept.some((q) => same(p, q))) continue;
    kept.push(p);
    pts.push(toLngLatExact(p));
  }
  const pointPart: DynamicValue | null = pts.length === 0 ? null : pts.length === 1 ? { type: 'Point', coordinates: pts[0]! } : { type: 'MultiPoint', coordinates: pts };
  const linePart: DynamicValue | null = lines.length === 0 ? null : lines.length === 1 ? { type: 'LineString', coordinates: lines[0]! } : { type: 'MultiLineString', coordinates: lines };
  if (pointPart && linePart) return geometryCollectionJson([pointPart, linePart]);
  return pointPart ?? linePart ?? geometryCollectionJson([]);
}

export const GEO_LINE_INTERSECTION_FUNCTIONS: ScalarFunction[] = [
  fn('geo_intersects_2lines', 2, 2, ([g1, g2]) => {
    const l1 = linesOf(g1), l2 = linesOf(g2);
    if (!l1 || !l2) return null;
    const { points, segments } = lineIntersections(l1, l2);
    return points.length > 0 || segments.length > 0;
  }),
  fn('geo_intersection_2lines', 2, 2, ([g1, g2]) => {
    const l1 = linesOf(g1), l2 = linesOf(g2);
    return l1 && l2 ? intersectionJson(l1, l2) : null;
  }),
];
