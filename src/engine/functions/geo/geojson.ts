/**
 * Writing shapes back as GeoJSON dynamic values, in the member order Kusto prints ("type" first).
 * Vertices computed on the sphere are converted with toLngLat; longitudes stay in [-180, 180].
 */
import type { DynamicValue } from '../../values/value.js';
import type { Line, Polygon } from './shapes.js';
import { toLngLatExact, type LngLat, type Vec } from './sphere.js';

const pos = (p: LngLat): DynamicValue => [p[0], p[1]];

export const pointJson = (p: LngLat): DynamicValue => ({ type: 'Point', coordinates: pos(p) });
export const pointFromVec = (v: Vec): DynamicValue => pointJson(toLngLatExact(v));
export const multiPointJson = (ps: LngLat[]): DynamicValue => ({ type: 'MultiPoint', coordinates: ps.map(pos) });
export const lineStringJson = (line: Line): DynamicValue => ({ type: 'LineString', coordinates: line.map(pos) });
export const multiLineStringJson = (lines: Line[]): DynamicValue => ({ type: 'MultiLineString', coordinates: lines.map((l) => l.map(pos)) });
export const polygonJson = (poly: Polygon): DynamicValue => ({ type: 'Polygon', coordinates: poly.map((r) => r.map(pos)) });
export const multiPolygonJson = (polys: Polygon[]): DynamicValue => ({ type: 'MultiPolygon', coordinates: polys.map((p) => p.map((r) => r.map(pos))) });
export const geometryCollectionJson = (geometries: DynamicValue[]): DynamicValue => ({ type: 'GeometryCollection', geometries });

/** One line as a LineString, several as a MultiLineString (how Kusto reports line results). */
export const linesJson = (lines: Line[]): DynamicValue => (lines.length === 1 ? lineStringJson(lines[0]!) : multiLineStringJson(lines));
/** One polygon as a Polygon, several as a MultiPolygon. */
export const polygonsJson = (polys: Polygon[]): DynamicValue => (polys.length === 1 ? polygonJson(polys[0]!) : multiPolygonJson(polys));
