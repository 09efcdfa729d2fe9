/**
 * `evaluate geo_polygon_lookup(LookupTable, LookupPolygonKey, SourceLongitude, SourceLatitude [, radius]
 * [, return_unmatched] [, lookup_area_radius] [, return_lookup_key])`: each input row is joined with every
 * lookup row whose polygon contains the row's point (geo_point_in_polygon), or, with a radius, lies within
 * radius meters of it (geo_distance_point_to_polygon). Unmatched rows are dropped unless return_unmatched
 * (then the lookup columns are null). The polygon column is returned only with return_lookup_key.
 * lookup_area_radius only tunes Kusto's matching and never changes results, so it is accepted and unused.
 * Each polygon's latitude/longitude bounds (of its geodesic edges) filter rows before the exact test.
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { inPolygon } from '../../functions/geo/geo-shapes.js';
import { pointOf, polygonsOf, type Polygon } from '../../functions/geo/shapes.js';
import { angleToArc, cross, DEG, dot, EARTH_RADIUS_M, normalize, scale, sub, toVec, type LngLat, type Vec } from '../../functions/geo/sphere.js';
import { materialize, type Relation } from '../../compile/relation.js';
import { gatherColumn, readCell } from '../../storage/builders.js';
import { QueryError } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';

const WORD = 'geo_polygon_lookup';
const OPTIONS = ['radius', 'return_unmatched', 'lookup_area_radius', 'return_lookup_key'] as const;

interface Target { row: number; polys: Polygon[]; south: number; north: number; west: number; east: number; anyLng: boolean }

/** Is p on the geodesic a→b (p on its great circle, normal n)? */
const within = (p: Vec, a: Vec, b: Vec, n: Vec) => dot(cross(a, p), n) >= 0 && dot(cross(p, b), n) >= 0;

/** Latitude range of the geodesic a→b: its ends, or the top/bottom of its great circle when the edge passes there. */
function edgeLatRange(a: LngLat, b: LngLat): [number, number] {
  let lo = Math.min(a[1], b[1]), hi = Math.max(a[1], b[1]);
  const va = toVec(a), vb = toVec(b), n = cross(va, vb);
  if (dot(n, n) > 1e-30) {
    const top = normalize(sub([0, 0, 1], scale(n, n[2] / dot(n, n))));
    if (within(top, va, vb, n)) hi = Math.max(hi, Math.asin(Math.min(1, top[2])) * DEG);
    const bottom = scale(top, -1) as Vec;
    if (within(bottom, va, vb, n)) lo = Math.min(lo, Math.asin(Math.max(-1, bottom[2])) * DEG);
  }
  return [lo, hi];
}

function target(row: number, polys: Polygon[]): Target {
  let south = 90, north = -90, west = 180, east = -180;
  for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) {
    const [lo, hi] = edgeLatRange(ring[i]!, ring[i + 1]!);
    south = Math.min(south, lo); north = Math.max(north, hi);
    west = Math.min(west, ring[i]![0]); east = Math.max(east, ring[i]![0]);
  }
  // a polygon around a pole or across the antimeridian is not bounded by its vertices' longitudes
  const anyLng = east - west >= 180 || polys.some((p) => inPolygon([0, 90], p) || inPolygon([0, -90], p));
  if (anyLng && polys.some((p) => inPolygon([0, 90], p))) north = 90;
  if (anyLng && polys.some((p) => inPolygon([0, -90], p))) south = -90;
  return { row, polys, south, north, west, east, anyLng };
}

function distanceM(p: LngLat, polys: Polygon[]): number {
  if (polys.some((poly) => inPolygon(p, poly))) return 0;
  let best = Infinity;
  for (const poly of polys) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) best = Math.min(best, angleToArc(p, ring[i]!, ring[i + 1]!));
  return best * EARTH_RADIUS_M;
}

export function geoPolygonLookup(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const positional = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  const named = op.call.args.filter((a) => a.kind === 'NamedArg') as { name: { name: string }; value: Expr }[];
  const [tableArg, keyArg, lngArg, latArg, ...more] = positional;
  if (!tableArg || keyArg?.kind !== 'NameRef' || !lngArg || !latArg || more.length > OPTIONS.length) {
    throw new QueryError(`${WORD} takes (LookupTable, LookupPolygonKey, SourceLongitude, SourceLatitude [, radius] [, return_unmatched] [, lookup_area_radius] [, return_lookup_key])`);
  }
  const constant = (e: Expr) => compileOn(cx, { columns: [], length: 1 }, e).eval(0);
  const option = (name: (typeof OPTIONS)[number]) => {
    const n = named.find((x) => x.name.name === name);
    if (n) return constant(n.value);
    const at = OPTIONS.indexOf(name);
    return more[at] ? constant(more[at]) : null;
  };
  for (const n of named) if (!(OPTIONS as readonly string[]).includes(n.name.name)) throw new QueryError(`${WORD}: unknown argument '${n.name.name}'`);
  const radiusValue = option('radius');
  const radius = typeof radiusValue === 'number' ? radiusValue : null;
  if (radius !== null && !(radius >= 0)) throw new QueryError(`${WORD}: radius must be a non-negative number of meters`);
  const returnUnmatched = option('return_unmatched') === true;
  const returnKey = option('return_lookup_key') === true;

  const left = materialize(input);
  const right = materialize(cx.rt.evalTabular(tableArg, cx.env));
  const keyCol = right.columns.find((c) => c.name === keyArg.name)?.column;
  if (!keyCol) throw new QueryError(`${WORD}: the lookup table has no column '${keyArg.name}'`);
  const targets: Target[] = [];
  for (let i = 0; i < right.length; i++) {
    const polys = polygonsOf(readCell(keyCol, i));
    if (polys) targets.push(target(i, polys));
  }

  const lng = compileOn(cx, left, lngArg), lat = compileOn(cx, left, latArg);
  // the radius widens each polygon's bounds by that angle in latitude; longitude bounds are then not used
  const slack = radius === null ? 0 : (radius / EARTH_RADIUS_M) * DEG;
  const leftRows: number[] = [];
  const rightRows: number[] = [];
  for (let i = 0; i < left.length; i++) {
    const p = pointOf(lng.eval(i), lat.eval(i));
    let matched = false;
    if (p) {
      for (const t of targets) {
        if (p[1] < t.south - slack || p[1] > t.north + slack) continue;
        if (radius === null && !t.anyLng && (p[0] < t.west || p[0] > t.east)) continue;
        const hit = radius === null ? t.polys.some((poly) => inPolygon(p, poly)) : distanceM(p, t.polys) <= radius;
        if (hit) {
          matched = true;
          leftRows.push(i);
          rightRows.push(t.row);
        }
      }
    }
    if (!matched && returnUnmatched) {
      leftRows.push(i);
      rightRows.push(-1);
    }
  }
  const li = Int32Array.from(leftRows), ri = Int32Array.from(rightRows);
  const leftCols = left.columns.map((c) => ({ name: c.name, column: gatherColumn(c.column, li) }));
  const taken = new Set(left.columns.map((c) => c.name));
  const rightCols = right.columns
    .filter((c) => (c.name !== keyArg.name || returnKey))
    .map((c) => ({ name: taken.has(c.name) ? `${c.name}1` : c.name, column: gatherColumn(c.column, ri) }));
  return { columns: [...leftCols, ...rightCols], length: li.length };
}
