/**
 * A TableSource with a few deterministic rows for EVERY table of the default catalog (Defender + Sentinel),
 * made when a query first reads the table. The values follow the column's type and, by its name, look like
 * what hunting queries filter on (process and file names, command lines, action types, URLs, IPs, hashes,
 * JSON in AdditionalFields ...), so typical filters keep some rows and later operators see data. Row i of
 * every column belongs together (row 0 is powershell.exe with a powershell command line), and the same
 * table always gets the same rows. Given a query's hints (query-hints.ts: the values its filters look for,
 * by column), rows after those are added where each hinted column holds the values the query tests for
 * (hint row k: the k-th value of every hinted column), so the query's filters keep rows and the operators
 * after them see data. Used by the execution run over real-world corpora (corpus-run.ts).
 */
import { defaultCatalog } from '../../src/kql/semantics/index.js';
import type { TableSchema } from '../../src/kql/semantics/types.js';
import { buildColumn, gatherColumn } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import type { TableSource } from '../../src/engine/source.js';
import type { Value } from '../../src/engine/values/value.js';
import { actionTypes, dynamicValue, guid, isJsonColumn, pick, stringValue } from './catalog-values.js';
import type { QueryHints } from './query-hints.js';

/** 2026-06-01T12:00:00Z, the reference `now()` of the run; every row lies in the day before it. */
export const CORPUS_NOW = BigInt(Date.UTC(2026, 5, 1, 12)) * 10_000n;
export const ROWS_PER_TABLE = 12;
/** At most this many rows of hinted values per table. */
const MAX_HINT_ROWS = 24;
const HOUR = 36_000_000_000n;

export class CatalogRowsSource implements TableSource {
  private readonly made = new Map<string, Table>();
  private readonly split = new Map<string, Table[]>();
  /** `extents`: each table's rows cut into this many extents (the same rows; the engine's per-extent paths). */
  constructor(private readonly hints: QueryHints = new Map(), private readonly extents = 1, private readonly rows = ROWS_PER_TABLE) {}

  tableNames(): string[] {
    return [...defaultCatalog().tables.keys()];
  }

  schema(name: string): TableSchema | undefined {
    return defaultCatalog().tables.get(name);
  }

  scan(name: string): Table[] {
    let t = this.made.get(name);
    if (!t) {
      const schema = this.schema(name);
      if (!schema) return [];
      t = catalogRows(schema, this.rows, this.hints);
      this.made.set(name, t);
    }
    if (this.extents <= 1) return [t];
    let parts = this.split.get(name);
    if (!parts) {
      const whole = t;
      const size = Math.ceil(whole.length / this.extents);
      parts = [];
      for (let start = 0; start < whole.length; start += size) {
        const idx = Int32Array.from({ length: Math.min(size, whole.length - start) }, (_, i) => start + i);
        parts.push({ ...whole, columns: whole.columns.map((c) => ({ name: c.name, column: gatherColumn(c.column, idx) })), length: idx.length });
      }
      this.split.set(name, parts);
    }
    return parts;
  }
}

/** `rows` rows of a table, the same every time for the same schema, then the rows of the hinted values. */
export function catalogRows(schema: TableSchema, rows: number, hints: QueryHints = new Map()): Table {
  const hinted = schema.columns.map((c) => usableHints(c.type, hints.get(c.name.toLowerCase()) ?? []));
  const extra = Math.min(MAX_HINT_ROWS, Math.max(0, ...hinted.map((h) => h.length)));
  const columns = schema.columns.map((c, j) => {
    const values: Value[] = [];
    for (let i = 0; i < rows; i++) values.push(cellValue(schema.name ?? '', c.name, c.type, i));
    const h = hinted[j]!;
    // a column of JSON text (AdditionalFields) keeps JSON: the hinted text goes into one of its fields
    const json = c.type === 'string' && isJsonColumn(c.name);
    for (let k = 0; k < extra; k++) {
      const v = h.length ? h[k % h.length]! : cellValue(schema.name ?? '', c.name, c.type, rows + k);
      values.push(h.length && json ? JSON.stringify({ ...(dynamicValue(schema.name ?? '', c.name, k) as object), Command: v }) : v);
    }
    return { name: c.name, column: buildColumn(c.type, values) };
  });
  return { name: schema.name, columns, length: rows + extra, ingestedAt: CORPUS_NOW - HOUR / 2n };
}

/** The hinted values a column of this type can hold. */
function usableHints(type: string, values: (string | number)[]): Value[] {
  if (type === 'string') return values.filter((v) => typeof v === 'string');
  if (type === 'int' || type === 'long' || type === 'real' || type === 'decimal') return values.filter((v) => typeof v === 'number' && (type === 'real' || type === 'decimal' || Number.isInteger(v)));
  return [];
}

function cellValue(table: string, column: string, type: string, i: number): Value {
  const lower = column.toLowerCase();
  switch (type) {
    case 'datetime':
      // the event time: spread over the last day; other times (creation, first seen) a little earlier
      return CORPUS_NOW - BigInt(i % 8) * 3n * HOUR - BigInt(Math.floor(i / 8)) * HOUR / 4n - (/^(timestamp|timegenerated)$/.test(lower) ? 17n : 30n) * HOUR / 60n;
    case 'timespan':
      return BigInt(i + 1) * 60n * 10_000_000n;
    case 'bool':
      return i % 3 === 0;
    case 'int':
    case 'long':
      return integerValue(lower, i);
    case 'real':
    case 'decimal':
      return /latitude/.test(lower) ? 47.6 + i / 10 : /longitude/.test(lower) ? -122.3 + i / 10 : (i * 7.25) % 100;
    case 'guid':
      return guid(table + column, i);
    case 'dynamic':
      return dynamicValue(table, column, i);
    default:
      if (lower === 'actiontype') return pick(actionTypes(table), i);
      return stringValue(table, column, i);
  }
}

function integerValue(lower: string, i: number): number {
  if (/eventid$/.test(lower)) return pick([4624, 4625, 4688, 4720, 4732, 4728, 7045, 1102, 4698, 4769, 4662, 5145], i);
  if (/port$/.test(lower)) return pick([443, 3389, 445, 80, 4444, 5985, 22, 53, 8080, 135, 1433, 5900], i);
  if (/logontype$/.test(lower)) return pick([3, 10, 2, 3, 5, 7], i);
  if (/(resulttype|errorcode|statuscode)$/.test(lower)) return pick([0, 50126, 0, 50074, 0, 53003], i);
  if (/size$|bytes$|length$/.test(lower)) return 1000 + i * 4096;
  if (/count$/.test(lower)) return i + 1;
  return i * 11 + 1;
}
