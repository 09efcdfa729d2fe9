/**
 * Result schemas of the `evaluate` plugins whose columns do not depend on the data: the activity and funnel
 * plugins (timeline column, dimension columns, then their counters), rolling_percentile, dcount_intersect and
 * narrow. Names, order and types as Kusto.Language computes them (probed on it) and as kqlite's engine writes
 * them for the plugins it runs. The plugins whose columns come from the data (pivot, bag_unpack,
 * autocluster, basket, diffpatterns) stay open, with what is known of them bound elsewhere.
 */
import type { Expr, ScalarTypeName } from '../syntax/ast.js';
import { implicitName } from './naming.js';
import type { ColumnSchema, TableSchema } from './types.js';

type TypeOf = (e: Expr) => ScalarTypeName;

/** Plugins of the form (Id, Timeline, <fixed - 2 parameters>, dim...): their counters after the dimensions. */
const ACTIVITY: Record<string, { fixed: number; counters: ColumnSchema[] }> = {
  activity_counts_metrics: { fixed: 5, counters: [col('count', 'long'), col('dcount', 'long'), col('new_dcount', 'long'), col('aggregated_dcount', 'long')] },
  // Dcount as Kusto.Language has it and public queries read it (`| where Dcount >= 2`); the page shows dcount
  sliding_window_counts: { fixed: 6, counters: [col('Count', 'long'), col('Dcount', 'long')] },
  active_users_count: { fixed: 8, counters: [col('dcount', 'long')] },
  session_count: { fixed: 7, counters: [col('count_sessions', 'long')] },
  activity_metrics: { fixed: 5, counters: [col('dcount_values', 'long'), col('dcount_newvalues', 'long'), col('retention_rate', 'real'), col('churn_rate', 'real')] },
  activity_engagement: { fixed: 4, counters: [col('dcount_activities_inner', 'long'), col('dcount_activities_outer', 'long'), col('activity_ratio', 'real')] },
};

function col(name: string, type: ScalarTypeName): ColumnSchema {
  return { name, type };
}

const nameOf = (e: Expr | undefined, fallback: string) => (e && implicitName(e)) ?? fallback;

/**
 * The plugin's result schema over its input, or undefined when it depends on the data (or on arguments
 * kqlite cannot read statically). `isTable(e)` says whether an argument names a tabular value.
 */
export function pluginSchema(plugin: string, args: Expr[], input: TableSchema, typeOf: TypeOf, isTable: (e: Expr) => boolean): TableSchema | undefined {
  const dims = (from: number) => args.slice(from).map((d, i) => col(nameOf(d, `dim${i + 1}`), typeOf(d)));
  const activity = ACTIVITY[plugin];
  if (activity) {
    if (args.length < activity.fixed) return undefined;
    return { columns: [col(nameOf(args[1], 'Timestamp'), 'datetime'), ...dims(activity.fixed), ...activity.counters] };
  }
  switch (plugin) {
    case 'new_activity_metrics': {
      if (args.length < 5) return undefined;
      const extra = args.slice(5);
      if (extra.length && isTable(extra[extra.length - 1]!)) extra.pop();
      const isColumn = (e: Expr) => e.kind === 'NameRef' && input.columns.some((c) => c.name === e.name);
      if (extra.length && !isColumn(extra[0]!)) extra.shift(); // the cohort
      const t = nameOf(args[1], 'Timestamp');
      return {
        columns: [
          col(`from_${t}`, 'datetime'), col(`to_${t}`, 'datetime'), ...extra.map((d, i) => col(nameOf(d, `dim${i + 1}`), typeOf(d))),
          col('dcount_new_values', 'long'), col('dcount_retained_values', 'long'), col('dcount_churn_values', 'long'), col('retention_rate', 'real'), col('churn_rate', 'real'),
        ],
      };
    }
    case 'rolling_percentile': {
      const [value, pct, index, , count] = args;
      if (args.length < 5 || pct?.kind !== 'Literal' || count?.kind !== 'Literal') return undefined;
      return { columns: [col(nameOf(index, 'Index'), typeOf(index!)), ...dims(5), col(`rolling_${String(count.value)}_percentile_${nameOf(value, 'value')}_${String(pct.value)}`, typeOf(value!))] };
    }
    case 'funnel_sequence': {
      if (args.length < 8) return undefined;
      const state = typeOf(args[6]!);
      return { columns: [col(nameOf(args[1], 'Timestamp'), 'datetime'), col('prev', state), col('next', state), col('dcount', 'long'), col('samples', 'dynamic')] };
    }
    case 'funnel_sequence_completion':
      if (args.length < 8) return undefined;
      return { columns: [col(nameOf(args[1], 'Timestamp'), 'datetime'), col(nameOf(args[5], 'State'), 'string'), col('Period', 'timespan'), col('dcount', 'long')] };
    case 'dcount_intersect':
      if (input.open) return undefined;
      return { columns: [...input.columns, ...args.map((_, i) => col(`s${i}`, 'long'))] };
    case 'narrow':
      return { columns: [col('Row', 'long'), col('Column', 'string'), col('Value', 'string')] };
    default:
      return undefined;
  }
}
