/**
 * geo_line_simplify, after S2Builder with an identity snap function of radius `tolerance` and edge chain
 * simplification, which Kusto uses: vertices closer than the tolerance merge into "sites" (chosen in
 * S2CellId order, each at least the tolerance from the others), each vertex moves to its nearest site,
 * and runs of sites that stay within the tolerance of one geodesic edge collapse into that edge (several
 * lines are simplified as their union, so chains end where three or more edges meet). Lines
 * that collapse to a point disappear; when nothing is left the result is null.
 */
import type * as NodeS2 from 'nodes2ts';
import type { S2CellId, S2Point } from 'nodes2ts';
import { lazyPackage } from '../../../common/lazy-package.js';
import { fn, type ScalarFunction } from '../types.js';
import { linesJson } from './geojson.js';
import { unionLines } from './geo-line-union.js';
import { finite, linesOf, type Line } from './shapes.js';
import { angle, angleToEdge, EARTH_RADIUS_M, toLngLatExact, toVecExact, type Vec } from './sphere.js';

const s2 = lazyPackage<typeof NodeS2>('nodes2ts');

/** Kusto's largest tolerance (about 7,800 km, a bit under 70° of arc). */
const MAX_TOLERANCE_M = 7_800_000;

const cellOrder = (v: Vec): bigint => s2().S2CellId.fromPoint(new (s2().S2Point)(v[0], v[1], v[2])).id;

/** Chooses sites among the vertices and maps each vertex (by first-seen key) to its nearest site. */
function snapToSites(vertices: Vec[], radius: number): Vec[] {
  const order = vertices.map((v, i) => ({ v, i, id: cellOrder(v) })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.i - b.i));
  const sites: Vec[] = [];
  for (const { v } of order) if (!sites.some((s) => angle(s, v) < radius)) sites.push(v);
  return vertices.map((v) => {
    let best = sites[0]!, bestAngle = Infinity;
    for (const s of sites) {
      const d = angle(s, v);
      if (d < bestAngle) { best = s; bestAngle = d; }
    }
    return best;
  });
}

/** Greedy chain simplification: extend each output edge while every skipped site stays within radius of it. */
function simplifyChain(chain: Vec[], radius: number): Vec[] {
  const out = [chain[0]!];
  let start = 0;
  while (start < chain.length - 1) {
    let end = start + 1;
    for (let j = start + 2; j < chain.length; j++) {
      let ok = true;
      for (let k = start + 1; k < j && ok; k++) ok = angleToEdge(chain[k]!, chain[start]!, chain[j]!) <= radius;
      if (!ok) break;
      end = j;
    }
    out.push(chain[end]!);
    start = end;
  }
  return out;
}

export function simplifyLines(lines: Line[], toleranceM: number): Line[] {
  const radius = toleranceM / EARTH_RADIUS_M;
  const all = lines.flatMap((l) => l.map(toVecExact));
  const snapped = radius > 0 ? snapToSites(all, radius) : all;
  const moved: Line[] = [];
  let offset = 0;
  for (const l of lines) {
    const chain: Vec[] = [];
    for (let i = 0; i < l.length; i++) {
      const s = snapped[offset + i]!;
      if (!chain.length || chain[chain.length - 1] !== s) chain.push(s);
    }
    offset += l.length;
    if (chain.length >= 2) moved.push(chain.map(toLngLatExact));
  }
  // several lines are simplified as their union: shared edges once, chains ending where three or more edges meet
  const chains = moved.length > 1 ? unionLines(moved) : moved;
  return radius > 0 ? chains.map((c) => simplifyChain(c.map(toVecExact), radius).map(toLngLatExact)) : chains;
}

export const GEO_LINE_SIMPLIFY_FUNCTIONS: ScalarFunction[] = [
  fn('geo_line_simplify', 1, 2, ([g, tol]) => {
    const lines = linesOf(g);
    const t = tol === undefined ? 10 : finite(tol);
    if (!lines || t === null || t < 0 || t >= MAX_TOLERANCE_M) return null;
    const out = simplifyLines(lines, t);
    return out.length ? linesJson(out) : null;
  }),
];
