/**
 * A workspace: a folder holding telemetry as columnar extents (tables/<Table>/<extent>/), each table's
 * schema (tables/<Table>/schema.json), the quarantine of records set aside at ingest, and the ingest log.
 * It is the engine's TableSource: `scan` returns extents, skipping those outside the queried time range.
 * A query or hunt reads it through a snapshot (workspace-snapshot.ts) that lists each table at most once;
 * the workspace's own lookups each take a fresh one.
 * Extents are read lazily: opening one reads its meta.json; a column is read from data.bin when a query
 * first reads it, and kept in a byte-budgeted cache of loaded columns (column-cache.ts).
 * Writers add whole extents by rename, so a reader never sees a half-written one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { TableSource, TimeRange } from '../engine/source.js';
import type { Table } from '../engine/storage/column.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { ColumnCache, DEFAULT_CACHE_BYTES } from './column-cache.js';
import { ExtentReader, writeExtentFiles, type ExtentMeta } from './extent-format.js';
import { timestampRange } from './timestamps.js';
import { WorkspaceSnapshot, type ListingReader, type TableInfo, type TableListing } from './workspace-snapshot.js';

export type { TableInfo } from './workspace-snapshot.js';

/** An extent whose files are written but that is not in the table yet (Workspace.prepareAppend). */
export interface PreparedExtent {
  commit(schema: TableSchema): ExtentMeta & { id: string };
  discard(): void;
}

const QUIET_NS = 2_000_000_000n;
let appendSequence = 0;

const safeName = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`'${name}' is not a valid table name (letters, digits and _ only)`);
  return name;
};

export class Workspace implements TableSource, ListingReader {
  private readonly cache = new Map<string, { reader: ExtentReader; table?: Table; shape?: string }>();
  /** Loaded columns of every extent, within a byte budget. */
  readonly columns: ColumnCache;
  /** Folder listings and schemas, valid while their folder's modification time stays the same (a writer
   * adds extents and schemas by rename into the folder, which changes it), so a new snapshot rereads only
   * what changed. */
  private readonly listings = new Map<string, { stamp: bigint; value: unknown }>();
  /** Folders seen holding a schema: a table stays one until dropEmptyTable removes its folder. */
  private readonly knownTables = new Set<string>();

  private constructor(readonly dir: string, cacheBytes: number) {
    this.columns = new ColumnCache(cacheBytes);
  }

  /** `cacheBytes`: how much loaded column data to keep between queries (default: a quarter of memory, ≤ 2 GiB). */
  static open(dir: string, opts: { create?: boolean; cacheBytes?: number } = {}): Workspace {
    if (!existsSync(dir)) {
      if (!opts.create) throw new Error(`no workspace at ${dir} (create one with kqlite demo or kqlite ingest)`);
      mkdirSync(dir, { recursive: true });
    }
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
    return new Workspace(dir, opts.cacheBytes ?? DEFAULT_CACHE_BYTES);
  }

  static exists(dir: string): boolean {
    return existsSync(insideWorkspace(dir, 'tables'));
  }

  private tablesDir(...parts: string[]): string {
    return insideWorkspace(this.dir, 'tables', ...parts);
  }

  /** `make()` of the folder `dir`, kept while the folder's modification time stays the same; undefined when it is gone. */
  private cached<T>(key: string, dir: string, make: () => T): T | undefined {
    let stamp: bigint;
    try {
      stamp = statSync(dir, { bigint: true }).mtimeNs;
    } catch {
      this.listings.delete(key);
      return undefined;
    }
    const hit = this.listings.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = make();
    // file times tick coarsely (milliseconds apart at best): a folder changed just now may change again
    // within the same tick, so its listing is only kept once the folder has been quiet for a while
    if (BigInt(Date.now()) * 1_000_000n - stamp > QUIET_NS) this.listings.set(key, { stamp, value });
    else this.listings.delete(key);
    return value;
  }

  /** A view of the tables as they are now, each table listed at most once, when first asked for. */
  snapshot(): WorkspaceSnapshot {
    return new WorkspaceSnapshot(this);
  }

  readTableFolders(): readonly string[] {
    const d = this.tablesDir();
    return this.cached('tables', d, () => readdirSync(d).sort()) ?? [];
  }

  readTable(folder: string): TableListing | undefined {
    const d = this.tablesDir(folder);
    // a table exists once its schema is written (renamed into its folder, after the folder was made); the
    // extents are listed before the schema is read, and a schema only ever gains columns, so every listed
    // extent's columns are in the schema read
    const listing = this.cached(`table/${folder}`, d, (): TableListing | null => {
      let names: string[];
      try {
        names = readdirSync(d);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return null; // a stray file beside the tables
        throw e;
      }
      if (!names.includes('schema.json')) return null;
      const extents = names.filter((n) => n.startsWith('e-') && !n.includes('.tmp')).sort();
      let schema: TableSchema;
      try {
        schema = JSON.parse(readFileSync(this.tablesDir(folder, 'schema.json'), 'utf8')) as TableSchema;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null; // the table was dropped meanwhile
        throw e;
      }
      return { schema, shape: schema.columns.map((c) => `${c.name}:${c.type}`).join(','), extents };
    });
    if (listing) this.knownTables.add(folder);
    return listing ?? undefined;
  }

  knownTable(folder: string): boolean {
    return this.knownTables.has(folder);
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

  /** See WorkspaceSnapshot.cursor. */
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
    return quarantineCounts(this.dir);
  }

  extentMeta(folder: string, id: string): ExtentMeta {
    return this.extent(folder, id).reader.meta;
  }

  extentTable(folder: string, id: string, listing: TableListing): Table {
    return this.lazyTable(`${folder}/${id}`, this.extent(folder, id), listing.schema, listing.shape);
  }

  private extent(name: string, id: string): { reader: ExtentReader; table?: Table; shape?: string } {
    const key = `${name}/${id}`;
    let e = this.cache.get(key);
    if (!e) {
      e = { reader: new ExtentReader(this.tablesDir(name, id)) };
      this.cache.set(key, e);
    }
    return e;
  }

  /**
   * The extent as a Table in `schema` order whose columns are read on first access (each access asks the
   * column cache, so an evicted column is read again rather than kept alive by the Table). The Table itself
   * is kept while the schema stays the same, so caches keyed by it (merges) stay valid.
   */
  private lazyTable(key: string, e: { reader: ExtentReader; table?: Table; shape?: string }, schema: TableSchema, shape: string): Table {
    if (e.table && e.shape === shape) return e.table;
    const cache = this.columns;
    const reader = e.reader;
    e.table = {
      length: reader.rows,
      columns: schema.columns.map(({ name, type }) => {
        const ck = `${key}/${name}:${type}`;
        const load = () => reader.load(name, type, (bytes) => cache.grow(ck, bytes));
        return { name, get column() { return cache.get(ck, load); } };
      }),
    };
    e.shape = shape;
    return e.table;
  }

  /** Adds rows as one new extent; the table's schema becomes the union of the old one and `schema`. */
  append(name: string, schema: TableSchema, table: Table, source?: string): ExtentMeta & { id: string } {
    return this.prepareAppend(name, table, source).commit(schema);
  }

  /**
   * `append` in two steps, so threads that append to one workspace hold their shared lock only to name an
   * extent, not while its files are packed and written: the files go to a hidden folder in the table's
   * folder now (readers skip names holding `.tmp`); `commit` merges the schema and renames the folder into
   * an extent, `discard` removes it.
   */
  prepareAppend(name: string, table: Table, source?: string): PreparedExtent {
    safeName(name);
    const tmp = this.tablesDir(name, `pending-${process.pid}-${(appendSequence++).toString().padStart(9, '0')}-${Math.random().toString(36).slice(2, 8)}.tmp`);
    const meta = writeExtentFiles(tmp, table, { ...timestampRange(table), ...(source ? { source } : {}) });
    return {
      commit: (schema) => ({ ...meta, id: this.commitExtent(name, schema, tmp) }),
      discard: () => rmSync(tmp, { recursive: true, force: true }),
    };
  }

  private commitExtent(name: string, schema: TableSchema, tmp: string): string {
    const old = this.schema(name);
    const merged: TableSchema = { name, columns: [...(old?.columns ?? [])] };
    for (const c of schema.columns) if (!merged.columns.some((m) => m.name === c.name)) merged.columns.push(c);
    const schemaFile = this.tablesDir(name, 'schema.json');
    writeFileSync(schemaFile + '.tmp', JSON.stringify(merged, null, 1));
    renameSync(schemaFile + '.tmp', schemaFile);
    // extents sort by name in the order they were added: time, then a per-process sequence (several
    // appends can share a millisecond), then pid and a random tail against other writers
    const id = `e-${Date.now().toString().padStart(15, '0')}-${(appendSequence++).toString().padStart(9, '0')}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    renameSync(tmp, this.tablesDir(name, id));
    return id;
  }

  /** Removes an extent (an ingest undoing a file it could not finish): renamed out of sight, then deleted. */
  dropExtent(name: string, id: string): void {
    const gone = this.tablesDir(safeName(name), `${id}.tmp-drop`);
    renameSync(this.tablesDir(name, id), gone);
    rmSync(gone, { recursive: true, force: true });
    this.cache.delete(`${name}/${id}`);
    this.columns.forget(`${name}/${id}/`);
  }

  /** Removes a table left without extents (an undone ingest created it): its schema and folder, as if never made. */
  dropEmptyTable(name: string): void {
    const dir = this.tablesDir(safeName(name));
    // an extent another thread is still writing (pending-…) keeps the table too
    if (!existsSync(dir) || !statSync(dir).isDirectory() || readdirSync(dir).some((n) => n.startsWith('e-') || n.startsWith('pending-'))) return;
    rmSync(dir, { recursive: true, force: true });
    this.knownTables.delete(name);
  }
}

/** Quarantined records per table, from the quarantine index (quarantine/index.json). */
export function quarantineCounts(dir: string): Map<string, number> {
  const f = insideWorkspace(dir, 'quarantine', 'index.json');
  const m = new Map<string, number>();
  if (!existsSync(f)) return m;
  for (const [k, v] of Object.entries(JSON.parse(readFileSync(f, 'utf8')) as Record<string, number>)) m.set(k, v);
  return m;
}
