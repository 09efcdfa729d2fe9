/**
 * Covering polygons with cells: geo_polygon_to_s2cells (every S2 cell of the level that the polygon, with
 * geodesic edges, touches; nodes2ts's S2RegionCoverer drives the search over a region defined here) and
 * geo_polygon_to_h3cells (H3 cells whose centers are inside the polygon, with straight edges, as h3-js's
 * polygonToCells). Too many cells (Kusto's caps: 65,536 S2, 61,680 H3) give null. A buffer radius widens
 * the S2 region exactly (cells within that distance of the polygon) and, for H3, buffers the polygon first
 * (geo-polygon-buffer.ts), as the reference describes.
 */
import type * as H3 from 'h3-js';
import type * as NodeS2 from 'nodes2ts';
import type { S2Cap, S2Cell, S2LatLngRect, S2Point, S2RegionCoverer } from 'nodes2ts';
import { lazyPackage } from '../../../common/lazy-package.js';
import type { Value } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { inPolygon } from './geo-shapes.js';
import { polygonBuffer } from './geo-polygon-buffer.js';
import { polygonMoments } from './geo-polygon-measures.js';
import { finite, polygonsOf, type Polygon } from './shapes.js';
import { angleToEdge, EARTH_RADIUS_M, edgeCrossing, toLngLat, toVec, type Vec } from './sphere.js';

const s2 = lazyPackage<typeof NodeS2>('nodes2ts');
const h3 = lazyPackage<typeof H3>('h3-js');

const MAX_S2_CELLS = 65_536;
const MAX_H3_CELLS = 61_680;

/** Thrown inside the coverer's search when it has looked at far more cells than the result may hold. */
class TooManyCells extends Error {}

const vecOf = (p: S2Point): Vec => [p.x, p.y, p.z];

/**
 * The polygons widened by `rho` (radians; 0 for the polygons themselves) as an S2 region: exact cell tests
 * from the polygon's geodesic edges. A cell is within rho of the polygons when it meets them or when the
 * nearest pair of boundary edges is within rho (for edges that do not cross, at an end of one of them).
 */
class PolygonRegion {
  private readonly edges: [Vec, Vec][] = [];
  private readonly vertices: Vec[] = [];
  private visits = 0;
  constructor(private readonly polys: Polygon[], private readonly rho: number, private readonly maxVisits: number) {
    for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) {
      this.edges.push([toVec(ring[i]!), toVec(ring[i + 1]!)]);
      this.vertices.push(toVec(ring[i]!));
    }
  }
  getCapBound(): S2Cap { return s2().S2Cap.full(); }
  getRectBound(): S2LatLngRect { return s2().S2LatLngRect.full(); }
  private inside(v: Vec): boolean { return this.polys.some((p) => inPolygon(toLngLat(v), p)); }
  private boundaryCrosses(cell: S2Cell): boolean {
    const cv = [0, 1, 2, 3].map((k) => vecOf(cell.getVertex(k)));
    for (let k = 0; k < 4; k++) {
      const a = cv[k]!, b = cv[(k + 1) % 4]!;
      for (const [c, d] of this.edges) if (edgeCrossing(a, b, c, d)) return true;
    }
    return false;
  }
  containsC(cell: S2Cell): boolean {
    if (++this.visits > this.maxVisits) throw new TooManyCells();
    if (this.boundaryCrosses(cell)) return false;
    if (this.vertices.some((v) => cell.contains(new (s2().S2Point)(v[0], v[1], v[2])))) return false;
    return this.inside(vecOf(cell.getVertex(0)));
  }
  mayIntersectC(cell: S2Cell): boolean {
    if (++this.visits > this.maxVisits) throw new TooManyCells();
    if (this.inside(vecOf(cell.getCenter()))) return true;
    if (this.vertices.some((v) => cell.contains(new (s2().S2Point)(v[0], v[1], v[2])))) return true;
    return this.boundaryCrosses(cell) || (this.rho > 0 && this.boundaryWithin(cell));
  }
  private boundaryWithin(cell: S2Cell): boolean {
    const cv = [0, 1, 2, 3].map((k) => vecOf(cell.getVertex(k)));
    for (const [c, d] of this.edges) if (cv.some((v) => angleToEdge(v, c, d) <= this.rho)) return true;
    for (let k = 0; k < 4; k++) {
      const a = cv[k]!, b = cv[(k + 1) % 4]!;
      if (this.vertices.some((v) => angleToEdge(v, a, b) <= this.rho)) return true;
    }
    return false;
  }
}

function s2Covering(polys: Polygon[], level: number, radius: number): string[] | null {
  // the interior alone needs more cells than allowed: no need to search
  const rho = radius / EARTH_RADIUS_M;
  const area = polys.reduce((sum, p) => sum + polygonMoments(p).area, 0);
  if (area / s2().S2Cell.averageArea(level) > MAX_S2_CELLS) return null;
  const coverer = new (s2().S2RegionCoverer)().setMinLevel(level).setMaxLevel(level).setMaxCells(MAX_S2_CELLS + 1);
  try {
    // a covering within the cap costs a few tests per kept cell (its siblings) plus the coarse levels above
    const cells = coverer.getCoveringCells(new PolygonRegion(polys, rho, (MAX_S2_CELLS + 1) * 8 + 1024 * (level + 1)));
    return cells.length > MAX_S2_CELLS ? null : cells.map((c) => c.toToken());
  } catch (e) {
    if (e instanceof TooManyCells) return null;
    throw e;
  }
}

/** An optional integer level: its default when absent, null when invalid. */
function levelArg(v: Value | undefined, fallback: number, max: number): number | null {
  if (v === undefined) return fallback;
  const n = finite(v);
  return n !== null && Number.isInteger(n) && n >= 0 && n <= max ? n : null;
}

/** The optional buffer radius in meters (default 0), or null when invalid. */
function radiusArg(v: Value | undefined): number | null {
  if (v === undefined) return 0;
  const r = finite(v);
  return r === null || r < 0 ? null : r;
}

/** Tolerance (meters) of the buffer drawn before an H3 covering: Kusto's buffer default, below the radius. */
const H3_BUFFER_TOLERANCE = 10;

export const GEO_POLYGON_CELL_FUNCTIONS: ScalarFunction[] = [
  fn('geo_polygon_to_s2cells', 1, 3, ([g, l, r]) => {
    const polys = polygonsOf(g), level = levelArg(l, 11, 30), radius = radiusArg(r);
    if (!polys || level === null || radius === null || radius >= (Math.PI / 2) * EARTH_RADIUS_M) return null;
    return s2Covering(polys, level, radius);
  }),
  fn('geo_polygon_to_h3cells', 1, 3, ([g, l, r]) => {
    const given = polygonsOf(g), res = levelArg(l, 6, 15), radius = radiusArg(r);
    if (!given || res === null || radius === null) return null;
    // with a radius, the cells of the polygon enlarged by it
    const polys = radius > 0 ? polygonBuffer(given, radius, Math.min(H3_BUFFER_TOLERANCE, radius / 2)) : given;
    if (!polys) return null;
    const cells = new Set<string>();
    for (const poly of polys) {
      for (const c of h3().polygonToCells(poly, res, true)) {
        cells.add(c);
        if (cells.size > MAX_H3_CELLS) return null;
      }
    }
    return [...cells];
  }),
];
