/**
 * The records of one file on their way into the workspace: pending rows per table (TableAccumulator), the
 * extents written so far, the file's quarantine. Records arrive either as objects (`add`, every format) or,
 * for CSV, as field boundaries (csv-columns.ts) that go straight into the columns; both end here so flushing,
 * quarantine and undo are one code. `read N = loaded L + quarantined Q` is kept by counting every record once.
 * Extents are written into the workspace as they fill (any thread may do this), but nothing is visible until
 * the file is staged and committed by the workspace's writer (src/store/writer.ts): an undo only deletes
 * them. A small file writes no extent at all: its rows go to the writer, which writes them with other small
 * files' rows into one extent (so 3,000 one-row files do not make 3,000 extents).
 */
import { jsonText } from '../engine/values/json.js';
import { rmdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { addOwn, setOwn } from '../common/own-keys.js';
import { insideWorkspace } from '../common/workspace-dir.js';
import type { Table } from '../engine/storage/column.js';
import { DEFENDER_TABLES } from '../kql/semantics/catalog.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { TableAccumulator } from './accumulate.js';
import { CoercionError } from './coerce.js';
import { QuarantineWriter } from '../store/quarantine.js';
import { writeExtentAt, type StagedExtent } from '../store/writer.js';
import { tableNameProblem } from '../store/manifest.js';
import type { RecordItem } from './readers.js';
import type { FileReport } from './ingest.js';

export const KNOWN = new Map(DEFENDER_TABLES.map((t) => [(t.name ?? '').toLowerCase(), t]));
const RAW_KEPT = 2000;

/** A file that would change a schema (a new table or column) while others load beside it: it runs alone. */
export class SchemaChangeError extends Error {}

/** Where a file loads into: the workspace folder and the tables' schemas as the writer sees them. */
export interface LoadTarget {
  dir: string;
  /** The table's schema by name in any case (committed, or staged by an earlier file of this ingest). */
  schema(name: string): TableSchema | undefined;
}

/** A target over a fixed list of schemas (a worker thread's: the writer's when the job was sent). */
export function fixedTarget(dir: string, schemas: readonly TableSchema[]): LoadTarget {
  const by = new Map(schemas.map((s) => [s.name!.toLowerCase(), s]));
  return { dir, schema: (name) => by.get(name.toLowerCase()) };
}

/** A file with at most this many rows (and no extent written while reading) hands its rows to the writer. */
export const SMALL_FILE_ROWS = 65_536;
const SMALL_FILE_BYTES = 16 << 20;

export interface LoadOptions {
  table?: string;
  rowsPerExtent?: number;
  cellsPerFlush?: number;
  /** Pending bytes (estimated, all tables) before everything pending is written (default 96 MiB). */
  bytesPerFlush?: number;
  /** Loading beside other files: refuse (SchemaChangeError) anything that would add a table or a column. */
  schemaFrozen?: boolean;
  /** Each extent as it is written (a parent that must undo the file if this thread dies). */
  onExtent?: (table: string, id: string) => void;
  /** false: even a small file writes its own extents (a part of a split file). */
  inline?: boolean;
}

const at = (item: RecordItem) => ({ ...(item.line !== undefined ? { line: item.line } : {}), ...(item.offset !== undefined ? { offset: item.offset } : {}), ...(item.byte !== undefined ? { byte: item.byte } : {}) });

export class FileLoad {
  readonly quarantine: QuarantineWriter;
  readonly fallbackTable: string | undefined;
  private readonly pending = new Map<string, TableAccumulator>();
  /** The extents written so far (on disk, not committed), in order. */
  readonly written: StagedExtent[] = [];
  /** The columns of the tables parts of this file loaded on other threads (ingest-split.ts). */
  readonly partSchemas: TableSchema[] = [];
  /** A small file's rows, for the writer to write with others' (see SMALL_FILE_ROWS). */
  rows: { schema: TableSchema; table: Table }[] | undefined;
  /** Rows pending per table that are a record's extra rows (`also`): in the table's count, not in `loaded`. */
  private readonly derived = new Map<TableAccumulator, number>();
  private readonly rowsPerExtent: number;
  private readonly cellsPerFlush: number;
  private readonly bytesPerFlush: number;
  private seenReadable = false;
  /** The last line set aside (whether an unfinished last line was loaded, for a grown file's continuation). */
  lastSetAside = 0;

  constructor(private readonly target: LoadTarget, private readonly file: string, readonly fr: FileReport, private readonly opts: LoadOptions, quarantine?: QuarantineWriter) {
    this.quarantine = quarantine ?? new QuarantineWriter(target.dir);
    this.fallbackTable = opts.table ?? tableFromFileName(file);
    this.rowsPerExtent = opts.rowsPerExtent ?? 1_000_000;
    this.cellsPerFlush = opts.cellsPerFlush ?? 32_000_000;
    this.bytesPerFlush = opts.bytesPerFlush ?? 96 << 20;
  }

  /** Takes a batch; false when the file is refused (no table can be told for its records). */
  add(batch: RecordItem[]): boolean {
    const fr = this.fr;
    for (const item of batch) {
      const table = item.table ?? this.fallbackTable;
      if (!item.problem && !table && !this.seenReadable) {
        fr.refused = `cannot tell which table the rows belong to: the records name none (no Defender 'category', no Sentinel 'Type'), the file name does not start with a known table name, and no --table was given`;
        fr.read = 0;
        return false;
      }
      fr.read++;
      if (item.problem || !table) {
        this.setAside(item, table, item.problem ?? 'the record names no table (no Defender category, no Sentinel Type) unlike the records before it');
        continue;
      }
      // a record names its table (Defender category, Sentinel Type): one no folder can hold is set aside
      const tableProblem = tableNameProblem(table);
      if (tableProblem) {
        this.setAside({ ...item, raw: jsonText(item.row).slice(0, RAW_KEPT) }, undefined, tableProblem);
        continue;
      }
      this.seenReadable = true;
      if (item.also) this.addWithDerived(table, item);
      else this.addRow(this.accumulator(table, item.row!), table, item);
    }
    this.afterBatch();
    return true;
  }

  /** The schema rows of `table` are coerced to: the workspace's, else Defender's, else none (inferred). */
  baseSchema(table: string): TableSchema | undefined {
    return this.target.schema(table) ?? KNOWN.get(table.toLowerCase());
  }

  /** The pending rows of `table` if it has any yet (the path the fast readers take after the first row). */
  pendingOf(table: string): TableAccumulator | undefined {
    return this.pending.get(table);
  }

  /** The pending rows of `table`, created on its first row (schema: the workspace's, Defender's, or inferred). */
  accumulator(table: string, firstRow: Record<string, unknown>): TableAccumulator {
    let acc = this.pending.get(table);
    if (acc) return acc;
    const base = this.baseSchema(table);
    if (this.opts.schemaFrozen && !base) throw new SchemaChangeError(`table ${table} is new`);
    acc = new TableAccumulator(table, base, firstRow);
    this.pending.set(table, acc);
    if (!KNOWN.has(table.toLowerCase()) && !this.fr.inferredTables.includes(acc.schema.name!)) this.fr.inferredTables.push(acc.schema.name!);
    return acc;
  }

  /** One record through the generic path: coerced value by value; a misfit goes to quarantine. */
  addRow(acc: TableAccumulator, table: string, item: RecordItem): void {
    if (this.opts.schemaFrozen) for (const k in item.row!) if (item.row![k] !== undefined && !acc.hasColumn(k)) throw new SchemaChangeError(`column ${k} of ${table} is new`);
    try {
      acc.add(item.row!);
    } catch (e) {
      if (!(e instanceof CoercionError)) throw e;
      this.setAside({ ...item, raw: jsonText(item.row).slice(0, RAW_KEPT) }, table, e.message);
      return;
    }
    this.afterRow(acc);
  }

  /**
   * A record that is several rows (its `also`, e.g. a Windows event's Defender row): all go in or none do
   * (a misfit takes back the rows added before it and quarantines the record). The extra rows count in their
   * tables but not in `loaded`, which counts records.
   */
  private addWithDerived(table: string, item: RecordItem): void {
    const rows = [{ table, row: item.row! }, ...item.also!];
    const added: TableAccumulator[] = [];
    for (const r of rows) {
      const tableProblem = tableNameProblem(r.table);
      if (tableProblem) throw new Error(tableProblem);
      const acc = this.accumulator(r.table, r.row);
      if (this.opts.schemaFrozen) for (const k in r.row) if (r.row[k] !== undefined && !acc.hasColumn(k)) throw new SchemaChangeError(`column ${k} of ${r.table} is new`);
      try {
        acc.add(r.row);
      } catch (e) {
        if (!(e instanceof CoercionError)) throw e;
        for (const a of added) a.popRow();
        this.setAside({ ...item, raw: jsonText(item.row).slice(0, RAW_KEPT) }, r.table, r.table === table ? e.message : `as a ${r.table} row: ${e.message}`);
        return;
      }
      added.push(acc);
    }
    for (let i = 1; i < added.length; i++) this.derived.set(added[i]!, (this.derived.get(added[i]!) ?? 0) + 1);
    for (const a of added) this.afterRow(a);
  }

  afterRow(acc: TableAccumulator): void {
    if (acc.rows >= this.rowsPerExtent) this.flush(acc);
  }

  /**
   * After each batch or chunk: everything pending is written once all tables hold `cellsPerFlush` cells or
   * about `bytesPerFlush` bytes (many distinct strings — addresses, command lines — weigh more than cells),
   * so memory stays bounded by the pending data, not by the file.
   */
  afterBatch(): void {
    let cells = 0;
    let bytes = 0;
    for (const p of this.pending.values()) {
      cells += p.rows * p.schema.columns.length;
      bytes += p.bytes();
    }
    if (cells >= this.cellsPerFlush || bytes >= this.bytesPerFlush) for (const p of this.pending.values()) this.flush(p);
  }

  setAside(item: RecordItem, table: string | undefined, reason: string): void {
    if (item.line !== undefined && item.line > this.lastSetAside) this.lastSetAside = item.line;
    this.quarantine.add({ file: this.file, ...at(item), ...(table ? { table } : {}), reason, ...(item.raw ? { raw: item.raw } : {}) });
    this.fr.quarantined++;
  }

  /** A damaged part of a .gz (gzip-members.ts): one record set aside, with where it lies in the file. */
  damaged(byte: number, bytes: number | undefined, message: string): void {
    this.fr.read++;
    const rest = bytes === undefined || /^unexpected end/.test(message);
    const reason = rest ? `the compressed stream is damaged at byte ${byte} (${message}); the rest of the file could not be read` : `the compressed stream is damaged at byte ${byte}: ${message}`;
    this.quarantine.add({ file: this.file, byte, ...(bytes !== undefined ? { bytes } : {}), reason });
    this.fr.quarantined++;
  }

  private flush(acc: TableAccumulator): void {
    if (!acc.rows) return;
    const name = acc.schema.name!;
    const rows = acc.rows;
    const derived = this.takeDerived(acc);
    const e = writeExtentAt(this.target.dir, name, acc.take(), basename(this.file));
    this.written.push({ ...e, table: name });
    this.opts.onExtent?.(name, e.id);
    this.fr.extents++;
    this.count(name, rows, derived);
  }

  /** How many of `acc`'s pending rows are extra rows of records (counted in the table, not in `loaded`). */
  private takeDerived(acc: TableAccumulator): number {
    const derived = this.derived.get(acc) ?? 0;
    this.derived.delete(acc);
    return derived;
  }

  private count(table: string, rows: number, derived: number): void {
    const fr = this.fr;
    addOwn(fr.tables, table, rows);
    fr.loaded += rows - derived;
    if (derived) fr.derived = (fr.derived ?? 0) + derived;
  }

  /** Writes what is pending; a small file that wrote nothing yet keeps its rows for the writer instead. */
  finish(): void {
    let rows = 0;
    let bytes = 0;
    for (const p of this.pending.values()) {
      rows += p.rows;
      bytes += p.bytes();
    }
    const small = this.opts.inline !== false && !this.written.length && rows <= SMALL_FILE_ROWS && bytes <= SMALL_FILE_BYTES;
    if (small) this.rows = [];
    for (const p of this.pending.values()) {
      if (small && p.rows) {
        const n = p.rows;
        const derived = this.takeDerived(p);
        this.rows!.push({ schema: { name: p.schema.name!, columns: p.schema.columns.map((c) => ({ ...c })) }, table: p.take() });
        this.count(p.schema.name!, n, derived);
      } else this.flush(p);
      if (p.extra.length) setOwn(this.fr.extraColumns, p.schema.name!, p.extra);
    }
  }

  /** The columns of each table this file loaded rows into (merged into the tables' schemas at commit). */
  schemas(): TableSchema[] {
    const loaded = new Set([...this.written.map((w) => w.table), ...(this.rows ?? []).map((r) => r.schema.name!)]);
    const own = [...this.pending.values()].filter((p) => loaded.has(p.schema.name!)).map((p) => ({ name: p.schema.name!, columns: p.schema.columns.map((c) => ({ ...c })) }));
    return [...this.partSchemas, ...own];
  }

  /** Drops what this file wrote (its extents, never committed) and its quarantine. */
  undo(): void {
    dropExtents(this.target.dir, this.written);
    this.written.length = 0;
    this.rows = undefined;
    this.quarantine.discard();
    Object.assign(this.fr, { read: 0, loaded: 0, quarantined: 0, tables: {}, extents: 0, extraColumns: {} });
    delete this.fr.derived;
    this.derived.clear();
  }
}

/** Deletes extents written for a file that will not be committed. */
export function dropExtents(dir: string, written: readonly { table: string; id: string }[]): void {
  for (const w of written) rmSync(insideWorkspace(dir, 'tables', w.table, w.id), { recursive: true, force: true });
  // a table folder made for them alone goes too (a committed table's folder is never empty)
  for (const t of new Set(written.map((w) => w.table))) {
    try {
      rmdirSync(insideWorkspace(dir, 'tables', t));
    } catch {
      // not empty (committed, or another file's extents), or gone
    }
  }
}

/** A table name from a file name such as `DeviceNetworkEvents.csv` or `DeviceProcessEvents_2024-05.json.gz`. */
export function tableFromFileName(file: string): string | undefined {
  const stem = basename(file).replace(/(\.gz)?$/i, '').replace(/\.[^.]+$/, '');
  const m = /^([A-Za-z]+)/.exec(stem);
  const k = m?.[1]?.toLowerCase();
  return k && KNOWN.has(k) ? KNOWN.get(k)!.name : undefined;
}
