/**
 * Polygon overlay functions (geometry in geo-polygon-overlay.ts): geo_intersection_2polygons,
 * geo_intersects_2polygons, geo_intersection_line_with_polygon, geo_intersects_line_with_polygon,
 * geo_union_polygons_array, and geo_closest_point_on_polygon.
 */
import type { DynamicValue } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { inPolygon } from './geo-shapes.js';
import { polygonArray } from './geo-polygon-edit.js';
import { clipLines, intersectionOfPolygons, linesIntersectPolygons, polygonsIntersect, unionOfPolygons } from './geo-polygon-overlay.js';
import { geometryCollectionJson, linesJson, pointJson, polygonsJson } from './geojson.js';
import { linesOf, pointOf, polygonsOf } from './shapes.js';
import { angle, closestOnEdge, toLngLat, toVec, type Vec } from './sphere.js';

/** Several kinds of result go into a GeometryCollection; one kind alone is written as itself. */
function collect(parts: DynamicValue[]): DynamicValue {
  return parts.length === 1 ? parts[0]! : geometryCollectionJson(parts);
}

export const GEO_POLYGON_OVERLAY_FUNCTIONS: ScalarFunction[] = [
  fn('geo_intersection_2polygons', 2, 2, ([g1, g2]) => {
    const a = polygonsOf(g1), b = polygonsOf(g2);
    if (!a || !b) return null;
    const { polygons, points } = intersectionOfPolygons(a, b);
    const parts: DynamicValue[] = points.map(pointJson);
    if (polygons.length) parts.push(polygonsJson(polygons));
    return collect(parts);
  }),
  fn('geo_intersects_2polygons', 2, 2, ([g1, g2]) => {
    const a = polygonsOf(g1), b = polygonsOf(g2);
    return a && b ? polygonsIntersect(a, b) : null;
  }),
  fn('geo_intersection_line_with_polygon', 2, 2, ([l, g]) => {
    const lines = linesOf(l), polys = polygonsOf(g);
    if (!lines || !polys) return null;
    const parts = clipLines(lines, polys);
    return parts.length ? linesJson(parts) : geometryCollectionJson([]);
  }),
  fn('geo_intersects_line_with_polygon', 2, 2, ([l, g]) => {
    const lines = linesOf(l), polys = polygonsOf(g);
    return lines && polys ? linesIntersectPolygons(lines, polys) : null;
  }),
  fn('geo_union_polygons_array', 1, 1, ([arr]) => {
    const polys = polygonArray(arr);
    const merged = polys && unionOfPolygons(polys);
    return merged && merged.length ? polygonsJson(merged) : null;
  }),
  fn('geo_closest_point_on_polygon', 3, 3, ([x, y, g]) => {
    const p = pointOf(x, y), polys = polygonsOf(g);
    if (!p || !polys) return null;
    // a point inside is its own closest point
    if (polys.some((poly) => inPolygon(p, poly))) return pointJson(p);
    const v = toVec(p);
    let best: Vec | null = null, bestAngle = Infinity;
    for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) {
      const q = closestOnEdge(v, toVec(ring[i]!), toVec(ring[i + 1]!));
      const d = angle(v, q);
      if (d < bestAngle) { bestAngle = d; best = q; }
    }
    return best && pointJson(toLngLat(best));
  }),
];
