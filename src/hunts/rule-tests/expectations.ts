/**
 * Checking a test's expectations against what the rule returned, and saying what differs. Expected rows are
 * matched as subsets (only the columns they name), each value compared as the result column's type:
 * datetimes and timespans as instants and durations (any ISO spelling), longs exactly (digits beyond 2^53
 * included), reals numerically, guids without regard to case, dynamic values structurally (key order
 * ignored). A failure carries a diff: the expected row against the closest actual row, column by column.
 */
import { readCell } from '../../engine/storage/builders.js';
import { encodeCell, type JsonCell } from '../../engine/format/encode.js';
import { jsonText } from '../../engine/values/json.js';
import { parseDatetimeText, parseTimespanText, type ScalarTypeName } from '../../kql/syntax/index.js';
import type { ResultTable } from '../../engine/index.js';
import type { ExpectedRow, Expectations, Pos } from './test-file.js';

export interface Failure {
  /** Where the expectation is written. */
  pos: Pos;
  message: string;
  /** The diff (expected vs actual rows), several lines. */
  details?: string;
}

export interface Actual {
  columns: { name: string; type: ScalarTypeName }[];
  /** Rows as the JSON API encodes them (datetimes ISO, longs exact). */
  rows: Record<string, JsonCell>[];
  /** Raw cells, for typed comparison. */
  cells: unknown[][];
  findings: number;
}

export function actualOf(result: ResultTable | undefined, findings: number): Actual {
  if (!result) return { columns: [], rows: [], cells: [], findings };
  const t = result.table;
  const cells: unknown[][] = [];
  const rows: Record<string, JsonCell>[] = [];
  for (let i = 0; i < t.length; i++) {
    const raw = t.columns.map((c) => readCell(c.column, i));
    cells.push(raw);
    rows.push(Object.fromEntries(t.columns.map((c, j) => [c.name, encodeCell(raw[j] as never, c.column.type)])));
  }
  return { columns: result.columns, rows, cells, findings };
}

const sortedJson = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortedJson) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedJson((v as Record<string, unknown>)[k])])) : typeof v === 'bigint' ? Number(v) === Number(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v : v;

/** Whether an expected value (as written in YAML) equals a cell of the given type. */
export function sameValue(expected: unknown, actual: unknown, type: ScalarTypeName): boolean {
  if (expected === null || expected === undefined) return actual === null || (type === 'string' && actual === '');
  if (actual === null) return false;
  switch (type) {
    case 'datetime':
    case 'timespan': {
      const t = typeof expected === 'string' ? (type === 'datetime' ? parseDatetimeText(expected) : parseTimespanText(expected)) : undefined;
      return t !== undefined && t === actual;
    }
    case 'int':
    case 'long': {
      try {
        const e = typeof expected === 'bigint' ? expected : typeof expected === 'number' && Number.isInteger(expected) ? BigInt(expected) : typeof expected === 'string' && /^-?\d+$/.test(expected.trim()) ? BigInt(expected.trim()) : undefined;
        return e !== undefined && (typeof actual === 'bigint' ? actual : typeof actual === 'number' ? BigInt(actual) : undefined) === e;
      } catch {
        return false;
      }
    }
    case 'real':
    case 'decimal':
      return (typeof expected === 'number' || typeof expected === 'bigint' || (typeof expected === 'string' && expected.trim() !== '')) && Number(expected) === actual;
    case 'bool':
      return expected === actual;
    case 'guid':
      return typeof expected === 'string' && typeof actual === 'string' && expected.toLowerCase() === actual.toLowerCase();
    case 'dynamic':
      return jsonText(sortedJson(expected)) === jsonText(sortedJson(actual));
    default:
      return typeof expected === 'object' ? false : String(expected) === actual;
  }
}

/** How many of the expected row's columns an actual row matches (-1 when a named column is missing). */
function matchCount(exp: ExpectedRow, actual: Actual, i: number): number {
  let n = 0;
  for (const [k, v] of Object.entries(exp.values)) {
    const j = actual.columns.findIndex((c) => c.name === k);
    if (j < 0) return -1;
    if (sameValue(v, actual.cells[i]![j], actual.columns[j]!.type)) n++;
  }
  return n;
}

const shown = (v: unknown) => (v === undefined ? '(absent)' : typeof v === 'string' ? JSON.stringify(v) : jsonText(v));

/** The expected row against the closest actual row: unchanged columns once, differing ones as -expected / +actual. */
function rowDiff(exp: ExpectedRow, actual: Actual): string {
  let best = -1;
  let bestScore = -2; // a row lacking a named column (-1) is still the closest when it is all there is
  for (let i = 0; i < actual.rows.length; i++) {
    const s = matchCount(exp, actual, i);
    if (s > bestScore) [best, bestScore] = [i, s];
  }
  const lines: string[] = [];
  if (best < 0) {
    lines.push('  the rule returned no rows; expected a row with:');
    for (const [k, v] of Object.entries(exp.values)) lines.push(`  - ${k}: ${shown(v)}`);
    return lines.join('\n');
  }
  lines.push(`  closest actual row (${best + 1} of ${actual.rows.length}):`);
  for (const [k, v] of Object.entries(exp.values)) {
    const j = actual.columns.findIndex((c) => c.name === k);
    if (j < 0) {
      lines.push(`  - ${k}: ${shown(v)}`, `  + ${k}: (no such column; the result has ${actual.columns.map((c) => c.name).join(', ')})`);
      continue;
    }
    const a = actual.rows[best]![k];
    if (sameValue(v, actual.cells[best]![j], actual.columns[j]!.type)) lines.push(`    ${k}: ${shown(a)}`);
    else lines.push(`  - ${k}: ${shown(v)}`, `  + ${k}: ${shown(a)}`);
  }
  return lines.join('\n');
}

/** Up to `max` actual rows, one JSON object a line. */
export function rowsText(actual: Actual, max = 5): string {
  const lines = actual.rows.slice(0, max).map((r) => `    ${jsonText(r)}`);
  if (actual.rows.length > max) lines.push(`    ... and ${actual.rows.length - max} more`);
  return lines.join('\n');
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function checkExpectations(expect: Expectations, actual: Actual): Failure[] {
  const out: Failure[] = [];
  const n = actual.rows.length;
  const got = `${plural(n, 'row')}, ${plural(actual.findings, 'finding')}`;
  const withRows = (message: string, pos: Pos): Failure => (n ? { pos, message, details: `  actual rows:\n${rowsText(actual)}` } : { pos, message });
  if (expect.fires && expect.fires.value !== n > 0) {
    out.push(withRows(expect.fires.value ? 'expected the rule to fire, but it returned no rows' : `expected the rule not to fire, but it returned ${got}`, expect.fires.pos));
  }
  if (expect.rows && expect.rows.value !== n) out.push(withRows(`expected ${plural(expect.rows.value, 'result row')}, got ${n}`, expect.rows.pos));
  if (expect.findings && expect.findings.value !== actual.findings) out.push(withRows(`expected ${plural(expect.findings.value, 'finding')}, got ${actual.findings}`, expect.findings.pos));
  if (expect.columns) {
    const have = new Set(actual.columns.map((c) => c.name));
    const missing = expect.columns.value.filter((c) => !have.has(c));
    if (missing.length) out.push({ pos: expect.columns.pos, message: `the result has no column ${missing.join(', ')}`, details: `  result columns: ${actual.columns.map((c) => c.name).join(', ') || '(none)'}` });
  }
  for (const exp of expect.contains ?? []) {
    const found = actual.rows.some((_, i) => matchCount(exp, actual, i) === Object.keys(exp.values).length);
    if (!found) out.push({ pos: exp.pos, message: `expected row not found among ${plural(n, 'result row')}: ${jsonText(exp.values)}`, details: `  - expected\n  + actual\n${rowDiff(exp, actual)}` });
  }
  for (const exp of expect.excludes ?? []) {
    const i = actual.rows.findIndex((_, k) => matchCount(exp, actual, k) === Object.keys(exp.values).length);
    if (i >= 0) out.push({ pos: exp.pos, message: `a row the rule must not return is there: ${jsonText(exp.values)}`, details: `  actual row ${i + 1} of ${n}:\n    ${jsonText(actual.rows[i])}` });
  }
  return out;
}
