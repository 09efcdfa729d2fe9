/**
 * All scalar function implementations by lower-case name. To add one: implement it in a file of this
 * folder (see core.ts), add it to the list below, and make sure its signature exists in
 * kql/semantics/signatures (test/engine/signatures.test.ts checks names and arity agree).
 */
import { ARRAY_TEXT_FUNCTIONS } from './arrays-text.js';
import { BAG_FUNCTIONS } from './bags.js';
import { BITS_MATH_FUNCTIONS } from './bits-math.js';
import { GEO_CELL_FUNCTIONS } from './geo-cells.js';
import { GEO_IP_FUNCTIONS } from './geo-ip.js';
import { USER_AGENT_FUNCTIONS } from './user-agent.js';
import { GEO_SHAPE_FUNCTIONS } from './geo/geo-shapes.js';
import { GEO_LINE_MEASURE_FUNCTIONS } from './geo/geo-line-measures.js';
import { WKT_FUNCTIONS } from './geo/wkt.js';
import { GEO_LINE_INTERSECTION_FUNCTIONS } from './geo/geo-line-intersections.js';
import { GEO_LINE_DENSIFY_FUNCTIONS } from './geo/geo-line-densify.js';
import { GEO_LINE_SIMPLIFY_FUNCTIONS } from './geo/geo-line-simplify.js';
import { GEO_LINE_UNION_FUNCTIONS } from './geo/geo-line-union.js';
import { GEO_LINE_TO_S2CELLS_FUNCTIONS } from './geo/geo-line-to-s2cells.js';
import { GEO_LINE_BUFFER_FUNCTIONS } from './geo/geo-line-buffer.js';
import { GEO_POINT_BUFFER_FUNCTIONS } from './geo/geo-point-buffer.js';
import { GEO_POLYGON_BUFFER_FUNCTIONS } from './geo/geo-polygon-buffer.js';
import { GEO_POLYGON_CELL_FUNCTIONS } from './geo/geo-polygon-cells.js';
import { GEO_POLYGON_EDIT_FUNCTIONS } from './geo/geo-polygon-edit.js';
import { GEO_POLYGON_MEASURE_FUNCTIONS } from './geo/geo-polygon-measures.js';
import { GEO_POLYGON_OVERLAY_FUNCTIONS } from './geo/geo-polygon-overlay-functions.js';
import { SERIES_FUNCTIONS } from './series.js';
import { SERIES_DECOMPOSE_FUNCTIONS } from './series-decompose.js';
import { SKETCH_FUNCTIONS } from './sketches.js';
import { CORE_FUNCTIONS } from './core.js';
import { DATETIME_DYNAMIC_FUNCTIONS } from './datetime-dynamic.js';
import { IP_FUNCTIONS } from './ip.js';
import { IPV6_FUNCTIONS } from './ipv6.js';
import { PARSING_FUNCTIONS } from './parsing.js';
import { TEXT_EXTRA_FUNCTIONS } from './text-extra.js';
import { TIMEZONE_FUNCTIONS } from './timezones.js';
import { MATH_STRING_FUNCTIONS } from './math-string.js';
import { QUERY_CONTEXT_FUNCTIONS } from './query-context.js';
import { XML_FUNCTIONS } from './xml.js';
import { SERIES_FIT_FUNCTIONS } from './series-fit.js';
import { SERIES_FIT_POLY_FUNCTIONS } from './series-fit-poly.js';
import { SERIES_SPECTRAL_FUNCTIONS } from './series-spectral.js';
import type { ScalarFunction } from './types.js';

export type { ScalarFunction };

/** Other names Kusto accepts for an implemented function. */
const ALIASES: Record<string, string> = {
  todouble: 'toreal', toboolean: 'tobool', totime: 'totimespan', toobject: 'parse_json', notnull: 'isnotnull',
  notempty: 'isnotempty', getmonth: 'monthofyear', weekofyear: 'week_of_year', replace: 'replace_regex',
  base64_encodestring: 'base64_encode_tostring', base64_decodestring: 'base64_decode_tostring',
  parseurl: 'parse_url', extractjson: 'extract_json', merge_tdigest: 'tdigest_merge', array_iif: 'array_iff',
  // deprecated names still found in hunting queries
  make_string: 'unicode_codepoints_to_string', to_utf8: 'unicode_codepoints_from_string', pack_dictionary: 'bag_pack',
};

const byName = new Map(
  [...CORE_FUNCTIONS, ...MATH_STRING_FUNCTIONS, ...DATETIME_DYNAMIC_FUNCTIONS, ...IP_FUNCTIONS, ...ARRAY_TEXT_FUNCTIONS, ...BAG_FUNCTIONS, ...BITS_MATH_FUNCTIONS, ...SERIES_FUNCTIONS, ...SERIES_DECOMPOSE_FUNCTIONS, ...GEO_CELL_FUNCTIONS, ...GEO_IP_FUNCTIONS, ...USER_AGENT_FUNCTIONS, ...GEO_SHAPE_FUNCTIONS, ...GEO_LINE_MEASURE_FUNCTIONS, ...WKT_FUNCTIONS, ...GEO_LINE_INTERSECTION_FUNCTIONS, ...GEO_LINE_DENSIFY_FUNCTIONS, ...GEO_LINE_SIMPLIFY_FUNCTIONS, ...GEO_LINE_UNION_FUNCTIONS, ...GEO_LINE_TO_S2CELLS_FUNCTIONS, ...GEO_LINE_BUFFER_FUNCTIONS, ...GEO_POLYGON_MEASURE_FUNCTIONS, ...GEO_POLYGON_EDIT_FUNCTIONS, ...GEO_POLYGON_OVERLAY_FUNCTIONS, ...GEO_POINT_BUFFER_FUNCTIONS, ...GEO_POLYGON_CELL_FUNCTIONS, ...GEO_POLYGON_BUFFER_FUNCTIONS, ...PARSING_FUNCTIONS, ...TEXT_EXTRA_FUNCTIONS, ...IPV6_FUNCTIONS, ...TIMEZONE_FUNCTIONS, ...SKETCH_FUNCTIONS, ...QUERY_CONTEXT_FUNCTIONS, ...XML_FUNCTIONS, ...SERIES_FIT_FUNCTIONS, ...SERIES_FIT_POLY_FUNCTIONS, ...SERIES_SPECTRAL_FUNCTIONS].map((f) => [f.name, f]),
);
for (const [alias, target] of Object.entries(ALIASES)) {
  const f = byName.get(target);
  if (f) byName.set(alias, { ...f, name: alias });
}

export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = byName;
