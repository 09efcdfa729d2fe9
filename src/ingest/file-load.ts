/**
 * The records of one file on their way into the workspace: pending rows per table (TableAccumulator), the
 * extents written so far, the file's quarantine. Records arrive either as objects (`add`, every format) or,
 * for CSV, as field boundaries (csv-columns.ts) that go straight into the columns; both end here so flushing,
 * quarantine and undo are one code. `read N = loaded L + quarantined Q` is kept by counting every record once.
 */
import { basename } from 'node:path';
import { DEFENDER_TABLES } from '../kql/semantics/catalog.js';
import type { TableSchema } from '../kql/semantics/types.js';
import { TableAccumulator } from './accumulate.js';
import { CoercionError } from './coerce.js';
import { PendingJournal } from './pending.js';
import { QuarantineWriter } from './quarantine.js';
import type { RecordItem } from './readers.js';
import type { Workspace } from './workspace.js';
import type { FileReport } from './ingest.js';

export const KNOWN = new Map(DEFENDER_TABLES.map((t) => [(t.name ?? '').toLowerCase(), t]));
export const VALID_TABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RAW_KEPT = 2000;

/** A file that would change a schema (a new table or column) while others load beside it: it runs alone. */
export class SchemaChangeError extends Error {}

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
  /** Wraps each append (the lock that serialises schema writes between threads). */
  appendLock?: <T>(f: () => T) => T;
}

const at = (item: RecordItem) => ({ ...(item.line !== undefined ? { line: item.line } : {}), ...(item.offset !== undefined ? { offset: item.offset } : {}), ...(item.byte !== undefined ? { byte: item.byte } : {}) });

export class FileLoad {
  readonly quarantine: QuarantineWriter;
  /** The extents written so far, on disk: what a later ingest drops if this process dies before committing. */
  readonly journal: PendingJournal;
  readonly fallbackTable: string | undefined;
  private readonly pending = new Map<string, TableAccumulator>();
  /** Rows pending per table that are a record's extra rows (`also`): in the table's count, not in `loaded`. */
  private readonly derived = new Map<TableAccumulator, number>();
  private readonly written: { table: string; id: string }[] = [];
  /** Tables this file created (no schema before it): an undo removes them whole. */
  private readonly created = new Set<string>();
  private readonly rowsPerExtent: number;
  private readonly cellsPerFlush: number;
  private readonly bytesPerFlush: number;
  private seenReadable = false;

  constructor(private readonly ws: Workspace, private readonly file: string, readonly fr: FileReport, private readonly opts: LoadOptions, quarantine?: QuarantineWriter) {
    this.quarantine = quarantine ?? new QuarantineWriter(ws);
    this.journal = new PendingJournal(ws);
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
      if (!VALID_TABLE.test(table)) {
        this.setAside({ ...item, raw: JSON.stringify(item.row).slice(0, RAW_KEPT) }, undefined, `'${table}' is not a valid table name (letters, digits and _ only)`);
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
    return this.ws.schema(table) ?? KNOWN.get(table.toLowerCase());
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
    if (!this.ws.schema(table)) this.created.add(base?.name ?? table);
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
      this.setAside({ ...item, raw: JSON.stringify(item.row).slice(0, RAW_KEPT) }, table, e.message);
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
      if (!VALID_TABLE.test(r.table)) throw new Error(`'${r.table}' is not a valid table name`);
      const acc = this.accumulator(r.table, r.row);
      if (this.opts.schemaFrozen) for (const k in r.row) if (r.row[k] !== undefined && !acc.hasColumn(k)) throw new SchemaChangeError(`column ${k} of ${r.table} is new`);
      try {
        acc.add(r.row);
      } catch (e) {
        if (!(e instanceof CoercionError)) throw e;
        for (const a of added) a.popRow();
        this.setAside({ ...item, raw: JSON.stringify(item.row).slice(0, RAW_KEPT) }, r.table, r.table === table ? e.message : `as a ${r.table} row: ${e.message}`);
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
    this.quarantine.add({ file: this.file, ...at(item), ...(table ? { table } : {}), reason, ...(item.raw ? { raw: item.raw } : {}) });
    this.fr.quarantined++;
  }

  /** The compressed stream broke part way: what followed is one unreadable part of the file. */
  damaged(byte: number, message: string): void {
    this.fr.read++;
    this.quarantine.add({ file: this.file, byte, reason: `the compressed stream is damaged at byte ${byte} (${message}); the rest of the file could not be read` });
    this.fr.quarantined++;
  }

  private flush(acc: TableAccumulator): void {
    if (!acc.rows) return;
    const name = acc.schema.name!;
    const rows = acc.rows;
    const derived = this.derived.get(acc) ?? 0;
    this.derived.delete(acc);
    const table = acc.take();
    // packed and written outside the lock; only naming the extent (and the schema) is serialised
    const prepared = this.ws.prepareAppend(name, table, basename(this.file));
    const commit = () => prepared.commit(acc.schema);
    let meta: ReturnType<typeof commit>;
    try {
      meta = this.opts.appendLock ? this.opts.appendLock(commit) : commit();
    } catch (e) {
      prepared.discard();
      throw e;
    }
    this.written.push({ table: name, id: meta.id });
    this.journal.record(name, meta.id);
    this.opts.onExtent?.(name, meta.id);
    const fr = this.fr;
    fr.extents++;
    fr.tables[name] = (fr.tables[name] ?? 0) + rows;
    fr.loaded += rows - derived;
    if (derived) fr.derived = (fr.derived ?? 0) + derived;
  }

  finish(): void {
    for (const p of this.pending.values()) {
      this.flush(p);
      if (p.extra.length) this.fr.extraColumns[p.schema.name!] = p.extra;
    }
  }

  /** Drops what this file wrote: its extents, its quarantine, and the tables it created. */
  undo(): void {
    // beside other threads a table is not removed: their workspaces may have seen it (it stays, empty)
    const drop = () => dropExtents(this.ws, this.written, this.opts.schemaFrozen ? new Set() : this.created);
    if (this.opts.appendLock) this.opts.appendLock(drop);
    else drop();
    this.journal.clear();
    this.quarantine.discard();
    Object.assign(this.fr, { read: 0, loaded: 0, quarantined: 0, tables: {}, extents: 0, extraColumns: {} });
    delete this.fr.derived;
    this.derived.clear();
  }
}

/** Removes extents an undone file wrote; a table the file created and that is now empty goes whole (its schema too). */
export function dropExtents(ws: Workspace, written: readonly { table: string; id: string }[], created: ReadonlySet<string>): void {
  for (const w of written) ws.dropExtent(w.table, w.id);
  for (const t of created) ws.dropEmptyTable(t);
}

/** A table name from a file name such as `DeviceNetworkEvents.csv` or `DeviceProcessEvents_2024-05.json.gz`. */
export function tableFromFileName(file: string): string | undefined {
  const stem = basename(file).replace(/(\.gz)?$/i, '').replace(/\.[^.]+$/, '');
  const m = /^([A-Za-z]+)/.exec(stem);
  const k = m?.[1]?.toLowerCase();
  return k && KNOWN.has(k) ? KNOWN.get(k)!.name : undefined;
}
