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

export function toCsv(t: Table): string {
  const esc = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [t.columns.map((c) => esc(c.name)).join(',')];
  for (const r of encodedRows(t)) lines.push(r.map((v) => esc(cellText(v))).join(','));
  return lines.join('\n') + '\n';
}

export function toNdjson(t: Table): string {
  return rowsAsObjects(t).map((r) => jsonText(r)).join('\n') + (t.length ? '\n' : '');
}

/** A readable aligned table; long cells are cut with an ellipsis. */
export function toTextTable(t: Table, maxCell = 60): string {
  const header = t.columns.map((c) => c.name);
  const rows = encodedRows(t).map((r) => r.map((v) => {
    const s = cellText(v).replace(/\s+/g, ' ');
    return s.length > maxCell ? s.slice(0, maxCell - 1) + '…' : s;
  }));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
