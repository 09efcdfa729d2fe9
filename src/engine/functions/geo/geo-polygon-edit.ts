/**
 * Reshaping polygons: geo_polygon_densify (planar edges → chains of geodesics), geo_polygon_simplify and
 * geo_simplify_polygons_array (dropping vertices that stay within a tolerance of the simplified edges).
 */
import type { Value } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { multiPolygonJson, polygonsJson } from './geojson.js';
import { unionOfPolygons } from './geo-polygon-overlay.js';
import { finite, polygonsOf, type Polygon } from './shapes.js';
import { angleToEdge, EARTH_RADIUS_M, toVec, type LngLat } from './sphere.js';

/** Kusto's cap on the vertices of a densified shape. */
const MAX_DENSIFY_POINTS = 10_485_760;

/** Distance in meters from p to the geodesic a–b. */
const offEdge = (p: LngLat, a: LngLat, b: LngLat) => angleToEdge(toVec(p), toVec(a), toVec(b)) * EARTH_RADIUS_M;

/** An optional tolerance argument: its default when absent, null when invalid or out of [min, max]. */
function tolerance(v: Value | undefined, fallback: number, min: number, max: number): number | null {
  if (v === undefined) return fallback;
  const t = finite(v);
  return t !== null && t >= min && t <= max ? t : null;
}

/**
 * The planar edge a→b (a straight line in longitude/latitude) as geodesic pieces: halve it at its planar
 * midpoint until the midpoint of each piece is within `tol` meters of that piece's geodesic. With
 * `crossAntimeridian` the planar edge takes the short way across ±180°.
 */
function densifyEdge(a: LngLat, b: LngLat, tol: number, crossAntimeridian: boolean, out: LngLat[]): void {
  let dLng = b[0] - a[0];
  if (crossAntimeridian && Math.abs(dLng) > 180) dLng -= Math.sign(dLng) * 360;
  const wrap = (lng: number) => (lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng);
  const at = (t: number): LngLat => [wrap(a[0] + dLng * t), a[1] + (b[1] - a[1]) * t];
  const split = (t0: number, t1: number, p0: LngLat, p1: LngLat, depth: number): void => {
    const tm = (t0 + t1) / 2, pm = at(tm);
    if (depth < 40 && offEdge(pm, p0, p1) > tol) {
      split(t0, tm, p0, pm, depth + 1);
      split(tm, t1, pm, p1, depth + 1);
    } else out.push(p1);
  };
  split(0, 1, a, b, 0);
}

function densify(polys: Polygon[], tol: number, crossAntimeridian: boolean): Polygon[] | null {
  let count = 0;
  const result = polys.map((poly) => poly.map((ring) => {
    const out: LngLat[] = [ring[0]!];
    for (let i = 0; i + 1 < ring.length; i++) densifyEdge(ring[i]!, ring[i + 1]!, tol, crossAntimeridian, out);
    count += out.length;
    return out;
  }));
  return count > MAX_DENSIFY_POINTS ? null : result;
}

/** Douglas–Peucker on the sphere: keep the ends and, recursively, the vertex farthest from the kept edge. */
function simplifyChain(pts: LngLat[], tol: number): LngLat[] {
  const keep = new Array<boolean>(pts.length).fill(false);
  keep[0] = keep[pts.length - 1] = true;
  const stack: [number, number][] = [[0, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop()!;
    let best = -1, far = 0;
    for (let k = i + 1; k < j; k++) {
      const d = offEdge(pts[k]!, pts[i]!, pts[j]!);
      if (d > far) { far = d; best = k; }
    }
    if (best > 0 && far > tol) {
      keep[best] = true;
      stack.push([i, best], [best, j]);
    }
  }
  return pts.filter((_, k) => keep[k]);
}

/** A ring simplified, or null when fewer than three distinct vertices remain (the ring disappears). */
function simplifyRing(ring: LngLat[], tol: number): LngLat[] | null {
  const out = simplifyChain(ring, tol);
  return new Set(out.map((p) => `${p[0]},${p[1]}`)).size >= 3 ? out : null;
}

function simplify(polys: Polygon[], tol: number): Polygon[] | null {
  const out: Polygon[] = [];
  for (const poly of polys) {
    const shell = simplifyRing(poly[0]!, tol);
    if (!shell) continue;
    const holes = poly.slice(1).map((h) => simplifyRing(h, tol)).filter((h): h is LngLat[] => h !== null);
    out.push([shell, ...holes]);
  }
  return out.length ? out : null;
}

/** A dynamic array of polygons/multipolygons → all their polygons, or null when any is invalid. */
export function polygonArray(v: Value): Polygon[] | null {
  if (!Array.isArray(v) || !v.length) return null;
  const all: Polygon[] = [];
  for (const item of v) {
    const polys = polygonsOf(item);
    if (!polys) return null;
    all.push(...polys);
  }
  return all;
}

/** The result in the input's kind: a MultiPolygon stays one even when a single polygon remains. */
const likeInput = (g: Value, polys: Polygon[]) =>
  (g as { type?: unknown }).type === 'MultiPolygon' ? multiPolygonJson(polys) : polygonsJson(polys);

export const GEO_POLYGON_EDIT_FUNCTIONS: ScalarFunction[] = [
  fn('geo_polygon_densify', 1, 3, ([g, t, c]) => {
    const polys = polygonsOf(g), tol = tolerance(t, 10, 0.1, 10_000);
    if (!polys || tol === null || (c !== undefined && typeof c !== 'boolean')) return null;
    const out = densify(polys, tol, c === true);
    return out && likeInput(g, out);
  }),
  fn('geo_polygon_simplify', 1, 2, ([g, t]) => {
    const polys = polygonsOf(g), tol = tolerance(t, 10, 0.1, 10_000);
    const out = polys && tol !== null ? simplify(polys, tol) : null;
    return out && likeInput(g, out);
  }),
  fn('geo_simplify_polygons_array', 1, 2, ([arr, t]) => {
    const polys = polygonArray(arr), tol = tolerance(t, 10, 0, 7_800_000);
    if (!polys || tol === null) return null;
    const merged = unionOfPolygons(polys);
    const out = merged && simplify(merged, tol);
    return out && polygonsJson(out);
  }),
];
