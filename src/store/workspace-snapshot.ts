/**
 * One query's (or one hunt's) view of a workspace: which tables exist, their schemas and their extent lists,
 * read once, when first asked for, and then fixed for the view's life. The binder and the engine ask for
 * schemas and scans many times per query and a hunt runs hundreds of queries; asking the file system every
 * time cost a stat per lookup. A view is cheap to make (it reads nothing until asked), so callers make a new
 * one per query or hunt: the next one sees every commit a writer made before it was asked. A view lists only
 * committed extents (those the manifest names), so it never sees part of an ingest, and every scan of a table
 * in one query sees the same extents.
 */
import type { TableSource, TimeRange } from '../engine/source.js';
import type { Table } from '../engine/storage/column.js';
import type { TableSchema } from '../kql/semantics/types.js';
import type { ExtentEntry } from './manifest.js';

/** A table's schema and its committed extents, in the order they were added. */
export interface TableListing {
  schema: TableSchema;
  /** The schema's columns as `name:type,...`: extents read as Tables are kept per shape. */
  shape: string;
  extents: readonly ExtentEntry[];
}

/** The committed state one view reads: the manifest's, or a legacy workspace's folders (legacy-layout.ts). */
export interface Catalog {
  /** The tables, sorted. */
  tableNames(): readonly string[];
  /** One table by its exact name. */
  table(name: string): TableListing | undefined;
  quarantined(): Map<string, number>;
  /** The data state, for cursor_current(): compares greater after each commit that added data; '' when empty. */
  cursor(): string;
  /** The quarantine files under quarantine/ that hold committed records, in commit order. */
  quarantineSegments(): readonly string[];
}

/** What a view asks of its workspace: the current catalog and access to an extent's columns. */
export interface ListingReader {
  catalog(): Catalog;
  /** The extent as a Table in the listing's schema order, its columns read on first access. */
  extentTable(table: string, extent: ExtentEntry, listing: TableListing): Table;
}

export interface TableInfo {
  name: string;
  rows: number;
  extents: number;
  minTimestamp?: bigint;
  maxTimestamp?: bigint;
  bytesOnDisk: number;
  quarantined: number;
}

export class WorkspaceSnapshot implements TableSource {
  private committed?: Catalog;

  constructor(private readonly ws: ListingReader) {}

  /** Already a snapshot: a hunt's queries share it. */
  snapshot(): WorkspaceSnapshot {
    return this;
  }

  private get catalog(): Catalog {
    return (this.committed ??= this.ws.catalog());
  }

  /** The name of a table named case-insensitively, as the engine may ask. */
  private resolve(name: string): string | undefined {
    const c = this.catalog;
    if (c.table(name)) return name;
    const lower = name.toLowerCase();
    return c.tableNames().find((f) => f.toLowerCase() === lower);
  }

  tableNames(): string[] {
    return [...this.catalog.tableNames()];
  }

  schema(name: string): TableSchema | undefined {
    const t = this.resolve(name);
    return t === undefined ? undefined : this.catalog.table(t)!.schema;
  }

  scan(name: string, range?: TimeRange): Table[] {
    const t = this.resolve(name);
    if (t === undefined) return [];
    const listing = this.catalog.table(t)!;
    const out: Table[] = [];
    for (const e of listing.extents) {
      const min = e.minTimestamp !== undefined ? BigInt(e.minTimestamp) : undefined;
      const max = e.maxTimestamp !== undefined ? BigInt(e.maxTimestamp) : undefined;
      if (range?.min !== undefined && max !== undefined && max < range.min) continue;
      if (range?.max !== undefined && min !== undefined && min > range.max) continue;
      out.push(this.ws.extentTable(t, e, listing));
    }
    return out;
  }

  /** See Catalog.cursor. */
  cursor(): string {
    return this.catalog.cursor();
  }

  quarantineSegments(): readonly string[] {
    return this.catalog.quarantineSegments();
  }

  tables(): TableInfo[] {
    const quarantined = this.catalog.quarantined();
    return this.tableNames().map((name) => {
      const info: TableInfo = { name, rows: 0, extents: 0, bytesOnDisk: 0, quarantined: quarantined.get(name) ?? 0 };
      for (const e of this.catalog.table(name)?.extents ?? []) {
        info.rows += e.rows;
        info.extents++;
        info.bytesOnDisk += e.bytes;
        if (e.minTimestamp !== undefined && (info.minTimestamp === undefined || BigInt(e.minTimestamp) < info.minTimestamp)) info.minTimestamp = BigInt(e.minTimestamp);
        if (e.maxTimestamp !== undefined && (info.maxTimestamp === undefined || BigInt(e.maxTimestamp) > info.maxTimestamp)) info.maxTimestamp = BigInt(e.maxTimestamp);
      }
      return info;
    });
  }

  /** The latest Timestamp over all tables: the default reference time of a hunt. */
  maxTimestamp(): bigint | undefined {
    let max: bigint | undefined;
    for (const t of this.tables()) if (t.rows && t.maxTimestamp !== undefined && (max === undefined || t.maxTimestamp > max)) max = t.maxTimestamp;
    return max;
  }
}
