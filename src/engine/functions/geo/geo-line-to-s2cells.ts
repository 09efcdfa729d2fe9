/**
 * geo_line_to_s2cells(line [, level = 11 [, radius = 0]]): the S2 cells of one level that cover a line or
 * multiline, widened by `radius` meters. A cell belongs to the covering when its boundary (geodesic edges
 * between its four vertices, as in S2) comes within the radius of the line, or holds a line vertex. Cells
 * are found by walking neighbours outwards from the cells of the line's vertices. More than 65,536 cells,
 * an invalid line, level or radius give null. Tokens are listed in S2CellId order.
 */
import type * as NodeS2 from 'nodes2ts';
import type { S2Cell, S2CellId, S2Point } from 'nodes2ts';
import { lazyPackage } from '../../../common/lazy-package.js';
import { fn, type ScalarFunction } from '../types.js';
import { finite, linesOf } from './shapes.js';
import { angleToEdge, EARTH_RADIUS_M, edgeCrossing, toVec, type Vec } from './sphere.js';

const s2 = lazyPackage<typeof NodeS2>('nodes2ts');

const MAX_CELLS = 65_536;

const cellOf = (v: Vec, level: number) => s2().S2CellId.fromPoint(new (s2().S2Point)(v[0], v[1], v[2])).parentL(level);

function cellNearLines(id: S2CellId, lines: Vec[][], radius: number, level: number): boolean {
  const cell = new (s2().S2Cell)(id);
  const corners: Vec[] = [0, 1, 2, 3].map((k) => { const p = cell.getVertex(k); return [p.x, p.y, p.z]; });
  for (const line of lines) {
    if (line.some((v) => cellOf(v, level).id === id.id)) return true;
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1]!, b = line[i]!;
      for (let k = 0; k < 4; k++) {
        const c = corners[k]!, d = corners[(k + 1) % 4]!;
        if (edgeCrossing(a, b, c, d)) return true;
        if (radius > 0 && Math.min(angleToEdge(a, c, d), angleToEdge(b, c, d), angleToEdge(c, a, b), angleToEdge(d, a, b)) <= radius) return true;
      }
    }
  }
  return false;
}

export function lineCovering(lines: Vec[][], level: number, radiusM: number): string[] | null {
  const radius = radiusM / EARTH_RADIUS_M;
  const found = new Map<bigint, S2CellId>();
  const queue: S2CellId[] = [];
  const visited = new Set<bigint>();
  for (const line of lines) for (const v of line) {
    const id = cellOf(v, level);
    if (!visited.has(id.id)) { visited.add(id.id); queue.push(id); }
  }
  while (queue.length) {
    const id = queue.pop()!;
    if (!cellNearLines(id, lines, radius, level)) continue;
    found.set(id.id, id);
    if (found.size > MAX_CELLS) return null;
    for (const n of level === 0 ? id.getEdgeNeighbors() : id.getAllNeighbors(level)) {
      if (!visited.has(n.id)) { visited.add(n.id); queue.push(n); }
    }
  }
  return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((c) => c.toToken());
}

export const GEO_LINE_TO_S2CELLS_FUNCTIONS: ScalarFunction[] = [
  fn('geo_line_to_s2cells', 1, 3, ([g, lvl, r]) => {
    const lines = linesOf(g);
    const level = lvl === undefined ? 11 : finite(lvl);
    const radius = r === undefined ? 0 : finite(r);
    if (!lines || level === null || !Number.isInteger(level) || level < 0 || level > 30 || radius === null || radius < 0) return null;
    return lineCovering(lines.map((l) => l.map(toVec)), level, radius);
  }),
];
