/**
 * geo_line_buffer(line, radius [, tolerance = 10]): the polygon holding every point within `radius` meters of
 * a line or multiline. Each edge becomes a capsule on the sphere — its two sides are small circles at the
 * radius from the edge's great circle, its ends half circles around the vertices (round end caps) — with
 * vertices on the ideal boundary and so many of them that the geodesic chords between them stray inwards
 * by at most `tolerance`. A line of one edge is its capsule; longer lines are the union of their capsules
 * (geo-polygon-overlay.ts). Kusto's own vertex placement is not documented, so its coordinates differ
 * from ours while the shape agrees within the tolerance. A tolerance below 0.0001% of the radius, a
 * radius that is not positive or reaches a quarter of the Earth's circumference, or an invalid line give null.
 */
import { fn, type ScalarFunction } from '../types.js';
import { polygonsJson } from './geojson.js';
import { unionOfPolygons } from './geo-polygon-overlay.js';
import { finite, linesOf, type Line, type Polygon } from './shapes.js';
import { add, angle, cross, dot, EARTH_RADIUS_M, interpolate, normalize, scale, toLngLat, toVec, type LngLat, type Vec } from './sphere.js';

/** More vertices per capsule than this would be a tolerance too fine to be useful. */
const MAX_STEPS = 1 << 16;

/** The point at angle r from p towards the unit tangent direction d (d ⟂ p). */
const offset = (p: Vec, d: Vec, r: number): Vec => normalize(add(scale(p, Math.cos(r)), scale(d, Math.sin(r))));

/** Steps for a half circle of angular radius r whose chords stray inwards at most tol. */
function capSteps(r: number, tol: number): number {
  // a chord spanning dφ of the circle comes closest to its centre, at atan(tan r · cos(dφ/2)), in its middle
  let n = 2;
  while (r - Math.atan(Math.tan(r) * Math.cos(Math.PI / n / 2)) > tol && n < MAX_STEPS) n *= 2;
  return n;
}

/** Steps for a side of an edge of angle len whose chords between points at angle r from it stray at most tol. */
function sideSteps(a: Vec, b: Vec, n: Vec, r: number, tol: number): number {
  const len = angle(a, b);
  let m = 1;
  for (;;) {
    const p = offset(a, n, r), q = offset(interpolate(a, b, 1 / m), n, r);
    const mid = normalize(add(p, q));
    if (r - Math.asin(Math.min(1, dot(mid, n))) <= tol || m >= MAX_STEPS || len / m < 1e-12) return m;
    m *= 2;
  }
}

/**
 * Directions around a vertex on a fixed grid (k steps clockwise from local north): the caps of two edges
 * meeting at a vertex then share their boundary vertices exactly, which the polygon union relies on.
 */
function gridDirections(c: Vec, k: number): Vec[] {
  let east = cross([0, 0, 1], c);
  if (dot(east, east) < 1e-24) east = [0, 1, 0]; // at a pole any frame will do
  east = normalize(east);
  const north = normalize(cross(c, east));
  const out: Vec[] = [];
  for (let j = 0; j < k; j++) {
    const phi = (2 * Math.PI * j) / k;
    out.push(add(scale(north, Math.cos(phi)), scale(east, Math.sin(phi))));
  }
  return out;
}

/** The half circle around c from direction `from` through `through` to -from: its tangent ends and the grid between. */
function halfCircle(c: Vec, from: Vec, through: Vec, r: number, k: number): Vec[] {
  const inner = gridDirections(c, k)
    .map((d) => ({ d, psi: Math.atan2(dot(d, through), dot(d, from)) }))
    .filter((x) => x.psi > 1e-12 && x.psi < Math.PI - 1e-12)
    .sort((x, y) => x.psi - y.psi);
  return [offset(c, from, r), ...inner.map((x) => offset(c, x.d, r)), offset(c, scale(from, -1), r)];
}

/** The capsule around edge a→b, as a ring counterclockwise around it. */
function capsule(a: Vec, b: Vec, r: number, tol: number): LngLat[] {
  const n = normalize(cross(a, b)); // left of the direction of travel
  const neg = scale(n, -1);
  const m = sideSteps(a, b, n, r, tol), k = 2 * capSteps(r, tol);
  const ring: Vec[] = [];
  // right side a→b, the cap around b from right through ahead to left, left side b→a, the cap around a
  for (let i = 1; i < m; i++) ring.push(offset(interpolate(a, b, i / m), neg, r));
  ring.push(...halfCircle(b, neg, normalize(cross(n, b)), r, k));
  for (let i = 1; i < m; i++) ring.push(offset(interpolate(b, a, i / m), n, r));
  ring.push(...halfCircle(a, n, normalize(cross(a, n)), r, k));
  const out = ring.map(toLngLat);
  out.push(out[0]!);
  return out;
}

/** A circle around a point (a line whose vertices all coincide). */
function circle(c: Vec, r: number, tol: number): LngLat[] {
  const ring = gridDirections(c, 2 * capSteps(r, tol)).map((d) => toLngLat(offset(c, d, r)));
  ring.reverse(); // the grid runs clockwise
  ring.push(ring[0]!);
  return ring;
}

export function lineBuffer(lines: Line[], radiusM: number, toleranceM: number): Polygon[] | null {
  const r = radiusM / EARTH_RADIUS_M;
  if (r >= Math.PI / 2) return null;
  // a tolerance above the radius is lowered to just below it
  const tol = Math.min(toleranceM, radiusM * 0.999999) / EARTH_RADIUS_M;
  const parts: Polygon[] = [];
  for (const l of lines) {
    const vs = l.map(toVec);
    let edges = 0;
    for (let i = 1; i < vs.length; i++) {
      if (angle(vs[i - 1]!, vs[i]!) < 1e-15) continue;
      parts.push([capsule(vs[i - 1]!, vs[i]!, r, tol)]);
      edges++;
    }
    if (!edges) parts.push([circle(vs[0]!, r, tol)]);
  }
  return parts.length === 1 ? parts : unionOfPolygons(parts);
}

export const GEO_LINE_BUFFER_FUNCTIONS: ScalarFunction[] = [
  fn('geo_line_buffer', 2, 3, ([g, rad, t]) => {
    const lines = linesOf(g), radius = finite(rad);
    const tolerance = t === undefined ? 10 : finite(t);
    if (!lines || radius === null || radius <= 0 || tolerance === null || tolerance < radius * 1e-6) return null;
    const polys = lineBuffer(lines, radius, tolerance);
    return polys && polys.length ? polygonsJson(polys) : null;
  }),
];
