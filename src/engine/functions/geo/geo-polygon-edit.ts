/**
 * Reshaping polygons: geo_polygon_densify (planar edges → chains of geodesics, ring by ring with the line
 * densifier), geo_polygon_simplify and
 * geo_simplify_polygons_array (ring by ring with the line simplifier: vertices within the tolerance merge,
 * and vertices that stay within it of the simplified edges go).
 */
import type { Value } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { multiPolygonJson, polygonsJson } from './geojson.js';
import { densifyLine } from './geo-line-densify.js';
import { simplifyLines } from './geo-line-simplify.js';
import { unionInKustoOrder } from './geo-polygon-overlay.js';
import { finite, polygonsOf, type Polygon } from './shapes.js';
import type { LngLat } from './sphere.js';

/** An optional tolerance argument: its default when absent, null when invalid or out of [min, max]. */
function tolerance(v: Value | undefined, fallback: number, min: number, max: number): number | null {
  if (v === undefined) return fallback;
  const t = finite(v);
  return t !== null && t >= min && t <= max ? t : null;
}

/** Each ring densified as a closed line (geo-line-densify.ts: S2EdgeTessellator's error estimate). */
function densify(polys: Polygon[], tol: number, crossAntimeridian: boolean): Polygon[] | null {
  const out: Polygon[] = [];
  for (const poly of polys) {
    const rings: LngLat[][] = [];
    for (const ring of poly) {
      const d = densifyLine(ring, tol, crossAntimeridian);
      if (!d) return null;
      rings.push(d);
    }
    out.push(rings);
  }
  return out;
}

/**
 * A ring simplified as a closed line (geo-line-simplify.ts: S2Builder's site snapping and edge-chain
 * simplification), or null when fewer than three distinct vertices remain (the ring disappears).
 */
function simplifyRing(ring: LngLat[], tol: number): LngLat[] | null {
  const [out] = simplifyLines([ring], tol);
  if (!out || out.length < 4) return null;
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

/** A dynamic array of polygons/multipolygons → each element's polygons, or null when any is invalid. */
export function polygonArray(v: Value): Polygon[][] | null {
  if (!Array.isArray(v) || !v.length) return null;
  const all: Polygon[][] = [];
  for (const item of v) {
    const polys = polygonsOf(item);
    if (!polys) return null;
    all.push(polys);
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
    const merged = unionInKustoOrder(polys);
    const out = merged && simplify(merged, tol);
    return out && polygonsJson(out);
  }),
];
