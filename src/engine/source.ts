/**
 * Where the engine gets stored tables from. The workspace (src/ingest) implements this over its on-disk
 * extents; tests implement it over in-memory tables. The engine never touches files itself.
 */
import type { TableSchema } from '../kql/semantics/types.js';
import type { Table } from './storage/column.js';

/**
 * The name of the database a local workspace is: what current_database() returns and the name `kqlite
 * serve` presents to Kusto clients (one workspace, one database).
 */
export const LOCAL_DATABASE = 'kqlite';

/** Inclusive bounds on the `Timestamp` column, in ticks since 1970-01-01; used to skip whole extents. */
export interface TimeRange {
  min?: bigint;
  max?: bigint;
}

export interface TableSource {
  /** Names of the tables this source holds. */
  tableNames(): string[];
  /** Schema of a table, or undefined when the source does not hold it. */
  schema(name: string): TableSchema | undefined;
  /**
   * The table's extents (each a columnar `Table` with the full schema, in schema order). A column may be
   * made when first read (the workspace reads it from disk then, and may read it again after evicting
   * it), so the engine reads only the columns a query uses, and a column's identity may change between reads.
   * With `range`, extents whose Timestamp min/max lie wholly outside it may be left out (never
   * required: the engine still filters rows).
   */
  scan(name: string, range?: TimeRange): Table[];
  /** Opaque text naming the source's current data state (Kusto's database cursor, for cursor_current()). */
  cursor?(): string;
  /**
   * A source whose answers stay fixed while a query (or a hunt's queries) run, so lookups need not ask the
   * backing store again; a snapshot returns itself. runQuery takes one per query, so the next query sees
   * what was added meanwhile. A source without it is read directly.
   */
  snapshot?(): TableSource;
}

/** The source's snapshot, or the source itself when it has none. */
export function snapshotOf(source: TableSource | undefined): TableSource | undefined {
  return source?.snapshot?.() ?? source;
}

/** A TableSource over tables held in memory (tests, `datatable` fixtures, the benchmark). */
export class MemorySource implements TableSource {
  constructor(private readonly tables: Map<string, { schema: TableSchema; extents: Table[] }>) {}

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  schema(name: string): TableSchema | undefined {
    return this.tables.get(name)?.schema;
  }

  scan(name: string): Table[] {
    return this.tables.get(name)?.extents ?? [];
  }
}
