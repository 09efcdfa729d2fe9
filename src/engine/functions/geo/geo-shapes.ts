/**
 * Point measurements on Kusto's Earth model (sphere.ts): distances, azimuths, angles, point in circle,
 * point in polygon and distances to lines and polygons. Invalid input gives null.
 */
import { fn, type ScalarFunction } from '../types.js';
import { linesOf, pointOf, polygonsOf, finite, vecsOf, type Polygon } from './shapes.js';
import { angleToArc, angleToEdge, azimuth, centralAngle, EARTH_RADIUS_M, toVec, type LngLat } from './sphere.js';

/** Winding test: the directions from p to the ring's vertices turn by ±2π when p is inside. */
export function inRing(p: LngLat, ring: LngLat[]): boolean {
  let total = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    let d = azimuth(p, ring[i + 1]!) - azimuth(p, ring[i]!);
    if (d > Math.PI) d -= 2 * Math.PI;
    if (d < -Math.PI) d += 2 * Math.PI;
    total += d;
  }
  return Math.abs(total) > Math.PI;
}

export const inPolygon = (p: LngLat, poly: Polygon) => inRing(p, poly[0]!) && !poly.slice(1).some((hole) => inRing(p, hole));

export const GEO_SHAPE_FUNCTIONS: ScalarFunction[] = [
  fn('geo_distance_2points', 4, 4, ([a, b, c, d]) => {
    const p = pointOf(a, b), q = pointOf(c, d);
    return p && q ? centralAngle(p, q) * EARTH_RADIUS_M : null;
  }),
  fn('geo_point_in_circle', 5, 5, ([a, b, c, d, r]) => {
    const p = pointOf(a, b), q = pointOf(c, d), radius = finite(r);
    return p && q && radius !== null && radius >= 0 ? centralAngle(p, q) * EARTH_RADIUS_M <= radius : null;
  }),
  fn('geo_azimuth', 4, 4, ([a, b, c, d]) => {
    const p = pointOf(a, b), q = pointOf(c, d);
    return p && q && centralAngle(p, q) > 0 ? azimuth(p, q) : null;
  }),
  fn('geo_angle', 6, 6, ([a, b, c, d, e, f]) => {
    // the clockwise angle at the second point, from the first point to the third
    const p1 = pointOf(a, b), p2 = pointOf(c, d), p3 = pointOf(e, f);
    if (!p1 || !p2 || !p3 || centralAngle(p1, p2) === 0 || centralAngle(p2, p3) === 0) return null;
    return (azimuth(p2, p3) - azimuth(p2, p1) + 2 * Math.PI) % (2 * Math.PI);
  }),
  fn('geo_point_in_polygon', 3, 3, ([a, b, g]) => {
    const p = pointOf(a, b), polys = polygonsOf(g);
    return p && polys ? polys.some((poly) => inPolygon(p, poly)) : null;
  }),
  fn('geo_distance_point_to_line', 3, 3, ([a, b, g]) => {
    const p = pointOf(a, b), lines = linesOf(g);
    if (!p || !lines) return null;
    const v = toVec(p);
    let best = Infinity;
    for (const line of lines) {
      const vs = vecsOf(line);
      for (let i = 0; i + 1 < vs.length; i++) best = Math.min(best, angleToEdge(v, vs[i]!, vs[i + 1]!));
    }
    return best * EARTH_RADIUS_M;
  }),
  fn('geo_distance_point_to_polygon', 3, 3, ([a, b, g]) => {
    const p = pointOf(a, b), polys = polygonsOf(g);
    if (!p || !polys) return null;
    if (polys.some((poly) => inPolygon(p, poly))) return 0;
    let best = Infinity;
    for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) best = Math.min(best, angleToArc(p, ring[i]!, ring[i + 1]!));
    return best * EARTH_RADIUS_M;
  }),
];
