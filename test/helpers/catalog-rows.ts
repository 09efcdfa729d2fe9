/**
 * A TableSource with a few deterministic rows for EVERY table of the default catalog (Defender + Sentinel),
 * made when a query first reads the table. The values follow the column's type and, by its name, look like
 * what hunting queries filter on (process and file names, command lines, action types, URLs, IPs, hashes,
 * JSON in AdditionalFields ...), so typical filters keep some rows and later operators see data. Row i of
 * every column belongs together (row 0 is powershell.exe with a powershell command line), and the same
 * table always gets the same rows. Used by the execution run over real-world corpora (corpus-run.ts).
 */
import { defaultCatalog } from '../../src/kql/semantics/index.js';
import type { TableSchema } from '../../src/kql/semantics/types.js';
import { buildColumn } from '../../src/engine/storage/builders.js';
import type { Table } from '../../src/engine/storage/column.js';
import type { TableSource } from '../../src/engine/source.js';
import type { Value } from '../../src/engine/values/value.js';
import { actionTypes, dynamicValue, guid, pick, stringValue } from './catalog-values.js';

/** 2026-06-01T12:00:00Z, the reference `now()` of the run; every row lies in the 2 days before it. */
export const CORPUS_NOW = BigInt(Date.UTC(2026, 5, 1, 12)) * 10_000n;
export const ROWS_PER_TABLE = 12;
const HOUR = 36_000_000_000n;

export class CatalogRowsSource implements TableSource {
  private readonly made = new Map<string, Table>();
  constructor(private readonly rows = ROWS_PER_TABLE) {}

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
      t = catalogRows(schema, this.rows);
      this.made.set(name, t);
    }
    return [t];
  }
}

/** `rows` rows of a table, the same every time for the same schema. */
export function catalogRows(schema: TableSchema, rows: number): Table {
  const columns = schema.columns.map((c) => {
    const values: Value[] = [];
    for (let i = 0; i < rows; i++) values.push(cellValue(schema.name ?? '', c.name, c.type, i));
    return { name: c.name, column: buildColumn(c.type, values) };
  });
  return { name: schema.name, columns, length: rows, ingestedAt: CORPUS_NOW - HOUR / 2n };
}

function cellValue(table: string, column: string, type: string, i: number): Value {
  const lower = column.toLowerCase();
  switch (type) {
    case 'datetime':
      // the event time: spread over the last 2 days; other times (creation, first seen) a little earlier
      return CORPUS_NOW - BigInt(i) * 3n * HOUR - (/^(timestamp|timegenerated)$/.test(lower) ? 17n : 30n) * HOUR / 60n;
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
