/**
 * Polygon measurements on Kusto's sphere: geo_polygon_area, geo_polygon_perimeter, geo_polygon_centroid.
 * A ring bounds the smaller of the two regions it divides the sphere into (orientation does not matter);
 * holes are subtracted; a multipolygon measures the union of its polygons (see geo-polygon-overlay.ts).
 */
import { fn, type ScalarFunction } from '../types.js';
import { pointJson } from './geojson.js';
import { polygonsOf, type Polygon } from './shapes.js';
import { add, angle, cross, dot, robustCross, EARTH_RADIUS_M, norm, scale, toLngLat, toVec, type LngLat, type Vec } from './sphere.js';
import { unionInKustoOrder } from './geo-polygon-overlay.js';

/** Area (steradians) and area-weighted centroid vector (the integral of position over the region). */
export interface RegionMoments { area: number; centroid: Vec }

/**
 * Area of the spherical triangle a, b, c as S2 computes it (S2::Area): l'Huilier's theorem from the three
 * side lengths, except for a skinny triangle, where Girard's formula (the angle excess) is the more
 * accurate when it is. The side lengths come from atan2(|u×v|, u·v), accurate for tiny sides, so small
 * triangles keep their relative accuracy where the triple product a·(b×c) loses it (about 1e-10 on a city
 * block, against 1e-13 this way).
 */
function triangleArea(a: Vec, b: Vec, c: Vec): number {
  const sa = angle(b, c), sb = angle(c, a), sc = angle(a, b);
  const s = 0.5 * (sa + sb + sc);
  const dmin = s - Math.max(sa, sb, sc);
  // a triangle flat to within rounding (a vertex the overlay put on an edge, then fanned from that edge's
  // end) leaves both formulas nothing but rounding error, up to a square meter on the Earth: the triple
  // product is exact to 1e-16 of a steradian there (kqlite's departure from S2, which such a fan of its
  // own union would not meet in the same place)
  if (dmin < 1e-12 * s) return Math.abs(tripleProductArea(a, b, c));
  if (s >= 3e-4) {
    const s2 = s * s;
    if (dmin < 1e-2 * s * s2 * s2) {
      const area = girardArea(a, b, c);
      if (dmin < s * (0.1 * (area + 5e-15))) return area;
    }
  }
  return 4 * Math.atan(Math.sqrt(Math.max(0, Math.tan(0.5 * s) * Math.tan(0.5 * (s - sa)) * Math.tan(0.5 * (s - sb)) * Math.tan(0.5 * (s - sc)))));
}

/** The signed area from the triple product (Van Oosterom and Strackee). */
function tripleProductArea(a: Vec, b: Vec, c: Vec): number {
  return 2 * Math.atan2(dot(a, cross(b, c)), 1 + dot(a, b) + dot(b, c) + dot(c, a));
}

/** Girard's formula: the sum of the triangle's angles less π, from the normals of its sides (S2's robust ones). */
function girardArea(a: Vec, b: Vec, c: Vec): number {
  const ab = robustCross(a, b), bc = robustCross(b, c), ac = robustCross(a, c);
  return Math.max(0, angle(ab, ac) - angle(ab, bc) + angle(bc, ac));
}

/** Which way a, b, c turn: +1 counterclockwise seen from outside the sphere, -1 clockwise, 0 collinear. */
const turn = (a: Vec, b: Vec, c: Vec): number => Math.sign(dot(cross(a, b), c));

/**
 * The area-weighted true centroid of the triangle a, b, c (S2::TrueCentroid): the solution of the system
 * whose rows are the vertices, with the first row subtracted from the others so that close vertices lose
 * less to cancellation; each side's length over its sine weights it.
 */
function triangleCentroid(a: Vec, b: Vec, c: Vec): Vec {
  const weight = (t: number) => (t === 0 ? 1 : t / Math.sin(t));
  const ra = weight(angle(b, c)), rb = weight(angle(c, a)), rc = weight(angle(a, b));
  const x: Vec = [a[0], b[0] - a[0], c[0] - a[0]];
  const y: Vec = [a[1], b[1] - a[1], c[1] - a[1]];
  const z: Vec = [a[2], b[2] - a[2], c[2] - a[2]];
  const r: Vec = [ra, rb - ra, rc - ra];
  return [0.5 * dot(cross(y, z), r), 0.5 * dot(cross(z, x), r), 0.5 * dot(cross(x, y), r)];
}

/**
 * The moments of the smaller region a closed ring bounds: the fan of triangles from the first vertex
 * (S2's surface integral), each triangle's area signed by its turn.
 */
export function ringMoments(ring: LngLat[]): RegionMoments {
  const vs = ring.slice(0, -1).map(toVec);
  let area = 0;
  let centroid: Vec = [0, 0, 0];
  for (let i = 1; i + 1 < vs.length; i++) {
    const a = vs[0]!, b = vs[i]!, c = vs[i + 1]!;
    const sign = turn(a, b, c);
    area += sign * triangleArea(a, b, c);
    centroid = add(centroid, triangleCentroid(a, b, c));
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
  // each polygon a shape of its own, united in the order Kusto unites them: the union's rings then start
  // where Kusto's do, and the fan of triangles that measures them is Kusto's
  return polys.length === 1 ? polys : unionInKustoOrder(polys.map((p) => [p]));
}

function perimeter(polys: Polygon[]): number {
  let total = 0;
  for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) total += angle(toVec(ring[i]!), toVec(ring[i + 1]!));
  return total * EARTH_RADIUS_M;
}

interface Measures { area: number; perimeter: number; centroid: Vec }

/** Measures per parsed shape: parsed shapes are cached per dynamic object, so a literal is measured once. */
const measured = new WeakMap<Polygon[], Measures | null>();

function measures(polys: Polygon[] | null): Measures | null {
  if (!polys) return null;
  let m = measured.get(polys);
  if (m === undefined) {
    const parts = merged(polys);
    m = parts && {
      area: parts.reduce((s, p) => s + polygonMoments(p).area, 0) * EARTH_RADIUS_M ** 2,
      perimeter: perimeter(parts),
      centroid: parts.reduce<Vec>((s, p) => add(s, polygonMoments(p).centroid), [0, 0, 0]),
    };
    measured.set(polys, m);
  }
  return m;
}

export const GEO_POLYGON_MEASURE_FUNCTIONS: ScalarFunction[] = [
  fn('geo_polygon_area', 1, 1, ([g]) => measures(polygonsOf(g))?.area ?? null),
  fn('geo_polygon_perimeter', 1, 1, ([g]) => measures(polygonsOf(g))?.perimeter ?? null),
  fn('geo_polygon_centroid', 1, 1, ([g]) => {
    const c = measures(polygonsOf(g))?.centroid;
    return c && norm(c) > 0 ? pointJson(toLngLat(c)) : null;
  }),
];
