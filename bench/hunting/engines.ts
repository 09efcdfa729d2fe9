/**
 * Loading the hunting data and running a shape on each engine, shared by the benchmark's worker and by
 * test/engine/hunting-shapes.test.ts (the same check at 10k rows). kqlite: `ingestPaths` of the CSV files
 * into a workspace, queries through `runQuery`; DuckDB: `read_csv` with the catalog's column types into
 * tables (a file database for the benchmark, in memory for the test).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { runQuery, type QueryResult } from '../../src/engine/index.js';
import { encodedRows } from '../../src/engine/format/encode.js';
import { DEFENDER_TABLES } from '../../src/kql/semantics/catalog.js';
import { parseDatetimeText } from '../../src/kql/syntax/index.js';
import { canonicalRows, type CanonRow } from './compare.js';
import { COLUMNS, HUNT_NOW, HUNT_TABLES, huntCsvFiles, type HuntDataSet } from './data.js';
import type { Shape } from './shapes.js';
import type { TableSource } from '../../src/engine/source.js';

const DUCK_TYPES: Record<string, string> = { string: 'VARCHAR', guid: 'VARCHAR', dynamic: 'VARCHAR', datetime: 'TIMESTAMP_NS', long: 'BIGINT', int: 'INTEGER', real: 'DOUBLE', decimal: 'DOUBLE', bool: 'BOOLEAN', timespan: 'BIGINT' };

export async function duckLoad(conn: DuckDBConnection, ds: HuntDataSet): Promise<void> {
  for (const table of HUNT_TABLES) {
    const schema = DEFENDER_TABLES.find((t) => t.name === table)!;
    const types = new Map(schema.columns.map((c) => [c.name, c.type as string]));
    const cols = COLUMNS[table].map((c) => `'${c}': '${DUCK_TYPES[types.get(c)!] ?? 'VARCHAR'}'`).join(', ');
    // Kusto strings are never null: an empty CSV field is '' as in kqlite
    const select = COLUMNS[table].map((c) => (types.get(c) === 'string' ? `coalesce("${c}", '') AS "${c}"` : `"${c}"`)).join(', ');
    const files = huntCsvFiles(ds, table).map((f) => `'${f}'`).join(', ');
    await conn.run(`CREATE TABLE "${table}" AS SELECT ${select} FROM read_csv([${files}], header = true, columns = {${cols}})`);
  }
}

/** kqlite's result in canonical form: datetimes as ticks, as the SQL returns them. */
export function kqliteCanon(r: QueryResult, shape: Shape): CanonRow[] {
  const t = r.tables[0]!;
  const rows = encodedRows(t.table).map((row) => Object.fromEntries(t.columns.map((c, i) => {
    const v = row[i];
    if (v !== null && v !== undefined && c.type === 'datetime') return [c.name, parseDatetimeText(String(v))!.toString()];
    return [c.name, v];
  })));
  return canonicalRows(rows, shape.sets);
}

export function runKqlite(shape: Shape, source: TableSource, extra: { memoryBudgetBytes?: number } = {}): QueryResult {
  const r = runQuery(shape.kql, { source, now: HUNT_NOW, ...extra });
  if (!r.ok) throw new Error(`${shape.name}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r;
}

export async function runDuck(conn: DuckDBConnection, shape: Shape): Promise<Record<string, unknown>[]> {
  const reader = await conn.runAndReadAll(shape.sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

export function duckCanon(rows: Record<string, unknown>[], shape: Shape): CanonRow[] {
  return canonicalRows(rows, shape.sets);
}
