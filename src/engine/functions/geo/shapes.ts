/**
 * Reading GeoJSON shapes the way Kusto accepts them (RFC 7946 with Kusto's rules): positions are
 * [longitude, latitude] with longitude in [-180, 180] and latitude in [-90, 90]; a LineString has at least
 * two positions; a polygon ring is closed, has at least four positions and at least three distinct
 * vertices; edges are geodesics (see sphere.ts). Anything else is invalid and the functions give null.
 */
import type { DynamicValue, Value } from '../../values/value.js';
import { toVecExact, type LngLat, type Vec } from './sphere.js';

export type Line = LngLat[];
/** Outer ring (shell) first, then holes; each ring closed (first position repeated last). */
export type Polygon = LngLat[][];

export type GeoShape =
  | { type: 'Point'; point: LngLat }
  | { type: 'MultiPoint'; points: LngLat[] }
  | { type: 'LineString' | 'MultiLineString'; lines: Line[] }
  | { type: 'Polygon' | 'MultiPolygon'; polygons: Polygon[] }
  | { type: 'GeometryCollection'; shapes: GeoShape[] };

export const finite = (v: Value | DynamicValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const validLngLat = (lng: number | null, lat: number | null): boolean =>
  lng !== null && lat !== null && Math.abs(lng) <= 180 && Math.abs(lat) <= 90;

/** A point from longitude and latitude arguments, or null when either is missing or out of range. */
export function pointOf(lng: Value, lat: Value): LngLat | null {
  const x = finite(lng), y = finite(lat);
  return validLngLat(x, y) ? [x!, y!] : null;
}

/** A GeoJSON position → [lng, lat] (further values, such as altitude, are ignored), or null. */
export function positionOf(c: DynamicValue | undefined): LngLat | null {
  if (!Array.isArray(c) || c.length < 2) return null;
  const x = finite(c[0]), y = finite(c[1]);
  return validLngLat(x, y) ? [x!, y!] : null;
}

function positions(list: DynamicValue | undefined, min: number): LngLat[] | null {
  if (!Array.isArray(list) || list.length < min) return null;
  const out: LngLat[] = [];
  for (const c of list) {
    const p = positionOf(c);
    if (!p) return null;
    out.push(p);
  }
  return out;
}

const sameLngLat = (a: LngLat, b: LngLat) => a[0] === b[0] && a[1] === b[1];

export function lineOf(coords: DynamicValue | undefined): Line | null {
  return positions(coords, 2);
}

/** A ring: at least four positions, closed, with at least three distinct vertices. */
export function ringOf(coords: DynamicValue | undefined): LngLat[] | null {
  const ring = positions(coords, 4);
  if (!ring || !sameLngLat(ring[0]!, ring[ring.length - 1]!)) return null;
  return new Set(ring.map((c) => `${c[0]},${c[1]}`)).size >= 3 ? ring : null;
}

export function polygonOf(coords: DynamicValue | undefined): Polygon | null {
  if (!Array.isArray(coords) || !coords.length) return null;
  const rings: LngLat[][] = [];
  for (const r of coords) {
    const ring = ringOf(r);
    if (!ring) return null;
    rings.push(ring);
  }
  return rings;
}

function listOf<T>(coords: DynamicValue | undefined, item: (c: DynamicValue) => T | null): T[] | null {
  if (!Array.isArray(coords) || !coords.length) return null;
  const out: T[] = [];
  for (const c of coords) {
    const x = item(c);
    if (x === null) return null;
    out.push(x);
  }
  return out;
}

const asObject = (v: Value | DynamicValue): Record<string, DynamicValue> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, DynamicValue>) : null;

/**
 * Parsed shapes by the dynamic value they came from: a literal shape is the same object on every row, so it
 * is read once. Callers must treat the result as read-only.
 */
const PARSED = new WeakMap<object, GeoShape | null>();

/** Any GeoJSON geometry Kusto accepts, validated, or null. */
export function parseShape(v: Value | DynamicValue): GeoShape | null {
  const g = asObject(v);
  if (!g) return null;
  const known = PARSED.get(g);
  if (known !== undefined) return known;
  const shape = readShape(g);
  PARSED.set(g, shape);
  return shape;
}

function readShape(g: Record<string, DynamicValue>): GeoShape | null {
  const c = g['coordinates'];
  switch (g['type']) {
    case 'Point': { const point = positionOf(c); return point && { type: 'Point', point }; }
    case 'MultiPoint': { const points = listOf(c, positionOf); return points && { type: 'MultiPoint', points }; }
    case 'LineString': { const line = lineOf(c); return line && { type: 'LineString', lines: [line] }; }
    case 'MultiLineString': { const lines = listOf(c, lineOf); return lines && { type: 'MultiLineString', lines }; }
    case 'Polygon': { const p = polygonOf(c); return p && { type: 'Polygon', polygons: [p] }; }
    case 'MultiPolygon': { const polygons = listOf(c, polygonOf); return polygons && { type: 'MultiPolygon', polygons }; }
    case 'GeometryCollection': {
      const gs = g['geometries'];
      if (!Array.isArray(gs)) return null;
      const shapes: GeoShape[] = [];
      for (const s of gs) {
        const shape = parseShape(s);
        if (!shape) return null;
        shapes.push(shape);
      }
      return { type: 'GeometryCollection', shapes };
    }
    default: return null;
  }
}

/** LineString or MultiLineString → its lines, or null when it is anything else or invalid. */
export function linesOf(v: Value | DynamicValue): Line[] | null {
  const s = parseShape(v);
  return s && (s.type === 'LineString' || s.type === 'MultiLineString') ? s.lines : null;
}

/** Polygon or MultiPolygon → its polygons, or null when it is anything else or invalid. */
export function polygonsOf(v: Value | DynamicValue): Polygon[] | null {
  const s = parseShape(v);
  return s && (s.type === 'Polygon' || s.type === 'MultiPolygon') ? s.polygons : null;
}

const VECS = new WeakMap<LngLat[], Vec[]>();
/** A parsed line or ring as unit vectors (toVecExact), computed once per parsed shape. */
export function vecsOf(points: LngLat[]): Vec[] {
  let vs = VECS.get(points);
  if (!vs) VECS.set(points, (vs = points.map(toVecExact)));
  return vs;
}
