// Result columns as Kusto types and names them, checked on both sides: the binder's schema (what `check`
// reports) and the engine's output table must each equal the expected `name:type` list. Each case is a class
// of behaviour once found to differ from Kusto.Language (test/kql/oracle-known.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runQuery } from '../../src/engine/index.js';
import { checkQuery, defaultCatalog } from '../../src/kql/semantics/index.js';
import { msAnalyze } from '../helpers/ms-parser.js';

const CASES: { name: string; query: string; expect: string[] }[] = [
  { name: 'strcmp is long', query: "print r = strcmp('a', 'b')", expect: ['r:long'] },
  { name: 'ipv4_compare / ipv6_compare are long', query: "print a = ipv4_compare('1.2.3.4', '1.2.3.5'), b = ipv4_compare('1.2.3.4', '1.2.3.5', 24), c = ipv6_compare('::1', '::2')", expect: ['a:long', 'b:long', 'c:long'] },
  { name: 'ipv4_netmask_suffix is long', query: "print s = ipv4_netmask_suffix('10.0.0.0/8')", expect: ['s:long'] },
  { name: 'sign is real whatever the argument', query: 'print a = sign(-42), b = sign(toint(0)), c = sign(11.2)', expect: ['a:real', 'b:real', 'c:real'] },
  { name: 'a parameterless function named without parentheses has its body type', query: 'let x = () { rand(10) }; let n = () { strlen("abc") }; print x, n', expect: ['print_0:real', 'print_1:long'] },
  { name: "lookup does not repeat the right side's key columns", query: "datatable(a:string, x:long)['k', 1] | lookup (datatable(b:string, a:string, c:long)['k', 'z', 2]) on $left.a == $right.b", expect: ['a:string', 'x:long', 'a1:string', 'c:long'] },
  { name: 'an unnamed summarize by-column skips the ColumnN names its input has', query: "datatable(T:datetime, D:string)[datetime(2024-01-03), 'a'] | summarize arg_max(T, *) by D, startofmonth(T) | summarize count() by startofmonth(T), D", expect: ['Column2:datetime', 'D:string', 'count_:long'] },
  { name: 'union puts the per-type columns of a name together', query: "union (print a=1, b='x'), (print a='s', b='y')", expect: ['a_long:long', 'a_string:string', 'b:string'] },
  { name: 'search in (...) is $table then the union of its tables', query: "let a = datatable(x:string, y:long)['q', 1]; let b = datatable(x:long, z:int)[2, 3]; search in (a, b) true | sort by $table asc", expect: ['$table:string', 'x_string:string', 'x_long:long', 'y:long', 'z:int'] },
  { name: 'one name for a multi-column function names its first column, the rest keep theirs', query: 'print s = dynamic([1, 2, 3]) | extend a = series_stats(s) | project-away s', expect: ['a:real', 'series_stats_s_min_idx:long', 'series_stats_s_max:real', 'series_stats_s_max_idx:long', 'series_stats_s_avg:real', 'series_stats_s_stdev:real', 'series_stats_s_variance:real'] },
  { name: 'extend anomalies = series_decompose_anomalies(y) is the flags plus score and baseline', query: 'print y = dynamic([10, 11, 10, 12, 10, 11, 60, 11, 10, 12, 11, 10]) | extend anomalies = series_decompose_anomalies(y, 1.5, 0, "avg") | project-away y', expect: ['anomalies:dynamic', 'series_decompose_anomalies_y_ad_score:dynamic', 'series_decompose_anomalies_y_baseline:dynamic'] },
  { name: 'sliding_window_counts: timeline, dimensions, counters', query: "datatable(u:string, t:datetime, d:string)['a', datetime(2020-01-01), 'x'] | evaluate sliding_window_counts(u, t, datetime(2020-01-01), datetime(2020-01-03), 2d, 1d, d)", expect: ['t:datetime', 'd:string', 'Count:long', 'Dcount:long'] },
  { name: 'activity_counts_metrics: timeline, counters', query: "datatable(u:string, t:datetime)['a', datetime(2020-01-01)] | evaluate activity_counts_metrics(u, t, datetime(2020-01-01), datetime(2020-01-03), 1d)", expect: ['t:datetime', 'count:long', 'dcount:long', 'new_dcount:long', 'aggregated_dcount:long'] },
  { name: 'active_users_count: timeline, dimensions, dcount', query: "datatable(u:string, t:datetime, d:long)['a', datetime(2020-01-01), 1] | evaluate active_users_count(u, t, datetime(2020-01-01), datetime(2020-01-03), 2d, 1d, 1, 1d, d)", expect: ['t:datetime', 'd:long', 'dcount:long'] },
  { name: 'new_activity_metrics: from/to windows, dimensions, counters', query: "datatable(u:string, t:datetime, d:string)['a', datetime(2020-01-01), 'x'] | evaluate new_activity_metrics(u, t, datetime(2020-01-01), datetime(2020-01-03), 1d, d)", expect: ['from_t:datetime', 'to_t:datetime', 'd:string', 'dcount_new_values:long', 'dcount_retained_values:long', 'dcount_churn_values:long', 'retention_rate:real', 'churn_rate:real'] },
  { name: 'rolling_percentile: index, dimensions, the named percentile', query: "datatable(v:long, t:datetime, d:string)[1, datetime(2020-01-01), 'x'] | evaluate rolling_percentile(v, 50, t, 1d, 3, d)", expect: ['t:datetime', 'd:string', 'rolling_3_percentile_v_50:long'] },
  { name: 'dcount_intersect keeps the input and adds s0..', query: "datatable(k:string, a:dynamic, b:dynamic)['x', dynamic(null), dynamic(null)] | evaluate dcount_intersect(a, b)", expect: ['k:string', 'a:dynamic', 'b:dynamic', 's0:long', 's1:long'] },
  { name: 'bag_unpack keeps the types of the columns it passes through', query: "datatable(n:string, d:dynamic, k:long)['a', dynamic({'x': 1}), 2] | evaluate bag_unpack(d) | summarize s = make_set(x) by n, k", expect: ['n:string', 'k:long', 's:dynamic'] },
  {
    name: "geo_line_lookup adds the lookup table's columns but its line",
    query: "let roads = datatable(road_name:string, road:dynamic)['5th', dynamic({'type':'LineString','coordinates':[[-73.9729,40.7642],[-73.9970,40.7314]]})]; datatable(place:string, lng:real, lat:real)['ESB', -73.9856, 40.7484] | evaluate geo_line_lookup(roads, road, lng, lat, 350) | summarize count() by road_name",
    expect: ['road_name:string', 'count_:long'],
  },
  {
    name: "geo_polygon_lookup adds the lookup table's columns but its polygon",
    query: "let areas = datatable(area:string, shape:dynamic)['NY', dynamic({'type':'Polygon','coordinates':[[[-74.0,40.7],[-73.9,40.7],[-73.9,40.8],[-74.0,40.8],[-74.0,40.7]]]})]; datatable(place:string, lng:real, lat:real)['ESB', -73.9856, 40.7484] | evaluate geo_polygon_lookup(areas, shape, lng, lat)",
    expect: ['place:string', 'lng:real', 'lat:real', 'area:string'],
  },
];

/**
 * Classes found on the widened development corpus (microsoft/AzureMonitorCommunity, AndreasRogge/KQL-Queries
 * ...): each expectation is also Kusto.Language's own result type, checked live below.
 */
const T = 'datatable(a:long, b:string, c:timespan, i:int, m:decimal)';
const KUSTO_CASES: { name: string; query: string; expect: string[] }[] = [
  { name: 'any(*) is any_ of every column but the by-columns', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize any(*) by a`, expect: ['a:long', 'any_b:string', 'any_c:timespan', 'any_i:int', 'any_m:decimal'] },
  { name: 'any(b, c) is any_b, any_c', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize any(b, c) by a`, expect: ['a:long', 'any_b:string', 'any_c:timespan'] },
  { name: 'take_any(*) keeps the names, a name before = names the first', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize x = take_any(*)`, expect: ['x:long', 'b:string', 'c:timespan', 'i:int', 'm:decimal'] },
  { name: 'take_any(b, c) is both columns', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize take_any(b, c)`, expect: ['b:string', 'c:timespan'] },
  { name: 'x = any(*) names the first column, any_ the rest', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize x = any(*)`, expect: ['x:long', 'any_b:string', 'any_c:timespan', 'any_i:int', 'any_m:decimal'] },
  { name: 'sum and avg of timespans are timespans, avg of decimals a decimal', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize sum(c), avg(c), sumif(c, true), avgif(c, true), avg(m), avg(i)`, expect: ['sum_c:timespan', 'avg_c:timespan', 'sumif_c:timespan', 'avgif_c:timespan', 'avg_m:decimal', 'avg_i:real'] },
  { name: 'abs and bin of an int are longs, bin by a real or decimal size widens to it', query: 'datatable(i:int, l:long)[7, 7] | project a = abs(i), b = bin(i, 5), c = floor(i, 5), d = bin(l, 2.5), e = bin_at(i, 2.5, 0), f = bin(i, todecimal(2))', expect: ['a:long', 'b:long', 'c:long', 'd:real', 'e:real', 'f:decimal'] },
  { name: 'arithmetic on two ints is a long, a real with a decimal a decimal', query: 'datatable(i:int, r:real, m:decimal)[1, 1.5, 2.5] | project a = i + i, b = i / i, c = i % 2, d = r + m', expect: ['a:long', 'b:long', 'c:long', 'd:decimal'] },
  { name: 'the mean of datetimes is a datetime', query: "datatable(t:datetime)[datetime(2020-01-01)] | summarize avg(t), avgif(t, true)", expect: ['avg_t:datetime', 'avgif_t:datetime'] },
  { name: 'a percentile of ints is a long, of decimals a real', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize percentile(i, 50), percentiles(i, 50, 90), percentile(m, 50), percentilew(c, a, 50)`, expect: ['percentile_i_50:long', 'percentile_i_501:long', 'percentile_i_90:long', 'percentile_m_50:real', 'percentile_c_50:timespan'] },
  { name: '(p50, p90) = percentiles(x, ...) are percentiles of x, typed as x', query: `${T}[1, 'x', 1s, 2, 1.5] | summarize (p50, p90) = percentiles(c, 50, 90), (q1, q2) = percentiles(i, 10, 20)`, expect: ['p50:timespan', 'p90:timespan', 'q1:long', 'q2:long'] },
  { name: 'iff, case, coalesce, min_of, max_of widen numbers', query: 'print a = coalesce(toint(1), 0), b = iff(true, 1, 2.5), c = case(false, toint(1), 2), d = max_of(toint(1), 2), e = coalesce(1.5, todecimal(1)), f = iff(true, toint(1), toint(2))', expect: ['a:long', 'b:real', 'c:long', 'd:long', 'e:decimal', 'f:int'] },
  { name: 'arithmetic with a dynamic operand takes the other operand\'s type', query: "print d = dynamic({'n': 3}) | extend x = d.n * 100, y = toint(7) / d.n, z = d.n * 2.5, t = now() - d.n, s = 1s + d.n, w = d.n + d.n, v = todecimal(1) + d.n", expect: ['d:dynamic', 'x:long', 'y:long', 'z:real', 't:timespan', 's:timespan', 'w:dynamic', 'v:decimal'] },
];

for (const c of KUSTO_CASES) {
  test(`result columns are Kusto.Language's: ${c.name}`, () => {
    const ms = msAnalyze(c.query, defaultCatalog());
    assert.deepEqual([...ms.syntaxErrors, ...ms.semanticErrors], []);
    assert.deepEqual(ms.columns?.map((x) => `${x.name}:${x.type}`), c.expect, 'Kusto.Language');
  });
}

for (const c of [...CASES, ...KUSTO_CASES]) {
  test(`result columns: ${c.name}`, () => {
    const checked = checkQuery(c.query);
    assert.deepEqual(checked.diagnostics.filter((d) => d.severity === 'error'), []);
    const schemas = checked.bound.resultSchemas;
    assert.deepEqual(schemas[schemas.length - 1]!.columns.map((x) => `${x.name}:${x.type}`), c.expect, 'binder');
    const r = runQuery(c.query, {});
    assert.ok(r.ok, JSON.stringify(!r.ok && r.diagnostics));
    const t = r.tables[r.tables.length - 1]!;
    assert.deepEqual(t.table.columns.map((x) => `${x.name}:${x.column.type}`), c.expect, 'engine');
  });
}
