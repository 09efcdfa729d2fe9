/**
 * geo_point_buffer(lng, lat, radius [, tolerance]): a regular polygon around the point whose edges touch the
 * circle of the radius from outside (so every point within the radius is inside) and whose vertices lie at
 * most `tolerance` meters beyond it; the fewest vertices that meet the tolerance. Kusto's own vertex
 * placement is not documented, so its coordinates may differ; its containment guarantee is kept.
 */
import { fn, type ScalarFunction } from '../types.js';
import { polygonJson } from './geojson.js';
import { finite, pointOf } from './shapes.js';
import { EARTH_RADIUS_M, toLngLat, toVec, type LngLat, type Vec } from './sphere.js';

/** More vertices than this would be a tolerance too fine to be useful. */
const MAX_VERTICES = 1 << 20;

/** The point at angular distance d (radians) from c in direction azimuth (clockwise from north). */
function destination(c: LngLat, azimuth: number, d: number): LngLat {
  const [x, y, z] = toVec(c);
  const lng = (c[0] * Math.PI) / 180, lat = (c[1] * Math.PI) / 180;
  // local east and north unit vectors at c
  const east: Vec = [-Math.sin(lng), Math.cos(lng), 0];
  const north: Vec = [-Math.sin(lat) * Math.cos(lng), -Math.sin(lat) * Math.sin(lng), Math.cos(lat)];
  const s = Math.sin(d), k = Math.cos(d), e = Math.sin(azimuth), n = Math.cos(azimuth);
  return toLngLat([x * k + s * (e * east[0] + n * north[0]), y * k + s * (e * east[1] + n * north[1]), z * k + s * (e * east[2] + n * north[2])]);
}

export function pointBuffer(center: LngLat, radius: number, tolerance: number): LngLat[] | null {
  const r = radius / EARTH_RADIUS_M;
  if (r >= Math.PI / 2) return null;
  // a tolerance above the radius is lowered to just below it
  const tol = Math.min(tolerance, radius * 0.999999) / EARTH_RADIUS_M;
  let n = 3;
  // the vertices of a regular n-gon whose edges touch the circle lie at atan(tan r / cos(π/n)) from the center
  const vertexAngle = (m: number) => Math.atan(Math.tan(r) / Math.cos(Math.PI / m));
  while (vertexAngle(n) - r > tol) {
    n *= 2;
    if (n > MAX_VERTICES) return null;
  }
  // refine between n/2 and n for the fewest vertices
  let lo = Math.max(3, n >> 1), hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (vertexAngle(mid) - r > tol) lo = mid + 1; else hi = mid;
  }
  n = hi;
  const rv = vertexAngle(n);
  const ring: LngLat[] = [];
  // counterclockwise: azimuths decreasing from north through west
  for (let k = 0; k < n; k++) ring.push(destination(center, -(2 * Math.PI * k) / n, rv));
  ring.push(ring[0]!);
  return ring;
}

export const GEO_POINT_BUFFER_FUNCTIONS: ScalarFunction[] = [
  fn('geo_point_buffer', 3, 4, ([x, y, r, t]) => {
    const p = pointOf(x, y), radius = finite(r);
    const tolerance = t === undefined ? 10 : finite(t);
    if (!p || radius === null || radius <= 0 || tolerance === null || tolerance < radius * 1e-6) return null;
    const ring = pointBuffer(p, radius, tolerance);
    return ring && polygonJson([ring]);
  }),
];
