/**
 * geo_polygon_buffer(polygon, radius [, tolerance]): the polygon grown by radius meters, as the union of the
 * polygon, a disc (geo-point-buffer.ts) around every vertex and a band along every edge of every ring (so
 * holes shrink too). Each band's long sides run at radius + tolerance/2 from the edge and are cut into
 * geodesic pieces short enough to sag at most tolerance/2 towards it, so every point within the radius is
 * covered and no vertex lies more than the tolerance beyond it. Kusto's vertex placement is not documented:
 * the shape matches its contract, not its exact coordinates.
 */
import { fn, type ScalarFunction } from '../types.js';
import { polygonsJson } from './geojson.js';
import { pointBuffer } from './geo-point-buffer.js';
import { unionOfPolygons } from './geo-polygon-overlay.js';
import { finite, polygonsOf, type Polygon } from './shapes.js';
import { add, angle, cross, EARTH_RADIUS_M, interpolate, normalize, scale, toLngLat, toVec, type LngLat, type Vec } from './sphere.js';

/** The band of points within `rho` (radians) of the geodesic a→b between the perpendiculars at its ends. */
function band(a: LngLat, b: LngLat, rho: number, tol: number): LngLat[] | null {
  const va = toVec(a), vb = toVec(b);
  const theta = angle(va, vb);
  if (theta === 0) return null;
  const n = normalize(cross(va, vb));
  // pieces short enough that a geodesic between two points at distance rho from the edge sags at most tol
  const pieces = Math.max(1, Math.ceil(theta / Math.sqrt((8 * tol) / Math.max(Math.sin(rho), 1e-12))));
  const side = (sign: number): LngLat[] => {
    const out: LngLat[] = [];
    for (let k = 0; k <= pieces; k++) {
      const p: Vec = interpolate(va, vb, k / pieces);
      out.push(toLngLat(add(scale(p, Math.cos(rho)), scale(n, sign * Math.sin(rho)))));
    }
    return out;
  };
  // counterclockwise: along the right side (−n) from a to b, back along the left side (+n)
  const ring = [...side(-1), ...side(1).reverse()];
  ring.push(ring[0]!);
  return ring;
}

export function polygonBuffer(polys: Polygon[], radius: number, tolerance: number): Polygon[] | null {
  const tol = Math.min(tolerance, radius * 0.999999);
  const rho = (radius + tol / 2) / EARTH_RADIUS_M;
  if (rho >= Math.PI / 2) return null;
  const parts: Polygon[] = [...polys];
  for (const poly of polys) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const disc = pointBuffer(ring[i]!, radius, tol);
        if (!disc) return null;
        parts.push([disc]);
        const strip = band(ring[i]!, ring[i + 1]!, rho, tol / 2 / EARTH_RADIUS_M);
        if (strip) parts.push([strip]);
      }
    }
  }
  return unionOfPolygons(parts);
}

export const GEO_POLYGON_BUFFER_FUNCTIONS: ScalarFunction[] = [
  fn('geo_polygon_buffer', 2, 3, ([g, r, t]) => {
    const polys = polygonsOf(g), radius = finite(r);
    const tolerance = t === undefined ? 10 : finite(t);
    if (!polys || radius === null || radius <= 0 || tolerance === null || tolerance < radius * 1e-6) return null;
    const out = polygonBuffer(polys, radius, tolerance);
    return out && out.length ? polygonsJson(out) : null;
  }),
];
