/**
 * Measurements on Kusto's Earth model: a sphere of radius 6,371,010 m (S2's Earth radius) whose edges are
 * geodesics (great-circle arcs). Distances in meters, angles in radians. Invalid input gives null.
 */
import type { DynamicValue, Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

const EARTH_RADIUS_M = 6_371_010;
const RAD = Math.PI / 180;

type Vec = [number, number, number];
type LngLat = [number, number];

const num = (v: Value): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const validLngLat = (lng: number | null, lat: number | null): boolean => lng !== null && lat !== null && Math.abs(lng) <= 180 && Math.abs(lat) <= 90;

function toVec([lng, lat]: LngLat): Vec {
  const l = lng * RAD, p = lat * RAD;
  return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
}
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: Vec) => Math.hypot(a[0], a[1], a[2]);

/** Central angle between two points (haversine, accurate for small and large angles). */
function centralAngle([lng1, lat1]: LngLat, [lng2, lat2]: LngLat): number {
  const h = Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lng2 - lng1) * RAD) / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b, clockwise from north, in [0, 2π). */
function azimuth([lng1, lat1]: LngLat, [lng2, lat2]: LngLat): number {
  const p1 = lat1 * RAD, p2 = lat2 * RAD, dl = (lng2 - lng1) * RAD;
  const t = Math.atan2(Math.sin(dl) * Math.cos(p2), Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl));
  return (t + 2 * Math.PI) % (2 * Math.PI);
}

/** Central angle from p to the great-circle arc a–b. */
function angleToArc(p: LngLat, a: LngLat, b: LngLat): number {
  const va = toVec(a), vb = toVec(b), vp = toVec(p);
  const n = cross(va, vb);
  const len = norm(n);
  if (len > 1e-15) {
    // the point's projection on the arc's great circle lies between a and b when it is on the inner side of both ends
    if (dot(cross(n, va), vp) >= 0 && dot(cross(vb, n), vp) >= 0) return Math.abs(Math.asin(Math.max(-1, Math.min(1, dot(vp, n) / len))));
  }
  return Math.min(centralAngle(p, a), centralAngle(p, b));
}

/** Winding test: the directions from p to the ring's vertices turn by ±2π when p is inside. */
function inRing(p: LngLat, ring: LngLat[]): boolean {
  let total = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    let d = azimuth(p, ring[i + 1]!) - azimuth(p, ring[i]!);
    if (d > Math.PI) d -= 2 * Math.PI;
    if (d < -Math.PI) d += 2 * Math.PI;
    total += d;
  }
  return Math.abs(total) > Math.PI;
}

const isLngLat = (c: unknown): c is LngLat => Array.isArray(c) && c.length >= 2 && validLngLat(num(c[0] as Value), num(c[1] as Value));

/** A ring is valid with at least 4 positions, closed, and 3 distinct vertices. */
function validRing(r: unknown): r is LngLat[] {
  if (!Array.isArray(r) || r.length < 4 || !r.every(isLngLat)) return false;
  const first = r[0] as LngLat, last = r[r.length - 1] as LngLat;
  if (first[0] !== last[0] || first[1] !== last[1]) return false;
  return new Set(r.map((c) => `${(c as LngLat)[0]},${(c as LngLat)[1]}`)).size >= 3;
}

/** Polygon or MultiPolygon GeoJSON → list of polygons (outer ring then holes), or null when invalid. */
export function polygonsOf(v: Value): LngLat[][][] | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const g = v as Record<string, DynamicValue>;
  const list = g['type'] === 'Polygon' ? [g['coordinates']] : g['type'] === 'MultiPolygon' ? g['coordinates'] : null;
  if (!Array.isArray(list) || !list.length) return null;
  for (const poly of list) if (!Array.isArray(poly) || !poly.length || !poly.every(validRing)) return null;
  return list as unknown as LngLat[][][];
}

/** LineString or MultiLineString GeoJSON → list of lines, or null when invalid. */
function linesOf(v: Value): LngLat[][] | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const g = v as Record<string, DynamicValue>;
  const list = g['type'] === 'LineString' ? [g['coordinates']] : g['type'] === 'MultiLineString' ? g['coordinates'] : null;
  if (!Array.isArray(list) || !list.length) return null;
  for (const line of list) if (!Array.isArray(line) || line.length < 2 || !line.every(isLngLat)) return null;
  return list as unknown as LngLat[][];
}

const inPolygon = (p: LngLat, poly: LngLat[][]) => inRing(p, poly[0]!) && !poly.slice(1).some((hole) => inRing(p, hole));

function point(lng: Value, lat: Value): LngLat | null {
  const x = num(lng), y = num(lat);
  return validLngLat(x, y) ? [x!, y!] : null;
}

export const GEO_SHAPE_FUNCTIONS: ScalarFunction[] = [
  fn('geo_distance_2points', 4, 4, ([a, b, c, d]) => {
    const p = point(a, b), q = point(c, d);
    return p && q ? centralAngle(p, q) * EARTH_RADIUS_M : null;
  }),
  fn('geo_point_in_circle', 5, 5, ([a, b, c, d, r]) => {
    const p = point(a, b), q = point(c, d), radius = num(r);
    return p && q && radius !== null && radius >= 0 ? centralAngle(p, q) * EARTH_RADIUS_M <= radius : null;
  }),
  fn('geo_azimuth', 4, 4, ([a, b, c, d]) => {
    const p = point(a, b), q = point(c, d);
    return p && q && centralAngle(p, q) > 0 ? azimuth(p, q) : null;
  }),
  fn('geo_angle', 6, 6, ([a, b, c, d, e, f]) => {
    // the clockwise angle at the second point, from the first point to the third
    const p1 = point(a, b), p2 = point(c, d), p3 = point(e, f);
    if (!p1 || !p2 || !p3 || centralAngle(p1, p2) === 0 || centralAngle(p2, p3) === 0) return null;
    return (azimuth(p2, p3) - azimuth(p2, p1) + 2 * Math.PI) % (2 * Math.PI);
  }),
  fn('geo_point_in_polygon', 3, 3, ([a, b, g]) => {
    const p = point(a, b), polys = polygonsOf(g);
    return p && polys ? polys.some((poly) => inPolygon(p, poly)) : null;
  }),
  fn('geo_distance_point_to_line', 3, 3, ([a, b, g]) => {
    const p = point(a, b), lines = linesOf(g);
    if (!p || !lines) return null;
    let best = Infinity;
    for (const line of lines) for (let i = 0; i + 1 < line.length; i++) best = Math.min(best, angleToArc(p, line[i]!, line[i + 1]!));
    return best * EARTH_RADIUS_M;
  }),
  fn('geo_distance_point_to_polygon', 3, 3, ([a, b, g]) => {
    const p = point(a, b), polys = polygonsOf(g);
    if (!p || !polys) return null;
    if (polys.some((poly) => inPolygon(p, poly))) return 0;
    let best = Infinity;
    for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) best = Math.min(best, angleToArc(p, ring[i]!, ring[i + 1]!));
    return best * EARTH_RADIUS_M;
  }),
];
