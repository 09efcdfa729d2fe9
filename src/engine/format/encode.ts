/**
 * Result encodings. JSON follows Kusto's REST API v2 value encoding: datetime as ISO 8601 with 7 fractional
 * digits and Z, timespan as [-][d.]hh:mm:ss[.fffffff], dynamic as JSON, null as null; non-finite reals as
 * the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers); a long as an exact integer literal
 * (a long beyond ±2^53 is a bigint here and `jsonText` writes its digits: JSON.parse would round it).
 */
import { readCell } from '../storage/builders.js';
import type { Table } from '../storage/column.js';
import { formatDatetime, formatTimespan } from '../values/ticks.js';
import type { ScalarTypeName, Value } from '../values/value.js';
import { jsonText } from '../values/json.js';
import { printable } from '../../common/printable.js';

export type JsonCell = null | boolean | number | bigint | string | unknown[] | Record<string, unknown>;

export function encodeCell(v: Value, type: ScalarTypeName): JsonCell {
  if (v === null) return null;
  if (typeof v === 'bigint') return type === 'timespan' ? formatTimespan(v) : type === 'datetime' ? formatDatetime(v) : v;
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v as JsonCell;
}

export function encodedRows(t: Table): JsonCell[][] {
  const rows: JsonCell[][] = [];
  for (let i = 0; i < t.length; i++) rows.push(t.columns.map((c) => encodeCell(readCell(c.column, i), c.column.type)));
  return rows;
}

export function toJsonResult(t: Table): { columns: { name: string; type: ScalarTypeName }[]; rows: JsonCell[][] } {
  return { columns: t.columns.map((c) => ({ name: c.name, type: c.column.type })), rows: encodedRows(t) };
}

/** Rows as objects, column name → encoded value (hunts keep findings' evidence this way). */
export function rowsAsObjects(t: Table): Record<string, JsonCell>[] {
  return encodedRows(t).map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]!])));
}

function cellText(v: JsonCell): string {
  if (v === null) return '';
  if (typeof v === 'object') return jsonText(v);
  return String(v);
}

/** Rows per chunk the streaming encoders yield: a result is written as it is encoded, never held whole as text. */
const CHUNK_ROWS = 1024;

function* rowChunks(t: Table, row: (cells: JsonCell[]) => string): Generator<string> {
  let out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    out.push(row(t.columns.map((c) => encodeCell(readCell(c.column, i), c.column.type))));
    if (out.length === CHUNK_ROWS) {
      yield out.join('');
      out = [];
    }
  }
  if (out.length) yield out.join('');
}

/**
 * A CSV field. Text (not numbers, dates or booleans) that a spreadsheet would take as a formula, starting
 * with `=`, `+`, `-`, `@`, tab or CR (`=cmd|' /C calc'!A0` in a telemetry value or rule name opens a program
 * in Excel), is neutralised as OWASP's "CSV Injection" page recommends: a `'` before it, and the field
 * quoted. The value read back by a spreadsheet is the text as shown; JSON and NDJSON stay exact.
 */
export function csvField(s: string, text = true): string {
  if (text && /^[=+\-@\t\r]/.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Column types whose values are text a spreadsheet reads as it likes (numbers, dates and bools are written by kqlite). */
const TEXT_TYPES: ReadonlySet<ScalarTypeName> = new Set(['string', 'dynamic', 'guid']);

export function* csvChunks(t: Table): Generator<string> {
  const text = t.columns.map((c) => TEXT_TYPES.has(c.column.type));
  yield t.columns.map((c) => csvField(c.name)).join(',') + '\n';
  yield* rowChunks(t, (r) => r.map((v, i) => csvField(cellText(v), text[i])).join(',') + '\n');
}

export function* ndjsonChunks(t: Table): Generator<string> {
  const names = t.columns.map((c) => c.name);
  yield* rowChunks(t, (r) => jsonText(Object.fromEntries(names.map((n, i) => [n, r[i]!]))) + '\n');
}

/** `toJsonResult` as JSON text, in chunks (longs exact: jsonText). */
export function* jsonChunks(t: Table): Generator<string> {
  yield `{"columns":${JSON.stringify(t.columns.map((c) => ({ name: c.name, type: c.column.type })))},"rows":[`;
  let first = true;
  yield* rowChunks(t, (r) => {
    const text = (first ? '' : ',') + jsonText(r);
    first = false;
    return text;
  });
  yield ']}';
}

export function toCsv(t: Table): string {
  return [...csvChunks(t)].join('');
}

export function toNdjson(t: Table): string {
  return [...ndjsonChunks(t)].join('');
}

/**
 * A readable aligned table in chunks; long cells are cut with an ellipsis. Two passes over the rows (the
 * widths, then the lines), so the cells' text is never all held at once.
 */
export function* textTableChunks(t: Table, maxCell = 60): Generator<string> {
  const shown = (v: JsonCell) => {
    // text for people: whitespace as one space, control characters from the data as visible escapes
    const s = printable(cellText(v).replace(/\s+/g, ' '));
    return s.length > maxCell ? s.slice(0, maxCell - 1) + '…' : s;
  };
  const header = t.columns.map((c) => printable(c.name));
  const widths = header.map((h) => h.length);
  for (let i = 0; i < t.length; i++) {
    t.columns.forEach((c, j) => {
      const w = shown(encodeCell(readCell(c.column, i), c.column.type)).length;
      if (w > widths[j]!) widths[j] = w;
    });
  }
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  yield line(header) + line(widths.map((w) => '-'.repeat(w)));
  yield* rowChunks(t, (r) => line(r.map(shown)));
}

export function toTextTable(t: Table, maxCell = 60): string {
  return [...textTableChunks(t, maxCell)].join('');
}

/**
 * About how many characters row `i` takes as text (JSON or CSV): strings by length, other scalars by a
 * typical width, dynamic values walked (iteratively) until `cap`. The engine checks a result against the
 * query's memory budget with it before anyone encodes it.
 */
export function rowTextSize(t: Table, i: number, cap: number): number {
  let size = 0;
  for (const { column: c } of t.columns) {
    if (c.type === 'string' || c.type === 'guid') size += c.dict[c.codes[i]!]!.length + 3;
    else if (c.type === 'dynamic') size += dynamicTextSize(readCell(c, i), cap - size);
    else size += 24;
    if (size >= cap) return size;
  }
  return size;
}

function dynamicTextSize(v: Value, cap: number): number {
  let size = 0;
  const stack: unknown[] = [v];
  while (stack.length && size < cap) {
    const x = stack.pop();
    if (typeof x === 'string') size += x.length + 3;
    else if (Array.isArray(x)) {
      size += 2 + x.length;
      for (const e of x) stack.push(e);
    } else if (x !== null && typeof x === 'object') {
      for (const [k, e] of Object.entries(x)) {
        size += k.length + 4;
        stack.push(e);
      }
      size += 2;
    } else size += 8;
  }
  return size;
}
