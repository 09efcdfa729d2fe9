/**
 * A workspace: a folder holding telemetry as columnar extents (tables/<Table>/<extent>/), the manifest that
 * says which of them are committed (manifest.ts), the quarantine of records set aside at ingest and the
 * ledger of ingested files. This class is the read side and the engine's TableSource: `scan` returns
 * committed extents, skipping those outside the queried time range. A query or hunt reads it through a
 * snapshot (workspace-snapshot.ts) that reads the manifest at most once; the workspace's own lookups each take
 * a fresh one. Reading never writes and never takes the writers' lock, so a read-only workspace can be
 * queried and a query never waits for an ingest. Writing goes through WorkspaceWriter (writer.ts).
 * Extents are read lazily: a column is read from data.bin when a query first reads it (the extent's meta.json
 * with it), checked against its checksum, and kept in a byte-budgeted cache of loaded columns.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { TableSource, TimeRange } from '../engine/source.js';
import type { Table } from '../engine/storage/column.js';
import { QueryError } from '../engine/values/value.js';
import { EXECUTION } from '../engine/codes.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { ColumnCache, DEFAULT_CACHE_BYTES } from './column-cache.js';
import { WorkspaceError } from './errors.js';
import { ExtentReader } from './extent-format.js';
import { extentGuid } from './extent-guid.js';
import { LegacyListings, legacyQuarantineCounts, shapeOf } from './legacy-layout.js';
import { manifestPath, readManifest, type ExtentEntry, type Manifest } from './manifest.js';
import { WorkspaceSnapshot, type Catalog, type ListingReader, type TableInfo, type TableListing } from './workspace-snapshot.js';
import { WorkspaceWriter } from './writer.js';

export type { TableInfo } from './workspace-snapshot.js';

const QUIET_NS = 2_000_000_000n;

/** The catalog of a manifest: tables by exact name, the cursor from the generation. */
function manifestCatalog(m: Manifest): Catalog {
  const tables = new Map<string, TableListing>();
  for (const t of m.tables) {
    const schema = { ...t.schema, name: t.name };
    tables.set(t.name, { schema, shape: shapeOf(schema), extents: t.extents });
  }
  const names = [...tables.keys()].sort();
  const counts = m.quarantine.counts;
  const cursor = m.tables.some((t) => t.extents.length) ? `g-${String(m.generation).padStart(12, '0')}` : '';
  return { tableNames: () => names, table: (n) => tables.get(n), quarantined: () => new Map(counts), cursor: () => cursor, quarantineSegments: () => m.quarantine.segments };
}

interface ExtentSlot {
  reader?: ExtentReader;
  table?: Table;
  shape?: string;
}

export class Workspace implements TableSource, ListingReader {
  private readonly extents = new Map<string, ExtentSlot>();
  /** Loaded columns of every extent, within a byte budget. */
  readonly columns: ColumnCache;
  /** The manifest last read, kept while the file is unchanged (and has been for 2 s: times tick coarsely). */
  private manifest?: { stamp: string; catalog: Catalog; quiet: boolean };
  private legacy?: LegacyListings;

  private constructor(readonly dir: string, cacheBytes: number) {
    this.columns = new ColumnCache(cacheBytes);
  }

  /** `cacheBytes`: how much loaded column data to keep between queries (default: a quarter of memory, ≤ 2 GiB). */
  static open(dir: string, opts: { create?: boolean; cacheBytes?: number } = {}): Workspace {
    if (!existsSync(dir)) {
      if (!opts.create) throw new WorkspaceError(`no workspace at ${dir} (create one with kqlite demo or kqlite ingest)`);
      mkdirSync(dir, { recursive: true });
    }
    if (!statSync(dir).isDirectory()) throw new WorkspaceError(`${dir} is not a folder`);
    return new Workspace(dir, opts.cacheBytes ?? DEFAULT_CACHE_BYTES);
  }

  /** Whether the folder holds a workspace's telemetry (committed or, before manifests, on disk). */
  static exists(dir: string): boolean {
    return existsSync(manifestPath(dir)) || existsSync(insideWorkspace(dir, 'tables'));
  }

  /** A view of the committed tables as they are now, read once, when first asked for. */
  snapshot(): WorkspaceSnapshot {
    return new WorkspaceSnapshot(this);
  }

  /** The committed catalog: the manifest's (one stat, a read when it changed), else the legacy folders'. */
  catalog(): Catalog {
    const path = manifestPath(this.dir);
    let st;
    try {
      st = statSync(path, { bigint: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.manifest = undefined;
      this.legacy ??= new LegacyListings(this.dir);
      return this.legacy.catalog(() => legacyQuarantineCounts(this.dir));
    }
    const stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    if (this.manifest?.quiet && this.manifest.stamp === stamp) return this.manifest.catalog;
    const catalog = manifestCatalog(readManifest(this.dir));
    this.manifest = { stamp, catalog, quiet: BigInt(Date.now()) * 1_000_000n - st.mtimeNs > QUIET_NS };
    return catalog;
  }

  tableNames(): string[] {
    return this.snapshot().tableNames();
  }

  schema(name: string): TableSchema | undefined {
    return this.snapshot().schema(name);
  }

  scan(name: string, range?: TimeRange): Table[] {
    return this.snapshot().scan(name, range);
  }

  /** See Catalog.cursor. */
  cursor(): string {
    return this.snapshot().cursor();
  }

  tables(): TableInfo[] {
    return this.snapshot().tables();
  }

  /** The latest Timestamp over all tables: the default reference time of a hunt. */
  maxTimestamp(): bigint | undefined {
    return this.snapshot().maxTimestamp();
  }

  quarantined(): Map<string, number> {
    return this.catalog().quarantined();
  }

  /**
   * The extent as a Table in the listing's schema order whose columns are read on first access (each access
   * asks the column cache, so an evicted column is read again rather than kept alive by the Table). The
   * Table itself is kept while the schema stays the same, so caches keyed by it (merges) stay valid.
   */
  extentTable(table: string, extent: ExtentEntry, listing: TableListing): Table {
    const key = `${table}/${extent.id}`;
    let slot = this.extents.get(key);
    if (!slot) this.extents.set(key, (slot = {}));
    if (slot.table && slot.shape === listing.shape) return slot.table;
    const cache = this.columns;
    const dir = insideWorkspace(this.dir, 'tables', table, extent.id);
    const reader = () => (slot.reader ??= openExtent(dir, table, extent));
    // ingestion_time(): when the extent was written (an old manifest without it: read from the extent's meta)
    const created = Date.parse(extent.createdAt ?? reader().meta.createdAt);
    slot.table = {
      length: extent.rows,
      ...(Number.isFinite(created) ? { ingestedAt: BigInt(created) * 10_000n } : {}),
      // extent_id(): made only when a query asks for it
      get extentId() { return extentGuid(table, extent.id); },
      columns: listing.schema.columns.map(({ name, type }) => {
        const ck = `${key}/${name}:${type}`;
        const load = () => reader().load(name, type, (bytes) => cache.grow(ck, bytes));
        return { name, get column() { return cache.get(ck, load); } };
      }),
    };
    slot.shape = listing.shape;
    return slot.table;
  }

  /** Adds rows as one new extent, committed at once (takes the writers' lock for the moment it needs). */
  append(name: string, schema: TableSchema, table: Table, source?: string): ExtentEntry {
    const w = WorkspaceWriter.open(this.dir, { command: 'append' });
    try {
      const e = w.writeExtent(name, table, source);
      w.stage({ extents: [{ ...e, table: name }], schemas: [{ ...schema, name }] });
      w.commit();
      return e;
    } finally {
      w.close();
    }
  }

  /** Removes an extent from its table and deletes it (a query that listed it before ends with a diagnostic). */
  dropExtent(name: string, id: string): void {
    const w = WorkspaceWriter.open(this.dir, { command: 'drop' });
    try {
      w.dropExtent(name, id);
    } finally {
      w.close();
    }
    this.extents.delete(`${name}/${id}`);
    this.columns.forget(`${name}/${id}/`);
  }
}

/** An extent's reader, its meta.json read now and checked against what the manifest says of it. */
function openExtent(dir: string, table: string, e: ExtentEntry): ExtentReader {
  let reader: ExtentReader;
  try {
    reader = new ExtentReader(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new QueryError(`extent ${dir} was removed while the query read it (a compaction or an undone ingest); run the query again`);
    // a damaged extent is a data problem (KQL4007) the message names; anything else a reader throws is too
    throw new QueryError(`table ${table}: ${(err as Error).message}`, EXECUTION.data);
  }
  if (reader.rows !== e.rows) throw new QueryError(`table ${table}: extent ${e.id} holds ${reader.rows} rows by its meta.json but ${e.rows} by the workspace manifest: ${dir}/meta.json is damaged; restore the workspace from a backup or ingest its files again into a new one`, EXECUTION.data);
  return reader;
}
