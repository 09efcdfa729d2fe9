/**
 * `evaluate plugin(...)`: each plugin lives in plugins/<name>.ts; PLUGINS maps the plugin's KQL name to
 * it. A plugin that is not listed fails by name (the binder reports it first, from ENGINE_PLUGINS).
 */
import type { EvaluateOp } from '../../kql/syntax/ast.js';
import { QueryError } from '../values/value.js';
import type { Relation } from '../compile/relation.js';
import type { OpContext } from './context.js';
import { activeUsersCount, activityCountsMetrics, slidingWindowCounts } from './plugins/activity.js';
import { bagUnpack } from './plugins/bag-unpack.js';
import { dcountIntersect } from './plugins/dcount-intersect.js';
import { geoLineLookup } from './plugins/geo-line-lookup.js';
import { geoPolygonLookup } from './plugins/geo-polygon-lookup.js';
import { ipv4Lookup, ipv6Lookup } from './plugins/ip-lookup.js';
import { newActivityMetrics } from './plugins/new-activity-metrics.js';
import { pivot } from './plugins/pivot.js';
import { rollingPercentile } from './plugins/rolling-percentile.js';
import { rowsNear } from './plugins/rows-near.js';
import { schemaMerge } from './plugins/schema-merge.js';

type Plugin = (op: EvaluateOp, input: Relation, cx: OpContext) => Relation;

export const PLUGINS: ReadonlyMap<string, Plugin> = new Map<string, Plugin>([
  ['active_users_count', activeUsersCount],
  ['activity_counts_metrics', activityCountsMetrics],
  ['bag_unpack', bagUnpack],
  ['dcount_intersect', dcountIntersect],
  ['geo_line_lookup', geoLineLookup],
  ['geo_polygon_lookup', geoPolygonLookup],
  ['ipv4_lookup', ipv4Lookup],
  ['ipv6_lookup', ipv6Lookup],
  ['new_activity_metrics', newActivityMetrics],
  ['pivot', pivot],
  ['rolling_percentile', rollingPercentile],
  ['rows_near', rowsNear],
  ['schema_merge', schemaMerge],
  ['sliding_window_counts', slidingWindowCounts],
]);

export function evaluate(op: EvaluateOp, input: Relation, cx: OpContext): Relation {
  const plugin = PLUGINS.get(op.call.name.name);
  if (!plugin) throw new QueryError(`the '${op.call.name.name}' plugin is not supported by kqlite's engine`, 'KQL4010');
  return plugin(op, input, cx);
}
