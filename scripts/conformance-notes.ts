/**
 * What the conformance runner knows about particular cases, each with its reason:
 * - KNOWN_DOC_ERRORS: pages whose shown output is wrong, each with the output the query really gives (a
 *   correction checked against the reference text). Such a case is right only if the engine gives the
 *   corrected output, and the gate test checks that the page's own output still fails.
 * - NONDETERMINISTIC: for cases whose output depends on now(), rand(), new_guid(), sample, take or the
 *   caller, the columns that vary (checked only for being values of the column's type) and the invariants the
 *   page states, which are checked.
 * - approximateColumns: the columns an `approximate:<fn>` flag covers (the estimate's own columns).
 */
import type { Value } from '../src/engine/values/value.js';
import type { ConformanceCase } from '../test/helpers/corpus.js';

export interface DocError {
  reason: string;
  /** the column names the query really produces */
  columns?: string[];
  /** the rows it really produces (else the page's rows, patched) */
  rows?: string[][];
  /** cells of the page's rows to correct: [row, column, text] */
  patch?: [number, number, string][];
  /** the query cannot run: the engine must report this diagnostic code */
  error?: string;
  /** the engine also differs from the corrected output, for this reason of its own (a known gap) */
  engineGap?: string;
}

const PRINT_OF_LONG = 'tostring() of a long is its digits (tostring-function.md: "a string representation of value"); the page shows 1.000000, a real\'s fixed-point form';

export const KNOWN_DOC_ERRORS: Record<string, DocError> = {
  'geo-line-densify-function#1': { reason: 'the query prints tostring() of the line; the page shows the literal as written (blanks, 40.796860) rather than its JSON text', rows: [['{"type":"LineString","coordinates":[[-73.949247,40.79686],[-73.973017,40.764323]]}']] },
  'node-degree-in#1': { reason: "the page's third row names an employee, Ellen, whom the query's data does not have", rows: [['Alice', 'Richard', '["Bob has 2 reports"]', '3', '1'], ['Alice', 'Eve', '["Bob has 2 reports"]', '3', '1']] },
  'node-degree-out#2': { reason: 'the page shows columns degree_in_m/degree_out_m, but the query projects di_m, do_m, di_e, do_e (Alice has 3 reports and 1 manager)', columns: ['manager_name', 'employee_name', 'di_m', 'do_m', 'di_e', 'do_e'], rows: [['Jim', 'Alice', '1', '0', '3', '1']] },
  'geospatial-joins#2': { reason: "the page shows row b with row a's longitude and latitude; distinct keeps b's own coordinates", patch: [[1, 2, '-0.12432651341458723'], [1, 3, '51.511160848670585']] },
  'range-operator#3': { reason: 'the page heads the columns MyMonthHour, MyMonthHourinUnixTime, DateOnly, TimeOnly but shows them as DateOnly, TimeOnly, the Unix time, MyMonthHour', rows: [['2023-02-01 00:00:00.0000000', '1675209600', '2023-02-01', '00:00:00'], ['2023-02-01 04:32:02.4000000', '1675225922.4', '2023-02-01', '04:32:02.4000000'], ['2023-02-01 09:04:04.8000000', '1675242244.8', '2023-02-01', '09:04:04.8000000'], ['2023-02-01 13:36:07.2000000', '1675258567.2', '2023-02-01', '13:36:07.2000000']] },
  'cos-function#1': { reason: 'the page heads the column result; an unnamed print column is print_0', columns: ['print_0'] },
  'cot-function#1': { reason: 'the page heads the column result; an unnamed print column is print_0', columns: ['print_0'] },
  'sin-function#1': { reason: 'the page heads the column result; an unnamed print column is print_0', columns: ['print_0'] },
  'parse-command-line-function#1': { reason: 'the page heads the column Result; an unnamed print column is print_0', columns: ['print_0'] },
  'geo-closest-point-on-line-function#2': { reason: 'the page heads the column result; an unnamed print column is print_0', columns: ['print_0'] },
  'geo-line-interpolate-point-function#2': { reason: 'the page heads the column result; the query projects lng', columns: ['lng'] },
  'let-statement#5': { reason: 'the page heads the column result; count names its column Count', columns: ['Count'] },
  'max-of-function#2': { reason: 'the page heads the column result; an unnamed column of project is Column1', columns: ['Column1'] },
  'min-of-function#2': { reason: 'the page heads the column result; an unnamed column of project is Column1', columns: ['Column1'] },
  'gzip-base64-decompress#1': { reason: 'the page shows the string result inside double quotes, which are not part of the value', rows: [['1234567890qwertyuiop']] },
  'zlib-base64-compress-function#1': { reason: 'the page shows the string result inside double quotes, which are not part of the value', rows: [['eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==']] },
  'trim-end-function#2': { reason: 'the documented query uses a name x that it never defines, so it cannot run (KQL2001 unknown name)', error: 'KQL2001' },
  'strcat-function#2': { reason: 'the page shows a numbered list with the column name inside the cell, not the value', rows: [['Line 1\nLine 2\nLine 3']] },
  'parse-url-function#1': { reason: 'the page shows Query Parameters as a quoted string that is not JSON (parse-url-query-function.md reads it as a bag: params["Query Parameters"].[param]) and the Path without the leading / that the path of a URL with an authority has (RFC 3986, path-abempty)', rows: [['{"Scheme":"scheme","Host":"host","Port":"1234","Path":"/this/is/a/path","Username":"username","Password":"password","Query Parameters":{"k1":"v1","k2":"v2"},"Fragment":"fragment"}']] },
  'parse-url-query-function#1': { reason: 'the page shows Query Parameters as a quoted string that is not JSON; the same page reads it as a property bag (params["Query Parameters"].[param])', rows: [['{"Query Parameters":{"k1":"v1","k2":"v2","k3":"v3"}}']] },
  'array-iff-function#3': { reason: 'the page shows the condition column as [true, false, true]; the query prints the array ["some string value", datetime(2022-01-01), null]', patch: [[0, 0, '["some string value","2022-01-01T00:00:00.0000000Z",null]']] },
  'base64-decode-toguid-function#1': { reason: 'the page shows 10e99626-bc2b-754c-...; a GUID\'s third group is little-endian, so bytes 75 4c read 4c75 (base64_encode_fromguid on the same page round-trips that byte order)', rows: [['10e99626-bc2b-4c75-bb3e-fe606de25700']] },
  'asin-function#1': { reason: 'the page shows 1.2532... for asin(0.5); asin(0.5) is pi/6 = 0.5235987755982989', rows: [['0.5235987755982989']] },
  'bin-function#2': { reason: "the page shows 14:00:00:00 for bin(time(16d), 7d); 14 days is written 14.00:00:00 (timespan.md's [d.]hh:mm:ss form)", rows: [['14.00:00:00']] },
  'range-function#4': { reason: 'the page shows a stray 1,000,000 row and the array inside backquotes', rows: [['["01:00:00","02:00:00","03:00:00","04:00:00","05:00:00"]']] },
  'replace-regex-function#1': { reason: PRINT_OF_LONG, patch: [1, 2, 3, 4, 5].flatMap((n, i): [number, number, string][] => [[i, 1, `Number is ${n}`], [i, 2, `Number was: ${n}`]]) },
  'replace-string-function#2': { reason: PRINT_OF_LONG, patch: [1, 2, 3, 4, 5].flatMap((n, i): [number, number, string][] => [[i, 1, `Number is ${n}`], [i, 2, `Number was ${n}`]]) },
  'url-encode-function#1': { reason: 'the page shows the original with a trailing / that the query\'s url does not have', patch: [[0, 0, 'https://www.bing.com/hello world']] },
  'url-encode-component-function#1': { reason: 'the page drops the encoding of the url\'s trailing / (%2f)', patch: [[0, 1, 'https%3a%2f%2fwww.bing.com%2fhello%20world%2f']] },
  'sliding-window-counts-plugin#1': { reason: "the page heads the distinct count dcount; the plugin's schema in Kusto.Language is Timestamp, Count, Dcount, and public queries read Dcount (Cyb3r-Monk/Threat-Hunting-and-Detection, Password Spray: where Dcount >= 2)", columns: ['Timestamp', 'Count', 'Dcount'] },
  'extract-all-function#2': { reason: 'the page heads the column ID; the query projects Id', columns: ['Id', 'guid_bytes'] },
  'extract-all-function#3': { reason: 'the page heads the column ID; the query projects Id', columns: ['Id', 'guid_bytes'] },
  'extract-all-function#4': { reason: 'the page heads the column ID; the query projects Id', columns: ['Id', 'guid_bytes'] },
  'extract-all-function#5': { reason: 'the page heads the column ID; the query projects Id', columns: ['Id', 'guid_bytes'] },
  'split-function#1': { reason: 'the page heads the fifth column print4; unnamed print columns are print_0, print_1, ...', columns: ['print_0', 'print_1', 'print_2', 'print_3', 'print_4'] },
  'tohex-function#1': { reason: 'the page heads the fifth column print_04; unnamed print columns are print_0, print_1, ...', columns: ['print_0', 'print_1', 'print_2', 'print_3', 'print_4'] },
  'variancep-aggregation-function#1': { reason: 'the page heads the column variance_x; the aggregate is variancep, so its column is variancep_x', columns: ['list_x', 'variancep_x'] },
  'join-rightanti#1': { reason: "the page heads the right side's Value2 column Value1", columns: ['Key', 'Value2'] },
  'mv-apply-operator#5': { reason: 'the page heads the Val column Val1 and closes the string "A2" with a single quote', columns: ['Val', 'Arr1', 'Arr2', 'NewArr1', 'NewArr2'], patch: [[0, 3, '["A2","A1"]']] },
  'mv-expand-operator#6': { reason: "the page heads getschema's DataType column DateType", columns: ['ColumnName', 'ColumnOrdinal', 'DataType', 'ColumnType'] },
  'parse-where-operator#2': { reason: 'the query names the column previouLockTime, the page heads it previousLockTime', columns: ['resourceName', 'totalSlices', 'sliceNumber', 'lockTime', 'releaseTime', 'previouLockTime'] },
  'binary-all-xor-aggregation-function#1': { reason: 'the query names the column result, the page heads it results', columns: ['result'] },
  'node-id#1': { reason: 'the query names the columns manager1 and manager2, the page heads them manager_1/manager_2', columns: ['manager1', 'manager2'] },
  'series-acos-function#1': { reason: 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])', patch: [[0, 0, '[-1,0,1]']] },
  'series-atan-function#1': { reason: 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])', patch: [[0, 0, '[-1,0,1]']] },
  'series-cos-function#1': { reason: 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])', patch: [[0, 0, '[-1,0,1]']] },
  'series-sin-function#1': { reason: 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])', patch: [[0, 0, '[-1,0,1]']] },
  'series-tan-function#1': { reason: 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])', patch: [[0, 0, '[-1,0,1]']] },
  'series-asin-function#1': { reason: 'the page shows the two outer results as quoted strings; series_asin returns an array of reals', patch: [[0, 1, '[-1.5707963267948966,0,1.5707963267948966]']] },
  'series-magnitude-function#1': { reason: 'the page heads the columns s1, s2; the query names its input arr', columns: ['arr', 'series_magnitude'] },
  'series-product-function#1': { reason: 'the page heads the input column s1; the query names it arr', columns: ['arr', 'series_product'] },
  'series-sum-function#1': { reason: 'the page heads the input column s1; the query names it arr', columns: ['arr', 'series_sum'] },
  'strlen-function#3': { reason: 'the page heads the column length; an unnamed print column is print_0', columns: ['print_0'] },
  'zip-function#3': { reason: 'the page heads the column print_0; an unnamed column of project is Column1', columns: ['Column1'] },
  'scan-operator#5': { reason: 'the query projects start, end, userID, sessionDuration; the page lists userID first', columns: ['start', 'end', 'userID', 'sessionDuration'], rows: [['2024-05-28 08:15:23', '2024-05-28 12:30:45', '1', '04:15:22'], ['2024-05-28 09:10:27', '2024-05-28 13:25:19', '3', '04:14:52'], ['2024-05-28 08:30:15', '2024-05-28 11:45:32', '2', '03:15:17']] },
  'toguid-function#1': { reason: 'the page shows the third input as "a string that isn\'t a guid"; the query has "a string that is not a guid"', patch: [[2, 0, 'a string that is not a guid']] },
  'variancepif-aggregation-function#1': { reason: 'the page shows 850, the sample variance of 2, 4, ..., 100; the population variance (variancep) of those 50 values is 833', rows: [['833']] },
  'series-fill-linear-function#1': { reason: "the page's with_const cell for the integer series reads 74, 38 where the other fills of that series read 73, 36 (36 is an input value, which filling keeps)", patch: [[1, 4, '[111,111,73,36,41,32,24,16,61,33,33,33]']], engineGap: 'an int series is filled with reals: dynamic numbers carry no int/real distinction yet, so 111 and 111.0 read alike' },
  'string#3': { reason: 'the page shows a plain space for the U+00A0 the literal holds', rows: [['Hello\u00a0World']] },
  'range-operator#2': { reason: 'the page shows 7 of the 10 days that the union of 2024-01-01..05 and 2024-01-06..10 holds', rows: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => [`2024-01-${String(d).padStart(2, '0')} 00:00:00.0000000`]) },
  'series-iir-function#1': { reason: 'the page shows the first 4 of the 10 rows that mv-expand of range(1.0, 10, 1) makes (y is the running sum)', rows: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => [`${n}`, `${(n * (n + 1)) / 2}`]) },
  'geo-polygon-to-s2cells-function#1': { reason: 'the query names the polygon "New York", the page shows "New York city"', patch: [[0, 2, 'New York']] },
  'geo-polygon-lookup-plugin#1': { reason: 'the query names the location "National Museum of Mathematics", the page shows "NY National Museum of Mathematics"', patch: [[0, 0, 'National Museum of Mathematics']] },
  'datetime-local-to-utc-function#2': {
    reason: 'the page lists the 02:00 row before the 01:00 row that range emits first (range counts up from 01:00)',
    rows: [
      ['2022-03-27 01:00:00.0000000', '2022-03-27 00:00:00.0000000', '2022-03-27 01:00:00.0000000', '00:00:00'],
      ['2022-03-27 02:00:00.0000000', '2022-03-27 00:00:00.0000000', '2022-03-27 01:00:00.0000000', '01:00:00'],
      ['2022-03-27 03:00:00.0000000', '2022-03-27 01:00:00.0000000', '2022-03-27 03:00:00.0000000', '00:00:00'],
      ['2022-03-27 04:00:00.0000000', '2022-03-27 02:00:00.0000000', '2022-03-27 04:00:00.0000000', '00:00:00'],
    ],
  },
};

/**
 * Cases whose function returns an array in an order the reference does not specify, which the case file
 * does not flag `unspecified_order`: compared as multisets, like the flagged ones. Each with the reference's
 * words on the result.
 */
export const ORDER_NOT_SPECIFIED: Record<string, string> = {
  'geo-geohash-neighbors-function#1': 'geo-geohash-neighbors-function.md returns "An array of Geohash neighbors" (no order)',
  'geo-geohash-neighbors-function#2': 'geo-geohash-neighbors-function.md returns "An array of Geohash neighbors" (no order)',
  'geo-s2cell-neighbors-function#1': 'geo-s2cell-neighbors-function.md returns "An array of S2 cell neighbors" (no order)',
  'geo-s2cell-neighbors-function#2': 'geo-s2cell-neighbors-function.md returns "An array of S2 cell neighbors" (no order)',
  'geo-polygon-to-h3cells-function#1': 'geo-polygon-to-h3cells-function.md returns an array of H3 cell tokens covering the polygon (no order)',
};

export interface NondeterministicSpec {
  /** the page's reason for the values to differ from run to run */
  why: string;
  /** columns whose values vary: the page's cells are only checked to be values of the column's type */
  varying: string[];
  /** the page shows some rows only */
  partial?: boolean;
  /** what the page states about the output; returns what is broken, if anything */
  invariant?: (rows: Value[][], names: string[]) => string | undefined;
}

const col = (rows: Value[][], names: string[], name: string) => rows.map((r) => r[names.indexOf(name)]);
const allEqual = (vs: Value[]) => vs.every((v) => v === vs[0]);

const inRange = (lo: number, hi: number) => (v: Value) => typeof v === 'number' && v >= lo && v < hi;
const every = (vs: Value[], ok: (v: Value) => boolean, what: string) => (vs.every(ok) ? undefined : what);

/** new-activity-metrics-plugin.md: churn_rate is 1 - retention_rate (both undefined for an empty cohort). */
function churnIsOneMinusRetention(rows: Value[][], n: string[]): string | undefined {
  const ok = rows.every((x) => {
    const r = x[n.indexOf('retention_rate')];
    const c = x[n.indexOf('churn_rate')];
    if (typeof r !== 'number' || typeof c !== 'number') return r === c;
    if (Number.isNaN(r) || Number.isNaN(c)) return Number.isNaN(r) && Number.isNaN(c);
    return Math.abs(r + c - 1) < 1e-9;
  });
  return ok ? undefined : 'churn_rate = 1 - retention_rate on every row';
}

/**
 * geo-info-from-ip-address-function.md: the location comes from a geolocation database whose editions differ
 * on the city; the country and state must be the page's, and the point within a degree (about 110 km) of it.
 */
function sameRegion(country: string, state: string, lat: number, lon: number) {
  return (rows: Value[][], n: string[]): string | undefined => {
    const ok = rows.length === 1 && col(rows, n, 'ip_location').every((v) => {
      const o = v as Record<string, unknown> | null;
      return !!o && o['country'] === country && o['state'] === state && Math.abs(Number(o['latitude']) - lat) <= 1 && Math.abs(Number(o['longitude']) - lon) <= 1;
    });
    return ok ? undefined : `one row in ${country}, ${state}, within 1 degree of ${lat}, ${lon}`;
  };
}

export const NONDETERMINISTIC: Record<string, NondeterministicSpec> = {
  'geo-info-from-ip-address-function#1': { why: 'the geolocation database (its edition decides the city)', varying: ['ip_location'], invariant: sameRegion('Australia', 'New South Wales', -33.8715, 151.2006) },
  'geo-info-from-ip-address-function#2': { why: 'the geolocation database (its edition decides the city)', varying: ['ip_location'], invariant: sameRegion('United States', 'Florida', 26.3594, -80.0771) },
  'current-principal-details-function#1': { why: 'the caller', varying: ['details'], invariant: (r, n) => every(col(r, n, 'details'), (v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'details is a property bag') },
  'current-principal-function#1': { why: 'the caller', varying: ['fqn'], invariant: (r, n) => every(col(r, n, 'fqn'), (v) => typeof v === 'string' && v !== '', 'the principal is named') },
  'current-principal-is-member-of-function#1': { why: 'the caller', varying: ['result'] },
  'current-principal-is-member-of-function#2': { why: 'the caller', varying: ['result'] },
  'cursor-current#1': { why: 'the database', varying: ['CurrentCursor'] },
  'datetime-utc-to-local-function#1': {
    why: 'now()',
    varying: ['dt', 'pacific_dt', 'canberra_dt', 'diff'],
    invariant: (r, n) => {
      const ok = r.every((row) => {
        const [dt, p, c, d] = ['dt', 'pacific_dt', 'canberra_dt', 'diff'].map((k) => row[n.indexOf(k)] as bigint);
        return d === p! - c! && p! < dt! && c! > dt!;
      });
      return ok ? undefined : 'diff is pacific_dt - canberra_dt, Pacific time behind UTC and Canberra ahead';
    },
  },
  'geo-line-to-s2cells-function#1': { why: 'new_guid() ids, joined on and then dropped', varying: [] },
  'join-time-window#3': { why: 'rand()', varying: ['Count'] },
  'make-series-operator#3': { why: 'take 0 (no rows, whichever are taken)', varying: [] },
  'make-series-operator#4': { why: 'take 0 (no rows, whichever are taken)', varying: [] },
  'named-expressions#1': { why: 'sample', varying: ['x'], invariant: (r, n) => every(col(r, n, 'x'), inRange(1, 101), 'x is one of 1..100') },
  'named-expressions#3': {
    why: 'rand()',
    varying: ['print_0', 'print_1', 'print_2', 'print_3'],
    invariant: (r) => r.every((x) => x.every(inRange(0, 1000))) && r.every((x) => x[2] === x[3]) ? undefined : 'every value is in 0..999, and y(), a toscalar(), is one value for the query (print_2 == print_3)',
  },
  'new-activity-metrics-plugin#3': { why: 'rand()', varying: ['retention_rate', 'churn_rate'], invariant: churnIsOneMinusRetention },
  'new-activity-metrics-plugin#4': { why: 'rand()', varying: ['retention_rate', 'churn_rate'], invariant: churnIsOneMinusRetention },
  'new-activity-metrics-plugin#5': { why: 'rand()', varying: ['retention_rate'], invariant: (r, n) => every(col(r, n, 'retention_rate'), (v) => typeof v === 'number' && v >= 0 && v <= 1, 'a rate is in 0..1') },
  'new-guid-function#1': { why: 'new_guid()', varying: ['guid'] },
  'now-function#4': {
    why: 'now()',
    varying: ['timeAgo'],
    invariant: (r, n) => (allEqual(r.map((x) => (x[n.indexOf('timeAgo')] as bigint) + (x[n.indexOf('timespanValue')] as bigint))) ? undefined : 'timeAgo + timespanValue is the same now() on every row'),
  },
  'pattern-statement#2': { why: 'rand()', varying: ['Metrics'], invariant: (r, n) => every(col(r, n, 'Metrics'), (v) => v === null || inRange(0, 1)(v), 'Metrics is rand(), in [0, 1)') },
  'range-operator#1': {
    why: 'now() and ago()',
    varying: ['LastWeek'],
    partial: true,
    invariant: (r) => (r.length === 8 && r.every((x, i) => i === 0 || (x[0] as bigint) - (r[i - 1]![0] as bigint) === 864_000_000_000n) ? undefined : 'eight rows, one day apart'),
  },
  'range-operator#3': {
    why: 'now()',
    varying: ['MyMonthHour', 'MyMonthHourinUnixTime', 'DateOnly', 'TimeOnly'],
    partial: true,
    invariant: (r) => (r.every((x, i) => (x[0] as bigint) - (x[2] as bigint) === x[3] && Math.abs((x[1] as number) - Number(x[0] as bigint) / 1e7) < 1e-6 && (i === 0 || (x[0] as bigint) - (r[i - 1]![0] as bigint) === 163_224_000_000n)) ? undefined : 'rows 4.534h apart; the Unix time is MyMonthHour in seconds; TimeOnly = MyMonthHour - DateOnly'),
  },
  'reduce-operator#1': { why: 'rand()', varying: ['Representative'], invariant: (r, n) => every(col(r, n, 'Representative'), (v) => typeof v === 'string' && /^MachineLearningX\d$/.test(v), 'the representative is one of the strings reduced') },
  'reduce-operator#2': { why: 'rand()', varying: ['Count', 'Representative'], invariant: (r, n) => (col(r, n, 'Count').reduce((a: number, v) => a + (v as number), 0) === 1000 ? undefined : 'the counts add up to the 1000 rows') },
  'sample-operator#1': { why: 'sample', varying: ['x'], invariant: (r, n) => every(col(r, n, 'x'), inRange(1, 101), 'x is one of 1..100') },
  'sample-operator#2': { why: 'sample', varying: ['x'], invariant: (r, n) => (allEqual(col(r, n, 'x')) && inRange(1, 101)(r[0]![0]!) ? undefined : 'materialize() samples once: both rows hold the same x') },
  'session-count-plugin#1': { why: 'take (after order by, so it is deterministic)', varying: [] },
  'toscalar-function#9': {
    why: 'new_guid()',
    varying: ['x', 'y'],
    invariant: (r, n) => (allEqual(col(r, n, 'x')) && new Set(col(r, n, 'y')).size === r.length ? undefined : 'toscalar(new_guid()) is one value for every row (x), new_guid() in extend is one per row (y)'),
  },
};

/** `fn_...` (the default name of an aggregate's column) or `name = ...fn(` in the query. */
export function approximateColumns(c: ConformanceCase, names: string[]): Set<string> {
  const fns = c.flags.filter((f) => f.startsWith('approximate:')).map((f) => f.slice('approximate:'.length));
  const out = new Set<string>();
  for (const fn of fns) {
    const stem = fn.replace(/(_array|sw|s|w)$/, '');
    for (const n of names) if (n === fn || n.startsWith(`${fn}_`) || n.startsWith(`${stem}_`)) out.add(n);
    for (const m of c.query.matchAll(new RegExp(`(\\w+)\\s*=\\s*[^,|\\n]*\\b${fn}\\s*\\(`, 'g'))) out.add(m[1]!);
  }
  return out;
}

export { col, allEqual };
