/**
 * Runs the KQL conformance cases (../shared/kql-conformance/cases.jsonl) through the engine and compares
 * with the documented output. Documented cells are display strings, so both sides are normalised:
 * datetimes and timespans by their exact ticks, booleans case-insensitively, nulls as empty/null/(null),
 * dynamic values as parsed JSON, numbers numerically. Rows compare as a multiset unless `ordered`.
 */
import { runQuery } from '../src/engine/index.js';
import { encodedRows, type JsonCell } from '../src/engine/format/encode.js';
import { parseDatetimeText, parseTimespanText } from '../src/kql/syntax/index.js';
import { conformanceCases, type ConformanceCase } from '../test/helpers/corpus.js';

export type Case = ConformanceCase;

export type Outcome = 'pass' | 'fail' | 'unsupported';

export interface CaseResult {
  id: string;
  outcome: Outcome;
  reason?: string;
}

/**
 * Cases whose documented output is wrong, with the reason. They are run and reported as failures of the
 * documentation (counted apart), never skipped silently.
 */
export const KNOWN_DOC_ERRORS: Record<string, string> = {
  'asin-function#1': 'the page shows 1.2532... for asin(0.5); the true value is 0.5235987755982989',
  'trim-end-function#2': 'the documented query uses an undefined name x',
  'node-degree-in#1': "the page's third row names an employee, Ellen, whom the query's data does not have",
  'node-degree-out#2': 'the page shows columns degree_in_m/degree_out_m, but the query names them di_m, do_m, di_e, do_e',
  'node-id#1': 'the page shows columns manager_1/manager_2, but the query names them manager1 and manager2',
  'bin-function#2': "the page shows 14:00:00:00 for bin(time(16d), 7d); Kusto's text for 14 days is 14.00:00:00",
  'range-function#4': 'the page shows a stray 1,000,000 row above the result',
  'replace-regex-function#1': 'tostring() of a long is 1, the page shows 1.000000',
  'replace-string-function#2': 'tostring() of a long is 1, the page shows 1.000000',
  'url-encode-function#1': 'the page shows the original with a trailing / that the query does not have',
  'url-encode-component-function#1': 'the page drops the encoded trailing / (%2f)',
  'extract-all-function#2': 'the page names the column ID, the query Id',
  'extract-all-function#3': 'the page names the column ID, the query Id',
  'extract-all-function#4': 'the page names the column ID, the query Id',
  'extract-all-function#5': 'the page names the column ID, the query Id',
  'split-function#1': 'the page names the fifth column print4',
  'tohex-function#1': 'the page names the fifth column print_04',
  'variancep-aggregation-function#1': 'the page names the column variance_x, the aggregate is variancep',
  'join-rightanti#1': 'the page heads the right side\'s Value2 column as Value1',
  'mv-apply-operator#5': 'the page heads the Val column as Val1',
  'mv-expand-operator#6': 'the page heads getschema\'s DataType column as DateType',
  'parse-where-operator#2': 'the query names the column previouLockTime, the page heads it previousLockTime',
  'scan-operator#5': 'the query projects start, end, userID, sessionDuration; the page lists userID first',
  'binary-all-xor-aggregation-function#1': 'the query names the column result, the page heads it results',
  'datetime-local-to-utc-function#2': 'the page lists the 02:00 row before the 01:00 row that range emits first',
  'series-acos-function#1': 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])',
  'series-atan-function#1': 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])',
  'series-cos-function#1': 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])',
  'series-sin-function#1': 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])',
  'series-tan-function#1': 'the page shows the input as [-6.5,0,8.2]; the query prints dynamic([-1,0,1])',
  'series-asin-function#1': 'the page shows the two outer results as quoted strings; series_asin returns numbers',
  'array-iff-function#3': 'the page shows the condition column as [true, false, true]; the query prints [\"some string value\", datetime(...), null]',
  'base64-decode-toguid-function#1': 'the page shows 10e99626-bc2b-754c-...; bytes 75 4c in the little-endian third group read 4c75 (base64_encode_fromguid on the same page round-trips that byte order)',
  'parse-url-function#1': 'the page shows Query Parameters as a quoted, non-JSON string and the Path without its leading /',
  'parse-url-query-function#1': 'the page shows Query Parameters as a quoted, non-JSON string rather than a property bag',
  'strcat-function#2': 'the page shows a numbered list with the column name inside the cell, not the value',
  'strlen-function#3': 'the page names the column length; an unnamed print column is print_0',
  'toguid-function#1': 'the page shows the third input as "a string that isn\'t a guid"; the query has "a string that is not a guid"',
  'variancepif-aggregation-function#1': 'the page shows 850, the sample variance of 2,4,...,100; the population variance is 833',
  'zip-function#3': 'the page names the column print_0; an unnamed project column is Column1',
  'series-magnitude-function#1': 'the page heads the columns s1, s2; the query names the input arr',
  'series-product-function#1': 'the page heads the input column s1; the query names it arr',
  'series-sum-function#1': 'the page heads the input column s1; the query names it arr',
  'series-iir-function#1': 'the page shows the first 4 of the 10 rows that mv-expand of range(1.0, 10, 1) makes',
  'series-fill-linear-function#1': "the page's with_const cell for the integer series reads 74, 38 where the other fills of that series read 73, 36 (36 is an input value)",
  'string#3': 'the page shows a plain space for the U+00A0 the literal holds',
  'range-operator#2': 'the page shows 7 of the 10 days that the union of 2024-01-01..05 and 2024-01-06..10 holds',
  'geo-polygon-centroid-function#3': 'the page drops the opening { of the GeoJSON point',
  'geo-polygon-to-s2cells-function#1': 'the query names the polygon "New York", the page shows "New York city"',
  'geo-polygon-lookup-plugin#1': 'the query names the location "National Museum of Mathematics", the page shows "NY National Museum of Mathematics"',
  'geo-point-buffer-function#1': 'the page elides the buffer polygon\'s coordinates with ...',
  'geo-point-buffer-function#2': 'the page elides the buffers\' union coordinates with ...',
  'geo-polygon-buffer-function#1': 'the page elides the buffer polygon\'s coordinates with ...',
  'geo-polygon-buffer-function#2': 'the page elides the buffers\' union coordinates with ...',
  'geo-line-buffer-function#1': 'the page elides the buffer polygon\'s coordinates with ...',
  'geo-line-buffer-function#2': 'the page elides the buffers\' union coordinates with ...',
  'geo-polygon-to-h3cells-function#2': 'the page elides the multipolygon coordinates with ...',
  'geo-h3cell-rings-function#4': 'the page elides the collection\'s geometries with ... ... ...',
  'geo-h3cell-children-function#3': 'the page elides the collection\'s geometries with ... ... ...',
  'geospatial-joins#2': "the page shows row b with row a's longitude and latitude; distinct keeps b's own coordinates",
};

export const REFERENCE_NOW = parseDatetimeText('2026-01-01T00:00:00Z')!;

export function loadCases(): Case[] {
  return conformanceCases();
}

type Norm = { k: 'null' } | { k: 'num'; v: number } | { k: 'ticks'; v: bigint } | { k: 'json'; v: string } | { k: 'str'; v: string } | { k: 'elided'; head: unknown[]; tail: unknown[] };

/**
 * Page markup that is not part of a value: line breaks written as `<br>` (inside JSON they are layout, inside
 * text real newlines), autolinks `<https://...>` and Markdown links `[url](url)`, and the infinity sign.
 */
function unmarkup(cell: string): string {
  return cell.replace(/<br\s*\/?>/g, '\n').replace(/&nbsp;/g, ' ').replace(/^<(https?:\/\/[^<>\s]*)>$/, '$1').replace(/^\[(https?:\/\/[^\]\s]*)\]\(\1\)$/, '$1').replace(/^(-?)∞$/, '$1Infinity');
}

function normExpected(cell: string): Norm {
  const s = unmarkup(cell).trim();
  if (s === '' || s === 'null' || s === '(null)') return { k: 'null' };
  if (/^(true|false)$/i.test(s)) return { k: 'str', v: s.toLowerCase() };
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return { k: 'num', v: Number(s) };
  if (/^\d{1,3}(,\d{3})+$/.test(s)) return { k: 'num', v: Number(s.replace(/,/g, '')) };
  if (/^(NaN|[+-]?Infinity)$/.test(s)) return { k: 'num', v: Number(s) };
  if (/^\d{4}-\d{2}-\d{2}([T ]|$)/.test(s)) {
    const t = parseDatetimeText(s.replace(/ ?(\d{2}:\d{2}:\d{2}\.\d{7})$/, 'T$1').replace(/Z?$/, 'Z'));
    if (t !== undefined) return { k: 'ticks', v: t };
  }
  if (/^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) {
    const t = parseTimespanText(s);
    if (t !== undefined) return { k: 'ticks', v: t };
  }
  // an array the page shortened with `.....`: the elements shown before and after it
  const elided = /^\[(.*?),\s*\.{3,}\s*,(.*)\]$/s.exec(s);
  if (elided) {
    try {
      return { k: 'elided', head: JSON.parse(`[${elided[1]}]`) as unknown[], tail: JSON.parse(`[${elided[2]}]`) as unknown[] };
    } catch {
      /* not JSON around the dots: compare as text */
    }
  }
  if (/^[[{]/.test(s)) {
    try {
      return { k: 'json', v: canonicalJson(JSON.parse(s)) };
    } catch {
      // some pages write dynamic values with single-quoted strings
      try {
        if (!s.includes('"')) return { k: 'json', v: canonicalJson(JSON.parse(s.replace(/'/g, '"'))) };
      } catch {
        /* not JSON: compare as text */
      }
      // some pages write an array of strings without quotes: [yes, no, yes]
      const bare = /^\[([^[\]{}"']*)\]$/.exec(s);
      if (bare) return { k: 'json', v: canonicalJson(bare[1]!.split(',').map((x) => bareElement(x.trim()))) };
    }
  }
  return { k: 'str', v: s };
}

/** An element of an unquoted documented array: a number, boolean or null as such, anything else text. */
function bareElement(x: string): unknown {
  if (x === 'null') return null;
  if (x === 'true' || x === 'false') return x === 'true';
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(x) ? Number(x) : x;
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonicalJson((v as Record<string, unknown>)[k])).join(',') + '}';
  return JSON.stringify(v);
}

function normActual(v: JsonCell, type: string): Norm {
  if (v === null) return { k: 'null' };
  if (typeof v === 'boolean') return { k: 'str', v: String(v) };
  if (typeof v === 'number') return { k: 'num', v };
  if (type === 'datetime' || type === 'timespan') return normExpected(String(v));
  if (typeof v === 'object') return { k: 'json', v: canonicalJson(v) };
  if (type === 'real' && /^(NaN|-?Infinity)$/.test(v)) return { k: 'num', v: Number(v) };
  // documented cells lose leading/trailing blanks in the page's tables, so text compares trimmed
  // a string result is read like a documented cell, so text that looks like a number, time or JSON compares by value
  return v === '' ? { k: 'null' } : normExpected(v);
}

/** JSON values equal up to the numeric tolerance (pages print doubles with 17 digits, .NET-style). */
function sameJson(x: unknown, y: unknown, approximate: boolean): boolean {
  if (typeof x === 'number' && typeof y === 'number') return sameCell({ k: 'num', v: x }, { k: 'num', v: y }, approximate, false);
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((e, i) => sameJson(e, y[i], approximate));
  if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
    const kx = Object.keys(x).sort();
    const ky = Object.keys(y).sort();
    return kx.join('\u0000') === ky.join('\u0000') && kx.every((k) => sameJson((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], approximate));
  }
  return x === y;
}

function sameCell(a: Norm, b: Norm, approximate: boolean, unordered: boolean): boolean {
  if (a.k === 'null' || b.k === 'null') return a.k === b.k || (a.k === 'str' && a.v === '') || (b.k === 'str' && b.v === '');
  if (a.k === 'num' && b.k === 'num') {
    if (Number.isNaN(a.v) || Number.isNaN(b.v)) return Number.isNaN(a.v) && Number.isNaN(b.v);
    if (a.v === b.v) return true;
    const tol = approximate ? 0.05 : 1e-6;
    return Math.abs(a.v - b.v) <= tol * Math.max(1, Math.abs(a.v), Math.abs(b.v));
  }
  if (a.k === 'ticks' && b.k === 'ticks') return a.v === b.v;
  if (a.k === 'elided' || b.k === 'elided') {
    const [e, o] = a.k === 'elided' ? [a, b] : [b as Extract<Norm, { k: 'elided' }>, a];
    if (o.k !== 'json') return false;
    const arr = JSON.parse(o.v) as unknown;
    return Array.isArray(arr) && arr.length > e.head.length + e.tail.length && sameJson(arr.slice(0, e.head.length), e.head, approximate) && sameJson(arr.slice(arr.length - e.tail.length), e.tail, approximate);
  }
  if (a.k === 'json' && b.k === 'json') {
    if (a.v === b.v || sameJson(JSON.parse(a.v), JSON.parse(b.v), approximate)) return true;
    if (unordered) {
      try {
        const x = JSON.parse(a.v);
        const y = JSON.parse(b.v);
        if (Array.isArray(x) && Array.isArray(y)) return canonicalJson(x.map(canonicalJson).sort()) === canonicalJson(y.map(canonicalJson).sort());
      } catch {
        return false;
      }
    }
    return false;
  }
  if (a.k === 'str' && b.k === 'str') return a.v === b.v || sameDisplayedText(a.v, b.v);
  // some pages show booleans as 0/1
  const asBit = (n: Norm) => (n.k === 'str' && (n.v === 'true' || n.v === 'false') ? Number(n.v === 'true') : n.k === 'num' ? n.v : undefined);
  if ((a.k === 'str') !== (b.k === 'str') && asBit(a) !== undefined && asBit(a) === asBit(b)) return true;
  // a number shown as text or the like
  return String((a as { v: unknown }).v) === String((b as { v: unknown }).v);
}

/**
 * Text as a page's table shows it: a Markdown cell cannot hold a line break, so a multi-line value appears
 * with its whitespace runs collapsed; some pages wrap a string result in double quotes.
 */
function sameDisplayedText(x: string, y: string): boolean {
  const unquote = (s: string) => (/^".*"$/s.test(s) ? s.slice(1, -1) : s);
  if (unquote(x) === unquote(y)) return true;
  const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
  return (x.includes('\n') || y.includes('\n')) && collapse(x) === collapse(y);
}

/** The case's documented rows, cleaned of page artefacts its flags name. */
function documentedRows(c: Case): string[][] {
  let rows = c.rows;
  // `<br>` in a cell is a line break the page drew as markup
  if (c.flags.includes('markup_in_cells')) rows = rows.map((r) => r.map((cell) => cell.replace(/<br\s*\/?>/gi, '\n')));
  // a partial output's `...` rows stand for rows the page left out
  if (c.flags.includes('partial_output')) rows = rows.filter((r) => !r.every((cell) => /^\s*\.{3,}\s*$/.test(cell)));
  // a ragged table's short, blank row stands for an empty result
  if (c.flags.includes('ragged_table')) rows = rows.filter((r) => r.length === c.columns.length || r.some((cell) => cell.trim() !== ''));
  return rows;
}

/** Runs a case; a case flagged `alternative_outputs:<id>` also passes with the output documented for <id>. */
export function runCase(c: Case, all?: Map<string, Case>): CaseResult {
  const first = runOne(c, documentedRows(c));
  if (first.outcome !== 'fail') return first;
  for (const f of c.flags) {
    const other = f.startsWith('alternative_outputs:') ? (all ?? new Map(loadCases().map((x) => [x.id, x]))).get(f.slice('alternative_outputs:'.length)) : undefined;
    if (other && runOne(c, documentedRows(other)).outcome === 'pass') return { id: c.id, outcome: 'pass' };
  }
  return first;
}

function runOne(c: Case, documented: string[][]): CaseResult {
  let r;
  try {
    r = runQuery(c.query, { now: REFERENCE_NOW, timeoutMs: 10_000 });
  } catch (e) {
    return { id: c.id, outcome: 'fail', reason: `crash: ${(e as Error).message}` };
  }
  if (!r.ok) {
    const d = r.diagnostics.find((x) => x.severity === 'error')!;
    const unsupported = ['KQL4010', 'KQL2006', 'KQL2010'].includes(d.code);
    return { id: c.id, outcome: unsupported ? 'unsupported' : 'fail', reason: `${d.code} ${d.message}` };
  }
  const t = r.tables[r.tables.length - 1];
  if (!t) return { id: c.id, outcome: 'fail', reason: 'no result table' };
  const names = t.columns.map((x) => x.name);
  // The pages label a single unnamed output column "result"; that heading is not a name the query gives.
  const namesMatch = names.join('|') === c.columns.join('|') || (c.columns.length === 1 && /^result$/i.test(c.columns[0]!) && names.length === 1);
  if (!namesMatch) return { id: c.id, outcome: 'fail', reason: `columns ${names.join(',')} vs documented ${c.columns.join(',')}` };
  const nondeterministic = c.flags.some((f) => f.startsWith('nondeterministic'));
  const approximate = c.flags.some((f) => f.startsWith('approximate'));
  const unordered = c.flags.some((f) => f.startsWith('unspecified_order'));
  const got = encodedRows(t.table).map((row) => row.map((v, i) => normActual(v, t.columns[i]!.type)));
  const want = documented.map((row) => row.map(normExpected));
  // a partial output lists only some of the rows: at least those must be there
  const partial = c.flags.includes('partial_output');
  const countOk = partial ? got.length >= want.length : got.length === want.length;
  if (nondeterministic) return countOk ? { id: c.id, outcome: 'pass' } : { id: c.id, outcome: 'fail', reason: `${got.length} rows vs ${want.length}` };
  if (!countOk) return { id: c.id, outcome: 'fail', reason: `${got.length} rows vs documented ${want.length}` };
  const rowEq = (a: Norm[], b: Norm[]) => a.length === b.length && a.every((x, i) => sameCell(x, b[i]!, approximate, unordered));
  if (c.ordered && !partial) {
    const bad = got.findIndex((row, i) => !rowEq(row, want[i]!));
    return bad < 0 ? { id: c.id, outcome: 'pass' } : { id: c.id, outcome: 'fail', reason: `row ${bad} differs` };
  }
  const remaining = [...want];
  for (const row of got) {
    const j = remaining.findIndex((w) => rowEq(row, w));
    if (j < 0 && partial) continue;
    if (j < 0) return { id: c.id, outcome: 'fail', reason: `unexpected row ${JSON.stringify(row.map((x) => ('v' in x ? String(x.v) : null)))}` };
    remaining.splice(j, 1);
  }
  if (remaining.length) return { id: c.id, outcome: 'fail', reason: `${remaining.length} documented rows missing` };
  return { id: c.id, outcome: 'pass' };
}

export interface Summary {
  results: CaseResult[];
  pass: number;
  fail: number;
  unsupported: number;
  byFeature: Map<string, { pass: number; fail: number; unsupported: number }>;
}

export function runAll(cases = loadCases()): Summary {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const results = cases.map((c) => runCase(c, byId));
  const byFeature = new Map<string, { pass: number; fail: number; unsupported: number }>();
  cases.forEach((c, i) => {
    const o = results[i]!.outcome;
    for (const f of [...c.operators.map((x) => `op:${x}`), ...c.functions.map((x) => `fn:${x}`), ...c.plugins.map((x) => `plugin:${x}`)]) {
      const s = byFeature.get(f) ?? { pass: 0, fail: 0, unsupported: 0 };
      s[o]++;
      byFeature.set(f, s);
    }
  });
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  return { results, pass: count('pass'), fail: count('fail'), unsupported: count('unsupported'), byFeature };
}
