/**
 * Boolean operations on polygons with geodesic edges: union, intersection, and a line clipped by a
 * polygon. Every edge is cut where it crosses an edge of the other shapes; each piece is kept or dropped by
 * where its midpoint lies (inside/outside the other shapes; pieces running along a shared edge are kept
 * once when both run the same way, dropped when they run opposite ways); the kept pieces are chained back
 * into rings. Rings are first oriented so that the region lies on their left (shells counterclockwise,
 * holes clockwise), since Kusto takes the smaller region a ring bounds whatever its orientation.
 */
import { inPolygon } from './geo-shapes.js';
import type { Line, Polygon } from './shapes.js';
import { add, angle, angleToEdge, cross, dot, edgeCrossing, normalize, toLngLat, toVec, type LngLat, type Vec } from './sphere.js';

/** Below this angle (radians, about 0.6 mm on the Earth) two points or a point and an edge coincide. */
const TOUCH = 1e-13;

/** Area of the region left of a closed ring (0..4π). */
function leftArea(ring: LngLat[]): number {
  const vs = ring.slice(0, -1).map(toVec);
  let area = 0;
  for (let i = 1; i + 1 < vs.length; i++) {
    const a = vs[0]!, b = vs[i]!, c = vs[i + 1]!;
    area += 2 * Math.atan2(dot(a, cross(b, c)), 1 + dot(a, b) + dot(b, c) + dot(c, a));
  }
  return area < 0 ? area + 4 * Math.PI : area;
}

/** Is the ring counterclockwise around the smaller region it bounds? */
export const isCounterclockwise = (ring: LngLat[]) => leftArea(ring) <= 2 * Math.PI;

/** The polygon with its shell counterclockwise and its holes clockwise. */
export function oriented(poly: Polygon): Polygon {
  return poly.map((ring, i) => (isCounterclockwise(ring) === (i === 0) ? ring : [...ring].reverse()));
}

interface Vertex { ll: LngLat; v: Vec }
interface Edge { a: Vertex; b: Vertex; owner: number; cuts: { t: number; at: Vertex }[] }

const key = (p: LngLat) => `${p[0]},${p[1]}`;
const vertex = (ll: LngLat): Vertex => ({ ll, v: toVec(ll) });

function edgesOf(poly: Polygon, owner: number): Edge[] {
  const out: Edge[] = [];
  for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) out.push({ a: vertex(ring[i]!), b: vertex(ring[i + 1]!), owner, cuts: [] });
  return out;
}

/** Where two edges meet: an existing end vertex when the meeting point is one, else a new vertex. */
function meeting(e: Edge, f: Edge): Vertex | null {
  const p = edgeCrossing(e.a.v, e.b.v, f.a.v, f.b.v);
  if (!p) return null;
  for (const end of [e.a, e.b, f.a, f.b]) if (angle(p, end.v) < TOUCH) return end;
  return { ll: toLngLat(p), v: p };
}

/** Cut every edge where it meets an edge of another owner; returns all points where owners touch. */
function cutAll(edges: Edge[]): Vertex[] {
  const touches: Vertex[] = [];
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const e = edges[i]!, f = edges[j]!;
      if (e.owner === f.owner) continue;
      const m = meeting(e, f);
      if (!m) continue;
      touches.push(m);
      for (const g of [e, f]) if (m !== g.a && m !== g.b) g.cuts.push({ t: angle(g.a.v, m.v), at: m });
    }
  }
  return touches;
}

interface Piece { a: Vertex; b: Vertex; owner: number; mid: Vec }

function pieces(edges: Edge[]): Piece[] {
  const out: Piece[] = [];
  for (const e of edges) {
    const stops = [e.a, ...e.cuts.sort((x, y) => x.t - y.t).map((c) => c.at), e.b];
    for (let k = 0; k + 1 < stops.length; k++) {
      const a = stops[k]!, b = stops[k + 1]!;
      if (key(a.ll) !== key(b.ll)) out.push({ a, b, owner: e.owner, mid: normalize(add(a.v, b.v)) });
    }
  }
  return out;
}

type Where = 'inside' | 'outside' | 'same' | 'opposite';

/** Where a piece lies relative to a polygon: strictly inside/outside, or along one of its edges. */
function where(p: Piece, poly: Polygon): Where {
  for (const ring of poly) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = toVec(ring[i]!), b = toVec(ring[i + 1]!);
      if (angleToEdge(p.mid, a, b) < TOUCH) return dot(cross(a, b), cross(p.a.v, p.b.v)) > 0 ? 'same' : 'opposite';
    }
  }
  return inPolygon(toLngLat(p.mid), poly) ? 'inside' : 'outside';
}

/** Chain pieces into closed rings (each piece starts where the previous ended). */
function chain(kept: Piece[]): LngLat[][] {
  const from = new Map<string, Piece[]>();
  for (const p of kept) {
    const k = key(p.a.ll);
    from.set(k, [...(from.get(k) ?? []), p]);
  }
  const used = new Set<Piece>();
  const rings: LngLat[][] = [];
  for (const start of kept) {
    if (used.has(start)) continue;
    const ring: LngLat[] = [start.a.ll];
    let cur: Piece | undefined = start;
    while (cur && !used.has(cur)) {
      used.add(cur);
      ring.push(cur.b.ll);
      if (key(cur.b.ll) === key(start.a.ll)) break;
      cur = from.get(key(cur.b.ll))?.find((q) => !used.has(q));
    }
    if (ring.length >= 4 && key(ring[0]!) === key(ring[ring.length - 1]!)) rings.push(ring);
  }
  return rings;
}

/** Shells (counterclockwise rings) with the holes (clockwise rings) that lie inside them. */
function assemble(rings: LngLat[][]): Polygon[] {
  const shells = rings.filter(isCounterclockwise).map((r) => [r]);
  for (const hole of rings.filter((r) => !isCounterclockwise(r))) {
    const owner = shells.find((s) => inPolygon(hole[0]!, [s[0]!]) || inPolygon(hole[1]!, [s[0]!]));
    if (owner) owner.push(hole);
  }
  return shells;
}

/** The union of polygons as separate polygons, or null when the pieces do not close into rings. */
export function unionOfPolygons(polys: Polygon[]): Polygon[] | null {
  const shapes = polys.map(oriented);
  const edges = shapes.flatMap((p, i) => edgesOf(p, i));
  cutAll(edges);
  const kept = pieces(edges).filter((p) => shapes.every((poly, j) => {
    if (j === p.owner) return true;
    const w = where(p, poly);
    return w === 'outside' || (w === 'same' && p.owner < j);
  }));
  return assemble(chain(kept));
}

export interface Overlap { polygons: Polygon[]; points: LngLat[] }

/** The intersection of two sets of polygons: its polygons and the points where the two only touch. */
export function intersectionOfPolygons(first: Polygon[], second: Polygon[]): Overlap {
  const a = first.map(oriented), b = second.map(oriented);
  const edges = [...a.flatMap((p) => edgesOf(p, 0)), ...b.flatMap((p) => edgesOf(p, 1))];
  const touches = cutAll(edges);
  const kept = pieces(edges).filter((p) => {
    const others = p.owner === 0 ? b : a;
    return others.some((poly) => {
      const w = where(p, poly);
      return w === 'inside' || (w === 'same' && p.owner === 0);
    });
  });
  const polygons = assemble(chain(kept));
  const onRings = new Set(polygons.flatMap((p) => p.flatMap((r) => r.map(key))));
  const points = new Map<string, LngLat>();
  for (const t of touches) if (!onRings.has(key(t.ll))) points.set(key(t.ll), t.ll);
  return { polygons, points: [...points.values()] };
}

/** Do two sets of polygons share at least one point? */
export function polygonsIntersect(first: Polygon[], second: Polygon[]): boolean {
  const edges = [...first.flatMap((p) => edgesOf(p, 0)), ...second.flatMap((p) => edgesOf(p, 1))];
  for (const e of edges) for (const f of edges) if (e.owner === 0 && f.owner === 1 && edgeCrossing(e.a.v, e.b.v, f.a.v, f.b.v)) return true;
  return first.some((p) => second.some((q) => inPolygon(p[0]![0]!, q) || inPolygon(q[0]![0]!, p)));
}

/** The parts of lines inside polygons, each part a line. */
export function clipLines(lines: Line[], polys: Polygon[]): Line[] {
  const shapes = polys.map(oriented);
  const lineEdges: Edge[] = lines.flatMap((l, li) => l.slice(0, -1).map((p, i) => ({ a: vertex(p), b: vertex(l[i + 1]!), owner: -1 - li, cuts: [] as Edge['cuts'] })));
  const polyEdges = shapes.flatMap((p) => edgesOf(p, 0));
  for (const e of lineEdges) {
    for (const f of polyEdges) {
      const m = meeting(e, f);
      if (m && m !== e.a && m !== e.b) e.cuts.push({ t: angle(e.a.v, m.v), at: m });
    }
  }
  const out: Line[] = [];
  let current: Line | null = null;
  let lastOwner = 0;
  for (const p of pieces(lineEdges)) {
    const w = shapes.map((poly) => where(p, poly));
    const inside = w.some((x) => x !== 'outside');
    if (!inside) { current = null; continue; }
    if (current && p.owner === lastOwner && key(current[current.length - 1]!) === key(p.a.ll)) current.push(p.b.ll);
    else { current = [p.a.ll, p.b.ll]; out.push(current); }
    lastOwner = p.owner;
  }
  return out;
}

/** Does any part of the lines lie in the polygons? */
export function linesIntersectPolygons(lines: Line[], polys: Polygon[]): boolean {
  if (lines.some((l) => l.some((p) => polys.some((poly) => inPolygon(p, poly))))) return true;
  const polyEdges = polys.flatMap((p) => edgesOf(p, 0));
  return lines.some((l) => l.slice(0, -1).some((p, i) => {
    const a = toVec(p), b = toVec(l[i + 1]!);
    return polyEdges.some((f) => edgeCrossing(a, b, f.a.v, f.b.v) !== null);
  }));
}
