/**
 * A workspace: a folder holding telemetry as columnar extents (tables/<Table>/<extent>/), each table's
 * schema (tables/<Table>/schema.json), the quarantine of records set aside at ingest, and the ingest log.
 * It is the engine's TableSource: `scan` returns extents, skipping those outside the queried time range.
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
import { ExtentReader, writeExtent, type ExtentMeta } from './extent-format.js';
import { timestampRange } from './timestamps.js';

export interface TableInfo {
  name: string;
  rows: number;
  extents: number;
  minTimestamp?: bigint;
  maxTimestamp?: bigint;
  bytesOnDisk: number;
  quarantined: number;
}

const QUIET_NS = 2_000_000_000n;
let appendSequence = 0;

const safeName = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`'${name}' is not a valid table name (letters, digits and _ only)`);
  return name;
};

export class Workspace implements TableSource {
  private readonly cache = new Map<string, { reader: ExtentReader; table?: Table; shape?: string }>();
  /** Loaded columns of every extent, within a byte budget. */
  readonly columns: ColumnCache;
  /** Directory listings and schemas, valid while their folder's modification time stays the same (a writer
   * adds extents and schemas by rename into the folder, which changes it): a query asks for them often. */
  private readonly listings = new Map<string, { stamp: bigint; value: unknown }>();
  private readonly withSchema = new Set<string>();

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

  tableNames(): string[] {
    const d = this.tablesDir();
    const names = this.cached('tables', d, () => readdirSync(d).sort()) ?? [];
    // a table exists once its schema is written (inside its folder, which the listing's stamp does not see)
    return names.filter((n) => this.withSchema.has(n) || (existsSync(this.tablesDir(n, 'schema.json')) && this.withSchema.add(n)));
  }

  schema(name: string): TableSchema | undefined {
    const real = this.tableNames().find((n) => n.toLowerCase() === name.toLowerCase());
    if (!real) return undefined;
    return this.cached(`schema/${real}`, this.tablesDir(real), () => JSON.parse(readFileSync(this.tablesDir(real, 'schema.json'), 'utf8')) as TableSchema);
  }

  private extentDirs(name: string): string[] {
    const d = this.tablesDir(name);
    return this.cached(`extents/${name}`, d, () => readdirSync(d).filter((n) => n.startsWith('e-') && !n.includes('.tmp')).sort()) ?? [];
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

  scan(name: string, range?: TimeRange): Table[] {
    const schema = this.schema(name);
    if (!schema) return [];
    const real = schema.name ?? name;
    const out: Table[] = [];
    const shape = schema.columns.map((c) => `${c.name}:${c.type}`).join(',');
    for (const id of this.extentDirs(real)) {
      const e = this.extent(real, id);
      const meta = e.reader.meta;
      const min = meta.minTimestamp !== undefined ? BigInt(meta.minTimestamp) : undefined;
      const max = meta.maxTimestamp !== undefined ? BigInt(meta.maxTimestamp) : undefined;
      if (range?.min !== undefined && max !== undefined && max < range.min) continue;
      if (range?.max !== undefined && min !== undefined && min > range.max) continue;
      out.push(this.lazyTable(`${real}/${id}`, e, schema, shape));
    }
    return out;
  }

  /**
   * The data state, for cursor_current(): the newest extent's id over every table (ids sort in the order
   * extents were added, so a later cursor compares greater); empty for an empty workspace.
   */
  cursor(): string {
    let newest = '';
    for (const t of this.tableNames()) for (const id of this.extentDirs(t)) if (id > newest) newest = id;
    return newest;
  }

  /** Adds rows as one new extent; the table's schema becomes the union of the old one and `schema`. */
  append(name: string, schema: TableSchema, table: Table, source?: string): ExtentMeta & { id: string } {
    safeName(name);
    const dir = this.tablesDir(name);
    mkdirSync(dir, { recursive: true });
    const old = this.schema(name);
    const merged: TableSchema = { name, columns: [...(old?.columns ?? [])] };
    for (const c of schema.columns) if (!merged.columns.some((m) => m.name === c.name)) merged.columns.push(c);
    const schemaFile = this.tablesDir(name, 'schema.json');
    writeFileSync(schemaFile + '.tmp', JSON.stringify(merged, null, 1));
    renameSync(schemaFile + '.tmp', schemaFile);
    // extents sort by name in the order they were added: time, then a per-process sequence (several
    // appends can share a millisecond), then pid and a random tail against other writers
    const id = `e-${Date.now().toString().padStart(15, '0')}-${(appendSequence++).toString().padStart(9, '0')}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    return { ...writeExtent(this.tablesDir(name, id), table, { ...timestampRange(table), ...(source ? { source } : {}) }), id };
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
    if (!existsSync(dir) || !statSync(dir).isDirectory() || readdirSync(dir).some((n) => n.startsWith('e-'))) return;
    rmSync(dir, { recursive: true, force: true });
    this.withSchema.delete(name);
  }

  tables(): TableInfo[] {
    const quarantined = quarantineCounts(this.dir);
    return this.tableNames().map((name) => {
      const info: TableInfo = { name, rows: 0, extents: 0, bytesOnDisk: 0, quarantined: quarantined.get(name) ?? 0 };
      for (const id of this.extentDirs(name)) {
        const m = this.extent(name, id).reader.meta;
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

/** Quarantined records per table, from the quarantine index (quarantine/index.json). */
export function quarantineCounts(dir: string): Map<string, number> {
  const f = insideWorkspace(dir, 'quarantine', 'index.json');
  const m = new Map<string, number>();
  if (!existsSync(f)) return m;
  for (const [k, v] of Object.entries(JSON.parse(readFileSync(f, 'utf8')) as Record<string, number>)) m.set(k, v);
  return m;
}
