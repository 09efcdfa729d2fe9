/**
 * Geospatial cell systems: geohash (by hand: the algorithm is a few lines of bit interleaving), H3 (Uber's
 * h3-js, version 4, which Kusto's H3 cell tokens match) and S2 (nodes2ts, a port of Google's S2 library).
 * Invalid coordinates, levels or tokens give null (dynamic) or an empty string (string), as in Kusto.
 */
import type * as H3 from 'h3-js';
import type * as NodeS2 from 'nodes2ts';
import type { S2Cell, S2CellId, S2LatLng } from 'nodes2ts';
import { lazyPackage } from '../../common/lazy-package.js';
import type { DynamicValue, Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

const s2 = lazyPackage<typeof NodeS2>('nodes2ts');
const h3 = lazyPackage<typeof H3>('h3-js');

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

const num = (v: Value): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const validPoint = (lng: number | null, lat: number | null) => lng !== null && lat !== null && Math.abs(lng) <= 180 && Math.abs(lat) <= 90;
/** An optional integer level argument: its default when absent, null when given as null or out of range. */
function level(v: Value | undefined, fallback: number, min: number, max: number): number | null {
  if (v === undefined) return fallback;
  const n = num(v);
  return n === null || !Number.isInteger(n) || n < min || n > max ? null : n;
}

const point = (lng: number, lat: number): DynamicValue => ({ type: 'Point', coordinates: [lng, lat] });
const polygon = (ring: number[][]): DynamicValue => ({ type: 'Polygon', coordinates: [ring] });

export function geohashEncode(lng: number, lat: number, length: number): string {
  let out = '';
  let bits = 0, ch = 0, even = true;
  let lngLo = -180, lngHi = 180, latLo = -90, latHi = 90;
  while (out.length < length) {
    if (even) {
      const mid = (lngLo + lngHi) / 2;
      if (lng >= mid) { ch = (ch << 1) | 1; lngLo = mid; } else { ch <<= 1; lngHi = mid; }
    } else {
      const mid = (latLo + latHi) / 2;
      if (lat >= mid) { ch = (ch << 1) | 1; latLo = mid; } else { ch <<= 1; latHi = mid; }
    }
    even = !even;
    if (++bits === 5) { out += BASE32[ch]; bits = 0; ch = 0; }
  }
  return out;
}

/** [west, south, east, north] of a geohash, or null when it is not one. */
export function geohashBounds(hash: string): [number, number, number, number] | null {
  if (!hash || hash.length > 18) return null;
  let lngLo = -180, lngHi = 180, latLo = -90, latHi = 90, even = true;
  for (const c of hash.toLowerCase()) {
    const v = BASE32.indexOf(c);
    if (v < 0) return null;
    for (let b = 4; b >= 0; b--) {
      const bit = (v >> b) & 1;
      if (even) { const mid = (lngLo + lngHi) / 2; if (bit) lngLo = mid; else lngHi = mid; }
      else { const mid = (latLo + latHi) / 2; if (bit) latLo = mid; else latHi = mid; }
      even = !even;
    }
  }
  return [lngLo, latLo, lngHi, latHi];
}

/** The eight neighbours of a geohash cell in Kusto's order (N, NE, E, SE, S, SW, W, NW around the cell, starting north). */
function geohashNeighbors(hash: string): string[] | null {
  const b = geohashBounds(hash);
  if (!b) return null;
  const [w, s, e, n] = b;
  const dx = e - w, dy = n - s;
  const cx = (w + e) / 2, cy = (s + n) / 2;
  const out: string[] = [];
  for (const [i, j] of GEOHASH_NEIGHBOR_STEPS) {
    const lat = cy + j * dy;
    if (lat > 90 || lat < -90) continue;
    let lng = cx + i * dx;
    if (lng > 180) lng -= 360;
    if (lng < -180) lng += 360;
    out.push(geohashEncode(lng, lat, hash.length));
  }
  return out;
}

/** Steps (in cell widths east, cell heights north) in the order Kusto lists geohash neighbours. */
const GEOHASH_NEIGHBOR_STEPS: [number, number][] = [[0, 1], [1, 1], [1, 0], [1, -1], [0, -1], [-1, -1], [-1, 0], [-1, 1]];

function s2Cell(token: Value): S2CellId | null {
  if (typeof token !== 'string' || !/^[0-9a-fA-F]{1,16}$/.test(token)) return null;
  const id = s2().S2CellId.fromToken(token.toLowerCase());
  return id.isValid() ? id : null;
}

const h3Valid = (cell: Value): cell is string => typeof cell === 'string' && h3().isValidCell(cell);

/** Kusto's polygon rings are closed: the first vertex repeats at the end. */
function closed(ring: number[][]): number[][] {
  const [first] = ring;
  const last = ring[ring.length - 1]!;
  return first && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
}

export const GEO_CELL_FUNCTIONS: ScalarFunction[] = [
  fn('geo_point_to_geohash', 2, 3, ([lng, lat, acc]) => {
    const x = num(lng), y = num(lat);
    const n = level(acc, 5, 1, 18);
    return validPoint(x, y) && n !== null ? geohashEncode(x!, y!, n) : '';
  }),
  fn('geo_geohash_to_central_point', 1, 1, ([h]) => {
    const b = typeof h === 'string' ? geohashBounds(h) : null;
    return b ? point((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) : null;
  }),
  fn('geo_geohash_to_polygon', 1, 1, ([h]) => {
    const b = typeof h === 'string' ? geohashBounds(h) : null;
    if (!b) return null;
    const [w, s, e, n] = b;
    return polygon([[w, s], [e, s], [e, n], [w, n], [w, s]]);
  }),
  fn('geo_geohash_neighbors', 1, 1, ([h]) => (typeof h === 'string' ? geohashNeighbors(h) : null)),
  fn('geo_point_to_h3cell', 2, 3, ([lng, lat, res]) => {
    const x = num(lng), y = num(lat);
    const r = level(res, 6, 0, 15);
    return validPoint(x, y) && r !== null ? h3().latLngToCell(y!, x!, r) : '';
  }),
  fn('geo_h3cell_level', 1, 1, ([c]) => (h3Valid(c) ? h3().getResolution(c) : null)),
  fn('geo_h3cell_parent', 1, 2, ([c, res]) => {
    if (!h3Valid(c)) return '';
    const own = h3().getResolution(c);
    const r = level(res, own - 1, 0, 15);
    return r === null || r > own || r < 0 ? '' : h3().cellToParent(c, r);
  }),
  fn('geo_h3cell_children', 1, 2, ([c, res]) => {
    if (!h3Valid(c)) return null;
    const own = h3().getResolution(c);
    const r = level(res, own + 1, 0, 15);
    // Kusto refuses to list more than 7^5 cells at once
    return r === null || r < own || r - own > 5 ? null : h3().cellToChildren(c, r);
  }),
  fn('geo_h3cell_neighbors', 1, 1, ([c]) => (h3Valid(c) ? h3().gridDisk(c, 1).filter((x) => x !== c) : null)),
  fn('geo_h3cell_rings', 2, 2, ([c, d]) => {
    const k = num(d);
    return h3Valid(c) && k !== null && Number.isInteger(k) && k >= 0 && k <= 142 ? h3().gridDiskDistances(c, k) : null;
  }),
  fn('geo_h3cell_to_central_point', 1, 1, ([c]) => { if (!h3Valid(c)) return null; const [lat, lng] = h3().cellToLatLng(c); return point(lng, lat); }),
  fn('geo_h3cell_to_polygon', 1, 1, ([c]) => (h3Valid(c) ? polygon(closed(h3().cellToBoundary(c, true))) : null)),
  fn('geo_point_to_s2cell', 2, 3, ([lng, lat, lvl]) => {
    const x = num(lng), y = num(lat);
    const l = level(lvl, 11, 0, 30);
    return validPoint(x, y) && l !== null ? s2().S2CellId.fromPoint(s2().S2LatLng.fromDegrees(y!, x!).toPoint()).parentL(l).toToken() : '';
  }),
  fn('geo_s2cell_to_central_point', 1, 1, ([t]) => { const id = s2Cell(t); if (!id) return null; const ll = id.toLatLng(); return point(ll.lngDegrees, ll.latDegrees); }),
  fn('geo_s2cell_to_polygon', 1, 1, ([t]) => {
    const id = s2Cell(t);
    if (!id) return null;
    const cell = new (s2().S2Cell)(id);
    const ring = [0, 1, 2, 3].map((k) => { const ll = s2().S2LatLng.fromPoint(cell.getVertex(k)); return [ll.lngDegrees, ll.latDegrees]; });
    return polygon(closed(ring));
  }),
  fn('geo_s2cell_neighbors', 1, 1, ([t]) => { const id = s2Cell(t); return id ? id.getAllNeighbors(id.level()).map((c) => c.toToken()) : null; }),
];
