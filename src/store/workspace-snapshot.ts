/**
 * One query's (or one hunt's) view of a workspace: which tables exist, their schemas and their extent lists,
 * each read at most once, when first asked for, and then fixed for the view's life. The binder and the engine
 * ask for schemas and scans many times per query and a hunt runs hundreds of queries; asking the file system
 * every time cost a stat per lookup. A view is cheap to make (it reads nothing until asked), so callers make a
 * new one per query or hunt: the next one sees every extent and table a writer added before it was asked.
 * A writer adds whole extents by rename, so a view never holds half an extent; and since a table's schema
 * and extent list are read together, every scan of a table in one query sees the same extents.
 */
import type { TableSource, TimeRange } from '../engine/source.js';
import type { Table } from '../engine/storage/column.js';
import type { TableSchema } from '../kql/semantics/types.js';
import type { ExtentMeta } from './extent-format.js';

/** A table's schema and its extent ids (in the order they were added), read under one folder stamp. */
export interface TableListing {
  schema: TableSchema;
  /** The schema's columns as `name:type,...`: extents read as Tables are kept per shape. */
  shape: string;
  extents: readonly string[];
}

/** What a view asks of its workspace: current listings (each read asks the file system) and extent access. */
export interface ListingReader {
  /** Folder names under tables/, sorted (a folder without schema.json is not a table yet). */
  readTableFolders(): readonly string[];
  readTable(folder: string): TableListing | undefined;
  /** Whether the folder was seen holding a table (its schema) before: asks no file system. */
  knownTable(folder: string): boolean;
  extentMeta(folder: string, id: string): ExtentMeta;
  /** The extent as a Table in the listing's schema order, its columns read on first access. */
  extentTable(folder: string, id: string, listing: TableListing): Table;
  quarantined(): Map<string, number>;
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
  private folders?: readonly string[];
  private readonly listings = new Map<string, TableListing | undefined>();

  constructor(private readonly ws: ListingReader) {}

  /** Already a snapshot: a hunt's queries share it. */
  snapshot(): WorkspaceSnapshot {
    return this;
  }

  private listing(folder: string): TableListing | undefined {
    if (!this.listings.has(folder)) this.listings.set(folder, this.ws.readTable(folder));
    return this.listings.get(folder);
  }

  /** The folder of a table named case-insensitively, as the engine may ask. */
  private resolve(name: string): string | undefined {
    this.folders ??= this.ws.readTableFolders();
    if (this.folders.includes(name) && this.listing(name)) return name;
    const lower = name.toLowerCase();
    return this.folders.find((f) => f.toLowerCase() === lower && this.listing(f));
  }

  /** The tables, without listing each one (a table once seen stays one until it is dropped with its folder). */
  tableNames(): string[] {
    this.folders ??= this.ws.readTableFolders();
    return this.folders.filter((f) => (this.listings.has(f) ? this.listings.get(f) !== undefined : this.ws.knownTable(f) || this.listing(f)));
  }

  schema(name: string): TableSchema | undefined {
    const folder = this.resolve(name);
    return folder === undefined ? undefined : this.listing(folder)!.schema;
  }

  scan(name: string, range?: TimeRange): Table[] {
    const folder = this.resolve(name);
    if (folder === undefined) return [];
    const listing = this.listing(folder)!;
    const out: Table[] = [];
    for (const id of listing.extents) {
      const meta = this.ws.extentMeta(folder, id);
      const min = meta.minTimestamp !== undefined ? BigInt(meta.minTimestamp) : undefined;
      const max = meta.maxTimestamp !== undefined ? BigInt(meta.maxTimestamp) : undefined;
      if (range?.min !== undefined && max !== undefined && max < range.min) continue;
      if (range?.max !== undefined && min !== undefined && min > range.max) continue;
      out.push(this.ws.extentTable(folder, id, listing));
    }
    return out;
  }

  /**
   * The data state, for cursor_current(): the newest extent's id over every table (ids sort in the order
   * extents were added, so a later cursor compares greater); empty for an empty workspace.
   */
  cursor(): string {
    let newest = '';
    for (const t of this.tableNames()) for (const id of this.listing(t)?.extents ?? []) if (id > newest) newest = id;
    return newest;
  }

  tables(): TableInfo[] {
    const quarantined = this.ws.quarantined();
    return this.tableNames().map((name) => {
      const info: TableInfo = { name, rows: 0, extents: 0, bytesOnDisk: 0, quarantined: quarantined.get(name) ?? 0 };
      for (const id of this.listing(name)?.extents ?? []) {
        const m = this.ws.extentMeta(name, id);
        info.rows += m.rows;
        info.extents++;
        info.bytesOnDisk += m.bytes;
        if (m.minTimestamp !== undefined && (info.minTimestamp === undefined || BigInt(m.minTimestamp) < info.minTimestamp)) info.minTimestamp = BigInt(m.minTimestamp);
        if (m.maxTimestamp !== undefined && (info.maxTimestamp === undefined || BigInt(m.maxTimestamp) > info.maxTimestamp)) info.maxTimestamp = BigInt(m.maxTimestamp);
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
