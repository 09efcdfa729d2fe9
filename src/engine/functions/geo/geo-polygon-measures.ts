/**
 * Polygon measurements on Kusto's sphere: geo_polygon_area, geo_polygon_perimeter, geo_polygon_centroid.
 * A ring bounds the smaller of the two regions it divides the sphere into (orientation does not matter);
 * holes are subtracted; a multipolygon measures the union of its polygons (see geo-polygon-overlay.ts).
 */
import { fn, type ScalarFunction } from '../types.js';
import { pointJson } from './geojson.js';
import { polygonsOf, type Polygon } from './shapes.js';
import { add, angle, cross, dot, EARTH_RADIUS_M, norm, scale, toLngLat, toVec, type LngLat, type Vec } from './sphere.js';
import { unionOfPolygons } from './geo-polygon-overlay.js';

/** Area (steradians) and area-weighted centroid vector (the integral of position over the region). */
export interface RegionMoments { area: number; centroid: Vec }

/** Signed area of the spherical triangle a, b, c (positive when counterclockwise seen from outside). */
function triangleArea(a: Vec, b: Vec, c: Vec): number {
  return 2 * Math.atan2(dot(a, cross(b, c)), 1 + dot(a, b) + dot(b, c) + dot(c, a));
}

/** The moments of the smaller region a closed ring bounds. */
export function ringMoments(ring: LngLat[]): RegionMoments {
  const vs = ring.slice(0, -1).map(toVec);
  let area = 0;
  let centroid: Vec = [0, 0, 0];
  for (let i = 0; i < vs.length; i++) {
    const a = vs[i]!, b = vs[(i + 1) % vs.length]!;
    if (i >= 1 && i + 1 < vs.length) area += triangleArea(vs[0]!, a, b);
    // Stokes: the integral of position over the region left of the boundary is half the sum of each edge's
    // unit normal times its length
    const n = cross(a, b), len = norm(n);
    if (len > 0) centroid = add(centroid, scale(n, (0.5 * angle(a, b)) / len));
  }
  if (area < 0) area += 4 * Math.PI;
  // the region left of the ring is the larger one: take the other side (its centroid integral is the negation)
  return area > 2 * Math.PI ? { area: 4 * Math.PI - area, centroid: scale(centroid, -1) } : { area, centroid };
}

/** Moments of one polygon: its shell minus its holes. */
export function polygonMoments(poly: Polygon): RegionMoments {
  let { area, centroid } = ringMoments(poly[0]!);
  for (const hole of poly.slice(1)) {
    const h = ringMoments(hole);
    area -= h.area;
    centroid = add(centroid, scale(h.centroid, -1));
  }
  return { area, centroid };
}

/** The polygons of a multipolygon merged where they overlap, so that shared area counts once. */
function merged(polys: Polygon[]): Polygon[] | null {
  return polys.length === 1 ? polys : unionOfPolygons(polys);
}

function perimeter(polys: Polygon[]): number {
  let total = 0;
  for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) total += angle(toVec(ring[i]!), toVec(ring[i + 1]!));
  return total * EARTH_RADIUS_M;
}

export const GEO_POLYGON_MEASURE_FUNCTIONS: ScalarFunction[] = [
  fn('geo_polygon_area', 1, 1, ([g]) => {
    const polys = polygonsOf(g);
    const parts = polys && merged(polys);
    return parts ? parts.reduce((s, p) => s + polygonMoments(p).area, 0) * EARTH_RADIUS_M ** 2 : null;
  }),
  fn('geo_polygon_perimeter', 1, 1, ([g]) => {
    const polys = polygonsOf(g);
    const parts = polys && merged(polys);
    return parts ? perimeter(parts) : null;
  }),
  fn('geo_polygon_centroid', 1, 1, ([g]) => {
    const polys = polygonsOf(g);
    const parts = polys && merged(polys);
    if (!parts) return null;
    const c = parts.reduce<Vec>((s, p) => add(s, polygonMoments(p).centroid), [0, 0, 0]);
    return norm(c) > 0 ? pointJson(toLngLat(c)) : null;
  }),
];
