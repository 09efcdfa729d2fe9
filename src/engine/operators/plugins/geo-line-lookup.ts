/**
 * `evaluate geo_line_lookup(LookupTable, LookupLineKey, SourceLongitude, SourceLatitude, Radius
 * [, return_unmatched] [, lookup_area_radius] [, return_lookup_key])`: each input row is joined with every
 * lookup row whose line (LineString or MultiLineString) passes within Radius meters of the row's point, as
 * geo_distance_point_to_line measures it. Columns: the input's, then the lookup table's (its line column
 * only with return_lookup_key). Unmatched rows are dropped unless return_unmatched (then lookup columns
 * are null). lookup_area_radius is a performance hint in Kusto and does not change results; here each line
 * gets a bounding cap, so a point only measures the lines whose cap it is near.
 */
import type { EvaluateOp, Expr } from '../../../kql/syntax/ast.js';
import { materialize, type Relation } from '../../compile/relation.js';
import { linesOf, pointOf } from '../../functions/geo/shapes.js';
import { angle, angleToEdge, EARTH_RADIUS_M, normalize, add, toVec, type Vec } from '../../functions/geo/sphere.js';
import { gatherColumn, readCell } from '../../storage/builders.js';
import type { Column } from '../../storage/column.js';
import { QueryError } from '../../values/value.js';
import { compileOn, type OpContext } from '../context.js';

const USAGE = 'geo_line_lookup takes (LookupTable, LookupLineKey, SourceLongitude, SourceLatitude, Radius [, return_unmatched] [, lookup_area_radius] [, return_lookup_key])';

interface IndexedLine {
  row: number;
  edges: Vec[][];
  /** A cap holding every vertex (and so every edge shorter than 180°): its centre and angular radius. */
  center: Vec;
  capAngle: number;
}

function indexLine(row: number, value: unknown): IndexedLine | null {
  const lines = linesOf(value as never);
  if (!lines) return null;
  const edges = lines.map((l) => l.map(toVec));
  const all = edges.flat();
  const center = normalize(all.reduce((s, v) => add(s, v), [0, 0, 0] as Vec));
  const capAngle = norm0(center) ? Math.PI : Math.max(...all.map((v) => angle(center, v)));
  return { row, edges, center, capAngle };
}
const norm0 = (v: Vec) => v[0] === 0 && v[1] === 0 && v[2] === 0;

function withinRadius(p: Vec, line: IndexedLine, radius: number): boolean {
  if (angle(p, line.center) - line.capAngle > radius) return false;
  for (const l of line.edges) for (let i = 1; i < l.length; i++) if (angleToEdge(p, l[i - 1]!, l[i]!) <= radius) return true;
  return false;
}

export function geoLineLookup(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const positional = op.call.args.filter((a): a is Expr => a.kind !== 'NamedArg');
  const named = new Map((op.call.args.filter((a) => a.kind === 'NamedArg') as { name: { name: string }; value: Expr }[]).map((n) => [n.name.name, n.value]));
  const [tableArg, keyArg, lngArg, latArg, radiusArg, ...rest] = positional;
  if (!tableArg || keyArg?.kind !== 'NameRef' || !lngArg || !latArg || !radiusArg) throw new QueryError(USAGE);
  const constant = (e: Expr | undefined) => (e ? compileOn(cx, { columns: [], length: 1 }, e).eval(0) : undefined);
  const returnUnmatched = constant(named.get('return_unmatched') ?? rest[0]) === true;
  const returnKey = constant(named.get('return_lookup_key') ?? rest[2]) === true;
  const radiusM = constant(radiusArg);
  if (typeof radiusM !== 'number' || !(radiusM >= 0)) throw new QueryError('geo_line_lookup: the radius must be a non-negative number of meters');
  const radius = radiusM / EARTH_RADIUS_M;

  const left = materialize(input);
  const right = materialize(cx.rt.evalTabular(tableArg, cx.env));
  const keyCol: Column | undefined = right.columns.find((c) => c.name === keyArg.name)?.column;
  if (!keyCol) throw new QueryError(`geo_line_lookup: the lookup table has no column '${keyArg.name}'`);
  const lines: IndexedLine[] = [];
  for (let i = 0; i < right.length; i++) {
    const l = indexLine(i, readCell(keyCol, i));
    if (l) lines.push(l);
  }

  const lng = compileOn(cx, left, lngArg), lat = compileOn(cx, left, latArg);
  const leftRows: number[] = [], rightRows: number[] = [];
  for (let i = 0; i < left.length; i++) {
    const p = pointOf(lng.eval(i), lat.eval(i));
    let matched = false;
    if (p) {
      const v = toVec(p);
      for (const l of lines) {
        if (!withinRadius(v, l, radius)) continue;
        leftRows.push(i);
        rightRows.push(l.row);
        matched = true;
      }
    }
    if (!matched && returnUnmatched) { leftRows.push(i); rightRows.push(-1); }
  }
  const li = Int32Array.from(leftRows), ri = Int32Array.from(rightRows);
  const taken = new Set(left.columns.map((c) => c.name));
  const columns = [
    ...left.columns.map((c) => ({ name: c.name, column: gatherColumn(c.column, li) })),
    ...right.columns.filter((c) => (returnKey || c.name !== keyArg.name) && !taken.has(c.name)).map((c) => ({ name: c.name, column: gatherColumn(c.column, ri) })),
  ];
  return { columns, length: li.length };
}
