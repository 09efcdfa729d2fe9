/**
 * geo_union_lines_array: the union of an array of lines/multilines. Edges repeated in any direction are
 * kept once, and edges that continue one another through vertices where only two edges meet are chained
 * into one line (vertices where three or more edges meet, and line ends, end a line), the way S2Builder
 * assembles a polyline layer. One line gives a LineString, several a MultiLineString; any invalid element
 * gives null.
 */
import type { Value } from '../../values/value.js';
import { fn, type ScalarFunction } from '../types.js';
import { linesJson } from './geojson.js';
import { linesOf, type Line } from './shapes.js';
import type { LngLat } from './sphere.js';

const key = (p: LngLat) => `${p[0]},${p[1]}`;

export function unionLines(lines: Line[]): Line[] {
  const points = new Map<string, LngLat>();
  const edges: [string, string][] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    for (let i = 1; i < l.length; i++) {
      const a = key(l[i - 1]!), b = key(l[i]!);
      if (a === b || seen.has(`${a}|${b}`) || seen.has(`${b}|${a}`)) continue;
      seen.add(`${a}|${b}`);
      points.set(a, l[i - 1]!);
      points.set(b, l[i]!);
      edges.push([a, b]);
    }
  }
  const incident = new Map<string, number[]>();
  edges.forEach(([a, b], i) => {
    for (const v of [a, b]) (incident.get(v) ?? incident.set(v, []).get(v)!).push(i);
  });
  const used = new Uint8Array(edges.length);
  /** The unused edge continuing through v (only when exactly two edges meet there), oriented away from v. */
  const continuation = (v: string): [number, string] | null => {
    const at = incident.get(v)!;
    if (at.length !== 2) return null;
    const e = at.find((i) => !used[i]);
    if (e === undefined) return null;
    const [a, b] = edges[e]!;
    return [e, a === v ? b : a];
  };
  const out: Line[] = [];
  for (let i = 0; i < edges.length; i++) {
    if (used[i]) continue;
    used[i] = 1;
    const [a, b] = edges[i]!;
    const chain = [a, b];
    for (let next = continuation(b); next; next = continuation(chain[chain.length - 1]!)) { used[next[0]] = 1; chain.push(next[1]); }
    for (let prev = continuation(a); prev; prev = continuation(chain[0]!)) { used[prev[0]] = 1; chain.unshift(prev[1]); }
    out.push(chain.map((k) => points.get(k)!));
  }
  return out;
}

export const GEO_LINE_UNION_FUNCTIONS: ScalarFunction[] = [
  fn('geo_union_lines_array', 1, 1, ([arr]) => {
    if (!Array.isArray(arr) || !arr.length) return null;
    const all: Line[] = [];
    for (const g of arr) {
      const lines = linesOf(g as Value);
      if (!lines) return null;
      all.push(...lines);
    }
    const out = unionLines(all);
    return out.length ? linesJson(out) : null;
  }),
];
